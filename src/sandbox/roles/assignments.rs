//! `/admin/blueprint-role-assignments`: one document per blueprint
//! (`{blueprintId, roleAssignmentsRules}`), created once (a second creation is a
//! conflict, as the developer guide's bootstrap expects), for an existing blueprint
//! only, with its rules checked ([`super::rules`]).
use super::{Db, Table, blueprint_document, rules};
use crate::protocol::{Resource, resources};
use crate::sandbox::collection::{Collection, Query};
use crate::sandbox::designer::check_blueprint;
use crate::sandbox::error::ApiResult;
use serde_json::Value;

/// The blueprints' role assignments.
pub struct RoleAssignments;

/// The stored document: the URL's blueprint, the rules checked; other keys (Govern's
/// inheritance settings, whose names are unknown) kept as given.
fn document(db: &Db, key: &[String], body: Value) -> ApiResult<Value> {
    let mut doc = blueprint_document("Blueprint role assignments", key, body)?;
    let rules = rules::normalize(db, doc.get("roleAssignmentsRules"))?;
    doc.insert("roleAssignmentsRules".into(), rules);
    Ok(Value::Object(doc))
}

impl Collection for RoleAssignments {
    fn resource(&self) -> &'static Resource {
        &resources::ROLE_ASSIGNMENTS
    }

    fn table(&self) -> Table {
        Table::RoleAssignments
    }

    fn create(&self, db: &Db, key: &[String], _q: &Query, body: Value) -> ApiResult<Value> {
        check_blueprint(db, &key.join("/"))?;
        document(db, key, body)
    }

    fn save(
        &self,
        db: &Db,
        key: &[String],
        _q: &Query,
        _old: Value,
        body: Value,
    ) -> ApiResult<Value> {
        document(db, key, body)
    }
}
