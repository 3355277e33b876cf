//! Rhai types and functions mirroring the Python client's Govern handles.
//!
//! No HTTP here: every function calls [`crate::client`] through a [`Bridge`].
//! [`handle`] holds the generic handle and document types, [`method`] the one-declaration
//! mechanism for methods, [`arg`] their arguments; one module per handle family
//! declares its methods.
mod admin;
mod admin_iam;
pub mod arg;
mod artifact;
mod blueprint;
pub mod bridge;
pub mod bulk;
pub mod call;
pub mod client;
pub mod convert;
pub mod def;
mod designer;
pub mod error;
mod files;
pub mod future;
pub mod handle;
mod implicit;
pub mod json_ref;
pub mod keys;
pub mod kind;
pub mod kinds;
mod merge;
pub mod method;
mod pages;
mod people;
mod people_docs;
pub mod register;
pub mod resource;
mod review;
mod roles;
mod roles_rules;
mod search;
mod series;
mod signoff;
pub mod values;

pub use bridge::{Bridge, Cancel};
pub use client::{ScriptClient, connect};
pub use error::ScriptError;
pub use json_ref::JsonRef;

use register::Register;
use rhai::{Engine, Module};

/// The Govern bindings that hold no per-run state: every type, property and method
/// (handles carry their own connection). Built once per process and shared by every
/// engine; returns the types-and-properties module and the methods module.
pub fn modules() -> (Module, Module) {
    let mut types = Module::new();
    let mut methods = Module::new();
    register(&mut types, &mut methods);
    finish_module(&mut types);
    (types, methods)
}

/// Completes a module filled through [`register::Register`]: a bare one (see
/// [`register::with_docs`]) gets the functions that print values of every type
/// registered into it (see [`implicit`]).
pub fn finish_module(module: &mut Module) {
    if !register::documenting() {
        implicit::register_dispatch(module);
    }
}

/// Registers every Govern type and property into `engine` and the declared methods
/// into `methods`.
pub fn register(engine: &mut impl Register, methods: &mut Module) {
    json_ref::register(engine);
    values::register(engine);
    kinds::register_types(engine);
    client::register(engine, methods);
    blueprint::register(engine, methods);
    designer::register(engine, methods);
    artifact::register(methods);
    signoff::register(methods);
    review::register(methods);
    roles::register(engine, methods);
    search::register(engine, methods);
    people::register(engine, methods);
    future::register(engine, methods);
    keys::register(engine, methods);
    series::register(methods);
    pages::register(engine, methods);
    files::register(methods);
    admin::register(engine, methods);
    bulk::register(engine, methods);
}

/// Registers what captures a run's state: the `GovernClient(host, api_key)`
/// constructor, whose clients talk through `bridge`.
pub fn register_per_run(engine: &mut Engine, bridge: &Bridge) {
    client::register_constructor(engine, bridge);
    engine.register_static_module("GovernFuture", future::statics());
    crate::plan::script::register(engine, bridge);
}
