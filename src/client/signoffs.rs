//! Artifact sign-offs: status, feedback, approval, delegation, recurrence
//! (all under `/artifact/{id}/workflow/step/{step}/signoff`).
use super::request::segment;
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
        self.post_verified(request, || async {
            let now = self.get_signoff(signoff).await?;
            Ok((now.get("status").and_then(Value::as_str) == Some(status)).then_some(Value::Null))
        })
        .await
        .map(|_| ())
    }

    /// `POST .../signoff/feedback?groupId=`: returns the created feedback (with its `id`).
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
        // Applied if a feedback of that group with that status and comment exists; the
        // newest such one is taken (the author's key name differs across versions).
        let answer = self
            .post_verified(request, || async {
                let now = self.get_signoff(signoff).await?;
                let same = |fb: &&Value| {
                    fb.get("groupId").and_then(Value::as_str) == Some(group_id)
                        && fb.get("status") == body.get("status")
                        && fb.get("comment") == body.get("comment")
                };
                Ok(now
                    .get("feedbackResponses")
                    .and_then(Value::as_array)
                    .and_then(|list| list.iter().rfind(same))
                    .cloned())
            })
            .await?;
        match answer {
            Value::Object(_) => Ok(answer),
            _ => Err(super::error::GovernError {
                call: super::operation::current().into(),
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

    /// `POST .../signoff/approval`.
    pub async fn add_signoff_approval(
        &self,
        signoff: &SignoffRef,
        status: &str,
        comment: Option<Value>,
    ) -> Result<()> {
        let request =
            Request::post(signoff.path("/approval")).body(review_body(json!(status), comment));
        self.post_verified(request, || async {
            let now = self.get_signoff(signoff).await?;
            let given = now.get("approverResponse").and_then(|a| a.get("status"));
            Ok((given.and_then(Value::as_str) == Some(status)).then_some(Value::Null))
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
