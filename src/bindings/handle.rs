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
use crate::client::GovernClient;
use rhai::{CustomType, Engine, FuncRegistration, RhaiNativeFunc, TypeBuilder, Variant};
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
    /// The type's doc comment lines (each starting with `///`), for `govscript docs`.
    const DOCS: &'static [&'static str] = &[];
}

/// Declares marker types implementing [`Kind`], each with its shape and key
/// (`Name: Handle<KeyType>;` or `Name: Document<KeyType>;`), and `register_types`,
/// which registers them all.
macro_rules! kinds {
    ($($(#[doc = $doc:literal])* $name:ident: $shape:ident<$key:ty>;)*) => {
        $(
            $(#[doc = $doc])*
            pub enum $name {}
            impl $crate::bindings::handle::Kind for $name {
                const NAME: &'static str = stringify!($name);
                type Key = $key;
                const DOCS: &'static [&'static str] = &[$(concat!("///", $doc)),*];
            }
        )*

        /// Registers every declared type: name, printing, equality, `get_raw()`.
        pub fn register_types(engine: &mut rhai::Engine) {
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

impl<K: Kind> CustomType for Handle<K> {
    fn build(mut builder: TypeBuilder<Self>) {
        builder.with_name(K::NAME).with_comments(K::DOCS);
    }
}

impl<K: Kind> CustomType for Document<K> {
    fn build(mut builder: TypeBuilder<Self>) {
        builder.with_name(K::NAME).with_comments(K::DOCS);
    }
}

/// Registers what every object type has: its name and doc, `to_string`
/// (`GovernArtifact(ar.1)`) and equality by key.
fn register_object<R: Object + CustomType>(engine: &mut Engine, name: &'static str) {
    engine
        .build_type::<R>()
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
    pub fn register_type(engine: &mut Engine) {
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
    pub fn register_type(engine: &mut Engine) {
        register_object::<Self>(engine, K::NAME);
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

/// Registers a documented native function (its names and docs become engine metadata,
/// as for declared methods). `params` are `name: Type` strings, the return type last.
pub fn def<A: 'static, const N: usize, const X: bool, R: Variant + Clone, const F: bool>(
    engine: &mut Engine,
    name: &str,
    params: &[&str],
    doc: &str,
    func: impl RhaiNativeFunc<A, N, X, R, F> + Send + Sync + 'static,
) {
    let comments: Vec<String> = doc.lines().map(|l| format!("/// {l}")).collect();
    FuncRegistration::new(name)
        .with_params_info(params)
        .with_comments(comments)
        .register_into_engine(engine, func);
}

/// Registers a documented property getter (`x.name`), as [`def`] does for functions.
pub fn prop<A: 'static, const N: usize, const X: bool, R: Variant + Clone, const F: bool>(
    engine: &mut Engine,
    name: &str,
    doc: &str,
    get: impl RhaiNativeFunc<A, N, X, R, F> + Send + Sync + 'static,
) {
    def(engine, &format!("get${name}"), &[], doc, get);
}

/// Implements [`CustomType`] for a value type so that it is registered with its name
/// and doc comment: `documented_type!(GovernError = ScriptError, "The error ...")`,
/// then `engine.build_type::<ScriptError>()`.
macro_rules! documented_type {
    ($name:literal = $ty:ty, $doc:literal) => {
        impl rhai::CustomType for $ty {
            fn build(mut builder: rhai::TypeBuilder<Self>) {
                builder
                    .with_name($name)
                    .with_comments(&[concat!("/// ", $doc)]);
            }
        }
    };
}
pub(crate) use documented_type;
