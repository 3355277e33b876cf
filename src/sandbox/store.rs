//! SQLite storage: JSON documents as TEXT, one table per object family.
//!
//! Every mutation goes through [`Store::write`], which runs the closure inside one
//! transaction: either everything it wrote is committed or nothing is. Reads use their
//! own connections; handlers reach both through the blocking pool.
use super::error::{ApiError, ApiResult};
use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior, params};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Declares the document tables, one line each: variant, SQL name, doc.
macro_rules! tables {
    ($($(#[$doc:meta])* $variant:ident => $name:literal,)+) => {
        /// The document tables (`id TEXT PRIMARY KEY, body TEXT`), created on open.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Table {
            $($(#[$doc])* $variant,)+
        }

        impl Table {
            /// Every table, in creation order.
            pub const ALL: &'static [Table] = &[$(Table::$variant,)+];

            /// The SQL table name.
            pub fn name(self) -> &'static str {
                match self {
                    $(Table::$variant => $name,)+
                }
            }
        }
    };
}

tables! {
    /// Blueprints, keyed by blueprint id.
    Blueprints => "blueprints",
    /// `{"blueprintVersion", "blueprintVersionTrace"}`, keyed `bp/bv`.
    Versions => "blueprint_versions",
    /// Sign-off configurations, keyed `bp/bv/step`.
    SignoffConfigs => "signoff_configs",
    /// Artifacts, keyed by artifact id.
    Artifacts => "artifacts",
    /// Runtime sign-offs, keyed `ar/step`.
    Signoffs => "signoffs",
    /// Users, keyed by login.
    Users => "users",
    /// Groups, keyed by name.
    Groups => "groups",
    /// API keys, keyed by the SHA-256 of the secret.
    ApiKeys => "api_keys",
    /// Roles `{id, label, description}`, keyed by role id (`ro.x`).
    Roles => "roles",
    /// `{blueprintId, roleAssignmentsRules}`, keyed by blueprint id.
    RoleAssignments => "role_assignments",
    /// `{blueprintId, permissions}`, keyed by blueprint id.
    BlueprintPermissions => "blueprint_permissions",
    /// Instance settings, keyed by name (`blueprint-permissions-default`).
    Settings => "settings",
    /// Long tasks (futures), keyed by job id.
    Futures => "futures",
    /// Time series `{id, owner, createdOn}`, keyed by id (`ts.N`): family time series.
    TimeSeries => "time_series",
    /// Datapoints `{timeSeriesId, timestamp, value}`, keyed `ts.N/<sortable timestamp>`
    /// (see `sandbox/series/points.rs`): family time series.
    TimeSeriesPoints => "time_series_points",
    /// Custom pages (issue 14 §1): definitions as given plus `id`, keyed by page id.
    CustomPages => "custom_pages",
    /// Uploaded files' descriptions, keyed by id (`uf.N`); their content is on disk
    /// (`sandbox/files`).
    UploadedFiles => "uploaded_files",
    /// Audit entries (admin family, issue 14), keyed by a zero-padded sequence number.
    AuditLog => "audit_log",
}

/// The database handle shared by all requests: one writer connection, and reader
/// connections (WAL lets them read while a write is in progress). Cheap to clone.
///
/// SQLite calls block, so async handlers go through [`Store::read_async`] and
/// [`Store::write_async`], which run them on tokio's blocking pool: a request waiting on
/// the database (another writer, a slow disk) never holds an async worker, and reads are
/// not queued behind writes.
#[derive(Clone)]
pub struct Store(Arc<Shared>);

struct Shared {
    path: PathBuf,
    writer: Mutex<Connection>,
    /// Idle reader connections, reused.
    readers: Mutex<Vec<Connection>>,
}

/// Idle reader connections kept open for reuse (more are opened while needed).
const IDLE_READERS: usize = 8;

/// How long a statement waits for a lock held by another connection or process.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Prepared statements kept per connection (every table's get / put / delete, the
/// search index's writes), so that a bulk write does not parse SQL per row.
const STATEMENT_CACHE: usize = 64;

/// Bytes of the database file each connection reads through a memory map instead of
/// `read()` calls into its own page cache: pages are shared with the OS cache, and a
/// deep search page's thousands of index probes stop copying pages (measured: a walk
/// query from 36-50 ms to 28-31 ms at 100,000 artifacts). Address space only.
const MMAP_SIZE: i64 = 1 << 30;

/// Access to the tables inside a read or a write transaction.
pub struct Db<'a>(&'a Connection);

impl Store {
    /// Opens (creating if needed) the database file and its schema.
    pub fn open(path: &Path) -> anyhow::Result<Store> {
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        conn.pragma_update(None, "mmap_size", MMAP_SIZE)?;
        super::rights::cache::register(&conn)?;
        for t in Table::ALL.iter().copied() {
            conn.execute_batch(&format!(
                "CREATE TABLE IF NOT EXISTS {} (id TEXT PRIMARY KEY, body TEXT NOT NULL)",
                t.name()
            ))?;
        }
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        )?;
        super::search::index::create(&conn).map_err(|e| anyhow::anyhow!("search index: {e}"))?;
        super::rights::grants::create(&Db(&conn))
            .map_err(|e| anyhow::anyhow!("rights index: {e}"))?;
        Ok(Store(Arc::new(Shared {
            path: path.to_path_buf(),
            writer: Mutex::new(conn),
            readers: Mutex::new(Vec::new()),
        })))
    }

    /// Runs `f` on a consistent read view (one read transaction), on this thread.
    pub fn read<T>(&self, f: impl FnOnce(&Db) -> ApiResult<T>) -> ApiResult<T> {
        let mut conn = self.reader()?;
        let out = {
            let tx = conn.transaction()?;
            f(&Db(&tx))
        };
        if let Ok(mut idle) = self.0.readers.lock()
            && idle.len() < IDLE_READERS
        {
            idle.push(conn);
        }
        out
    }

    /// Runs `f` in one transaction, committed only if `f` succeeds, on this thread.
    ///
    /// The transaction takes the write lock first (`BEGIN IMMEDIATE`): a deferred one
    /// that read first could not wait for a lock held by another process (SQLite answers
    /// "database is locked" at once rather than risk a deadlock); this one waits up to
    /// the busy timeout.
    pub fn write<T>(&self, f: impl FnOnce(&Db) -> ApiResult<T>) -> ApiResult<T> {
        let mut guard = self
            .0
            .writer
            .lock()
            .map_err(|_| ApiError::internal("database lock poisoned"))?;
        let tx = guard.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&Db(&tx))?;
        tx.commit()?;
        Ok(out)
    }

    /// The database file (uploaded files' content is kept beside it).
    pub fn path(&self) -> &Path {
        &self.0.path
    }

    /// [`Store::read`] on the blocking pool, for async handlers.
    pub async fn read_async<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Db) -> ApiResult<T> + Send + 'static,
    ) -> ApiResult<T> {
        let store = self.clone();
        blocking(move || store.read(f)).await
    }

    /// [`Store::write`] on the blocking pool, for async handlers.
    pub async fn write_async<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Db) -> ApiResult<T> + Send + 'static,
    ) -> ApiResult<T> {
        let store = self.clone();
        blocking(move || store.write(f)).await
    }

    /// An idle reader connection, or a new one.
    fn reader(&self) -> ApiResult<Connection> {
        let idle = self.0.readers.lock().ok().and_then(|mut v| v.pop());
        if let Some(conn) = idle {
            return Ok(conn);
        }
        let conn = Connection::open_with_flags(
            &self.0.path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        conn.pragma_update(None, "mmap_size", MMAP_SIZE)?;
        super::rights::cache::register(&conn)?;
        Ok(conn)
    }
}

/// Runs a blocking closure (one that uses the database) on tokio's blocking pool.
pub async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> ApiResult<T> + Send + 'static,
) -> ApiResult<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ApiError::internal(format!("database task failed: {e}")))?
}

impl Db<'_> {
    /// The document stored under `id`, if any.
    pub fn get(&self, table: Table, id: &str) -> ApiResult<Option<Value>> {
        let text: Option<String> = self
            .0
            .prepare_cached(&format!("SELECT body FROM {} WHERE id = ?1", table.name()))?
            .query_row(params![id], |r| r.get(0))
            .optional()?;
        Ok(match text {
            Some(t) => Some(serde_json::from_str(&t)?),
            None => None,
        })
    }

    /// Inserts or replaces the document under `id` (an update keeps its list position).
    pub fn put(&self, table: Table, id: &str, doc: &Value) -> ApiResult<()> {
        let text = serde_json::to_string(doc)?;
        self.0
            .prepare_cached(&format!(
                "INSERT INTO {} (id, body) VALUES (?1, ?2) \
                 ON CONFLICT(id) DO UPDATE SET body = excluded.body",
                table.name()
            ))?
            .execute(params![id, text])?;
        if table == Table::Artifacts {
            super::search::index::put(self.0, id, doc)?;
        }
        super::rights::grants::on_put(self, table, id, doc)
    }

    /// Deletes the document under `id`; returns whether it existed.
    pub fn delete(&self, table: Table, id: &str) -> ApiResult<bool> {
        let n = self
            .0
            .prepare_cached(&format!("DELETE FROM {} WHERE id = ?1", table.name()))?
            .execute(params![id])?;
        if table == Table::Artifacts {
            super::search::index::delete(self.0, id)?;
        }
        super::rights::grants::on_delete(self, table, id)?;
        Ok(n > 0)
    }

    /// All `(id, document)` pairs whose id starts with `prefix`, in insertion order.
    ///
    /// A range on the primary key (`prefix <= id < successor(prefix)`), which its
    /// index serves: the cost follows the rows listed, not the table's size.
    pub fn list(&self, table: Table, prefix: &str) -> ApiResult<Vec<(String, Value)>> {
        // No string is above every string with an empty prefix: then only the lower
        // bound applies (`?2` is unused but bound).
        let (sql, upper) = match successor(prefix) {
            Some(upper) => (list_sql(table, true), upper),
            None => (list_sql(table, false), String::new()),
        };
        let mut stmt = self.0.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![prefix, upper], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, text) = row?;
            out.push((id, serde_json::from_str(&text)?));
        }
        Ok(out)
    }

    /// The ids of the documents whose JSON values at each `(path, value)` (SQLite JSON
    /// path, e.g. `$.blueprintVersionId.blueprintId`) are equal, in insertion order.
    pub fn ids_where(&self, table: Table, conditions: &[(&str, &str)]) -> ApiResult<Vec<String>> {
        let mut sql = format!("SELECT id FROM {} WHERE 1", table.name());
        let mut args = Vec::new();
        for (i, (path, value)) in conditions.iter().enumerate() {
            sql.push_str(&format!(
                " AND json_extract(body, ?{}) = ?{}",
                2 * i + 1,
                2 * i + 2
            ));
            args.extend([*path, *value]);
        }
        sql.push_str(" ORDER BY rowid");
        let mut stmt = self.0.prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The connection, for SQL of its own (the search index).
    pub fn conn(&self) -> &Connection {
        self.0
    }

    /// A metadata value.
    pub fn meta(&self, key: &str) -> ApiResult<Option<String>> {
        Ok(self
            .0
            .prepare_cached("SELECT value FROM meta WHERE key = ?1")?
            .query_row(params![key], |r| r.get(0))
            .optional()?)
    }

    /// Sets a metadata value.
    pub fn set_meta(&self, key: &str, value: &str) -> ApiResult<()> {
        self.0
            .prepare_cached(
                "INSERT INTO meta (key, value) VALUES (?1, ?2) \
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            )?
            .execute(params![key, value])?;
        Ok(())
    }

    /// Increments and returns the named counter (first value 1).
    pub fn next_id(&self, counter: &str) -> ApiResult<u64> {
        let key = format!("counter.{counter}");
        let current = self
            .meta(&key)?
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0);
        let next = current + 1;
        self.set_meta(&key, &next.to_string())?;
        Ok(next)
    }
}

/// The query of [`Db::list`]: `?1` the prefix, `?2` its [`successor`] when `bounded`.
fn list_sql(table: Table, bounded: bool) -> String {
    let upper = if bounded { "id < ?2" } else { "?2 = ?2" };
    format!(
        "SELECT id, body FROM {} WHERE id >= ?1 AND {upper} ORDER BY rowid",
        table.name()
    )
}

/// The least string above every string starting with `prefix` (its last character
/// incremented, in code-point order, which is SQLite's byte order on UTF-8); `None`
/// when there is none (an empty prefix, or only `char::MAX`).
fn successor(prefix: &str) -> Option<String> {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        let next = match last as u32 + 1 {
            0xD800 => Some('\u{E000}'),
            n => char::from_u32(n),
        };
        if let Some(next) = next {
            chars.push(next);
            return Some(chars.into_iter().collect());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn successor_bounds_every_extension_of_the_prefix() {
        assert_eq!(successor("bp.x/").as_deref(), Some("bp.x0"));
        assert_eq!(successor(""), None);
        assert_eq!(successor("a\u{D7FF}").as_deref(), Some("a\u{E000}"));
        assert_eq!(successor("a\u{10FFFF}").as_deref(), Some("b"));
        assert_eq!(successor("\u{10FFFF}"), None);
    }

    #[test]
    fn prefix_lists_search_the_key_index_instead_of_scanning_the_table() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(&dir.path().join("t.db")).expect("open");
        store
            .write(|db| {
                for id in ["b/2", "a/1", "b/1", "b0", "b", "c/1"] {
                    db.put(Table::Signoffs, id, &serde_json::json!({ "id": id }))?;
                }
                Ok(())
            })
            .expect("write");
        let ids = store
            .read(|db| db.list(Table::Signoffs, "b/"))
            .expect("list")
            .into_iter()
            .map(|(id, _)| id)
            .collect::<Vec<_>>();
        assert_eq!(ids, ["b/2", "b/1"]);
        let all = store.read(|db| db.list(Table::Signoffs, "")).expect("all");
        assert_eq!(all.len(), 6);
        // The plan of the very query `list` runs: a search on the key's index, not a
        // scan of the table (what `substr(id, 1, n) = prefix` gave).
        let plan: String = store
            .read(|db| {
                let sql = format!("EXPLAIN QUERY PLAN {}", list_sql(Table::Signoffs, true));
                Ok(db
                    .0
                    .query_row(&sql, params!["b/", "b0"], |r| r.get::<_, String>(3))?)
            })
            .expect("plan");
        assert!(
            plan.starts_with("SEARCH") && plan.contains("INDEX"),
            "{plan}"
        );
    }
}
