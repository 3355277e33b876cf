//! The planned effect of a call on a runtime sign-off (`.../signoff/update-status`,
//! `/feedback`, `/approval`, `/schedule-reset`): the sign-off as it would be after it,
//! and the answer the call would get.
//!
//! Only what the call asks for is predicted (the target status, the feedback or
//! approval given); what Govern does besides (notifications, timestamps, the
//! workflow moving on) is not, and shows after `apply`.
use serde_json::{Value, json};

/// The sign-off's planned state and the call's planned answer, for the call `method`
/// on `rest` (the path after `/signoff`) with `body`, on the sign-off `current`.
/// `group` is the `groupId` query parameter; `feedback_id` names a new feedback.
pub fn planned(
    method: &str,
    rest: &str,
    body: &Value,
    current: &Value,
    group: Option<&str>,
    feedback_id: impl FnOnce() -> String,
) -> (Value, Value) {
    let mut signoff = current.clone();
    let answer = match (method, rest) {
        ("POST", "/update-status") => {
            if let Some(status) = body.get("targetStatus") {
                signoff["status"] = status.clone();
            }
            json!({})
        }
        ("POST", "/feedback") => {
            let mut feedback = body.clone();
            feedback["id"] = json!(feedback_id());
            if let Some(group) = group {
                feedback["groupId"] = json!(group);
            }
            push(&mut signoff, "feedbackResponses", feedback.clone());
            feedback
        }
        ("POST" | "PUT", "/approval") => {
            signoff["approverResponse"] = body.clone();
            body.clone()
        }
        ("DELETE", "/approval") => {
            signoff["approverResponse"] = Value::Null;
            Value::Null
        }
        ("POST", "/schedule-reset") => {
            signoff["configuration"]["recurrenceConfiguration"] = body.clone();
            signoff.clone()
        }
        (method, rest) if rest.starts_with("/feedback/") => {
            let id = &rest["/feedback/".len()..];
            feedback_changed(&mut signoff, id, (method == "PUT").then_some(body))
        }
        // Delegations: who is asked changes; nothing the document shows is predicted.
        _ => json!({}),
    };
    if !signoff.is_object() {
        signoff = current.clone();
    }
    (signoff, answer)
}

/// Appends `item` to the list at `key` of `signoff` (made when missing).
fn push(signoff: &mut Value, key: &str, item: Value) {
    if !signoff[key].is_array() {
        signoff[key] = json!([]);
    }
    if let Some(list) = signoff[key].as_array_mut() {
        list.push(item);
    }
}

/// Updates (with `body`) or removes (`None`) the feedback `id`; the updated feedback,
/// or `null`.
fn feedback_changed(signoff: &mut Value, id: &str, body: Option<&Value>) -> Value {
    let Some(list) = signoff
        .get_mut("feedbackResponses")
        .and_then(Value::as_array_mut)
    else {
        return Value::Null;
    };
    let Some(at) = list
        .iter()
        .position(|f| f.get("id").and_then(Value::as_str) == Some(id))
    else {
        return Value::Null;
    };
    match body {
        Some(body) => {
            if let (Some(feedback), Some(changes)) = (list[at].as_object_mut(), body.as_object()) {
                for (k, v) in changes {
                    feedback.insert(k.clone(), v.clone());
                }
            }
            list[at].clone()
        }
        None => {
            list.remove(at);
            Value::Null
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_status_update_plans_the_target_status() {
        let current = json!({"status": "WAITING_FOR_FEEDBACK", "feedbackResponses": []});
        let body = json!({"targetStatus": "ABANDONED"});
        let (after, _) = planned("POST", "/update-status", &body, &current, None, String::new);
        assert_eq!(after["status"], "ABANDONED");
    }

    #[test]
    fn a_feedback_is_added_with_a_planned_id_then_edited_and_removed() {
        let current = json!({"status": "WAITING_FOR_FEEDBACK"});
        let body = json!({"status": "APPROVED"});
        let (after, answer) = planned("POST", "/feedback", &body, &current, Some("g"), || {
            "fb.planned.1".into()
        });
        assert_eq!(answer["id"], "fb.planned.1");
        assert_eq!(after["feedbackResponses"][0]["groupId"], "g");
        let edit = json!({"status": "MINOR_ISSUE"});
        let (edited, answer) = planned(
            "PUT",
            "/feedback/fb.planned.1",
            &edit,
            &after,
            None,
            String::new,
        );
        assert_eq!(answer["status"], "MINOR_ISSUE");
        let (removed, _) = planned(
            "DELETE",
            "/feedback/fb.planned.1",
            &Value::Null,
            &edited,
            None,
            String::new,
        );
        assert_eq!(removed["feedbackResponses"], json!([]));
    }
}
