//! Rhai types and functions mirroring the Python client's Govern handles.
//!
//! No HTTP here: every function calls [`crate::client`] through a [`Bridge`].
//! [`handle`] holds the generic mechanism; one module per handle family adds methods.
mod args;
mod artifact;
mod blueprint;
pub mod bridge;
pub mod client;
pub mod convert;
pub mod error;
pub mod handle;
pub mod json_ref;
pub mod kinds;
mod review;
mod signoff;
pub mod values;

pub use bridge::{Bridge, Cancel};
pub use client::{ScriptClient, connect};
pub use error::ScriptError;
pub use json_ref::JsonRef;

use rhai::Engine;

/// Registers every Govern type and function on `engine`.
pub fn register(engine: &mut Engine, bridge: &Bridge) {
    error::register(engine);
    json_ref::register(engine);
    values::register(engine);
    client::register(engine, bridge);
    blueprint::register(engine);
    artifact::register(engine);
    signoff::register(engine);
    review::register(engine);
}
