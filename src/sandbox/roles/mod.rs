//! Roles and permissions (`/admin/role*`, `/admin/blueprint-role-assignments*`,
//! `/admin/blueprint-permissions*`, protocol §2.11, §3.9): roles, each blueprint's
//! role assignments and permissions as generic collections with Govern's rules as
//! hooks, and the default permissions (one settings document) as routes of their own.
//!
//! The rights helper reads what is stored here: `Table::RoleAssignments` (rules),
//! `Table::BlueprintPermissions` and the default permissions in `Table::Settings`.
pub mod assignments;
pub mod defaults;
pub mod permissions;
pub mod role;
pub mod rules;

use super::collection::Collection;
use super::error::{ApiError, ApiResult};
use super::store::{Db, Table};
use serde_json::{Map, Value};

/// The collections of this family, mounted by `routes::api`.
pub static COLLECTIONS: &[&dyn Collection] = &[
    &role::Roles,
    &assignments::RoleAssignments,
    &permissions::BlueprintPermissions,
];

/// 400 `Unknown role ro.x` unless role `id` exists.
pub fn check_role(db: &Db, id: &str) -> ApiResult<()> {
    match db.get(Table::Roles, id)? {
        Some(_) => Ok(()),
        None => Err(ApiError::validation(format!("Unknown role {id}"))),
    }
}

/// A document of a blueprint (`what`: its noun) with `blueprintId` set to the URL's;
/// refuses a body naming another blueprint.
pub fn blueprint_document(
    what: &str,
    key: &[String],
    body: Value,
) -> ApiResult<Map<String, Value>> {
    let bp = key.join("/");
    let mut doc = super::collection::object(what, body)?;
    match doc.get("blueprintId") {
        None | Some(Value::Null) => {}
        Some(Value::String(given)) if *given == bp => {}
        Some(given) => {
            return Err(ApiError::validation(format!(
                "Blueprint IDs do not match: {given} in the body, {bp} in the URL"
            )));
        }
    }
    doc.insert("blueprintId".into(), Value::String(bp));
    Ok(doc)
}
