//! Sign-offs of an artifact: definition, status changes, recurrence, details,
//! and the entry points to feedback and approval (see `review.rs`).
use super::args::{bool_arg, optional};
use super::bridge::{RhaiResult, local_error};
use super::convert::to_json;
use super::handle::{Document, Handle, def, register_document, register_handle};
use super::kinds::*;
use rhai::{Dynamic, Engine};
use serde_json::Value;

type Signoff = Handle<GovernArtifactSignoff>;

/// Converts an optional argument to JSON (`None` stays `None`).
pub(super) fn json_arg(call: &str, value: Option<Dynamic>) -> RhaiResult<Option<Value>> {
    value
        .map(|v| to_json(&v).map_err(|m| local_error(call, m)))
        .transpose()
}

fn update_status(s: &mut Signoff, status: &str, options: Vec<Dynamic>) -> RhaiResult<()> {
    const CALL: &str = "GovernArtifactSignoff.update_status";
    let [users, reload] = <[_; 2]>::try_from(optional(
        CALL,
        &["users_to_notify", "reload_conf_for_reset"],
        options,
    )?)
    .unwrap_or_default();
    let users = json_arg(CALL, users)?.unwrap_or(Value::Null);
    if !users.is_null() && !users.is_array() {
        return Err(local_error(
            CALL,
            "users_to_notify must be an array of #{userLogin, groupId}",
        ));
    }
    let reload = bool_arg(CALL, "reload_conf_for_reset", reload, false)?;
    let client = s.api.client.clone();
    s.api.run(
        CALL,
        client.update_signoff_status(&s.key, status, users, reload),
    )
}

/// Registers the sign-off family.
pub fn register(engine: &mut Engine) {
    register_handle::<GovernArtifactSignoff>(engine);
    register_document::<GovernArtifactSignoffDefinition>(engine);
    register_document::<GovernArtifactSignoffRecurrenceConfiguration>(engine);
    register_document::<GovernArtifactSignoffDetails>(engine);

    engine.register_get("artifact_id", |s: &mut Signoff| s.key.artifact_id.clone());
    engine.register_get("step_id", |s: &mut Signoff| s.key.step_id.clone());

    def(
        engine,
        "get_definition",
        &["self", "GovernArtifactSignoffDefinition"],
        "Fetches the sign-off: status, configuration, feedback and approval.",
        |s: &mut Signoff| -> RhaiResult<Document<GovernArtifactSignoffDefinition>> {
            let client = s.api.client.clone();
            let call = "GovernArtifactSignoff.get_definition";
            let doc = s.api.run(call, client.get_signoff(call, &s.key))?;
            Ok(Document::new(&s.api, s.key.clone(), doc))
        },
    );
    def(
        engine,
        "get_recurrence_configuration",
        &["self", "GovernArtifactSignoffRecurrenceConfiguration"],
        "Fetches the recurrence (automatic reset) configuration; edit `get_raw()` then `save()`.",
        |s: &mut Signoff| -> RhaiResult<Document<GovernArtifactSignoffRecurrenceConfiguration>> {
            let client = s.api.client.clone();
            let call = "GovernArtifactSignoff.get_recurrence_configuration";
            let doc = s.api.run(call, client.get_signoff(call, &s.key))?;
            Ok(Document::new(&s.api, s.key.clone(), recurrence_of(&doc)))
        },
    );
    def(
        engine,
        "save",
        &["self", "()"],
        "Saves the recurrence configuration (`activated`, `days`, `weeks`, `months`, `years`, `reloadConf`).",
        |d: &mut Document<GovernArtifactSignoffRecurrenceConfiguration>| -> RhaiResult<()> {
            let client = d.api.client.clone();
            let call = "GovernArtifactSignoffRecurrenceConfiguration.save";
            let signoff = d.api.run(
                call,
                client.save_signoff_recurrence(&d.key, d.raw.snapshot()),
            )?;
            d.raw.replace(recurrence_of(&signoff));
            Ok(())
        },
    );
    def(
        engine,
        "get_details",
        &["self", "GovernArtifactSignoffDetails"],
        "Fetches the users computed from the feedback groups and the approvers.",
        |s: &mut Signoff| -> RhaiResult<Document<GovernArtifactSignoffDetails>> {
            let client = s.api.client.clone();
            let doc = s.api.run(
                "GovernArtifactSignoff.get_details",
                client.get_signoff_details(&s.key),
            )?;
            Ok(Document::new(&s.api, s.key.clone(), doc))
        },
    );
    def(
        engine,
        "update_status",
        &["self", "signoff_status: String", "()"],
        "Changes the sign-off status (e.g. `WAITING_FOR_FEEDBACK`), notifying every configured user.",
        |s: &mut Signoff, status: &str| update_status(s, status, vec![]),
    );
    def(
        engine,
        "update_status",
        &["self", "signoff_status: String", "options: Map", "()"],
        "Changes the status with options: `#{ users_to_notify: [#{userLogin, groupId}], reload_conf_for_reset: bool }`,\nor `users_to_notify` positionally.",
        |s: &mut Signoff, status: &str, a: Dynamic| update_status(s, status, vec![a]),
    );
    def(
        engine,
        "update_status",
        &[
            "self",
            "signoff_status: String",
            "users_to_notify: Array",
            "reload_conf_for_reset: bool",
            "()",
        ],
        "Changes the status; Python's positional form.",
        |s: &mut Signoff, status: &str, a: Dynamic, b: Dynamic| {
            update_status(s, status, vec![a, b])
        },
    );
}

/// `configuration.recurrenceConfiguration` of a sign-off, `{}` when absent.
fn recurrence_of(signoff: &Value) -> Value {
    signoff
        .pointer("/configuration/recurrenceConfiguration")
        .cloned()
        .unwrap_or_else(|| Value::Object(Default::default()))
}
