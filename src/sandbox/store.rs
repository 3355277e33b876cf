//! SQLite storage: JSON documents as TEXT, one table per object family.
//!
//! Every mutation goes through [`Store::write`], which runs the closure inside one
//! transaction: either everything it wrote is committed or nothing is.
use super::error::{ApiError, ApiResult};
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::Value;
use std::path::Path;
use std::sync::Mutex;

/// The document tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    /// Blueprints, keyed by blueprint id.
    Blueprints,
    /// `{"blueprintVersion", "blueprintVersionTrace"}`, keyed `bp/bv`.
    Versions,
    /// Sign-off configurations, keyed `bp/bv/step`.
    SignoffConfigs,
    /// Artifacts, keyed by artifact id.
    Artifacts,
    /// Runtime sign-offs, keyed `ar/step`.
    Signoffs,
    /// Users, keyed by login.
    Users,
    /// Groups, keyed by name.
    Groups,
    /// API keys, keyed by the SHA-256 of the secret.
    ApiKeys,
}

impl Table {
    const ALL: [Table; 8] = [
        Table::Blueprints,
        Table::Versions,
        Table::SignoffConfigs,
        Table::Artifacts,
        Table::Signoffs,
        Table::Users,
        Table::Groups,
        Table::ApiKeys,
    ];

    fn name(self) -> &'static str {
        match self {
            Table::Blueprints => "blueprints",
            Table::Versions => "blueprint_versions",
            Table::SignoffConfigs => "signoff_configs",
            Table::Artifacts => "artifacts",
            Table::Signoffs => "signoffs",
            Table::Users => "users",
            Table::Groups => "groups",
            Table::ApiKeys => "api_keys",
        }
    }
}

/// The database handle shared by all requests.
pub struct Store {
    conn: Mutex<Connection>,
}

/// Access to the tables inside a read or a write transaction.
pub struct Db<'a>(&'a Connection);

impl Store {
    /// Opens (creating if needed) the database file and its schema.
    pub fn open(path: &Path) -> anyhow::Result<Store> {
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        for t in Table::ALL {
            conn.execute_batch(&format!(
                "CREATE TABLE IF NOT EXISTS {} (id TEXT PRIMARY KEY, body TEXT NOT NULL)",
                t.name()
            ))?;
        }
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        )?;
        Ok(Store {
            conn: Mutex::new(conn),
        })
    }

    /// Runs `f` on a consistent read view.
    pub fn read<T>(&self, f: impl FnOnce(&Db) -> ApiResult<T>) -> ApiResult<T> {
        let guard = self
            .conn
            .lock()
            .map_err(|_| ApiError::internal("database lock poisoned"))?;
        f(&Db(&guard))
    }

    /// Runs `f` in one transaction, committed only if `f` succeeds.
    pub fn write<T>(&self, f: impl FnOnce(&Db) -> ApiResult<T>) -> ApiResult<T> {
        let mut guard = self
            .conn
            .lock()
            .map_err(|_| ApiError::internal("database lock poisoned"))?;
        let tx = guard.transaction()?;
        let out = f(&Db(&tx))?;
        tx.commit()?;
        Ok(out)
    }
}

impl Db<'_> {
    /// The document stored under `id`, if any.
    pub fn get(&self, table: Table, id: &str) -> ApiResult<Option<Value>> {
        let text: Option<String> = self
            .0
            .query_row(
                &format!("SELECT body FROM {} WHERE id = ?1", table.name()),
                params![id],
                |r| r.get(0),
            )
            .optional()?;
        Ok(match text {
            Some(t) => Some(serde_json::from_str(&t)?),
            None => None,
        })
    }

    /// Inserts or replaces the document under `id` (an update keeps its list position).
    pub fn put(&self, table: Table, id: &str, doc: &Value) -> ApiResult<()> {
        let text = serde_json::to_string(doc)?;
        self.0.execute(
            &format!(
                "INSERT INTO {} (id, body) VALUES (?1, ?2) \
                 ON CONFLICT(id) DO UPDATE SET body = excluded.body",
                table.name()
            ),
            params![id, text],
        )?;
        Ok(())
    }

    /// Deletes the document under `id`; returns whether it existed.
    pub fn delete(&self, table: Table, id: &str) -> ApiResult<bool> {
        let n = self.0.execute(
            &format!("DELETE FROM {} WHERE id = ?1", table.name()),
            params![id],
        )?;
        Ok(n > 0)
    }

    /// All `(id, document)` pairs whose id starts with `prefix`, in insertion order.
    pub fn list(&self, table: Table, prefix: &str) -> ApiResult<Vec<(String, Value)>> {
        let mut stmt = self.0.prepare(&format!(
            "SELECT id, body FROM {} WHERE substr(id, 1, ?1) = ?2 ORDER BY rowid",
            table.name()
        ))?;
        let rows = stmt.query_map(params![prefix.len() as i64, prefix], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, text) = row?;
            out.push((id, serde_json::from_str(&text)?));
        }
        Ok(out)
    }

    /// A metadata value.
    pub fn meta(&self, key: &str) -> ApiResult<Option<String>> {
        Ok(self
            .0
            .query_row("SELECT value FROM meta WHERE key = ?1", params![key], |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// Sets a metadata value.
    pub fn set_meta(&self, key: &str, value: &str) -> ApiResult<()> {
        self.0.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2) \
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
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
