//! A page sorted by one blueprint's field, served by walking the sort-key index
//! (`search_sort_order`) from the cursor's key and testing the filters per artifact,
//! stopping once the page is full, rather than sorting every match.
//!
//! The order is the one of [`super::sort::Sort`]'s field keys: present values by kind
//! (numbers, strings, other JSON: ascending in both directions), then by number, text,
//! artifact number and id in the sort's direction; missing values (no value for the
//! field, or an artifact of another blueprint) last, by artifact number and id. Each kind
//! is one run of the index (walked forwards or backwards), the missing ones a run of
//! the artifact-number index.
use super::cursor_gone;
use super::filter::Condition;
use super::index::{MISSING, PRESENT};
use crate::sandbox::error::ApiResult;
use crate::sandbox::store::Db;
use rusqlite::OptionalExtension;
use rusqlite::types::Value as Sql;

/// Where a page starts: the cursor's kind, and its key within that kind's run.
struct Start {
    kind: i64,
    /// `(num, text, artifact number, id)` for a present kind, `(artifact number, id)`
    /// for [`MISSING`].
    key: Vec<Sql>,
}

/// The ids of up to `limit` artifacts matching `cond`, sorted by `field` of
/// `blueprint` (descending if `desc`), strictly after the artifact `last`.
pub fn page(
    db: &Db,
    (blueprint, field): (&str, &str),
    desc: bool,
    cond: &Condition,
    limit: i64,
    last: Option<&str>,
) -> ApiResult<Vec<String>> {
    let start = match last {
        Some(last) => Some(start(db, blueprint, field, last)?),
        None => None,
    };
    let dir = if desc { "DESC" } else { "ASC" };
    let op = if desc { "<" } else { ">" };
    let mut ids = Vec::new();
    for kind in PRESENT.into_iter().chain([MISSING]) {
        let after = match &start {
            Some(s) if kind < s.kind => continue,
            Some(s) if kind == s.kind => s.key.clone(),
            _ => vec![],
        };
        let (mut sql, mut params) = if kind == MISSING {
            (
                "SELECT a.id FROM search_artifacts a WHERE NOT EXISTS (SELECT 1 FROM search_sort s \
                 WHERE s.artifact_id = a.id AND s.field_id = ? AND s.blueprint_id = ?)"
                    .to_string(),
                vec![text(field), text(blueprint)],
            )
        } else {
            (
                "SELECT s.artifact_id FROM search_sort s CROSS JOIN search_artifacts a \
                 ON a.id = s.artifact_id WHERE s.blueprint_id = ? AND s.field_id = ? \
                 AND s.kind = ?"
                    .to_string(),
                vec![text(blueprint), text(field), Sql::Integer(kind)],
            )
        };
        let keys: &[&str] = if kind == MISSING {
            &["a.num", "a.id"]
        } else {
            &["s.num", "s.text", "s.artifact_num", "s.artifact_id"]
        };
        if !after.is_empty() {
            let marks = vec!["?"; keys.len()].join(", ");
            sql.push_str(&format!(" AND ({}) {op} ({marks})", keys.join(", ")));
            params.extend(after);
        }
        for c in &cond.sql {
            sql.push_str(&format!(" AND {c}"));
        }
        params.extend(cond.params.iter().cloned());
        let order: Vec<String> = keys.iter().map(|k| format!("{k} {dir}")).collect();
        sql.push_str(&format!(
            " ORDER BY {} LIMIT {}",
            order.join(", "),
            limit - ids.len() as i64
        ));
        let mut stmt = db.conn().prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(params), |r| r.get(0))?;
        for id in rows {
            ids.push(id?);
        }
        if ids.len() as i64 >= limit {
            break;
        }
    }
    Ok(ids)
}

/// The cursor artifact's place in the order (a 400 if it is not an artifact).
fn start(db: &Db, blueprint: &str, field: &str, last: &str) -> ApiResult<Start> {
    let row = db
        .conn()
        .prepare_cached(
            "SELECT a.num, a.id, s.kind, s.num, s.text FROM search_artifacts a \
             LEFT JOIN search_sort s ON s.artifact_id = a.id AND s.field_id = ?2 \
             AND s.blueprint_id = ?3 WHERE a.id = ?1",
        )?
        .query_row(rusqlite::params![last, field, blueprint], |r| {
            Ok((
                r.get::<_, Sql>(0)?,
                r.get::<_, Sql>(1)?,
                r.get::<_, Option<i64>>(2)?,
                r.get::<_, Sql>(3)?,
                r.get::<_, Sql>(4)?,
            ))
        })
        .optional()?;
    let Some((anum, id, kind, num, txt)) = row else {
        return Err(cursor_gone(last));
    };
    Ok(match kind {
        Some(kind) => Start {
            kind,
            key: vec![num, txt, anum, id],
        },
        None => Start {
            kind: MISSING,
            key: vec![anum, id],
        },
    })
}

fn text(s: &str) -> Sql {
    Sql::Text(s.to_string())
}
