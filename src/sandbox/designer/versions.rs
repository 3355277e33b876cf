//! `/admin/blueprint/{bp}/versions`: versions created DRAFT, empty or forked from
//! `originVersionId` (definition and sign-off configurations copied); saves checked
//! against the artifacts using the version; deletion refused while artifacts use it.
use super::{Db, Table, artifacts_of, check_blueprint, definition, version_parts};
use crate::protocol::{Resource, resources};
use crate::sandbox::artifact::{self, conform_workflow};
use crate::sandbox::collection::{Collection, Query, object};
use crate::sandbox::error::{ApiError, ApiResult};
use crate::sandbox::signoff::ops::config_key;
use serde_json::{Value, json};

/// The designer's blueprint versions, stored as `{blueprintVersion, blueprintVersionTrace}`.
pub struct Versions;

/// The definition of a version created without origin.
fn empty(bp: &str, bv: &str, name: &str) -> Value {
    json!({
        "id": {"blueprintId": bp, "versionId": bv},
        "name": name,
        "instructions": "",
        "fieldDefinitions": {},
        "workflowDefinition": {"stepDefinitions": []},
        "logicalHookList": [],
        "uiDefinition": {"views": {}, "uiStepDefinitions": {}},
        "actions": {},
        "iconMode": "INHERIT",
    })
}

/// `dangerZoneAccepted` as Python sends it (`True`/`False`) or lower-case.
fn danger_zone_accepted(q: &Query) -> ApiResult<bool> {
    match q.get("dangerZoneAccepted").map(String::as_str) {
        None | Some("False" | "false") => Ok(false),
        Some("True" | "true") => Ok(true),
        Some(other) => Err(ApiError::validation(format!(
            "Invalid query parameter dangerZoneAccepted '{other}': expected true or false"
        ))),
    }
}

/// Copies the sign-off configurations of `bp/origin` to `bp/bv`.
fn copy_configs(db: &Db, bp: &str, origin: &str, bv: &str) -> ApiResult<()> {
    for (_, mut conf) in db.list(Table::SignoffConfigs, &format!("{bp}/{origin}/"))? {
        let step = conf["id"]["stepId"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        conf["id"] = json!({"blueprintId": bp, "versionId": bv, "stepId": step});
        db.put(Table::SignoffConfigs, &config_key(bp, bv, &step), &conf)?;
    }
    Ok(())
}

/// Deletes the sign-off configurations of steps the definition no longer has.
fn drop_orphan_configs(db: &Db, bp: &str, bv: &str, def: &Value) -> ApiResult<()> {
    let steps = artifact::step_ids(def);
    for (id, conf) in db.list(Table::SignoffConfigs, &format!("{bp}/{bv}/"))? {
        if !steps.iter().any(|s| conf["id"]["stepId"] == s.as_str()) {
            db.delete(Table::SignoffConfigs, &id)?;
        }
    }
    Ok(())
}

/// Applies a saved definition to the version's artifacts: refuses (unless accepted) to
/// drop the values they hold, drops them when accepted, fits their workflows.
fn update_artifacts(
    db: &Db,
    bp: &str,
    bv: &str,
    old: &Value,
    new: &Value,
    accepted: bool,
) -> ApiResult<()> {
    let dropped = definition::dropped_fields(old, new);
    let mut changed = Vec::new();
    let mut holders = 0;
    let mut fields = std::collections::BTreeSet::new();
    for id in artifacts_of(db, bp, Some(bv))? {
        let mut art = artifact::load(db, &id)?;
        let held = definition::held(&art, &dropped);
        if !held.is_empty() {
            holders += 1;
            fields.extend(held.iter().map(|f| f.as_str().to_string()));
            if let Some(values) = art["fields"].as_object_mut() {
                values.retain(|k, _| !held.contains(&k));
            }
        }
        let fit = definition::same_steps(&art, new);
        if !held.is_empty() || !fit {
            conform_workflow(new, &mut art)?;
            changed.push((id, art));
        }
    }
    if holders > 0 && !accepted {
        let fields: Vec<String> = fields.into_iter().collect();
        return Err(ApiError::conflict(format!(
            "Saving blueprint version {bp} / {bv} would drop the values of field(s) {} held by {holders} artifact(s): save with dangerZoneAccepted=true to drop them",
            fields.join(", ")
        )));
    }
    for (id, art) in changed {
        db.put(Table::Artifacts, &id, &art)?;
    }
    Ok(())
}

impl Collection for Versions {
    fn resource(&self) -> &'static Resource {
        &resources::ADMIN_BLUEPRINT_VERSIONS
    }

    fn table(&self) -> Table {
        Table::Versions
    }

    fn check_parent(&self, db: &Db, parent: &[String]) -> ApiResult<()> {
        check_blueprint(db, parent.first().map_or("", String::as_str))
    }

    fn create(&self, db: &Db, key: &[String], q: &Query, _body: Value) -> ApiResult<Value> {
        let (bp, bv) = version_parts(key)?;
        let name = q.get("name").map_or(bv, String::as_str);
        let origin = q.get("originVersionId");
        let mut def = match origin {
            Some(origin) => {
                let entry = artifact::load_version(db, bp, origin)?;
                copy_configs(db, bp, origin, bv)?;
                entry["blueprintVersion"].clone()
            }
            None => empty(bp, bv, name),
        };
        def["id"] = json!({"blueprintId": bp, "versionId": bv});
        def["name"] = json!(name);
        Ok(json!({
            "blueprintVersion": def,
            "blueprintVersionTrace": {
                "blueprintVersionId": {"blueprintId": bp, "versionId": bv},
                "status": "DRAFT",
                "originVersionId": origin,
            },
        }))
    }

    fn save(
        &self,
        db: &Db,
        key: &[String],
        q: &Query,
        old: Value,
        body: Value,
    ) -> ApiResult<Value> {
        let (bp, bv) = version_parts(key)?;
        let accepted = danger_zone_accepted(q)?;
        let mut def = object("Blueprint version", body)?;
        if let Some(id) = def.get("id").filter(|id| !id.is_null())
            && (id["blueprintId"] != bp || id["versionId"] != bv)
        {
            return Err(ApiError::validation(format!(
                "Blueprint version IDs do not match: {id} in the body, {bp} / {bv} in the URL"
            )));
        }
        definition::validate(&def)?;
        def.insert("id".into(), json!({"blueprintId": bp, "versionId": bv}));
        let def = Value::Object(def);
        update_artifacts(db, bp, bv, &old["blueprintVersion"], &def, accepted)?;
        drop_orphan_configs(db, bp, bv, &def)?;
        let mut entry = old;
        entry["blueprintVersion"] = def;
        Ok(entry)
    }

    /// Govern: "artifacts using it must be deleted first"; its sign-off
    /// configurations go with it.
    fn before_delete(&self, db: &Db, key: &[String]) -> ApiResult<()> {
        let (bp, bv) = version_parts(key)?;
        let artifacts = artifacts_of(db, bp, Some(bv))?;
        if !artifacts.is_empty() {
            return Err(ApiError::conflict(format!(
                "Cannot delete blueprint version {bp} / {bv}: {} artifact(s) use it ({}); delete them first",
                artifacts.len(),
                artifacts
                    .iter()
                    .take(5)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        for (id, _) in db.list(Table::SignoffConfigs, &format!("{bp}/{bv}/"))? {
            db.delete(Table::SignoffConfigs, &id)?;
        }
        Ok(())
    }

    fn definition(&self, stored: Value) -> Value {
        stored["blueprintVersion"].clone()
    }

    /// `{blueprintVersion, blueprintVersionTrace}`, as stored.
    fn get_answer(&self, stored: Value) -> Value {
        stored
    }
}
