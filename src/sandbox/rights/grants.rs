//! The grants table: for each artifact, the roles its subjects hold through rules that
//! depend on the artifact (criteria, `fieldIds`, role containers), so that a search
//! tests an index instead of evaluating every rule on every row. Roles from static
//! rules are not stored: they hold on the whole blueprint (see [`super::view`]).
//!
//! Rows name roles, not rights, so a change of permissions needs no refresh. The
//! table is kept in step by the store: every artifact write refreshes that artifact's
//! rows ([`on_put`]), every role-assignments write its blueprint's; both also bump the
//! generation of the cached views ([`super::cache`]).
use super::rules::Rules;
use crate::sandbox::error::ApiResult;
use crate::sandbox::store::{Db, Table};
use rusqlite::params;
use serde_json::Value;

/// Bumped when the layout or the rules' meaning change: the table is then rebuilt.
const VERSION: &str = "1";
const META_KEY: &str = "rights_grants_version";

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS rights_grants (
    artifact_id TEXT NOT NULL, blueprint_id TEXT NOT NULL, subject TEXT NOT NULL,
    grant_key TEXT NOT NULL, PRIMARY KEY (artifact_id, subject, grant_key)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS rights_grants_by_subject
    ON rights_grants (subject, grant_key, artifact_id);
CREATE INDEX IF NOT EXISTS rights_grants_by_blueprint ON rights_grants (blueprint_id);
";

/// The `grant_key` of a role on a blueprint: what the search matches against the roles
/// that give a right there.
pub fn grant_key(bp: &str, role: &str) -> String {
    format!("{bp}\u{1f}{role}")
}

/// Creates the table; (re)builds it when missing or of an older layout.
pub fn create(db: &Db) -> ApiResult<()> {
    super::cache::create(db)?;
    if db.meta(META_KEY).ok().flatten().as_deref() == Some(VERSION) {
        return Ok(db.conn().execute_batch(SCHEMA)?);
    }
    let tx = db.conn().unchecked_transaction()?;
    tx.execute_batch("DROP TABLE IF EXISTS rights_grants;")?;
    tx.execute_batch(SCHEMA)?;
    for (bp, _) in db.list(Table::RoleAssignments, "")? {
        refresh_blueprint(db, &bp)?;
    }
    db.set_meta(META_KEY, VERSION)?;
    tx.commit()?;
    Ok(())
}

/// Keeps the table in step with a document write (called by [`Db::put`]).
pub fn on_put(db: &Db, table: Table, id: &str, doc: &Value) -> ApiResult<()> {
    super::cache::on_write(db, table)?;
    match table {
        Table::Artifacts => refresh_artifact(db, id, doc),
        Table::RoleAssignments => refresh_blueprint(db, id),
        _ => Ok(()),
    }
}

/// Keeps the table in step with a document deletion (called by [`Db::delete`]).
pub fn on_delete(db: &Db, table: Table, id: &str) -> ApiResult<()> {
    super::cache::on_write(db, table)?;
    match table {
        Table::Artifacts => {
            db.conn()
                .prepare_cached("DELETE FROM rights_grants WHERE artifact_id = ?1")?
                .execute(params![id])?;
            Ok(())
        }
        Table::RoleAssignments => refresh_blueprint(db, id),
        _ => Ok(()),
    }
}

/// Replaces the rows of artifact `id` (rules read from the store).
fn refresh_artifact(db: &Db, id: &str, artifact: &Value) -> ApiResult<()> {
    db.conn()
        .prepare_cached("DELETE FROM rights_grants WHERE artifact_id = ?1")?
        .execute(params![id])?;
    let bp = artifact["blueprintVersionId"]["blueprintId"]
        .as_str()
        .unwrap_or("");
    let rules = Rules::load(db, bp)?;
    insert(db, &rules, bp, id, artifact)
}

/// Adds the rows of one artifact under `rules`.
fn insert(db: &Db, rules: &Rules, bp: &str, id: &str, artifact: &Value) -> ApiResult<()> {
    if !rules.has_dynamic() {
        return Ok(());
    }
    let mut stmt = db.conn().prepare_cached(
        "INSERT OR IGNORE INTO rights_grants (artifact_id, blueprint_id, subject, grant_key) \
         VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (subject, role) in rules.dynamic_holdings(artifact) {
        stmt.execute(params![id, bp, subject.key(), grant_key(bp, &role)])?;
    }
    Ok(())
}

/// Recomputes the rows of every artifact of blueprint `bp` (its rules changed).
fn refresh_blueprint(db: &Db, bp: &str) -> ApiResult<()> {
    db.conn()
        .prepare_cached("DELETE FROM rights_grants WHERE blueprint_id = ?1")?
        .execute(params![bp])?;
    let rules = Rules::load(db, bp)?;
    if !rules.has_dynamic() {
        return Ok(());
    }
    let mut stmt = db.conn().prepare_cached(
        "SELECT a.id, a.body FROM artifacts a WHERE a.id IN \
         (SELECT s.id FROM search_artifacts s WHERE s.blueprint_id = ?1)",
    )?;
    let rows = stmt.query_map(params![bp], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })?;
    for row in rows {
        let (id, body) = row?;
        insert(db, &rules, bp, &id, &serde_json::from_str(&body)?)?;
    }
    Ok(())
}
