//! `/admin/roles`, `/admin/role/{ro}`: roles created with `?newIdentifier=` (stored as
//! `ro.<identifier>`, the prefix kept when given), saved, and deleted once no role
//! assignment or permission names them.
use super::{Db, Table};
use crate::protocol::{Resource, resources};
use crate::sandbox::collection::{Collection, Query, object};
use crate::sandbox::error::{ApiError, ApiResult};
use serde_json::{Map, Value, json};

/// The roles.
pub struct Roles;

/// The keys a role keeps (its `id` is the URL's).
const KEYS: [&str; 2] = ["label", "description"];

/// The stored role `{id, label, description}`: `label` defaults to the identifier,
/// `description` to `""`; both must be strings; a body naming another id is refused.
fn document(id: &str, body: Value) -> ApiResult<Value> {
    let body = object("Role", body)?;
    if let Some(given) = body.get("id").filter(|v| !v.is_null())
        && given != id
    {
        return Err(ApiError::validation(format!(
            "Role IDs do not match: {given} in the body, {id} in the URL"
        )));
    }
    let mut doc = Map::new();
    doc.insert("id".into(), json!(id));
    for k in KEYS {
        match body.get(k) {
            None | Some(Value::Null) => {}
            Some(Value::String(s)) => {
                doc.insert(k.into(), json!(s));
            }
            Some(other) => {
                return Err(ApiError::validation(format!(
                    "Role {k} must be a string, got {other}"
                )));
            }
        }
    }
    let label = id.strip_prefix("ro.").unwrap_or(id);
    doc.entry("label").or_insert_with(|| json!(label));
    doc.entry("description").or_insert_with(|| json!(""));
    Ok(Value::Object(doc))
}

/// Where role `id` is still named: `role assignments of bp.x`, `permissions of bp.y`,
/// `default permissions`.
fn uses(db: &Db, id: &str) -> ApiResult<Vec<String>> {
    let mut found = Vec::new();
    for (bp, doc) in db.list(Table::RoleAssignments, "")? {
        if super::rules::names_role(&doc, id) {
            found.push(format!("role assignments of {bp}"));
        }
    }
    for (bp, doc) in db.list(Table::BlueprintPermissions, "")? {
        if doc["permissions"].get(id).is_some() {
            found.push(format!("permissions of {bp}"));
        }
    }
    if let Some(doc) = db.get(Table::Settings, super::defaults::KEY)?
        && doc["permissions"].get(id).is_some()
    {
        found.push("default permissions".into());
    }
    Ok(found)
}

impl Collection for Roles {
    fn resource(&self) -> &'static Resource {
        &resources::ROLES
    }

    fn table(&self) -> Table {
        Table::Roles
    }

    fn create(&self, _db: &Db, key: &[String], _q: &Query, body: Value) -> ApiResult<Value> {
        document(&key.join("/"), body)
    }

    fn save(
        &self,
        _db: &Db,
        key: &[String],
        _q: &Query,
        _old: Value,
        body: Value,
    ) -> ApiResult<Value> {
        document(&key.join("/"), body)
    }

    /// A role still named by a rule or a permission set would leave them dangling:
    /// refused (409), naming where it is used.
    fn before_delete(&self, db: &Db, key: &[String]) -> ApiResult<()> {
        let id = key.join("/");
        let used = uses(db, &id)?;
        if used.is_empty() {
            return Ok(());
        }
        Err(ApiError::conflict(format!(
            "Cannot delete role {id}: it is still used by {}; remove it there first",
            used.join(", ")
        )))
    }
}
