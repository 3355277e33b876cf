//! Native helpers every script gets besides the Govern bindings: reading and writing
//! CSV and JSON files ([`files`]), environment variables ([`env`]).
pub mod env;
pub mod files;

use crate::bindings::register::Register;

/// Registers every native helper.
pub fn register(engine: &mut impl Register) {
    files::register(engine);
    env::register(engine);
}
