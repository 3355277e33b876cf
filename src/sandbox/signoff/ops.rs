//! Runtime sign-offs: creation, status updates, recurrence, delegation, details.
use super::membership;
use super::requests::UpdateStatusRequest;
use super::state;
use super::status::SignoffStatus;
use crate::sandbox::artifact;
use crate::sandbox::auth::Principal;
use crate::sandbox::error::{ApiError, ApiResult};
use crate::sandbox::store::{Db, Table};
use serde_json::{Map, Value, json};

/// Storage key of a runtime sign-off.
pub fn signoff_key(ar: &str, step: &str) -> String {
    format!("{ar}/{step}")
}

/// Storage key of a sign-off configuration.
pub fn config_key(bp: &str, bv: &str, step: &str) -> String {
    format!("{bp}/{bv}/{step}")
}

/// The blueprint version's sign-off configuration for a step, if any.
pub fn load_config(db: &Db, bp: &str, bv: &str, step: &str) -> ApiResult<Option<Value>> {
    db.get(Table::SignoffConfigs, &config_key(bp, bv, step))
}

/// Stores a NOT_STARTED sign-off holding a copy of `conf`; returns it.
pub fn insert_new(db: &Db, ar: &str, step: &str, conf: Value) -> ApiResult<Value> {
    let so = json!({
        "signoffId": {"artifactId": ar, "stepId": step},
        "status": "NOT_STARTED",
        "configuration": conf,
        "feedbackResponses": [],
        "approverResponse": null,
    });
    db.put(Table::Signoffs, &signoff_key(ar, step), &so)?;
    Ok(so)
}

/// Loads a sign-off (404 naming the artifact or the sign-off).
pub fn load(db: &Db, ar: &str, step: &str) -> ApiResult<Value> {
    artifact::load(db, ar)?;
    db.get(Table::Signoffs, &signoff_key(ar, step))?
        .ok_or_else(|| ApiError::not_found("Sign-off", &format!("{ar} / {step}")))
}

/// Saves a sign-off document.
pub fn store(db: &Db, so: &Value) -> ApiResult<()> {
    let ar = so["signoffId"]["artifactId"].as_str().unwrap_or("");
    let step = so["signoffId"]["stepId"].as_str().unwrap_or("");
    db.put(Table::Signoffs, &signoff_key(ar, step), so)
}

/// `create_signoff`: step ONGOING, a configuration exists, no sign-off yet.
pub fn create(db: &Db, ar: &str, step: &str) -> ApiResult<Value> {
    let art = artifact::load(db, ar)?;
    let (bp, bv) = artifact::version_ids(&art);
    let entry = artifact::load_version(db, bp, bv)?;
    if !artifact::step_ids(&entry["blueprintVersion"])
        .iter()
        .any(|s| s == step)
    {
        return Err(ApiError::not_found(
            "Workflow step",
            &format!("{ar} / {step}"),
        ));
    }
    let status = art["workflow"]["steps"][step]["status"]
        .as_str()
        .unwrap_or("NOT_STARTED");
    if status != "ONGOING" {
        return Err(ApiError::validation(format!(
            "Unable to create the sign-off of artifact {ar}: workflow step '{step}' is not active (status {status})"
        )));
    }
    let Some(conf) = load_config(db, bp, bv, step)? else {
        return Err(ApiError::validation(format!(
            "Unable to create the sign-off of artifact {ar}: no sign-off configuration exists for step '{step}' in blueprint version {bp} / {bv}"
        )));
    };
    if db.get(Table::Signoffs, &signoff_key(ar, step))?.is_some() {
        return Err(ApiError::validation(format!(
            "Unable to create the sign-off of artifact {ar}: a sign-off already exists for step '{step}'"
        )));
    }
    insert_new(db, ar, step, conf)
}

/// `update-status`, including reset semantics for NOT_STARTED.
pub fn update_status(
    db: &Db,
    ar: &str,
    step: &str,
    body: &UpdateStatusRequest,
) -> ApiResult<Value> {
    let mut so = load(db, ar, step)?;
    let target = body.target()?;
    let current = current_status(&so)?;
    state::check(current, target)?;
    if target == SignoffStatus::NotStarted {
        if body.reload_conf_for_reset {
            let art = artifact::load(db, ar)?;
            let (bp, bv) = artifact::version_ids(&art);
            if let Some(conf) = load_config(db, bp, bv, step)? {
                so["configuration"] = conf;
            }
        }
        so["feedbackResponses"] = json!([]);
        so["approverResponse"] = Value::Null;
    } else if matches!(current, SignoffStatus::Approved | SignoffStatus::Rejected) {
        // Going back from a decision withdraws it, so a new approval can be given.
        so["approverResponse"] = Value::Null;
    }
    so["status"] = json!(target);
    store(db, &so)?;
    Ok(so)
}

/// The stored status of a sign-off document (NOT_STARTED when absent).
pub fn current_status(so: &Value) -> ApiResult<SignoffStatus> {
    so["status"]
        .as_str()
        .unwrap_or("NOT_STARTED")
        .parse()
        .map_err(|e| ApiError::internal(format!("corrupt stored sign-off: {e}")))
}

/// `schedule-reset`: stores the recurrence configuration; returns the sign-off.
pub fn schedule_reset(
    db: &Db,
    ar: &str,
    step: &str,
    body: &Map<String, Value>,
) -> ApiResult<Value> {
    let mut so = load(db, ar, step)?;
    let int = |k: &str| -> ApiResult<i64> {
        match body.get(k) {
            None | Some(Value::Null) => Ok(0),
            Some(v) => v.as_i64().filter(|n| *n >= 0).ok_or_else(|| {
                ApiError::validation(format!("Recurrence '{k}' must be a non-negative integer"))
            }),
        }
    };
    let flag = |k: &str| body.get(k).and_then(Value::as_bool).unwrap_or(false);
    let rec = json!({
        "activated": flag("activated"),
        "days": int("days")?,
        "weeks": int("weeks")?,
        "months": int("months")?,
        "years": int("years")?,
        "reloadConf": flag("reloadConf"),
    });
    let total: i64 = ["days", "weeks", "months", "years"]
        .iter()
        .map(|k| rec[*k].as_i64().unwrap_or(0))
        .sum();
    if flag("activated") && total == 0 {
        return Err(ApiError::validation(
            "Recurrence period must be positive when the recurrence is activated",
        ));
    }
    so["configuration"]["recurrenceConfiguration"] = rec;
    store(db, &so)?;
    Ok(so)
}

/// `details`: feedback groups and approvers resolved to logins.
pub fn details(db: &Db, ar: &str, step: &str) -> ApiResult<Value> {
    let so = load(db, ar, step)?;
    let conf = &so["configuration"];
    let mut groups = Vec::new();
    for g in conf["feedbackUsersGroups"].as_array().into_iter().flatten() {
        groups.push(json!({
            "groupId": g["id"],
            "title": g["title"],
            "users": membership::resolve(db, ar, &g["users"])?,
        }));
    }
    Ok(json!({
        "feedbackGroups": groups,
        "approvers": membership::resolve(db, ar, &conf["approvers"])?,
    }))
}

/// Appends a delegated container to a feedback group (`Some(group)`) or to the approvers.
pub fn delegate(
    db: &Db,
    ar: &str,
    step: &str,
    group: Option<&str>,
    container: &Value,
    who: &Principal,
) -> ApiResult<Value> {
    let mut so = load(db, ar, step)?;
    let container = membership::validate_container(container)?;
    let entry = json!({"usersContainer": container, "delegated": true});
    let list = match group {
        Some(gid) => {
            let groups = so["configuration"]["feedbackUsersGroups"]
                .as_array_mut()
                .ok_or_else(|| ApiError::not_found("Feedback group", gid))?;
            let g = groups
                .iter_mut()
                .find(|g| g["id"].as_str() == Some(gid))
                .ok_or_else(|| ApiError::not_found("Feedback group", gid))?;
            if !who.admin && !membership::is_member(db, ar, &g["users"], who)? {
                return Err(ApiError::forbidden(format!(
                    "User is not part of the group: {} is not a member of feedback group '{gid}'",
                    who.login
                )));
            }
            &mut g["users"]
        }
        None => {
            let approvers = &mut so["configuration"]["approvers"];
            if !who.admin && !membership::is_member(db, ar, approvers, who)? {
                return Err(ApiError::forbidden(format!(
                    "User is not an approver: {} is not an approver of this sign-off",
                    who.login
                )));
            }
            approvers
        }
    };
    match list {
        Value::Array(a) => a.push(entry),
        other => *other = json!([entry]),
    }
    store(db, &so)?;
    Ok(so)
}
