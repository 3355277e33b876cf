//! Native helpers every script gets besides the Govern bindings: reading and writing
//! CSV and JSON files ([`files`]), environment variables ([`env`]), dates and durations
//! ([`dates`]), terminal tables ([`table`]).
pub mod dates;
pub mod env;
pub mod files;
pub mod table;

use crate::bindings::register::Register;

/// Registers every native helper.
pub fn register(engine: &mut impl Register) {
    files::register(engine);
    env::register(engine);
    dates::register(engine);
    table::register(engine);
}
