//! Native helpers every engine gets (run, watch, REPL, `docs`), one concern per file:
//! dates and durations ([`dates`]), terminal tables ([`table`]).
pub mod dates;
pub mod table;

use crate::bindings::register::Register;

/// Registers every native helper.
pub fn register(engine: &mut impl Register) {
    dates::register(engine);
    table::register(engine);
}
