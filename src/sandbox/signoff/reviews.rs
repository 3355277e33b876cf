//! Feedbacks and the final approval of a sign-off.
use super::membership;
use super::ops::{current_status, load, store};
use super::requests::{ApprovalRequest, FeedbackRequest};
use super::status::SignoffStatus::{self, WaitingForApproval, WaitingForFeedback};
use crate::sandbox::auth::Principal;
use crate::sandbox::error::{ApiError, ApiResult};
use crate::sandbox::now_ms;
use crate::sandbox::store::Db;
use serde_json::{Value, json};

fn set_comment(obj: &mut Value, comment: Option<&str>) {
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
    body: &FeedbackRequest,
    who: &Principal,
) -> ApiResult<Value> {
    let mut so = load(db, ar, step)?;
    let current = current_status(&so)?;
    if !matches!(current, WaitingForFeedback | WaitingForApproval) {
        return Err(ApiError::validation(format!(
            "Unable to add a feedback when the sign-off status is '{current}'"
        )));
    }
    let group = so["configuration"]["feedbackUsersGroups"]
        .as_array()
        .and_then(|gs| gs.iter().find(|g| g["id"].as_str() == Some(group_id)))
        .ok_or_else(|| ApiError::not_found("Feedback group", group_id))?;
    if !membership::is_member(db, ar, &group["users"], who)? {
        return Err(ApiError::forbidden(format!(
            "User is not part of the group: {} is not a member of feedback group '{group_id}'",
            who.login
        )));
    }
    let status = body.required_status("feedback")?;
    let now = now_ms();
    let mut fb = json!({
        "id": format!("fb.{}", db.next_id("feedback")?),
        "groupId": group_id,
        "status": status,
        "author": who.login,
        "createdOn": now,
        "lastModifiedOn": now,
    });
    set_comment(&mut fb, body.comment.as_deref());
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
    body: &FeedbackRequest,
    who: &Principal,
) -> ApiResult<Value> {
    let mut so = load(db, ar, step)?;
    let idx = feedback_index(&so, fb_id, who)?;
    let status = body.required_status("feedback")?;
    let fb = &mut so["feedbackResponses"][idx];
    fb["status"] = json!(status);
    fb["lastModifiedOn"] = json!(now_ms());
    set_comment(fb, body.comment.as_deref());
    let out = fb.clone();
    store(db, &so)?;
    Ok(out)
}

/// Deletes a feedback; Govern allows it only while the sign-off waits for feedback.
pub fn delete_feedback(
    db: &Db,
    ar: &str,
    step: &str,
    fb_id: &str,
    who: &Principal,
) -> ApiResult<()> {
    let mut so = load(db, ar, step)?;
    let idx = feedback_index(&so, fb_id, who)?;
    let current = current_status(&so)?;
    if current != WaitingForFeedback {
        return Err(ApiError::validation(format!(
            "Unable to delete a feedback when the sign-off status is '{current}'"
        )));
    }
    if let Some(a) = so["feedbackResponses"].as_array_mut() {
        a.remove(idx);
    }
    store(db, &so)
}

fn require_approver(db: &Db, ar: &str, so: &Value, who: &Principal) -> ApiResult<()> {
    if membership::is_member(db, ar, &so["configuration"]["approvers"], who)? {
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
    body: &ApprovalRequest,
    who: &Principal,
) -> ApiResult<Value> {
    let mut so = load(db, ar, step)?;
    if !so["approverResponse"].is_null() {
        return Err(ApiError::validation(format!(
            "An approval already exists for the sign-off {ar} / {step}: edit it instead"
        )));
    }
    let current = current_status(&so)?;
    if !matches!(current, WaitingForApproval | WaitingForFeedback) {
        return Err(ApiError::validation(format!(
            "Unable to add an approval when the sign-off status is '{current}'"
        )));
    }
    require_approver(db, ar, &so, who)?;
    let status = body.required_status("approval")?;
    let now = now_ms();
    let mut ap = json!({
        "status": status,
        "author": who.login,
        "createdOn": now,
        "lastModifiedOn": now,
    });
    set_comment(&mut ap, body.comment.as_deref());
    so["approverResponse"] = ap.clone();
    so["status"] = json!(SignoffStatus::from(status));
    store(db, &so)?;
    Ok(ap)
}

fn require_approval_owner(
    db: &Db,
    so: &Value,
    ar: &str,
    step: &str,
    who: &Principal,
) -> ApiResult<()> {
    let ap = &so["approverResponse"];
    if ap.is_null() {
        return Err(ApiError::not_found("Approval", &format!("{ar} / {step}")));
    }
    if ap["author"].as_str() == Some(who.login.as_str()) || who.admin {
        return Ok(());
    }
    require_approver(db, ar, so, who)
}

/// Changes the approval; the sign-off status follows. Returns the approval.
pub fn edit_approval(
    db: &Db,
    ar: &str,
    step: &str,
    body: &ApprovalRequest,
    who: &Principal,
) -> ApiResult<Value> {
    let mut so = load(db, ar, step)?;
    require_approval_owner(db, &so, ar, step, who)?;
    let status = body.required_status("approval")?;
    let ap = &mut so["approverResponse"];
    ap["status"] = json!(status);
    ap["lastModifiedOn"] = json!(now_ms());
    set_comment(ap, body.comment.as_deref());
    let out = ap.clone();
    so["status"] = json!(SignoffStatus::from(status));
    store(db, &so)?;
    Ok(out)
}

/// Withdraws the approval; the sign-off goes back to WAITING_FOR_APPROVAL.
pub fn delete_approval(db: &Db, ar: &str, step: &str, who: &Principal) -> ApiResult<()> {
    let mut so = load(db, ar, step)?;
    require_approval_owner(db, &so, ar, step, who)?;
    so["approverResponse"] = Value::Null;
    so["status"] = json!(WaitingForApproval);
    store(db, &so)
}
