//! Reviews of a sign-off: feedback (per group) and the final approval, with delegation.
use super::arg::UsersContainer;
use super::call::Call;
use super::handle::{Document, Handle};
use super::kinds::*;
use super::method::methods;
use rhai::{Array, Module};
use serde_json::Value;

/// `status` and `comment` of a review document, as the Python save sends them.
fn review_fields(d: &Value) -> (Value, Option<Value>) {
    let status = d.get("status").cloned().unwrap_or(Value::Null);
    (status, d.get("comment").cloned().filter(|c| !c.is_null()))
}

/// The key of feedback `id` of the sign-off `s`.
fn feedback_key(s: &Handle<GovernArtifactSignoff>, id: impl Into<String>) -> FeedbackKey {
    FeedbackKey {
        signoff: s.key.clone(),
        feedback_id: id.into(),
    }
}

/// Registers feedback and approval methods, and the sign-off methods that reach them.
pub fn register(module: &mut Module) {
    methods! { module; Handle<GovernArtifactSignoff> as s {
        /// Lists the feedback reviews as `GovernArtifactSignoffFeedbackListItem`s.
        fn list_feedbacks() -> Array {
            let signoff = async { s.client().get_signoff(&s.key).await.map(feedbacks_of) };
            s.list::<GovernArtifactSignoffFeedbackListItem>(signoff, |item| {
                let id = item.get("id").and_then(Value::as_str);
                Ok(feedback_key(s, id.ok_or_else(|| s.fail("a feedback has no id"))?))
            })
        }
        /// A handle on one feedback review (no request).
        fn get_feedback(feedback_id: String) -> Handle<GovernArtifactSignoffFeedback> {
            Ok(s.handle(feedback_key(s, feedback_id)))
        }
        /// Adds a feedback review (`APPROVED`, `MINOR_ISSUE`, `MAJOR_ISSUE`) as a member of `group_id`.
        fn add_feedback(group_id: String, feedback_status: String; comment: Option<String> = None)
            -> Handle<GovernArtifactSignoffFeedback> {
            let client = s.client();
            let created = s.run(client.add_signoff_feedback(&s.key, &group_id, &feedback_status, comment.map(Value::String)))?;
            match created.get("id").and_then(Value::as_str) {
                Some(id) if !id.is_empty() => Ok(s.handle(feedback_key(s, id))),
                _ => Err(s.fail("the server's answer has no feedback id")),
            }
        }
        /// Delegates the feedback of `group_id` to a users container.
        fn delegate_feedback(group_id: String, users_container: UsersContainer) -> () {
            s.run(s.client().delegate_signoff_feedback(&s.key, &group_id, users_container.0))
        }
        /// A handle on the final approval (no request).
        fn get_approval() -> Handle<GovernArtifactSignoffApproval> {
            Ok(s.handle(s.key.clone()))
        }
        /// Gives the final approval (`APPROVED`, `REJECTED`, `ABANDONED`).
        fn add_approval(approval_status: String; comment: Option<String> = None)
            -> Handle<GovernArtifactSignoffApproval> {
            let client = s.client();
            s.run(client.add_signoff_approval(&s.key, &approval_status, comment.map(Value::String)))?;
            Ok(s.handle(s.key.clone()))
        }
        /// Delegates the final approval to a users container.
        fn delegate_approval(users_container: UsersContainer) -> () {
            s.run(s.client().delegate_signoff_approval(&s.key, users_container.0))
        }
    }}

    methods! { module; Document<GovernArtifactSignoffFeedbackListItem> as item {
        /// The feedback this list item describes.
        fn to_feedback() -> Handle<GovernArtifactSignoffFeedback> {
            Ok(item.handle(item.key.clone()))
        }
    }}

    methods! { module; Handle<GovernArtifactSignoffFeedback> as f {
        /// Fetches this feedback (by reading the sign-off).
        fn get_definition() -> Document<GovernArtifactSignoffFeedbackDefinition> {
            let feedbacks = feedbacks_of(f.run(f.client().get_signoff(&f.key.signoff))?);
            let id = Some(f.key.feedback_id.as_str());
            match feedbacks.into_iter().find(|fb| fb.get("id").and_then(Value::as_str) == id) {
                Some(found) => Ok(f.document(f.key.clone(), found)),
                None => Err(f.fail(format!("Unable to find a feedback with id '{}'", f.key.feedback_id))),
            }
        }
        /// Deletes this feedback.
        fn delete() -> () {
            f.run(f.client().delete_signoff_feedback(&f.key.signoff, &f.key.feedback_id))
        }
    }}

    methods! { module; Document<GovernArtifactSignoffFeedbackDefinition> as d {
        /// Saves the feedback's `status` and `comment`.
        fn save() -> () {
            let (status, comment) = review_fields(&d.raw.snapshot());
            let key = &d.key;
            d.save(d.client().save_signoff_feedback(&key.signoff, &key.feedback_id, status, comment))
        }
    }}

    methods! { module; Handle<GovernArtifactSignoffApproval> as a {
        /// Fetches the final approval (by reading the sign-off); fails if none was given.
        fn get_definition() -> Document<GovernArtifactSignoffApprovalDefinition> {
            approval_of(a)
        }
        /// Deletes the final approval (the sign-off goes back to waiting for approval).
        fn delete() -> () {
            a.run(a.client().delete_signoff_approval(&a.key))
        }
    }}

    methods! { module; Document<GovernArtifactSignoffApprovalDefinition> as d {
        /// Saves the approval's `status` and `comment`.
        fn save() -> () {
            let (status, comment) = review_fields(&d.raw.snapshot());
            d.save(d.client().save_signoff_approval(&d.key, status, comment))
        }
    }}
}

/// The sign-off's `feedbackResponses` (empty when absent).
fn feedbacks_of(signoff: Value) -> Vec<Value> {
    match signoff {
        Value::Object(mut o) => match o.remove("feedbackResponses") {
            Some(Value::Array(items)) => items,
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// The sign-off's `approverResponse`, or the Python client's error when there is none.
fn approval_of(
    a: &Call<'_, Handle<GovernArtifactSignoffApproval>>,
) -> super::bridge::RhaiResult<Document<GovernArtifactSignoffApprovalDefinition>> {
    let signoff = a.run(a.client().get_signoff(&a.key))?;
    match signoff.get("approverResponse").filter(|v| !v.is_null()) {
        Some(approval) => Ok(a.document(a.key.clone(), approval.clone())),
        None => Err(a.fail("Unable to find the approver response")),
    }
}
