//! `/admin/blueprint/{bp}/version/{bv}/workflow/step/{step}/signoff`: the sign-off
//! configuration of a workflow step, created on its item path (never with an `id`),
//! copied into the sign-offs of the version's new artifacts.
use super::{Db, Table, version_parts};
use crate::protocol::{Resource, resources};
use crate::sandbox::artifact::{self, step_ids};
use crate::sandbox::collection::{Collection, Query, object};
use crate::sandbox::error::{ApiError, ApiResult};
use serde_json::{Map, Value, json};

/// The designer's sign-off configurations.
pub struct SignoffConfigs;

/// The keys Govern keeps; it drops others silently (protocol §3.6, §10).
const KEYS: [&str; 6] = [
    "title",
    "description",
    "mandatory",
    "feedbackUsersGroups",
    "approvers",
    "recurrenceConfiguration",
];

/// The stored configuration: known keys, lists defaulted, a title required.
fn document(key: &[String], body: Map<String, Value>) -> ApiResult<Value> {
    let (bp, bv) = version_parts(key)?;
    let step = key.get(2).map_or("", String::as_str);
    let title = body.get("title").and_then(Value::as_str).unwrap_or("");
    if title.trim().is_empty() {
        return Err(ApiError::validation(
            "SignoffConfiguration title is required",
        ));
    }
    for list in ["feedbackUsersGroups", "approvers"] {
        if body
            .get(list)
            .is_some_and(|v| !v.is_array() && !v.is_null())
        {
            return Err(ApiError::validation(format!(
                "SignoffConfiguration {list} must be an array"
            )));
        }
    }
    let mut doc = Map::new();
    doc.insert(
        "id".into(),
        json!({"blueprintId": bp, "versionId": bv, "stepId": step}),
    );
    for k in KEYS {
        if let Some(v) = body.get(k).filter(|v| !v.is_null()) {
            doc.insert(k.into(), v.clone());
        }
    }
    for list in ["feedbackUsersGroups", "approvers"] {
        doc.entry(list).or_insert_with(|| json!([]));
    }
    doc.entry("mandatory").or_insert(json!(false));
    Ok(Value::Object(doc))
}

impl Collection for SignoffConfigs {
    fn resource(&self) -> &'static Resource {
        &resources::SIGNOFF_CONFIGURATIONS
    }

    fn table(&self) -> Table {
        Table::SignoffConfigs
    }

    fn check_parent(&self, db: &Db, parent: &[String]) -> ApiResult<()> {
        let (bp, bv) = version_parts(parent)?;
        artifact::load_version(db, bp, bv).map(drop)
    }

    fn create(&self, db: &Db, key: &[String], _q: &Query, body: Value) -> ApiResult<Value> {
        let body = object("Sign-off configuration", body)?;
        if body.get("id").is_some_and(|id| !id.is_null()) {
            return Err(ApiError::validation(
                "signoffConfiguration.id must not be set in creation",
            ));
        }
        let (bp, bv) = version_parts(key)?;
        let step = key.get(2).map_or("", String::as_str);
        let entry = artifact::load_version(db, bp, bv)?;
        if !step_ids(&entry["blueprintVersion"])
            .iter()
            .any(|s| s == step)
        {
            return Err(ApiError::not_found(
                "Workflow step",
                &format!("{bp} / {bv} / {step}"),
            ));
        }
        document(key, body)
    }

    fn save(
        &self,
        _db: &Db,
        key: &[String],
        _q: &Query,
        _old: Value,
        body: Value,
    ) -> ApiResult<Value> {
        let body = object("Sign-off configuration", body)?;
        let step = key.get(2).map_or("", String::as_str);
        if let Some(given) = body.get("id").and_then(|id| id["stepId"].as_str())
            && given != step
        {
            return Err(ApiError::validation(format!(
                "Sign-off configuration IDs do not match: step {given} in the body, {step} in the URL"
            )));
        }
        document(key, body)
    }
}
