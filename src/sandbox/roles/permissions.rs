//! `/admin/blueprint-permissions`: one `{blueprintId, permissions}` document per
//! blueprint; deleting it makes the default permissions apply again (a `GET` then
//! 404s). The permission sets are checked here, for these and for the defaults:
//!
//! ```text
//! "permissions": { "<role id>" | "everyone": {
//!     "read", "write", "create", "delete", "admin": bool,
//!     "fields": { "<field id>": { "read", "write": bool } } } }   // not in the defaults
//! ```
//! Any other key, at any level, is a 400 naming it (Govern's own key names are
//! unknown, §3.9: these are the sandbox's); write/create/delete/admin imply read and
//! field write implies field read, which the rights helper applies.
use super::{Db, Table, blueprint_document, check_role};
use crate::protocol::{Resource, resources};
use crate::sandbox::collection::{Collection, Query};
use crate::sandbox::designer::check_blueprint;
use crate::sandbox::error::{ApiError, ApiResult};
use serde_json::{Map, Value, json};

/// The blueprints' own permissions.
pub struct BlueprintPermissions;

/// The artifact permissions of a role.
const ARTIFACT: [&str; 5] = ["read", "write", "create", "delete", "admin"];
/// The permissions of a role on one field.
const FIELD: [&str; 2] = ["read", "write"];
/// Who a permission set is for, besides a role.
pub const EVERYONE: &str = "everyone";

/// 400 naming an unknown permission key at `at`.
fn unknown(key: &str, at: &str, allowed: &[&str]) -> ApiError {
    ApiError::validation(format!(
        "Unknown permission \"{key}\" in {at} (possible permissions are: {})",
        allowed.join(", ")
    ))
}

/// The object at `at`, or a 400.
fn object_at<'a>(v: &'a Value, at: &str) -> ApiResult<&'a Map<String, Value>> {
    v.as_object()
        .ok_or_else(|| ApiError::validation(format!("{at} must be an object, not {v}")))
}

/// Checks that every key of `set` is in `allowed` (with a boolean value), or `fields`
/// when `fields` is allowed.
fn check_flags(set: &Map<String, Value>, at: &str, allowed: &[&str]) -> ApiResult<()> {
    for (k, v) in set {
        if !allowed.contains(&k.as_str()) {
            return Err(unknown(k, at, allowed));
        }
        if !v.is_boolean() {
            return Err(ApiError::validation(format!(
                "{at}.{k} must be true or false, not {v}"
            )));
        }
    }
    Ok(())
}

/// Checks `permissions` (a document's `permissions` object): role ids the instance
/// has (or `everyone`), known keys, booleans; per-field sets only when `fields`.
pub fn check(db: &Db, permissions: &Value, fields: bool) -> ApiResult<()> {
    let sets = object_at(permissions, "permissions")?;
    let mut allowed: Vec<&str> = ARTIFACT.to_vec();
    if fields {
        allowed.push("fields");
    }
    for (who, set) in sets {
        if who != EVERYONE {
            check_role(db, who)?;
        }
        let at = format!("permissions.{who}");
        let mut set = object_at(set, &at)?.clone();
        let per_field = if fields { set.remove("fields") } else { None };
        if let Some(per_field) = per_field {
            for (field, flags) in object_at(&per_field, &format!("{at}.fields"))? {
                let at = format!("{at}.fields.{field}");
                check_flags(object_at(flags, &at)?, &at, &FIELD)?;
            }
        }
        check_flags(&set, &at, &allowed)?;
    }
    Ok(())
}

/// A permissions document checked: a blueprint's (`{blueprintId, permissions}`,
/// per-field sets allowed) or the defaults (`{permissions}`); any other top-level key
/// is refused as an unknown permission, a missing `permissions` is `{}`.
pub fn document(db: &Db, mut doc: Map<String, Value>, blueprint: bool) -> ApiResult<Value> {
    let permissions = match doc.remove("permissions") {
        None | Some(Value::Null) => json!({}),
        Some(p) => p,
    };
    let top: &[&str] = if blueprint {
        &["blueprintId", "permissions"]
    } else {
        &["permissions"]
    };
    if let Some(k) = doc.keys().find(|k| !top.contains(&k.as_str())) {
        return Err(unknown(k, "the permissions document", top));
    }
    check(db, &permissions, blueprint)?;
    doc.insert("permissions".into(), permissions);
    Ok(Value::Object(doc))
}

impl Collection for BlueprintPermissions {
    fn resource(&self) -> &'static Resource {
        &resources::BLUEPRINT_PERMISSIONS
    }

    fn table(&self) -> Table {
        Table::BlueprintPermissions
    }

    fn create(&self, db: &Db, key: &[String], _q: &Query, body: Value) -> ApiResult<Value> {
        check_blueprint(db, &key.join("/"))?;
        let doc = blueprint_document("Blueprint permissions", key, body)?;
        document(db, doc, true)
    }

    fn save(
        &self,
        db: &Db,
        key: &[String],
        _q: &Query,
        _old: Value,
        body: Value,
    ) -> ApiResult<Value> {
        let doc = blueprint_document("Blueprint permissions", key, body)?;
        document(db, doc, true)
    }
}
