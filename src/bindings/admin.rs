//! Instance administration (`GovernClient`'s logs, audit, usage, settings, licensing
//! and IAM calls, protocol §2.6 and §2.7), the client's credentials (`api_key`,
//! `internal_ticket`), and the documents `GovernGeneralSettings` and
//! `GovernGlobalUsageSummary`. The IAM documents' own accessors are in
//! [`super::admin_iam`].
use super::arg::JsonMap;
use super::bridge::RhaiResult;
use super::call::Call;
use super::client::ScriptClient;
use super::convert::to_dynamic;
use super::def::prop;
use super::handle::{Document, Handle, Kind};
use super::kinds::*;
use super::method::methods;
use super::register::Register;
use crate::client::{Iam, Result as ClientResult};
use rhai::{Dynamic, Module};
use serde_json::{Map, Value};
use std::future::Future;

/// Registers the admin family.
pub fn register(engine: &mut impl Register, module: &mut Module) {
    credentials(engine);
    client_methods(module);
    saves(module);
    super::admin_iam::register(engine);
}

/// `client.api_key` and `client.internal_ticket`: Python's attributes. Every key and
/// ticket is remembered by `client/secrets.rs`, so printing them shows `***`.
fn credentials(engine: &mut impl Register) {
    prop(
        engine,
        "api_key",
        "The API key the client authenticates with, or `()` with a ticket (printed as `***`).",
        |c: &mut ScriptClient| c.api.client.api_key().map_or(Dynamic::UNIT, Dynamic::from),
    );
    prop(
        engine,
        "internal_ticket",
        "The internal ticket the client authenticates with (`X-DKU-APITicket`), or `()` (printed as `***`).",
        |c: &mut ScriptClient| {
            c.api
                .client
                .internal_ticket()
                .map_or(Dynamic::UNIT, Dynamic::from)
        },
    );
}

/// Fetches an IAM settings document.
fn iam<K: Kind<Key = Root>>(c: &Call<'_, ScriptClient>, kind: Iam) -> RhaiResult<Document<K>> {
    let doc = c.run(c.client().iam_settings(kind))?;
    Ok(c.document(Root(c.key.clone()), doc))
}

fn client_methods(module: &mut Module) {
    methods! { module; Handle<GovernClient> as c {
        /// The names of the instance's log files (admin).
        fn list_logs() -> Dynamic {
            Ok(to_dynamic(&c.run(c.client().list_logs())?))
        }
        /// The whole content of the log file `name` (admin), as a string.
        fn get_log(name: String) -> Dynamic {
            Ok(to_dynamic(&c.run(c.client().get_log(&name))?))
        }
        /// Writes an entry to the audit trail (admin): `customMsgType` is `custom_type`,
        /// `customMsgParams` the map `custom_params` (default `#{}`).
        fn log_custom_audit(custom_type: String; custom_params: Option<JsonMap> = None) -> () {
            let params = custom_params.map_or_else(|| Value::Object(Map::new()), |p| p.0);
            c.run(c.client().log_custom_audit(&custom_type, params))
        }
        /// A summary of the instance's usage (admin); its `raw` (Python's `raw`) is the map.
        fn get_global_usage_summary() -> Document<GovernGlobalUsageSummary> {
            let data = c.run(c.client().global_usage_summary())?;
            Ok(c.document(Root(c.key.clone()), data))
        }
        /// The general settings (admin): change `get_raw()`, then `save()`.
        fn get_general_settings() -> Document<GovernGeneralSettings> {
            let settings = c.run(c.client().general_settings())?;
            Ok(c.document(Root(c.key.clone()), settings))
        }
        /// The licensing status of the instance (admin), as a map.
        fn get_licensing_status() -> Dynamic {
            Ok(to_dynamic(&c.run(c.client().licensing_status())?))
        }
        /// Sets a new license (admin): `license` is the license file's text (JSON); text
        /// that is no JSON is refused before anything is sent.
        fn set_license(license: String) -> () {
            let parsed: Value = serde_json::from_str(&license).map_err(|e| {
                c.fail(format!("the license is not valid JSON ({e}): pass the license file's content"))
            })?;
            c.run(c.client().set_license(parsed))
        }
        /// The Single Sign-On settings (admin): change them, then `save()`.
        fn get_sso_settings() -> Document<DSSSSOSettings> {
            iam(c, Iam::Sso)
        }
        /// The LDAP settings (admin): change them, then `save()`.
        fn get_ldap_settings() -> Document<DSSLDAPSettings> {
            iam(c, Iam::Ldap)
        }
        /// The Azure AD (Microsoft Entra ID) settings (admin): change them, then `save()`.
        fn get_azure_ad_settings() -> Document<DSSAzureADSettings> {
            iam(c, Iam::AzureAd)
        }
    }}
}

/// Saves a settings document: a three-way merge onto a fresh `read` unless `force`
/// (or `--no-conflict-check`); `prepare` finishes the document sent (the SSO
/// parameters Python always writes). The document sent becomes the document: Govern
/// answers these saves with no body.
fn save_settings<K, R, W>(
    d: &Call<'_, Document<K>>,
    force: bool,
    read: R,
    write: impl Fn(Value) -> W,
    prepare: fn(&mut Value),
) -> RhaiResult<()>
where
    K: Kind,
    R: Future<Output = ClientResult<Value>>,
    W: Future<Output = ClientResult<Value>>,
{
    let send = |mut doc: Value| {
        prepare(&mut doc);
        write(doc)
    };
    if force || !d.client().checks_conflicts() {
        return d.save(send(d.raw.snapshot()));
    }
    d.save_merged(read, send)
}

/// Nothing to add before sending.
fn as_is(_: &mut Value) {}

/// Python's `SSOSettings.save()` always (re)writes `openIDParams` and `samlSPParams`
/// (`{}` when the settings read had none).
fn with_sso_params(doc: &mut Value) {
    if let Value::Object(map) = doc {
        for key in ["openIDParams", "samlSPParams"] {
            if !map.get(key).is_some_and(Value::is_object) {
                map.insert(key.into(), Value::Object(Map::new()));
            }
        }
    }
}

fn saves(module: &mut Module) {
    methods! { module; Document<GovernGeneralSettings> as d {
        /// Saves the general settings (admin): a three-way merge onto a fresh read
        /// (`force: true` sends them as they are).
        fn save(; force: bool = false) -> () {
            let c = d.client();
            save_settings(d, force, c.general_settings(), |doc| c.save_general_settings(doc), as_is)
        }
    }}
    methods! { module; Document<DSSSSOSettings> as d {
        /// Saves the SSO settings (admin) to `/admin//iam/sso-settings`, as Python;
        /// `openIDParams` and `samlSPParams` are always written. A three-way merge onto
        /// a fresh read unless `force: true`.
        fn save(; force: bool = false) -> () {
            let c = d.client();
            save_settings(d, force, c.iam_settings(Iam::Sso),
                          |doc| c.save_iam_settings(Iam::Sso, doc), with_sso_params)
        }
    }}
    methods! { module; Document<DSSLDAPSettings> as d {
        /// Saves the LDAP settings (admin) to `/admin//iam/ldap-settings`, as Python. A
        /// three-way merge onto a fresh read unless `force: true`.
        fn save(; force: bool = false) -> () {
            let c = d.client();
            save_settings(d, force, c.iam_settings(Iam::Ldap),
                          |doc| c.save_iam_settings(Iam::Ldap, doc), as_is)
        }
    }}
    methods! { module; Document<DSSAzureADSettings> as d {
        /// Saves the Azure AD settings (admin) to `/admin//iam/azure-ad-settings`, as
        /// Python. A three-way merge onto a fresh read unless `force: true`.
        fn save(; force: bool = false) -> () {
            let c = d.client();
            save_settings(d, force, c.iam_settings(Iam::AzureAd),
                          |doc| c.save_iam_settings(Iam::AzureAd, doc), as_is)
        }
    }}
}
