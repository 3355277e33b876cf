//! Artifact semantics: validation, workflow normalisation, create / save / delete.
use super::error::{ApiError, ApiResult};
use super::shape::{self, Write};
use super::signoff::ops;
use super::store::{Db, Table};
use serde_json::{Map, Value, json};

const STEP_STATUSES: [&str; 4] = ["NOT_STARTED", "ONGOING", "FINISHED", "SKIPPED"];

/// Storage key of a blueprint version.
pub fn version_key(bp: &str, bv: &str) -> String {
    format!("{bp}/{bv}")
}

/// The stored `{"blueprintVersion", "blueprintVersionTrace"}` entry, or 404.
pub fn load_version(db: &Db, bp: &str, bv: &str) -> ApiResult<Value> {
    db.get(Table::Versions, &version_key(bp, bv))?
        .ok_or_else(|| ApiError::not_found("Blueprint version", &format!("{bp} / {bv}")))
}

/// The ordered step ids of a blueprint version document.
pub fn step_ids(version: &Value) -> Vec<String> {
    version["workflowDefinition"]["stepDefinitions"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s["id"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// The `(blueprintId, versionId)` an artifact is based on (empty when absent).
pub fn version_ids(artifact: &Value) -> (&str, &str) {
    let ids = &artifact["blueprintVersionId"];
    (
        ids["blueprintId"].as_str().unwrap_or(""),
        ids["versionId"].as_str().unwrap_or(""),
    )
}

/// Loads an artifact or answers 404.
pub fn load(db: &Db, id: &str) -> ApiResult<Value> {
    db.get(Table::Artifacts, id)?
        .ok_or_else(|| ApiError::not_found("Artifact", id))
}

fn bv_id(body: &Map<String, Value>) -> ApiResult<(String, String)> {
    let id = &body
        .get("blueprintVersionId")
        .cloned()
        .unwrap_or(Value::Null);
    match (id["blueprintId"].as_str(), id["versionId"].as_str()) {
        (Some(bp), Some(bv)) => Ok((bp.to_string(), bv.to_string())),
        _ => Err(ApiError::validation(
            "Artifact blueprintVersionId is required (blueprintId and versionId)",
        )),
    }
}

/// Checks field ids, list-ness, basic types and categories against the version.
pub fn validate_fields(version: &Value, fields: &Map<String, Value>) -> ApiResult<()> {
    let defs = &version["fieldDefinitions"];
    let unknown: Vec<&str> = fields
        .keys()
        .filter(|k| defs.get(k.as_str()).is_none())
        .map(String::as_str)
        .collect();
    if !unknown.is_empty() {
        return Err(ApiError::validation(format!(
            "Some fields of Artifact were not found in its blueprint version reference. Field names: {}",
            unknown.join(", ")
        )));
    }
    let Some(defs) = defs.as_object() else {
        return Ok(());
    };
    for (fid, def) in defs {
        let value = fields.get(fid).unwrap_or(&Value::Null);
        if value.is_null() {
            if def["required"].as_bool().unwrap_or(false) {
                return Err(ApiError::validation(format!(
                    "Field ID '{fid}' is required"
                )));
            }
            continue;
        }
        let is_list = def.get("listConfig").is_some_and(|l| !l.is_null());
        let items: Vec<&Value> = match (is_list, value) {
            (true, Value::Array(a)) => a.iter().collect(),
            (true, _) => return Err(ApiError::validation(format!("Field `{fid}` is a list."))),
            (false, Value::Array(_)) => {
                return Err(ApiError::validation(format!(
                    "Field `{fid}` is not a list."
                )));
            }
            (false, v) => vec![v],
        };
        for item in items {
            check_type(fid, def, item)?;
        }
    }
    Ok(())
}

fn check_type(fid: &str, def: &Value, v: &Value) -> ApiResult<()> {
    let ty = def["fieldType"].as_str().unwrap_or("JSON");
    let ok = match ty {
        "TEXT" | "DATE" | "REFERENCE" | "UPLOADED_FILE" | "TIME_SERIES" => v.is_string(),
        "NUMBER" => v.is_number(),
        "BOOLEAN" => v.is_boolean(),
        "CATEGORY" => {
            let cats = def["categories"].as_array();
            match (v.as_str(), cats) {
                (Some(s), Some(c)) if !c.iter().any(|x| x.as_str() == Some(s)) => {
                    return Err(ApiError::validation(format!(
                        "Field `{fid}`: value '{s}' is not one of its categories"
                    )));
                }
                (s, _) => s.is_some(),
            }
        }
        _ => true,
    };
    if ok {
        Ok(())
    } else {
        Err(ApiError::validation(format!(
            "Field `{fid}` expects a value of type {ty}, got {v}"
        )))
    }
}

/// Completes `workflow.steps` (every step, known statuses) and derives `status.stepId`.
fn normalize_workflow(version: &Value, art: &mut Map<String, Value>) -> ApiResult<()> {
    let order = step_ids(version);
    let given = art
        .get("workflow")
        .and_then(|w| w.get("steps"))
        .and_then(Value::as_object)
        .cloned();
    let legacy = art
        .get("status")
        .and_then(|s| s.get("stepId"))
        .and_then(Value::as_str)
        .map(str::to_string);
    let mut steps = Map::new();
    if let Some(bad) = given
        .as_ref()
        .and_then(|g| g.keys().find(|k| !order.contains(k)))
    {
        return Err(ApiError::validation(format!(
            "Workflow step not found in the blueprint version: {bad}"
        )));
    }
    let legacy_pos = match &legacy {
        Some(s) => Some(order.iter().position(|x| x == s).ok_or_else(|| {
            ApiError::validation(format!(
                "Workflow step not found in the blueprint version: {s}"
            ))
        })?),
        None => None,
    };
    for (i, sid) in order.iter().enumerate() {
        let g = given.as_ref().and_then(|g| g.get(sid));
        let status = match (g.and_then(|s| s["status"].as_str()), legacy_pos) {
            (Some(s), _) => s.to_string(),
            (None, Some(p)) if given.is_none() => match i.cmp(&p) {
                std::cmp::Ordering::Less => "FINISHED".into(),
                std::cmp::Ordering::Equal => "ONGOING".into(),
                std::cmp::Ordering::Greater => "NOT_STARTED".into(),
            },
            _ => "NOT_STARTED".into(),
        };
        if !STEP_STATUSES.contains(&status.as_str()) {
            return Err(ApiError::validation(format!(
                "Invalid workflow step status '{status}' for step '{sid}'"
            )));
        }
        let visible = g.and_then(|s| s["visible"].as_bool()).unwrap_or(true);
        steps.insert(sid.clone(), json!({"status": status, "visible": visible}));
    }
    let step_id = derive_step_id(&order, &steps);
    let archived = art
        .get("status")
        .and_then(|s| s.get("archived"))
        .and_then(Value::as_bool)
        .unwrap_or(false);
    art.insert("workflow".into(), json!({ "steps": steps }));
    art.insert(
        "status".into(),
        json!({"stepId": step_id, "archived": archived}),
    );
    Ok(())
}

/// Fits a stored artifact's workflow to its version's (saved again by the designer):
/// steps gone from the version are dropped, new ones start NOT_STARTED.
pub fn conform_workflow(version: &Value, art: &mut Value) -> ApiResult<()> {
    let order = step_ids(version);
    let Value::Object(map) = art else {
        return Err(ApiError::internal("stored artifact is not an object"));
    };
    let mut steps = map
        .get("workflow")
        .and_then(|w| w.get("steps"))
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    steps.retain(|k, _| order.contains(k));
    map.insert("workflow".into(), json!({ "steps": steps }));
    // The legacy step id is derived again from the steps kept.
    if let Some(Value::Object(status)) = map.get_mut("status") {
        status.remove("stepId");
    }
    normalize_workflow(version, map)
}

/// Legacy `status.stepId`: the ongoing step, else the first not-started one once something
/// started, else the last finished one; null when nothing started.
pub fn derive_step_id(order: &[String], steps: &Map<String, Value>) -> Value {
    let status = |s: &String| {
        steps
            .get(s)
            .and_then(|v| v["status"].as_str())
            .unwrap_or("")
    };
    if let Some(s) = order.iter().find(|s| status(s) == "ONGOING") {
        return json!(s);
    }
    let started = order
        .iter()
        .any(|s| matches!(status(s), "FINISHED" | "SKIPPED"));
    if !started {
        return Value::Null;
    }
    if let Some(s) = order.iter().find(|s| status(s) == "NOT_STARTED") {
        return json!(s);
    }
    order
        .iter()
        .rev()
        .find(|s| status(s) == "FINISHED")
        .map_or(Value::Null, |s| json!(s))
}

/// Validates and stores a new artifact, creating its sign-offs; returns it.
pub fn create(db: &Db, body: Map<String, Value>) -> ApiResult<Value> {
    create_checked(db, body, |_, _| Ok(()))
}

/// [`create`], with `check` run on the validated artifact before anything is stored
/// (the creator's rights): its error leaves the store unchanged.
pub fn create_checked(
    db: &Db,
    body: Map<String, Value>,
    check: impl FnOnce(&Db, &Value) -> ApiResult<()>,
) -> ApiResult<Value> {
    shape::check_artifact(&body, Write::Create)?;
    if body.get("id").is_some_and(|v| !v.is_null()) {
        return Err(ApiError::validation(
            "Artifact id must not be set in creation",
        ));
    }
    let (bp, bv) = bv_id(&body)?;
    let entry = load_version(db, &bp, &bv)?;
    let status = entry["blueprintVersionTrace"]["status"]
        .as_str()
        .unwrap_or("");
    if status != "ACTIVE" {
        return Err(ApiError::validation(format!(
            "Cannot create an artifact from blueprint version {bp} / {bv}: its status is {status}, only ACTIVE versions can be used"
        )));
    }
    let version = &entry["blueprintVersion"];
    let name = body
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or("")
        .trim();
    if name.is_empty() {
        return Err(ApiError::validation("Artifact name is required"));
    }
    let fields = match body.get("fields") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(m)) => m.clone(),
        Some(_) => return Err(ApiError::validation("Artifact fields must be an object")),
    };
    validate_fields(version, &fields)?;
    let id = format!("ar.{}", db.next_id("artifact")?);
    let mut art = Map::new();
    art.insert("id".into(), json!(id));
    art.insert("name".into(), json!(name));
    art.insert(
        "blueprintVersionId".into(),
        json!({"blueprintId": bp, "versionId": bv}),
    );
    art.insert("fields".into(), Value::Object(fields));
    for k in ["workflow", "status"] {
        if let Some(v) = body.get(k) {
            art.insert(k.into(), v.clone());
        }
    }
    normalize_workflow(version, &mut art)?;
    let art = Value::Object(art);
    check(db, &art)?;
    db.put(Table::Artifacts, &id, &art)?;
    for step in step_ids(version) {
        if let Some(conf) = ops::load_config(db, &bp, &bv, &step)? {
            ops::insert_new(db, &id, &step, conf)?;
        }
    }
    Ok(art)
}

/// Saves an artifact (PUT): id must match; returns the stored artifact.
pub fn save(db: &Db, id: &str, body: Map<String, Value>) -> ApiResult<Value> {
    let old = load(db, id)?;
    shape::check_artifact(&body, Write::Save)?;
    if let Some(given) = body.get("id").and_then(Value::as_str)
        && given != id
    {
        return Err(ApiError::validation(format!(
            "Artifact IDs do not match: {given} in the body, {id} in the URL"
        )));
    }
    let Value::Object(mut art) = old.clone() else {
        return Err(ApiError::internal(format!(
            "stored artifact {id} is not an object"
        )));
    };
    if body.contains_key("blueprintVersionId")
        && body.get("blueprintVersionId") != art.get("blueprintVersionId")
    {
        return Err(ApiError::validation(
            "Changing the blueprint version of an artifact is not supported by the sandbox",
        ));
    }
    let (bp, bv) = bv_id(&art)?;
    let entry = load_version(db, &bp, &bv)?;
    let version = &entry["blueprintVersion"];
    for (k, v) in body {
        if matches!(k.as_str(), "id" | "blueprintVersionId") {
            continue;
        }
        art.insert(k, v);
    }
    if art
        .get("name")
        .and_then(Value::as_str)
        .is_none_or(|n| n.trim().is_empty())
    {
        return Err(ApiError::validation("Artifact name is required"));
    }
    let fields = match art.get("fields") {
        Some(Value::Object(m)) => m.clone(),
        None | Some(Value::Null) => Map::new(),
        Some(_) => return Err(ApiError::validation("Artifact fields must be an object")),
    };
    validate_fields(version, &fields)?;
    art.insert("fields".into(), Value::Object(fields));
    normalize_workflow(version, &mut art)?;
    let art = Value::Object(art);
    check_mandatory(db, id, &bp, &bv, version, &old, &art)?;
    db.put(Table::Artifacts, id, &art)?;
    Ok(art)
}

/// Refuses moving the workflow past a mandatory sign-off that is not APPROVED.
fn check_mandatory(
    db: &Db,
    id: &str,
    bp: &str,
    bv: &str,
    version: &Value,
    old: &Value,
    new: &Value,
) -> ApiResult<()> {
    let order = step_ids(version);
    let st = |a: &Value, s: &str| {
        a["workflow"]["steps"][s]["status"]
            .as_str()
            .unwrap_or("")
            .to_string()
    };
    let advanced = |s: &str| {
        let (o, n) = (st(old, s), st(new, s));
        o != n && matches!(n.as_str(), "FINISHED" | "ONGOING")
    };
    for (i, step) in order.iter().enumerate() {
        let Some(conf) = ops::load_config(db, bp, bv, step)? else {
            continue;
        };
        if !conf["mandatory"].as_bool().unwrap_or(false)
            || !new["workflow"]["steps"][step]["visible"]
                .as_bool()
                .unwrap_or(true)
        {
            continue;
        }
        let finished_now = st(new, step) == "FINISHED" && st(old, step) != "FINISHED";
        let later_moved = order[i + 1..].iter().any(|s| advanced(s));
        if !(finished_now || later_moved) {
            continue;
        }
        let status = db
            .get(Table::Signoffs, &ops::signoff_key(id, step))?
            .and_then(|s| s["status"].as_str().map(str::to_string))
            .unwrap_or_else(|| "NOT_STARTED".into());
        if status != "APPROVED" {
            return Err(ApiError::validation(format!(
                "The workflow cannot move past step '{step}': its sign-off is mandatory and its status is {status}, not APPROVED"
            )));
        }
    }
    Ok(())
}

/// Deletes an artifact and its sign-offs.
pub fn delete(db: &Db, id: &str) -> ApiResult<()> {
    load(db, id)?;
    for (key, _) in db.list(Table::Signoffs, &format!("{id}/"))? {
        db.delete(Table::Signoffs, &key)?;
    }
    db.delete(Table::Artifacts, id)?;
    Ok(())
}
