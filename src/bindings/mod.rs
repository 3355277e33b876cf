//! Rhai types and functions mirroring the Python client's Govern handles.
//!
//! No HTTP here: every function calls [`crate::client`] through a [`Bridge`].
//! [`handle`] holds the generic handle and document types, [`method`] the one-declaration
//! mechanism for methods, [`arg`] their arguments; one module per handle family
//! declares its methods.
pub mod arg;
mod artifact;
mod blueprint;
pub mod bridge;
pub mod call;
pub mod client;
pub mod convert;
pub mod def;
mod designer;
pub mod error;
pub mod handle;
pub mod json_ref;
pub mod kind;
pub mod kinds;
mod merge;
pub mod method;
pub mod resource;
mod review;
mod search;
mod signoff;
pub mod values;

pub use bridge::{Bridge, Cancel};
pub use client::{ScriptClient, connect};
pub use error::ScriptError;
pub use json_ref::JsonRef;

use rhai::{Engine, Module};

/// Registers every Govern type and function on `engine`.
pub fn register(engine: &mut Engine, bridge: &Bridge) {
    error::register(engine);
    json_ref::register(engine);
    values::register(engine);
    kinds::register_types(engine);
    // Declared methods go into one module, registered as a global package.
    let mut methods = Module::new();
    client::register(engine, &mut methods, bridge);
    blueprint::register(engine, &mut methods);
    designer::register(engine, &mut methods);
    artifact::register(engine, &mut methods);
    signoff::register(engine, &mut methods);
    review::register(engine, &mut methods);
    search::register(engine, &mut methods);
    engine.register_global_module(methods.into());
}
