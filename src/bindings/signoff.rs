//! Sign-offs of an artifact: definition, status changes, recurrence, details.
//! Feedback and approval are in `review.rs`.
use super::arg::JsonArray;
use super::handle::{Document, Handle};
use super::kinds::*;
use super::method::methods;
use rhai::Module;
use serde_json::Value;

/// Registers the sign-off family.
pub fn register(module: &mut Module) {
    methods! { module; Handle<GovernArtifactSignoff> as s {
        /// Fetches the sign-off: status, configuration, feedback and approval.
        fn get_definition() -> Document<GovernArtifactSignoffDefinition> {
            s.fetch(s.client().get_signoff(&s.key))
        }
        /// Fetches the recurrence (automatic reset) configuration; edit `get_raw()` then `save()`.
        fn get_recurrence_configuration() -> Document<GovernArtifactSignoffRecurrenceConfiguration> {
            let signoff = s.run(s.client().get_signoff(&s.key))?;
            Ok(s.document(s.key.clone(), recurrence_of(&signoff)))
        }
        /// Fetches the users computed from the feedback groups and the approvers.
        fn get_details() -> Document<GovernArtifactSignoffDetails> {
            s.fetch(s.client().get_signoff_details(&s.key))
        }
        /// Changes the sign-off status (e.g. `WAITING_FOR_FEEDBACK`). `users_to_notify`
        /// (`[#{userLogin, groupId}]`) defaults to every configured user;
        /// `reload_conf_for_reset` reloads the configuration on a reset.
        fn update_status(signoff_status: String;
            users_to_notify: Option<JsonArray> = None,
            reload_conf_for_reset: bool = false) -> () {
            let users = users_to_notify.map_or(Value::Null, |u| u.0);
            let client = s.client();
            s.run(client.update_signoff_status(&s.key, &signoff_status, users, reload_conf_for_reset))
        }
    }}

    methods! { module; Document<GovernArtifactSignoffRecurrenceConfiguration> as d {
        /// Saves the recurrence configuration (`activated`, `days`, `weeks`, `months`, `years`, `reloadConf`).
        fn save() -> () {
            let signoff = d.run(d.client().save_signoff_recurrence(&d.key, d.raw.snapshot()))?;
            d.raw.replace(recurrence_of(&signoff));
            Ok(())
        }
    }}
}

/// `configuration.recurrenceConfiguration` of a sign-off, `{}` when absent.
fn recurrence_of(signoff: &Value) -> Value {
    signoff
        .pointer("/configuration/recurrenceConfiguration")
        .cloned()
        .unwrap_or_else(|| Value::Object(Default::default()))
}
