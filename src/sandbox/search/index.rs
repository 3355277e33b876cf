//! The search index: one row per artifact (blueprint, version, name, archived, workflow
//! progress), one per field value (for filters) and one per field sort key, kept in step
//! with the `artifacts` table by [`put`] and [`delete`] (called by the store on every
//! artifact write), so that a search is SQL over indexes, not a scan of JSON.
use crate::sandbox::error::ApiResult;
use rusqlite::{Connection, params};
use serde_json::Value;

/// Bumped when the index layout or its contents change: the index is then rebuilt.
const VERSION: &str = "3";
const META_KEY: &str = "search_index_version";

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS search_artifacts (
    id TEXT PRIMARY KEY, num INTEGER NOT NULL, blueprint_id TEXT NOT NULL,
    version_id TEXT NOT NULL, name TEXT NOT NULL, name_lower TEXT NOT NULL,
    archived INTEGER NOT NULL, progress INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS search_by_num ON search_artifacts (num, id);
CREATE INDEX IF NOT EXISTS search_by_name ON search_artifacts (name_lower, num, id);
CREATE INDEX IF NOT EXISTS search_by_progress ON search_artifacts (progress, num, id);
CREATE INDEX IF NOT EXISTS search_by_version ON search_artifacts (blueprint_id, version_id);
CREATE TABLE IF NOT EXISTS search_values (
    artifact_id TEXT NOT NULL, field_id TEXT NOT NULL, text TEXT NOT NULL, lower TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS search_values_lower ON search_values (field_id, lower, artifact_id);
CREATE INDEX IF NOT EXISTS search_values_text ON search_values (field_id, text, artifact_id);
CREATE INDEX IF NOT EXISTS search_values_artifact
    ON search_values (artifact_id, field_id, lower, text);
CREATE TABLE IF NOT EXISTS search_sort (
    artifact_id TEXT NOT NULL, field_id TEXT NOT NULL, blueprint_id TEXT NOT NULL,
    kind INTEGER NOT NULL, num REAL NOT NULL, text TEXT NOT NULL, artifact_num INTEGER NOT NULL,
    PRIMARY KEY (artifact_id, field_id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS search_sort_order
    ON search_sort (blueprint_id, field_id, kind, num, text, artifact_num, artifact_id);
";

/// Sort-key kinds of a field value: numbers, then strings, then other JSON; a missing
/// or null value sorts last ([`MISSING`]).
const NUMBER: i64 = 0;
const STRING: i64 = 1;
const OTHER: i64 = 2;
/// The kinds of present values, in sort order (either direction).
pub const PRESENT: [i64; 3] = [NUMBER, STRING, OTHER];
/// The kind of a missing value.
pub const MISSING: i64 = 9;

/// Creates the index tables; (re)builds the index from the artifacts when it is missing
/// or of an older layout (a database from before the index).
pub fn create(conn: &Connection) -> ApiResult<()> {
    let version: Option<String> = conn
        .query_row(
            "SELECT value FROM meta WHERE key = ?1",
            params![META_KEY],
            |r| r.get(0),
        )
        .ok();
    if version.as_deref() == Some(VERSION) {
        return Ok(conn.execute_batch(SCHEMA)?);
    }
    let tx = conn.unchecked_transaction()?;
    // Dropped, not emptied: an older layout's tables lack columns.
    tx.execute_batch(
        "DROP TABLE IF EXISTS search_artifacts; DROP TABLE IF EXISTS search_values; \
         DROP TABLE IF EXISTS search_sort;",
    )?;
    tx.execute_batch(SCHEMA)?;
    {
        let mut stmt = tx.prepare("SELECT id, body FROM artifacts")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let id: String = row.get(0)?;
            let body: String = row.get(1)?;
            put(&tx, &id, &serde_json::from_str(&body)?)?;
        }
    }
    tx.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2) \
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![META_KEY, VERSION],
    )?;
    tx.commit()?;
    Ok(())
}

/// The number of an `ar.N` id, the tie-break of every sort (other ids sort last).
pub fn id_number(id: &str) -> i64 {
    id.strip_prefix("ar.")
        .and_then(|n| n.parse().ok())
        .unwrap_or(i64::MAX)
}

/// Workflow progress: finished or skipped steps count twice, an ongoing one once.
pub fn progress(artifact: &Value) -> i64 {
    artifact["workflow"]["steps"]
        .as_object()
        .map(|steps| {
            steps
                .values()
                .map(|s| match s["status"].as_str() {
                    Some("FINISHED" | "SKIPPED") => 2,
                    Some("ONGOING") => 1,
                    _ => 0,
                })
                .sum()
        })
        .unwrap_or(0)
}

/// The texts a field filter compares against (a list field: each element).
pub fn scalar_texts(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Null => {}
        Value::String(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| scalar_texts(x, out)),
        other => out.push(other.to_string()),
    }
}

/// The sort key of a field value: `(kind, number, text)`, `None` for null.
fn sort_key(v: &Value) -> Option<(i64, f64, String)> {
    match v {
        Value::Null => None,
        Value::Number(n) => Some((NUMBER, n.as_f64().unwrap_or(0.0), String::new())),
        Value::String(s) => Some((STRING, 0.0, s.to_lowercase())),
        other => Some((OTHER, 0.0, other.to_string())),
    }
}

/// Indexes the artifact `id` as `artifact` (replacing what was indexed before).
pub fn put(conn: &Connection, id: &str, artifact: &Value) -> ApiResult<()> {
    delete(conn, id)?;
    let ids = &artifact["blueprintVersionId"];
    let name = artifact["name"].as_str().unwrap_or("");
    let blueprint = ids["blueprintId"].as_str().unwrap_or("");
    conn.prepare_cached(
        "INSERT INTO search_artifacts (id, num, blueprint_id, version_id, name, name_lower, \
         archived, progress) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        id,
        id_number(id),
        blueprint,
        ids["versionId"].as_str().unwrap_or(""),
        name,
        name.to_lowercase(),
        artifact["status"]["archived"].as_bool().unwrap_or(false),
        progress(artifact),
    ])?;
    let Some(fields) = artifact["fields"].as_object() else {
        return Ok(());
    };
    let mut value_stmt = conn.prepare_cached(
        "INSERT INTO search_values (artifact_id, field_id, text, lower) VALUES (?1, ?2, ?3, ?4)",
    )?;
    let mut sort_stmt = conn.prepare_cached(
        "INSERT INTO search_sort (artifact_id, field_id, blueprint_id, kind, num, text, \
         artifact_num) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    let mut texts = Vec::new();
    for (field, value) in fields {
        texts.clear();
        scalar_texts(value, &mut texts);
        for t in &texts {
            value_stmt.execute(params![id, field, t, t.to_lowercase()])?;
        }
        if let Some((kind, num, text)) = sort_key(value) {
            sort_stmt.execute(params![
                id,
                field,
                blueprint,
                kind,
                num,
                text,
                id_number(id)
            ])?;
        }
    }
    Ok(())
}

/// Removes the artifact `id` from the index.
pub fn delete(conn: &Connection, id: &str) -> ApiResult<()> {
    for sql in [
        "DELETE FROM search_artifacts WHERE id = ?1",
        "DELETE FROM search_values WHERE artifact_id = ?1",
        "DELETE FROM search_sort WHERE artifact_id = ?1",
    ] {
        conn.prepare_cached(sql)?.execute(params![id])?;
    }
    Ok(())
}
