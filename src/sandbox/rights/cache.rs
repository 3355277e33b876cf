//! Non-admin views kept between requests: a [`View`] (with the artifacts its grants
//! make readable) is computed once per principal and database generation, then reused
//! until a write that can change rights bumps the generation.
//!
//! The generation is a `meta` counter bumped in the writing transaction itself (by the
//! store's write hooks, [`super::grants::on_put`] and [`super::grants::on_delete`]), so a
//! reader's transaction sees the generation of exactly the data it reads: a view is
//! never used on data newer or older than the one it was computed from. Entries are
//! also keyed by a token of the database (two sandboxes in one process never share
//! one).
//!
//! A search tests the cached set per row with the SQL function [`FUNCTION`]
//! `(entry key, artifact id)`, registered on every connection: a hash lookup, instead
//! of reading every grant of the principal into a temporary index on each request.
use super::view::View;
use crate::sandbox::error::ApiResult;
use crate::sandbox::store::{Db, Table};
use rusqlite::Connection;
use rusqlite::functions::FunctionFlags;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

/// The SQL function `rights_granted(entry key, artifact id)`: 1 when the cached view of
/// that key reads the artifact through its grants.
pub const FUNCTION: &str = "rights_granted";

const GENERATION_KEY: &str = "rights_generation";
const TOKEN_KEY: &str = "rights_db_token";

/// Views kept (several principals and, briefly, older generations in use).
const ENTRIES: usize = 64;

/// The tables whose writes can change what a principal reads: artifacts (fields,
/// criteria, workflow steps), rules, permissions, blueprints, and the identities.
const RIGHTS_TABLES: &[Table] = &[
    Table::Artifacts,
    Table::Blueprints,
    Table::Versions,
    Table::RoleAssignments,
    Table::BlueprintPermissions,
    Table::Settings,
    Table::Roles,
    Table::Users,
    Table::Groups,
    Table::ApiKeys,
];

/// The cached views, most recent last.
static VIEWS: Mutex<Vec<(String, Arc<View>)>> = Mutex::new(Vec::new());

/// Registers [`FUNCTION`] on a connection (every connection of the store).
pub fn register(conn: &Connection) -> rusqlite::Result<()> {
    conn.create_scalar_function(
        FUNCTION,
        2,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            // Looked up once per statement: SQLite keeps it for a bound argument.
            let view = ctx.get_or_create_aux(0, |key| -> Result<Arc<View>, String> {
                let key = key.as_str().map_err(|e| e.to_string())?;
                get(key).ok_or_else(|| format!("{FUNCTION}: no cached view {key}"))
            })?;
            Ok(ctx.get_raw(1).as_str().is_ok_and(|id| view.grants_read(id)))
        },
    )
}

/// Makes sure the database has its token (at open, on the writer connection).
pub fn create(db: &Db) -> ApiResult<()> {
    if db.meta(TOKEN_KEY)?.is_none() {
        static SEQ: AtomicU64 = AtomicU64::new(0);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let seq = SEQ.fetch_add(1, Ordering::Relaxed);
        db.set_meta(
            TOKEN_KEY,
            &format!("{nanos:x}.{:x}.{seq}", std::process::id()),
        )?;
    }
    Ok(())
}

/// Bumps the generation when a write of `table` can change rights.
pub fn on_write(db: &Db, table: Table) -> ApiResult<()> {
    if !RIGHTS_TABLES.contains(&table) {
        return Ok(());
    }
    db.conn()
        .prepare_cached(
            "INSERT INTO meta (key, value) VALUES (?1, '1') ON CONFLICT(key) \
             DO UPDATE SET value = CAST(value AS INTEGER) + 1",
        )?
        .execute([GENERATION_KEY])?;
    Ok(())
}

/// The cache key of a principal's subject keys on this database, at its generation.
pub fn key(db: &Db, subjects: &[String]) -> ApiResult<String> {
    let token = db.meta(TOKEN_KEY)?.unwrap_or_default();
    let generation = db.meta(GENERATION_KEY)?.unwrap_or_default();
    Ok(format!("{token}/{generation}/{}", subjects.join("\u{1f}")))
}

/// The cached view of `key`.
pub fn get(key: &str) -> Option<Arc<View>> {
    let views = VIEWS.lock().ok()?;
    views
        .iter()
        .rev()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.clone())
}

/// Keeps `view` under `key`, dropping the oldest views no statement holds past
/// [`ENTRIES`].
pub fn put(key: String, view: Arc<View>) {
    let Ok(mut views) = VIEWS.lock() else {
        return;
    };
    views.retain(|(k, _)| *k != key);
    views.push((key, view));
    let mut excess = views.len().saturating_sub(ENTRIES);
    views.retain(|(_, v)| {
        let drop = excess > 0 && Arc::strong_count(v) == 1;
        excess -= usize::from(drop);
        !drop
    });
}
