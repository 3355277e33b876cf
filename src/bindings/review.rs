//! Reviews of a sign-off: feedback (per group) and the final approval, with delegation.
use super::args::{optional, string_arg};
use super::bridge::{RhaiResult, local_error};
use super::convert::to_json;
use super::handle::{Document, Handle, def, dynamic, register_document, register_handle};
use super::kinds::*;
use super::signoff::json_arg;
use rhai::{Array, Dynamic, Engine};
use serde_json::Value;

type Signoff = Handle<GovernArtifactSignoff>;
type Feedback = Handle<GovernArtifactSignoffFeedback>;
type Approval = Handle<GovernArtifactSignoffApproval>;

fn feedback_key(s: &Signoff, id: &str) -> FeedbackKey {
    FeedbackKey {
        signoff: s.key.clone(),
        feedback_id: id.to_string(),
    }
}

/// `GovernArtifactSignoff.add_feedback(group_id, status, comment=None)`.
fn add_feedback(
    s: &mut Signoff,
    group: &str,
    status: &str,
    options: Vec<Dynamic>,
) -> RhaiResult<Feedback> {
    const CALL: &str = "GovernArtifactSignoff.add_feedback";
    let [comment] = <[_; 1]>::try_from(optional(CALL, &["comment"], options)?).unwrap_or_default();
    let comment = json_arg(CALL, comment)?;
    let client = s.api.client.clone();
    let created = s.api.run(
        CALL,
        client.add_signoff_feedback(&s.key, group, status, comment),
    )?;
    let id = created
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if id.is_empty() {
        return Err(local_error(CALL, "the server's answer has no feedback id"));
    }
    Ok(Handle::new(&s.api, feedback_key(s, id)))
}

/// `GovernArtifactSignoff.add_approval(status, comment=None)`.
fn add_approval(s: &mut Signoff, status: &str, options: Vec<Dynamic>) -> RhaiResult<Approval> {
    const CALL: &str = "GovernArtifactSignoff.add_approval";
    let [comment] = <[_; 1]>::try_from(optional(CALL, &["comment"], options)?).unwrap_or_default();
    let comment = json_arg(CALL, comment)?;
    let client = s.api.client.clone();
    s.api
        .run(CALL, client.add_signoff_approval(&s.key, status, comment))?;
    Ok(Handle::new(&s.api, s.key.clone()))
}

/// A users container argument: a `GovernUserUsersContainer` or a map.
fn container(call: &str, value: &Dynamic) -> RhaiResult<Value> {
    let json = to_json(value).map_err(|m| local_error(call, m))?;
    if json.get("type").is_none() {
        return Err(local_error(
            call,
            "users_container must be a users container, e.g. GovernUserUsersContainer(\"jdoe\")",
        ));
    }
    Ok(json)
}

/// `status` and `comment` of a review document, as the Python save sends them.
fn review_fields(d: &Value) -> (Value, Option<Value>) {
    let status = d.get("status").cloned().unwrap_or(Value::Null);
    (status, d.get("comment").cloned().filter(|c| !c.is_null()))
}

/// Registers feedback and approval types and the sign-off methods that reach them.
pub fn register(engine: &mut Engine) {
    register_document::<GovernArtifactSignoffFeedbackListItem>(engine);
    register_handle::<GovernArtifactSignoffFeedback>(engine);
    register_document::<GovernArtifactSignoffFeedbackDefinition>(engine);
    register_handle::<GovernArtifactSignoffApproval>(engine);
    register_document::<GovernArtifactSignoffApprovalDefinition>(engine);

    engine.register_get("feedback_id", |f: &mut Feedback| f.key.feedback_id.clone());

    def(
        engine,
        "list_feedbacks",
        &["self", "Array"],
        "Lists the feedback reviews as `GovernArtifactSignoffFeedbackListItem`s.",
        |s: &mut Signoff| -> RhaiResult<Array> {
            let client = s.api.client.clone();
            let call = "GovernArtifactSignoff.list_feedbacks";
            let doc = s.api.run(call, client.get_signoff(call, &s.key))?;
            let items = doc
                .get("feedbackResponses")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            items
                .into_iter()
                .map(|item| {
                    let id = string_arg(
                        call,
                        "feedback id",
                        &super::convert::to_dynamic(item.get("id").unwrap_or(&Value::Null)),
                    )?;
                    Ok(dynamic(
                        Document::<GovernArtifactSignoffFeedbackListItem>::new(
                            &s.api,
                            feedback_key(s, &id),
                            item,
                        ),
                    ))
                })
                .collect()
        },
    );
    def(
        engine,
        "get_feedback",
        &[
            "self",
            "feedback_id: String",
            "GovernArtifactSignoffFeedback",
        ],
        "A handle on one feedback review (no request).",
        |s: &mut Signoff, id: &str| -> Feedback { Handle::new(&s.api, feedback_key(s, id)) },
    );
    def(
        engine,
        "add_feedback",
        &[
            "self",
            "group_id: String",
            "feedback_status: String",
            "GovernArtifactSignoffFeedback",
        ],
        "Adds a feedback review (`APPROVED`, `MINOR_ISSUE`, `MAJOR_ISSUE`) as a member of `group_id`.",
        |s: &mut Signoff, g: &str, st: &str| add_feedback(s, g, st, vec![]),
    );
    def(
        engine,
        "add_feedback",
        &[
            "self",
            "group_id: String",
            "feedback_status: String",
            "comment: String",
            "GovernArtifactSignoffFeedback",
        ],
        "Adds a feedback review with a comment (positionally or as `#{ comment: ... }`).",
        |s: &mut Signoff, g: &str, st: &str, c: Dynamic| add_feedback(s, g, st, vec![c]),
    );
    def(
        engine,
        "delegate_feedback",
        &[
            "self",
            "group_id: String",
            "users_container: GovernUserUsersContainer",
            "()",
        ],
        "Delegates the feedback of `group_id` to a users container.",
        |s: &mut Signoff, g: &str, c: Dynamic| -> RhaiResult<()> {
            const CALL: &str = "GovernArtifactSignoff.delegate_feedback";
            let body = container(CALL, &c)?;
            let client = s.api.client.clone();
            s.api
                .run(CALL, client.delegate_signoff_feedback(&s.key, g, body))
        },
    );
    def(
        engine,
        "get_approval",
        &["self", "GovernArtifactSignoffApproval"],
        "A handle on the final approval (no request).",
        |s: &mut Signoff| -> Approval { Handle::new(&s.api, s.key.clone()) },
    );
    def(
        engine,
        "add_approval",
        &[
            "self",
            "approval_status: String",
            "GovernArtifactSignoffApproval",
        ],
        "Gives the final approval (`APPROVED`, `REJECTED`, `ABANDONED`).",
        |s: &mut Signoff, st: &str| add_approval(s, st, vec![]),
    );
    def(
        engine,
        "add_approval",
        &[
            "self",
            "approval_status: String",
            "comment: String",
            "GovernArtifactSignoffApproval",
        ],
        "Gives the final approval with a comment (positionally or as `#{ comment: ... }`).",
        |s: &mut Signoff, st: &str, c: Dynamic| add_approval(s, st, vec![c]),
    );
    def(
        engine,
        "delegate_approval",
        &["self", "users_container: GovernUserUsersContainer", "()"],
        "Delegates the final approval to a users container.",
        |s: &mut Signoff, c: Dynamic| -> RhaiResult<()> {
            const CALL: &str = "GovernArtifactSignoff.delegate_approval";
            let body = container(CALL, &c)?;
            let client = s.api.client.clone();
            s.api
                .run(CALL, client.delegate_signoff_approval(&s.key, body))
        },
    );

    def(
        engine,
        "to_feedback",
        &["self", "GovernArtifactSignoffFeedback"],
        "The feedback this list item describes.",
        |item: &mut Document<GovernArtifactSignoffFeedbackListItem>| -> Feedback {
            Handle::new(&item.api, item.key.clone())
        },
    );
    def(
        engine,
        "get_definition",
        &["self", "GovernArtifactSignoffFeedbackDefinition"],
        "Fetches this feedback (by reading the sign-off).",
        |f: &mut Feedback| -> RhaiResult<Document<GovernArtifactSignoffFeedbackDefinition>> {
            const CALL: &str = "GovernArtifactSignoffFeedback.get_definition";
            let client = f.api.client.clone();
            let doc = f.api.run(CALL, client.get_signoff(CALL, &f.key.signoff))?;
            let found = doc
                .get("feedbackResponses")
                .and_then(Value::as_array)
                .and_then(|list| {
                    list.iter()
                        .find(|fb| fb.get("id").and_then(Value::as_str) == Some(&f.key.feedback_id))
                })
                .cloned()
                .ok_or_else(|| {
                    local_error(
                        CALL,
                        format!("Unable to find a feedback with id '{}'", f.key.feedback_id),
                    )
                })?;
            Ok(Document::new(&f.api, f.key.clone(), found))
        },
    );
    def(
        engine,
        "delete",
        &["self", "()"],
        "Deletes this feedback.",
        |f: &mut Feedback| -> RhaiResult<()> {
            let client = f.api.client.clone();
            f.api.run(
                "GovernArtifactSignoffFeedback.delete",
                client.delete_signoff_feedback(&f.key.signoff, &f.key.feedback_id),
            )
        },
    );
    def(
        engine,
        "save",
        &["self", "()"],
        "Saves the feedback's `status` and `comment`.",
        |d: &mut Document<GovernArtifactSignoffFeedbackDefinition>| -> RhaiResult<()> {
            let (status, comment) = review_fields(&d.raw.snapshot());
            let client = d.api.client.clone();
            let saved = d.api.run(
                "GovernArtifactSignoffFeedbackDefinition.save",
                client.save_signoff_feedback(&d.key.signoff, &d.key.feedback_id, status, comment),
            )?;
            d.raw.replace(saved);
            Ok(())
        },
    );
    def(
        engine,
        "get_definition",
        &["self", "GovernArtifactSignoffApprovalDefinition"],
        "Fetches the final approval (by reading the sign-off); fails if none was given.",
        |a: &mut Approval| -> RhaiResult<Document<GovernArtifactSignoffApprovalDefinition>> {
            const CALL: &str = "GovernArtifactSignoffApproval.get_definition";
            let client = a.api.client.clone();
            let doc = a.api.run(CALL, client.get_signoff(CALL, &a.key))?;
            let approval = doc
                .get("approverResponse")
                .filter(|v| !v.is_null())
                .cloned()
                .ok_or_else(|| local_error(CALL, "Unable to find the approver response"))?;
            Ok(Document::new(&a.api, a.key.clone(), approval))
        },
    );
    def(
        engine,
        "delete",
        &["self", "()"],
        "Deletes the final approval (the sign-off goes back to waiting for approval).",
        |a: &mut Approval| -> RhaiResult<()> {
            let client = a.api.client.clone();
            a.api.run(
                "GovernArtifactSignoffApproval.delete",
                client.delete_signoff_approval(&a.key),
            )
        },
    );
    def(
        engine,
        "save",
        &["self", "()"],
        "Saves the approval's `status` and `comment`.",
        |d: &mut Document<GovernArtifactSignoffApprovalDefinition>| -> RhaiResult<()> {
            let (status, comment) = review_fields(&d.raw.snapshot());
            let client = d.api.client.clone();
            let saved = d.api.run(
                "GovernArtifactSignoffApprovalDefinition.save",
                client.save_signoff_approval(&d.key, status, comment),
            )?;
            d.raw.replace(saved);
            Ok(())
        },
    );
}
