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
use super::call::Object;
use super::json_ref::JsonRef;
use super::register::Register;
use crate::client::GovernClient;
use rhai::{FuncRegistration, RhaiNativeFunc, Variant};
use std::fmt::Display;
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

/// What distinguishes one handle type from another: its name and its key.
pub trait Kind: Send + Sync + 'static {
    /// The Rhai type name (the Python class name).
    const NAME: &'static str;
    /// What identifies an object of this kind.
    type Key: Clone + Send + Sync + PartialEq + Display + 'static;
}

/// Declares marker types implementing [`Kind`], each with its shape and key
/// (`Name: Handle<KeyType>;` or `Name: Document<KeyType>;`), and `register_types`,
/// which registers them all.
macro_rules! kinds {
    ($($(#[$doc:meta])* $name:ident: $shape:ident<$key:ty>;)*) => {
        $(
            $(#[$doc])*
            pub enum $name {}
            impl $crate::bindings::handle::Kind for $name {
                const NAME: &'static str = stringify!($name);
                type Key = $key;
            }
        )*

        /// Registers every declared type: name, printing, equality, `get_raw()`.
        pub fn register_types(engine: &mut impl $crate::bindings::register::Register) {
            $($crate::bindings::handle::$shape::<$name>::register_type(engine);)*
        }
    };
}
pub(crate) use kinds;

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

/// Registers what every object type has: its name, `to_string` (`GovernArtifact(ar.1)`)
/// and equality by key.
fn register_object<R: Object>(engine: &mut impl Register, name: &'static str) {
    engine
        .register_type_with_name::<R>(name)
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
        register_object::<Self>(engine, K::NAME);
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
        register_object::<Self>(engine, K::NAME);
        // `def.raw.x = 1` works where `def.get_raw().x = 1` is a Rhai syntax error.
        engine.register_get("raw", |d: &mut Self| d.raw.clone());
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

/// Registers a documented native function (its names and docs become engine metadata,
/// as for declared methods). `params` are `name: Type` strings, the return type last.
pub fn def<A: 'static, const N: usize, const X: bool, R: Variant + Clone, const F: bool>(
    engine: &mut impl Register,
    name: &str,
    params: &[&str],
    doc: &str,
    func: impl RhaiNativeFunc<A, N, X, R, F> + Send + Sync + 'static,
) {
    let comments: Vec<String> = doc.lines().map(|l| format!("/// {l}")).collect();
    let registration = FuncRegistration::new(name)
        .with_params_info(params)
        .with_comments(comments);
    engine.register_with(registration, func);
}
