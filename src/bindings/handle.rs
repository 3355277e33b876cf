//! The generic mechanism behind every Govern handle type.
//!
//! Python's Govern classes come in two shapes:
//! - **handles** identified by a key (`GovernArtifact("ar.1")`, `GovernBlueprintVersion(bp, bv)`),
//!   whose methods call the server: [`Handle<K>`];
//! - **documents** that wrap one JSON dict (`*Definition`, `*ListItem`, `*Trace`, ...)
//!   with `get_raw()` and sometimes `save()` / `to_xxx()`: [`Document<K>`].
//!
//! A marker type per Python class (declared with [`kinds!`]) gives each its own Rhai
//! type name. [`register_handle`] and [`register_document`] give every one of them
//! printing, equality by key and `get_raw()`; family modules add only what differs.
use super::bridge::{Bridge, RhaiResult};
pub use super::def::def;
use super::def::prop;
use super::json_ref::JsonRef;
pub use super::kind::Kind;
use super::register::Register;
use crate::client::GovernClient;
use crate::protocol::PathKey;
use std::future::Future;

/// The connection a handle talks through: the client and the bridge to its runtime.
#[derive(Clone, Debug)]
pub struct Api {
    /// The Govern client.
    pub client: GovernClient,
    /// Runs the client's futures from the script thread.
    pub bridge: Bridge,
}

impl Api {
    /// Runs a client call to completion; its error becomes a catchable script error.
    pub fn run<T, F>(&self, call: &'static str, future: F) -> RhaiResult<T>
    where
        F: Future<Output = crate::client::Result<T>>,
    {
        self.bridge.block_on(call, future)
    }
}

/// A Govern object scripts hold: a connection and the key of what it designates.
pub trait Object: Clone + Send + Sync + 'static {
    /// What identifies the object.
    type Key: Clone + PartialEq + std::fmt::Display;
    /// The connection.
    fn api(&self) -> &Api;
    /// The object's key.
    fn key(&self) -> &Self::Key;
}

impl<K: Kind> Object for Handle<K> {
    type Key = K::Key;
    fn api(&self) -> &Api {
        &self.api
    }
    fn key(&self) -> &K::Key {
        &self.key
    }
}

impl<K: Kind> Object for Document<K> {
    type Key = K::Key;
    fn api(&self) -> &Api {
        &self.api
    }
    fn key(&self) -> &K::Key {
        &self.key
    }
}

/// A handle on a server object: calls go through `api`, `key` says which object.
pub struct Handle<K: Kind> {
    /// The connection.
    pub api: Api,
    /// The object's key.
    pub key: K::Key,
}

impl<K: Kind> Handle<K> {
    /// A handle on the object `key`.
    pub fn new(api: &Api, key: K::Key) -> Self {
        Self {
            api: api.clone(),
            key,
        }
    }
}

impl<K: Kind> Clone for Handle<K> {
    fn clone(&self) -> Self {
        Self {
            api: self.api.clone(),
            key: self.key.clone(),
        }
    }
}

/// A handle wrapping one JSON document; `raw` is live (see [`JsonRef`]).
pub struct Document<K: Kind> {
    /// The connection (for `save()` and `to_xxx()`).
    pub api: Api,
    /// The key of the object the document belongs to.
    pub key: K::Key,
    /// The document.
    pub raw: JsonRef,
    /// The document as the server last gave it (read or saved): the base of `save()`'s
    /// three-way merge, so that only the changes made since are applied.
    pub base: JsonRef,
}

impl<K: Kind> Document<K> {
    /// Wraps `document`, belonging to `key`.
    pub fn new(api: &Api, key: K::Key, document: serde_json::Value) -> Self {
        Self {
            api: api.clone(),
            key,
            base: JsonRef::new(document.clone()),
            raw: JsonRef::new(document),
        }
    }
}

impl<K: Kind> Clone for Document<K> {
    fn clone(&self) -> Self {
        Self {
            api: self.api.clone(),
            key: self.key.clone(),
            raw: self.raw.clone(),
            base: self.base.clone(),
        }
    }
}

/// Registers what every object type has: its name and doc, `to_string`
/// (`GovernArtifact(ar.1)`) and equality by key.
fn register_object<R: Object>(engine: &mut impl Register, name: &'static str, docs: &[&str]) {
    engine
        .register_type_doc::<R>(name, docs)
        .register_fn("==", |a: R, b: R| a.key() == b.key())
        .register_fn("!=", |a: R, b: R| a.key() != b.key());
    def(
        engine,
        "to_string",
        &[&receiver(name), "String"],
        "The object as `print` shows it: its type and key.",
        move |o: &mut R| format!("{name}({})", o.key()),
    );
}

/// `self: Name`: the receiver of a method, named in signatures and definitions.
fn receiver(name: &str) -> String {
    format!("self: {name}")
}

impl<K: Kind> Handle<K> {
    /// Registers the type: name, printing and equality by key.
    pub fn register_type(engine: &mut impl Register) {
        register_object::<Self>(engine, K::NAME, K::DOCS);
        def(
            engine,
            "to_debug",
            &[&receiver(K::NAME), "String"],
            "The handle as `debug` shows it: its type and key.",
            |h: &mut Self| format!("{}({})", K::NAME, h.key),
        );
    }
}

impl<K: Kind> Document<K> {
    /// Registers the type: name, `get_raw()`, printing and equality by key.
    pub fn register_type(engine: &mut impl Register) {
        register_object::<Self>(engine, K::NAME, K::DOCS);
        // `def.raw.x = 1` works where `def.get_raw().x = 1` is a Rhai syntax error.
        prop(
            engine,
            "raw",
            "The live JSON document (as `get_raw()`), e.g. `def.raw.name = \"x\"`.",
            |d: &mut Self| d.raw.clone(),
        );
        def(
            engine,
            "to_debug",
            &[&receiver(K::NAME), "String"],
            "The document as `debug` shows it: its type, key and JSON.",
            |d: &mut Self| format!("{}({}) {}", K::NAME, d.key, d.raw),
        );
        def(
            engine,
            "get_raw",
            &[&receiver(K::NAME), "JsonRef"],
            "The live JSON document: changes made to it are what `save()` sends.",
            |d: &mut Self| d.raw.clone(),
        );
    }
}

/// Registers Python's `client` back-reference on `R`: the client it talks through.
pub fn client_attribute<R: Object>(engine: &mut impl Register) {
    prop(
        engine,
        "client",
        "The client this object talks through (Python's `client`).",
        |o: &mut R| {
            Handle::<super::kinds::GovernClient>::new(o.api(), o.api().client.host().into())
        },
    );
}

/// Registers Python's key attributes (`artifact_id`, `step_id`, ...) on `R`: one name
/// per part of its key, outermost first.
pub fn key_attributes<R: Object<Key: PathKey>>(
    engine: &mut impl Register,
    class: &str,
    names: &[&'static str],
) {
    for (i, name) in names.iter().enumerate() {
        let doc = format!("The `{name}` of the {class}'s key (Python's attribute).");
        prop(engine, name, &doc, move |o: &mut R| {
            o.key()
                .parts()
                .get(i)
                .map_or(String::new(), |p| p.to_string())
        });
    }
}

/// Registers Python's attribute holding the document (`definition`, `trace`, ...):
/// the same live document as `raw`.
pub fn raw_attribute<K: Kind>(engine: &mut impl Register, name: &'static str) {
    let doc = format!("The live document, as `raw` (Python's `{name}`).");
    prop(engine, name, &doc, |d: &mut Document<K>| d.raw.clone());
}
