//! First-start initialisation: admin user, admin key, seed.
use super::auth;
use super::error::ApiResult;
use super::store::{Db, Store, Table};
use super::{AdminKeyOrigin, Seed, seed};
use serde_json::json;

const INITIALIZED: &str = "initialized";
const ADMIN_KEY_SET: &str = "admin_key_set";
/// Storage id of the admin key last given in the configuration (`--admin-key`).
const PROVIDED_KEY_ID: &str = "admin_key_provided_id";

/// Prepares the database; returns the admin key in force and how it was obtained.
///
/// The seed is applied only when the database is new. A generated key is returned once
/// (its hash alone is stored), so later starts report [`AdminKeyOrigin::Existing`].
///
/// Key rotation: a provided key replaces the key provided on an earlier start, which
/// stops working. A key generated on the first start stays valid.
pub fn initialize(
    store: &Store,
    admin_key: Option<&str>,
    seed_kind: Seed,
) -> anyhow::Result<(String, AdminKeyOrigin)> {
    let out = store.write(|db| -> ApiResult<(String, AdminKeyOrigin)> {
        if db.meta(INITIALIZED)?.is_none() {
            ensure_admin_user(db)?;
            if matches!(seed_kind, Seed::Demo | Seed::Bulk(_)) {
                seed::apply(db)?;
            }
            if let Seed::Bulk(n) = seed_kind {
                super::seed_bulk::apply(db, n)?;
            }
            db.set_meta(INITIALIZED, &super::now_ms().to_string())?;
        }
        ensure_admin_user(db)?;
        let result = match admin_key {
            Some(k) => {
                rotate_provided_key(db, k)?;
                (k.to_string(), AdminKeyOrigin::Provided)
            }
            None if db.meta(ADMIN_KEY_SET)?.is_some() => (String::new(), AdminKeyOrigin::Existing),
            None => {
                let k = auth::generate_key();
                auth::add_key(db, &k, "admin", true)?;
                (k, AdminKeyOrigin::Generated)
            }
        };
        db.set_meta(ADMIN_KEY_SET, "1")?;
        Ok(result)
    });
    out.map_err(|e| anyhow::anyhow!("cannot initialise the sandbox database: {e}"))
}

/// Adds `key` and revokes the one provided on an earlier start, if different.
fn rotate_provided_key(db: &Db, key: &str) -> ApiResult<()> {
    let id = auth::key_id(key);
    if let Some(previous) = db.meta(PROVIDED_KEY_ID)?
        && previous != id
    {
        db.delete(Table::ApiKeys, &previous)?;
    }
    auth::add_key(db, key, "admin", true)?;
    db.set_meta(PROVIDED_KEY_ID, &id)
}

fn ensure_admin_user(db: &Db) -> ApiResult<()> {
    if db.get(Table::Users, "admin")?.is_none() {
        db.put(
            Table::Users,
            "admin",
            &json!({"login": "admin", "displayName": "Administrator", "groups": [], "admin": true}),
        )?;
    }
    Ok(())
}
