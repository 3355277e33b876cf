//! `env(name)` and `env(name, default)`: environment variables for scripts.
use crate::bindings::handle::def;
use crate::bindings::register::Register;
use rhai::Dynamic;

/// The variable's value, or `None` when unset or not UTF-8.
fn var(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// Registers `env`.
pub fn register(engine: &mut impl Register) {
    def(
        engine,
        "env",
        &["name: String", "?"],
        "The environment variable `name`, or `()` when it is unset.\n\
         ```rhai\n\
         let owner = env(\"OWNER\") ?? \"admin\";\n\
         ```",
        |name: &str| var(name).map_or(Dynamic::UNIT, Dynamic::from),
    );
    def(
        engine,
        "env",
        &["name: String", "default: String", "String"],
        "The environment variable `name`, or `default` when it is unset.",
        |name: &str, default: &str| var(name).unwrap_or_else(|| default.to_string()),
    );
}
