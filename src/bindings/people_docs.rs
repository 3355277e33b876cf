//! The documents of the users and groups family and their Python properties:
//! user settings (admin and own), activity, user and group infos, the authorization
//! matrix, and `GovernUserSettingsBase`, which scripts may build themselves.
//!
//! Python's dates (`creation_date`, `last_successful_login`, ...) are `datetime`s, or
//! `None` for a missing, zero or negative timestamp; here they are the epoch
//! milliseconds (an `int`), or `()` in the same cases.
use super::bridge::{RhaiResult, local_error};
use super::def::{def, documented_type, prop, setter};
use super::handle::{Document, Handle, Kind};
use super::json_ref::JsonRef;
use super::kinds::*;
use super::method::methods;
use super::register::Register;
use super::resource::save;
use rhai::{Dynamic, INT, Module};
use serde_json::Value;

/// Settings built by a script: `GovernUserSettingsBase(#{userProperties: #{}})`
/// (Python's base class of both settings classes: `get_raw()`, `user_properties`).
#[derive(Debug, Clone)]
pub struct GovernUserSettingsBase {
    /// The settings document (live).
    pub settings: JsonRef,
}

documented_type!(
    "GovernUserSettingsBase" = GovernUserSettingsBase,
    "A user's settings, built from a map: `get_raw()` and `user_properties`."
);

/// Registers the family's documents, their properties, and the own user's methods.
pub fn register(engine: &mut impl Register, module: &mut Module) {
    settings_base(engine);
    user_properties::<GovernUserSettings>(engine);
    user_properties::<GovernOwnUserSettings>(engine);
    admin_settings(engine);
    activity(engine);
    infos(engine);

    methods! { module; Document<GovernUserSettings> as d {
        /// Saves the settings (admin): a three-way merge onto a fresh read (`force: true`
        /// sends them as they are); the server's answer becomes the document.
        fn save(; force: bool = false) -> () {
            save::<GovernUser>(d, force, Vec::new())
        }
    }}

    methods! { module; Handle<GovernOwnUser> as o {
        /// Fetches your own settings (an API key with a user behind it).
        fn get_settings() -> Document<GovernOwnUserSettings> {
            o.fetch(o.client().own_settings())
        }
    }}

    methods! { module; Document<GovernOwnUserSettings> as d {
        /// Saves your own settings: a three-way merge onto a fresh read (`force: true`
        /// sends them as they are).
        fn save(; force: bool = false) -> () {
            let client = d.client();
            let write = |doc| client.save_own_settings(doc);
            if force || !client.checks_conflicts() {
                return d.save(write(d.raw.snapshot()));
            }
            d.save_merged(client.own_settings(), write)
        }
    }}
}

/// The member `key` of a document: live for objects and lists, `()` when absent.
fn member(raw: &JsonRef, key: &str) -> RhaiResult<Dynamic> {
    raw.member(key)
}

/// Epoch milliseconds at `key`, or `()` when absent, zero or negative (Python's
/// `_timestamp_ms_to_zoned_datetime` gives `None` then).
fn timestamp(raw: &JsonRef, key: &str) -> Dynamic {
    let ms = match raw.snapshot().get(key) {
        Some(Value::Number(n)) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        _ => None,
    };
    ms.filter(|ms| *ms > 0)
        .map_or(Dynamic::UNIT, |ms| Dynamic::from(ms as INT))
}

/// Registers `user_properties` on `K`'s documents (a live map).
fn user_properties<K: Kind>(engine: &mut impl Register) {
    prop(
        engine,
        "user_properties",
        "The user properties (a live map: change it in place, then `save()`); the user may change them.",
        |d: &mut Document<K>| member(&d.raw, "userProperties"),
    );
}

fn settings_base(engine: &mut impl Register) {
    type Base = GovernUserSettingsBase;
    engine.register_documented::<Base>();
    def(
        engine,
        "GovernUserSettingsBase",
        &["settings: Map", "GovernUserSettingsBase"],
        "User settings from a map (a `JsonRef` stays live, as Python's dict).",
        |settings: Dynamic| -> RhaiResult<Base> {
            const CALL: &str = "GovernUserSettingsBase";
            if let Some(live) = settings.read_lock::<JsonRef>() {
                return Ok(Base {
                    settings: live.clone(),
                });
            }
            let json =
                crate::bindings::convert::to_json(&settings).map_err(|m| local_error(CALL, m))?;
            if !json.is_object() {
                return Err(local_error(CALL, "settings must be a map"));
            }
            Ok(Base {
                settings: JsonRef::new(json),
            })
        },
    );
    def(
        engine,
        "get_raw",
        &["self: GovernUserSettingsBase", "JsonRef"],
        "The live settings document.",
        |b: &mut Base| b.settings.clone(),
    );
    prop(
        engine,
        "settings",
        "The live settings document (Python's `settings`).",
        |b: &mut Base| b.settings.clone(),
    );
    prop(
        engine,
        "user_properties",
        "The user properties (a live map).",
        |b: &mut Base| member(&b.settings, "userProperties"),
    );
}

fn admin_settings(engine: &mut impl Register) {
    type Settings = Document<GovernUserSettings>;
    prop(
        engine,
        "admin_properties",
        "The admin properties (a live map), which only administrators see and change.",
        |d: &mut Settings| member(&d.raw, "adminProperties"),
    );
    prop(
        engine,
        "enabled",
        "Whether the user may use Govern (settable, then `save()`).",
        |d: &mut Settings| member(&d.raw, "enabled"),
    );
    setter(
        engine,
        "enabled",
        "Enables or disables the user (then `save()`).",
        |d: &mut Settings, enabled: bool| d.raw.set_member("enabled", Dynamic::from(enabled)),
    );
    prop(
        engine,
        "creation_date",
        "When the user was created (epoch ms), or `()`.",
        |d: &mut Settings| timestamp(&d.raw, "creationDate"),
    );
}

fn activity(engine: &mut impl Register) {
    type Activity = Document<GovernUserActivity>;
    for (name, key, doc) in [
        (
            "last_successful_login",
            "lastSuccessfulLogin",
            "The last successful login (epoch ms), or `()` if none.",
        ),
        (
            "last_failed_login",
            "lastFailedLogin",
            "The last failed login (epoch ms), or `()` if none.",
        ),
        (
            "last_session_activity",
            "lastSessionActivity",
            "The last session activity (epoch ms), or `()` if none.",
        ),
    ] {
        prop(engine, name, doc, move |a: &mut Activity| {
            timestamp(&a.raw, key)
        });
    }
}

fn infos(engine: &mut impl Register) {
    type Info = Document<GovernUserInfo>;
    for (name, key) in [
        ("login", "login"),
        ("display_name", "displayName"),
        ("groups", "groups"),
        ("email", "email"),
        ("enabled", "enabled"),
    ] {
        let doc = format!("The user's `{key}`, or `()`.");
        prop(engine, name, &doc, move |i: &mut Info| member(&i.raw, key));
    }
    prop(
        engine,
        "name",
        "The group's name.",
        |g: &mut Document<GovernGroupInfo>| member(&g.raw, "name"),
    );
}
