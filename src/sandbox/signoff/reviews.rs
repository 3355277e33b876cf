//! Feedbacks and the final approval of a sign-off.
use super::membership;
use super::ops::{load, store};
use crate::sandbox::auth::Principal;
use crate::sandbox::error::{ApiError, ApiResult};
use crate::sandbox::now_ms;
use crate::sandbox::store::Db;
use serde_json::{Map, Value, json};

const FEEDBACK_STATUSES: [&str; 3] = ["APPROVED", "MINOR_ISSUE", "MAJOR_ISSUE"];
const APPROVAL_STATUSES: [&str; 3] = ["APPROVED", "REJECTED", "ABANDONED"];

fn status_of(body: &Map<String, Value>, allowed: &[&str], what: &str) -> ApiResult<String> {
    match body.get("status").and_then(Value::as_str) {
        Some(s) if allowed.contains(&s) => Ok(s.to_string()),
        Some(s) => Err(ApiError::validation(format!(
            "Invalid {what} status '{s}' (expected one of {})",
            allowed.join(", ")
        ))),
        None => Err(ApiError::validation(format!(
            "The {what} status is required"
        ))),
    }
}

fn comment_of(body: &Map<String, Value>) -> ApiResult<Option<String>> {
    match body.get("comment") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(ApiError::validation("comment must be a string")),
    }
}

fn set_comment(obj: &mut Value, comment: Option<String>) {
    if let Some(m) = obj.as_object_mut() {
        match comment {
            Some(c) => {
                m.insert("comment".into(), json!(c));
            }
            None => {
                m.remove("comment");
            }
        }
    }
}

/// Adds a feedback from `who` to `group_id`; returns the feedback.
pub fn add_feedback(
    db: &Db,
    ar: &str,
    step: &str,
    group_id: &str,
    body: &Map<String, Value>,
    who: &Principal,
) -> ApiResult<Value> {
    let mut so = load(db, ar, step)?;
    let current = so["status"].as_str().unwrap_or("");
    if !matches!(current, "WAITING_FOR_FEEDBACK" | "WAITING_FOR_APPROVAL") {
        return Err(ApiError::validation(format!(
            "Unable to add a feedback when the sign-off status is '{current}'"
        )));
    }
    let group = so["configuration"]["feedbackUsersGroups"]
        .as_array()
        .and_then(|gs| gs.iter().find(|g| g["id"].as_str() == Some(group_id)))
        .ok_or_else(|| ApiError::not_found("Feedback group", group_id))?;
    if !membership::is_member(&group["users"], who) {
        return Err(ApiError::forbidden(format!(
            "User is not part of the group: {} is not a member of feedback group '{group_id}'",
            who.login
        )));
    }
    let status = status_of(body, &FEEDBACK_STATUSES, "feedback")?;
    let comment = comment_of(body)?;
    let now = now_ms();
    let mut fb = json!({
        "id": format!("fb.{}", db.next_id("feedback")?),
        "groupId": group_id,
        "status": status,
        "author": who.login,
        "createdOn": now,
        "lastModifiedOn": now,
    });
    set_comment(&mut fb, comment);
    match &mut so["feedbackResponses"] {
        Value::Array(a) => a.push(fb.clone()),
        other => *other = json!([fb.clone()]),
    }
    store(db, &so)?;
    Ok(fb)
}

fn feedback_index(so: &Value, fb_id: &str, who: &Principal) -> ApiResult<usize> {
    let list = so["feedbackResponses"].as_array();
    let idx = list
        .and_then(|l| l.iter().position(|f| f["id"].as_str() == Some(fb_id)))
        .ok_or_else(|| ApiError::not_found("Feedback", fb_id))?;
    let author = so["feedbackResponses"][idx]["author"]
        .as_str()
        .unwrap_or("");
    if author != who.login && !who.admin {
        return Err(ApiError::forbidden(format!(
            "Only the author ({author}) or an administrator can modify feedback {fb_id}"
        )));
    }
    Ok(idx)
}

/// Edits a feedback's status and comment; returns it.
pub fn edit_feedback(
    db: &Db,
    ar: &str,
    step: &str,
    fb_id: &str,
    body: &Map<String, Value>,
    who: &Principal,
) -> ApiResult<Value> {
    let mut so = load(db, ar, step)?;
    let idx = feedback_index(&so, fb_id, who)?;
    let status = status_of(body, &FEEDBACK_STATUSES, "feedback")?;
    let comment = comment_of(body)?;
    let fb = &mut so["feedbackResponses"][idx];
    fb["status"] = json!(status);
    fb["lastModifiedOn"] = json!(now_ms());
    set_comment(fb, comment);
    let out = fb.clone();
    store(db, &so)?;
    Ok(out)
}

/// Deletes a feedback.
pub fn delete_feedback(
    db: &Db,
    ar: &str,
    step: &str,
    fb_id: &str,
    who: &Principal,
) -> ApiResult<()> {
    let mut so = load(db, ar, step)?;
    let idx = feedback_index(&so, fb_id, who)?;
    if let Some(a) = so["feedbackResponses"].as_array_mut() {
        a.remove(idx);
    }
    store(db, &so)
}

fn require_approver(so: &Value, who: &Principal) -> ApiResult<()> {
    if membership::is_member(&so["configuration"]["approvers"], who) {
        Ok(())
    } else {
        Err(ApiError::forbidden(format!(
            "User is not an approver: {} is not an approver of this sign-off",
            who.login
        )))
    }
}

/// Submits the final approval; the sign-off takes its status. Returns the approval.
pub fn add_approval(
    db: &Db,
    ar: &str,
    step: &str,
    body: &Map<String, Value>,
    who: &Principal,
) -> ApiResult<Value> {
    let mut so = load(db, ar, step)?;
    if !so["approverResponse"].is_null() {
        return Err(ApiError::validation(format!(
            "An approval already exists for the sign-off {ar} / {step}: edit it instead"
        )));
    }
    let current = so["status"].as_str().unwrap_or("");
    if !matches!(current, "WAITING_FOR_APPROVAL" | "WAITING_FOR_FEEDBACK") {
        return Err(ApiError::validation(format!(
            "Unable to add an approval when the sign-off status is '{current}'"
        )));
    }
    require_approver(&so, who)?;
    let status = status_of(body, &APPROVAL_STATUSES, "approval")?;
    let comment = comment_of(body)?;
    let now = now_ms();
    let mut ap = json!({
        "status": status,
        "author": who.login,
        "createdOn": now,
        "lastModifiedOn": now,
    });
    set_comment(&mut ap, comment);
    so["approverResponse"] = ap.clone();
    so["status"] = json!(status);
    store(db, &so)?;
    Ok(ap)
}

fn require_approval_owner(so: &Value, ar: &str, step: &str, who: &Principal) -> ApiResult<()> {
    let ap = &so["approverResponse"];
    if ap.is_null() {
        return Err(ApiError::not_found("Approval", &format!("{ar} / {step}")));
    }
    if ap["author"].as_str() == Some(who.login.as_str()) || who.admin {
        return Ok(());
    }
    require_approver(so, who)
}

/// Changes the approval; the sign-off status follows. Returns the approval.
pub fn edit_approval(
    db: &Db,
    ar: &str,
    step: &str,
    body: &Map<String, Value>,
    who: &Principal,
) -> ApiResult<Value> {
    let mut so = load(db, ar, step)?;
    require_approval_owner(&so, ar, step, who)?;
    let status = status_of(body, &APPROVAL_STATUSES, "approval")?;
    let comment = comment_of(body)?;
    let ap = &mut so["approverResponse"];
    ap["status"] = json!(status);
    ap["lastModifiedOn"] = json!(now_ms());
    set_comment(ap, comment);
    let out = ap.clone();
    so["status"] = json!(status);
    store(db, &so)?;
    Ok(out)
}

/// Withdraws the approval; the sign-off goes back to WAITING_FOR_APPROVAL.
pub fn delete_approval(db: &Db, ar: &str, step: &str, who: &Principal) -> ApiResult<()> {
    let mut so = load(db, ar, step)?;
    require_approval_owner(&so, ar, step, who)?;
    so["approverResponse"] = Value::Null;
    so["status"] = json!("WAITING_FOR_APPROVAL");
    store(db, &so)
}
