//! First-start initialisation: admin user, admin key, seed.
use super::auth;
use super::error::ApiResult;
use super::store::{Db, Store, Table};
use super::{AdminKeyOrigin, Seed, seed};
use serde_json::json;

const INITIALIZED: &str = "initialized";
const ADMIN_KEY_SET: &str = "admin_key_set";

/// Prepares the database; returns the admin key in force and how it was obtained.
///
/// The seed is applied only when the database is new. A generated key is returned once
/// (its hash alone is stored), so later starts report [`AdminKeyOrigin::Existing`].
pub fn initialize(
    store: &Store,
    admin_key: Option<&str>,
    seed_kind: Seed,
) -> anyhow::Result<(String, AdminKeyOrigin)> {
    let out = store.write(|db| -> ApiResult<(String, AdminKeyOrigin)> {
        if db.meta(INITIALIZED)?.is_none() {
            ensure_admin_user(db)?;
            if seed_kind == Seed::Demo {
                seed::apply(db)?;
            }
            db.set_meta(INITIALIZED, &super::now_ms().to_string())?;
        }
        ensure_admin_user(db)?;
        let result = match admin_key {
            Some(k) => {
                auth::add_key(db, k, "admin", true)?;
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
