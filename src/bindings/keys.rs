//! Global API keys (`GovernGlobalApiKey`, `...ListItem`, `...Definition`) and acting
//! as another user (`GovernUser.get_client_as()`, `start_resync_from_supplier()`).
//!
//! A key's secret is known only where Govern gives it: the creation answer (and lists
//! and gets of an instance without secure keys). Every secret the client receives is
//! masked wherever govscript prints (`***`), `print(key.key)` included. Where Python
//! reads a missing `key` (`list_global_api_keys(as_type = "objects")`,
//! `get_global_api_key_by_id`, `ListItem.key`) and raises `KeyError`, the Rhai `key`
//! is `()`.
use super::arg::{JsonArray, JsonMap};
use super::bridge::RhaiResult;
use super::call::Call;
use super::def::{prop, setter};
use super::future::{GovernFuture, started};
use super::handle::{Api, Document, Handle, Kind};
use super::kind::kinds;
use super::kinds::GovernClient;
use super::kinds::GovernUser;
use super::method::methods;
use super::register::Register;
use super::resource::item;
use crate::protocol::PathKey;
use rhai::{Array, Dynamic, Module};
use serde_json::{Value, json};
use std::fmt;

/// Identifies a global API key: its id, and its secret when known. Shown, compared
/// and used in paths by id only: the secret is never printed.
#[derive(Clone)]
pub struct ApiKeyRef {
    /// The key's id (`gk.3`): Python's `id_`.
    pub id: String,
    /// The secret, when the answer carried it: Python's `key`.
    pub secret: Option<String>,
}

impl ApiKeyRef {
    /// The id and secret a key document holds (`id`, `key`).
    fn of(doc: &Value) -> Self {
        let text = |k: &str| doc.get(k).and_then(Value::as_str).map(str::to_string);
        Self {
            id: text("id").unwrap_or_default(),
            secret: text("key"),
        }
    }
}

impl fmt::Debug for ApiKeyRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ApiKeyRef({}, key: <redacted>)", self.id)
    }
}

impl fmt::Display for ApiKeyRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.id)
    }
}

impl PartialEq for ApiKeyRef {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl PathKey for ApiKeyRef {
    fn parts(&self) -> Vec<&str> {
        vec![&self.id]
    }
}

kinds! {
    /// A global API key: its id (`id_`) and, right after its creation, its secret (`key`).
    GovernGlobalApiKey: Handle<ApiKeyRef> @ GLOBAL_API_KEYS => GovernGlobalApiKeyDefinition;
    /// An item of `list_global_api_keys()`.
    GovernGlobalApiKeyListItem: Document<ApiKeyRef>;
    /// A global API key's editable definition (label, description, groups, lifetime...).
    GovernGlobalApiKeyDefinition: Document<ApiKeyRef>;
}

type Key = Handle<GovernGlobalApiKey>;

/// A key handle from a key document's `id` and `key`; fails without an `id`.
fn key_handle<R: super::call::Object>(c: &Call<'_, R>, doc: &Value) -> RhaiResult<Key> {
    let key = ApiKeyRef::of(doc);
    if key.id.is_empty() {
        return Err(c.fail("API key creation returned no key"));
    }
    Ok(c.handle(key))
}

/// Creates a key from `body`, checking the answer as Python does.
fn create(c: &Call<'_, Handle<GovernClient>>, body: Value) -> RhaiResult<Key> {
    let answer = c.run(c.client().create_global_api_key(body))?;
    if answer.is_null() {
        return Err(c.fail("API key creation returned no data"));
    }
    if answer["messages"]["error"].as_bool() == Some(true) {
        return Err(c.fail(format!(
            "API key creation failed : {}",
            answer["messages"]["messages"]
        )));
    }
    key_handle(c, &answer)
}

/// A property of a key document reading `json_key` (`()` when absent).
fn field<K: Kind>(engine: &mut impl Register, name: &str, json_key: &'static str, doc: &str) {
    prop(engine, name, doc, move |d: &mut Document<K>| {
        d.raw.member(json_key).unwrap_or(Dynamic::UNIT)
    });
}

/// A timestamp property (epoch milliseconds; `()` when absent or 0).
fn timestamp<K: Kind>(engine: &mut impl Register, name: &str, json_key: &'static str, doc: &str) {
    prop(engine, name, doc, move |d: &mut Document<K>| {
        match d.raw.snapshot().get(json_key).and_then(Value::as_i64) {
            Some(ms) if ms != 0 => Dynamic::from(ms),
            _ => Dynamic::UNIT,
        }
    });
}

/// A settable property of the definition writing `json_key`.
fn settable(engine: &mut impl Register, name: &str, json_key: &'static str, doc: &str) {
    field::<GovernGlobalApiKeyDefinition>(engine, name, json_key, doc);
    setter(
        engine,
        name,
        doc,
        move |d: &mut Document<GovernGlobalApiKeyDefinition>, v: Dynamic| {
            d.raw.set_member(json_key, v)
        },
    );
}

/// The properties list items and definitions share, as Python's.
fn shared_properties<K: Kind>(engine: &mut impl Register) {
    field::<K>(engine, "id", "id", "The key's id.");
    field::<K>(
        engine,
        "created_by",
        "createdBy",
        "The login of the user who created the key, or `()`.",
    );
    timestamp::<K>(
        engine,
        "created_on",
        "createdOn",
        "When the key was created (epoch milliseconds).",
    );
}

/// Registers the key classes, the client's key methods and the user's identity calls.
pub fn register(engine: &mut impl Register, module: &mut Module) {
    register_types(engine);
    item::<GovernGlobalApiKey>(engine, module, true);
    prop(
        engine,
        "key",
        "The secret, known only right after the creation (`()` otherwise); printed as `***`.",
        |k: &mut Key| k.key.secret.clone().map_or(Dynamic::UNIT, Dynamic::from),
    );

    shared_properties::<GovernGlobalApiKeyListItem>(engine);
    field::<GovernGlobalApiKeyListItem>(engine, "label", "label", "The key's label.");
    field::<GovernGlobalApiKeyListItem>(
        engine,
        "description",
        "description",
        "The key's description, or `()`.",
    );
    field::<GovernGlobalApiKeyListItem>(
        engine,
        "groups",
        "groups",
        "The groups the key belongs to, or `()` if it does not use groups.",
    );
    field::<GovernGlobalApiKeyListItem>(
        engine,
        "user_for_impersonation",
        "dssUserForImpersonation",
        "The user associated to the key, or `()`.",
    );
    field::<GovernGlobalApiKeyListItem>(
        engine,
        "key",
        "key",
        "The secret: `()` with secure API keys (always on the sandbox).",
    );

    shared_properties::<GovernGlobalApiKeyDefinition>(engine);
    settable(engine, "label", "label", "The key's label (settable).");
    settable(
        engine,
        "description",
        "description",
        "The key's description (settable).",
    );
    settable(
        engine,
        "groups",
        "groups",
        "The key's groups, or `()` if it does not use groups (settable).",
    );
    settable(
        engine,
        "user_for_impersonation",
        "dssUserForImpersonation",
        "The user associated to the key (settable).",
    );
    settable(
        engine,
        "lifetime",
        "expiry",
        "The key's lifetime in days (settable).",
    );
    timestamp::<GovernGlobalApiKeyDefinition>(
        engine,
        "expires_on",
        "expiresOn",
        "When the key expires (epoch milliseconds), or `()` if it never does.",
    );

    methods! { module; Handle<GovernClient> as c {
        /// Lists the global API keys (admin): `GovernGlobalApiKeyListItem`s, or
        /// `GovernGlobalApiKey` handles with `as_type: "objects"`.
        fn list_global_api_keys(; as_type: String = "listitems".to_string()) -> Array {
            let items = c.run(c.client().list_global_api_keys())?;
            match as_type.as_str() {
                "listitems" => Ok(items
                    .into_iter()
                    .map(|i| Dynamic::from(c.document::<GovernGlobalApiKeyListItem>(ApiKeyRef::of(&i), i)))
                    .collect()),
                "objects" => items.iter().map(|i| key_handle(c, i).map(Dynamic::from)).collect(),
                other => Err(c.fail(format!("Unknown as_type {other:?}: use \"listitems\" or \"objects\""))),
            }
        }
        /// The global API key whose secret is `key` (deprecated: use
        /// `get_global_api_key_by_id`). An unknown secret is an error at once.
        fn get_global_api_key(key: String) -> Key {
            let answer = c.run(c.client().get_global_api_key_by_secret(&key))?;
            let mut found = key_handle(c, &answer)?;
            found.key.secret = Some(key);
            Ok(found)
        }
        /// The global API key `id_` (read at once: an unknown id is an error).
        fn get_global_api_key_by_id(id_: String) -> Key {
            let answer = c.run(c.client().get_global_api_key(&id_))?;
            let secret = ApiKeyRef::of(&answer).secret;
            Ok(c.handle(ApiKeyRef { id: id_, secret }))
        }
        /// Creates a global API key (admin), with admin rights if `admin`; its handle
        /// holds the secret (`key`), which Govern shows only now.
        fn create_global_api_key(; label: Option<String> = None, description: Option<String> = None,
                                 admin: bool = false) -> Key {
            create(c, json!({
                "label": label,
                "description": description,
                "globalPermissions": {"admin": admin},
            }))
        }
        /// Creates a global API key whose rights are those of `groups` (admin).
        fn create_global_api_key_with_groups(; label: Option<String> = None,
                                             description: Option<String> = None,
                                             groups: Option<JsonArray> = None) -> Key {
            create(c, json!({
                "label": label,
                "description": description,
                "groups": groups.map_or(json!([]), |g| g.0),
            }))
        }
    }}

    methods! { module; Document<GovernGlobalApiKeyListItem> as i {
        /// The key this item describes (no request).
        fn to_global_api_key() -> Key {
            Ok(i.handle(i.key.clone()))
        }
    }}

    methods! { module; Handle<GovernGlobalApiKey> as k {
        /// Replaces the key's definition (admin); use one read by `get_definition()`.
        fn set_definition(definition: JsonMap) -> () {
            k.run(k.client().save_global_api_key(&k.key.id, definition.0))
        }
    }}

    methods! { module; Document<GovernGlobalApiKeyDefinition> as d {
        /// Saves the definition (a three-way merge onto a fresh read; `force: true`
        /// sends it as it is).
        fn save(; force: bool = false) -> () {
            let id = d.id_at("/id").unwrap_or_else(|_| d.key.id.clone());
            let client = d.client();
            let target = id.clone();
            let write = move |doc: Value| async move {
                client.save_global_api_key(&target, doc.clone()).await.map(|()| doc)
            };
            if force || !client.checks_conflicts() {
                return d.save(write(d.raw.snapshot()));
            }
            d.save_merged(client.get_global_api_key(&id), write)
        }
    }}

    methods! { module; Handle<GovernUser> as u {
        /// A client whose every call acts as this user (`X-DKU-ProxyUser`; the API key
        /// must be an admin's), with exactly the user's rights.
        fn get_client_as() -> Handle<GovernClient> {
            let client = u.client().impersonating(&u.key).map_err(super::bridge::to_rhai)?;
            let api = Api { client, bridge: u.api.bridge.clone() };
            Ok(Handle::new(&api, api.client.host().to_string()))
        }
        /// Starts a resync of this user from its external source; returns the task.
        fn start_resync_from_supplier() -> Handle<GovernFuture> {
            Ok(started(u, u.run(u.client().start_resync_user(&u.key))?))
        }
    }}
}
