//! Artifact sign-offs: status, feedback, approval, delegation, recurrence
//! (all under `/artifact/{id}/workflow/step/{step}/signoff`).
use super::request::segment;
use super::verify::{Candidate, Creation, Verdict};
use super::{GovernClient, Request, Result};
use serde_json::{Map, Value, json};

/// Identifies one sign-off: an artifact and a workflow step.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SignoffRef {
    /// The artifact id (`ar.12`).
    pub artifact_id: String,
    /// The workflow step id (`review`).
    pub step_id: String,
}

impl SignoffRef {
    /// A reference to the sign-off of `artifact_id` at `step_id`.
    pub fn new(artifact_id: impl Into<String>, step_id: impl Into<String>) -> Self {
        Self {
            artifact_id: artifact_id.into(),
            step_id: step_id.into(),
        }
    }

    /// The base path of the sign-off, plus `suffix`.
    fn path(&self, suffix: &str) -> String {
        format!(
            "/artifact/{}/workflow/step/{}/signoff{suffix}",
            segment(&self.artifact_id),
            segment(&self.step_id)
        )
    }
}

/// `{"status": ...}` plus `comment` when given: the feedback and approval bodies.
fn review_body(status: Value, comment: Option<Value>) -> Value {
    let mut body = Map::new();
    body.insert("status".into(), status);
    if let Some(c) = comment.filter(|c| !c.is_null()) {
        body.insert("comment".into(), c);
    }
    Value::Object(body)
}

/// Whether a stored feedback or approval says what `body` (a [`review_body`]) says,
/// as the server stores it: comments compared trimmed, absent, `null` and empty alike.
fn same_review(found: &Value, body: &Value) -> bool {
    let comment = |v: &Value| {
        v.get("comment")
            .and_then(Value::as_str)
            .map_or(String::new(), |c| c.trim().to_string())
    };
    found.get("status") == body.get("status") && comment(found) == comment(body)
}

/// The id in a feedback.
fn feedback_id(feedback: &Value) -> Option<&str> {
    feedback.get("id").and_then(Value::as_str)
}

/// The server's creation time of a feedback or approval (epoch ms).
fn created_on(review: &Value) -> Option<i64> {
    review.get("createdOn").and_then(Value::as_i64)
}

impl GovernClient {
    /// `GET .../signoff`: the whole runtime sign-off.
    pub async fn get_signoff(&self, signoff: &SignoffRef) -> Result<Value> {
        self.perform_object(Request::get(signoff.path(""))).await
    }

    /// `GET .../signoff/details`: users computed from groups and approvers.
    pub async fn get_signoff_details(&self, signoff: &SignoffRef) -> Result<Value> {
        let request = Request::get(signoff.path("/details"));
        self.perform_object(request).await
    }

    /// `POST .../signoff/schedule-reset`: saves the recurrence; returns the sign-off.
    pub async fn save_signoff_recurrence(
        &self,
        signoff: &SignoffRef,
        recurrence: Value,
    ) -> Result<Value> {
        let request = Request::post(signoff.path("/schedule-reset")).body(recurrence);
        self.perform_object(request).await
    }

    /// `POST .../signoff/update-status`. `users_to_notify` is `null` for "everyone configured".
    /// If the outcome is unknown, a sign-off found in `status` counts as done: that state
    /// is what was asked, and the server refuses a move to the status it already has,
    /// so sending it again could only fail.
    pub async fn update_signoff_status(
        &self,
        signoff: &SignoffRef,
        status: &str,
        users_to_notify: Value,
        reload_conf_for_reset: bool,
    ) -> Result<()> {
        let body = json!({
            "targetStatus": status,
            "usersToSendEmailTo": users_to_notify,
            "reloadConfForReset": reload_conf_for_reset,
        });
        let request = Request::post(signoff.path("/update-status")).body(body);
        self.post_verified(request, |_| async {
            let now = self.get_signoff(signoff).await?;
            let reached = now.get("status").and_then(Value::as_str) == Some(status);
            Ok(Verdict::state_reached(reached))
        })
        .await
        .map(|_| ())
    }

    /// `POST .../signoff/feedback?groupId=`: returns the created feedback (with its `id`).
    /// If the outcome is unknown, only a matching feedback that did not exist before
    /// counts as the created one (a user may add identical feedback several times).
    pub async fn add_signoff_feedback(
        &self,
        signoff: &SignoffRef,
        group_id: &str,
        status: &str,
        comment: Option<Value>,
    ) -> Result<Value> {
        let body = review_body(json!(status), comment);
        let request = Request::post(signoff.path("/feedback"))
            .query("groupId", group_id)
            .body(body.clone());
        let on = format!("{} / {}", signoff.artifact_id, signoff.step_id);
        let creation = Creation {
            kind: format!("feedback on {on}"),
            slot: format!("feedback on {on} {group_id} {body}"),
            what: format!(
                "feedbacks of group '{group_id}' with status {status} and that comment on {on}"
            ),
            advice: "Check the sign-off's feedback (list_feedbacks()) before adding it again."
                .into(),
        };
        let answer = self
            .create_verified(request, creation, feedback_id, || async {
                let now = self.get_signoff(signoff).await?;
                let same = |fb: &&Value| {
                    fb.get("groupId").and_then(Value::as_str) == Some(group_id)
                        && same_review(fb, &body)
                };
                let list = now.get("feedbackResponses").and_then(Value::as_array);
                Ok(list
                    .into_iter()
                    .flatten()
                    .filter(same)
                    .filter_map(|fb| {
                        Some(Candidate {
                            id: feedback_id(fb)?.to_string(),
                            created_on: created_on(fb),
                            answer: fb.clone(),
                        })
                    })
                    .collect())
            })
            .await?;
        match answer {
            Value::Object(_) => Ok(answer),
            _ => Err(super::error::GovernError {
                call: self.call_name().into(),
                request: None,
                kind: Box::new(super::error::ErrorKind::InvalidResponse(
                    "expected the created feedback".into(),
                )),
            }),
        }
    }

    /// `PUT .../signoff/feedback/{id}`: sends status and comment, returns the feedback.
    pub async fn save_signoff_feedback(
        &self,
        signoff: &SignoffRef,
        feedback_id: &str,
        status: Value,
        comment: Option<Value>,
    ) -> Result<Value> {
        let path = signoff.path(&format!("/feedback/{}", segment(feedback_id)));
        let request = Request::put(path).body(review_body(status, comment));
        self.perform_object(request).await
    }

    /// `DELETE .../signoff/feedback/{id}`.
    pub async fn delete_signoff_feedback(
        &self,
        signoff: &SignoffRef,
        feedback_id: &str,
    ) -> Result<()> {
        let path = signoff.path(&format!("/feedback/{}", segment(feedback_id)));
        self.perform_empty(Request::delete(path)).await
    }

    /// `POST .../signoff/delegate-feedback?groupId=` with a users container.
    pub async fn delegate_signoff_feedback(
        &self,
        signoff: &SignoffRef,
        group_id: &str,
        users_container: Value,
    ) -> Result<()> {
        let request = Request::post(signoff.path("/delegate-feedback"))
            .query("groupId", group_id)
            .body(users_container);
        self.perform_json(request).await.map(|_| ())
    }

    /// `POST .../signoff/approval`. If the outcome is unknown, the sign-off's approval
    /// counts as this one if it says the same and was not created before it was sent;
    /// otherwise it is sent again (the server refuses a second approval, with its reason).
    pub async fn add_signoff_approval(
        &self,
        signoff: &SignoffRef,
        status: &str,
        comment: Option<Value>,
    ) -> Result<()> {
        let body = review_body(json!(status), comment);
        let request = Request::post(signoff.path("/approval")).body(body.clone());
        self.post_verified(request, |sent| {
            let body = &body;
            async move {
                let now = self.get_signoff(signoff).await?;
                let ours = now
                    .get("approverResponse")
                    .filter(|a| same_review(a, body))
                    .is_some_and(|a| !self.created_before(created_on(a), sent));
                Ok(Verdict::state_reached(ours))
            }
        })
        .await
        .map(|_| ())
    }

    /// `PUT .../signoff/approval`: sends status and comment, returns the approval.
    pub async fn save_signoff_approval(
        &self,
        signoff: &SignoffRef,
        status: Value,
        comment: Option<Value>,
    ) -> Result<Value> {
        let request = Request::put(signoff.path("/approval")).body(review_body(status, comment));
        self.perform_object(request).await
    }

    /// `DELETE .../signoff/approval`.
    pub async fn delete_signoff_approval(&self, signoff: &SignoffRef) -> Result<()> {
        let request = Request::delete(signoff.path("/approval"));
        self.perform_empty(request).await
    }

    /// `POST .../signoff/delegate-approval` with a users container.
    pub async fn delegate_signoff_approval(
        &self,
        signoff: &SignoffRef,
        users_container: Value,
    ) -> Result<()> {
        let request = Request::post(signoff.path("/delegate-approval")).body(users_container);
        self.perform_json(request).await.map(|_| ())
    }
}
