//! What `govscript docs` prints: the Rhai API reference ([`reference`]) and how much of
//! the Python client it covers ([`coverage`]), both read from the engine's own registry
//! (names, signatures and doc comments), never from a hand-kept table.
pub mod coverage;
pub mod python;
pub mod reference;
pub mod stdlib;

use crate::bindings::{Bridge, Cancel};
use crate::runtime::engine::{self, EngineOptions, Limits};
use rhai::Engine;
use std::sync::Arc;

/// An engine with everything registered, built to be inspected: it makes no connection
/// (`govern()` fails if called) and prints nothing.
pub fn inspection_engine(runtime: &tokio::runtime::Runtime) -> Engine {
    engine::build(EngineOptions {
        bridge: Bridge::new(runtime.handle().clone(), Arc::new(Cancel::default())),
        connection: Err("no connection: the engine is only inspected".into()),
        quiet: true,
        limits: Limits::default(),
        script_dir: None,
    })
}
