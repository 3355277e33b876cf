//! The error value scripts catch: `try { ... } catch (e) { if e.status == 404 { ... } }`.
//! (`call` is a Rhai keyword, so the failed call is `e.operation`.)
use super::def::{def, documented_type, prop};
use crate::bindings::register::Register;
use crate::client::{ErrorKind, GovernError};
use rhai::Dynamic;

/// A Govern call failure as seen from a script.
#[derive(Debug, Clone)]
pub struct ScriptError {
    /// The call, e.g. `GovernArtifact.get_definition`.
    pub call: String,
    /// HTTP status, when the server answered.
    pub status: Option<u16>,
    /// Govern's `errorType`, or the local kind (`ConnectionError`, `Timeout`...).
    pub error_type: String,
    /// The message (Govern's `detailedMessage` or `message`).
    pub message: String,
    /// `METHOD /dip/publicapi/...` of the failed request.
    pub request: Option<String>,
    /// Whether the user stopped the script (Ctrl-C): not catchable in spirit, shown plainly.
    pub cancelled: bool,
    display: String,
}

impl From<GovernError> for ScriptError {
    fn from(e: GovernError) -> Self {
        Self {
            display: e.to_string(),
            status: e.status(),
            error_type: e.error_type().to_string(),
            message: e.message(),
            request: e.request.clone(),
            cancelled: matches!(*e.kind, ErrorKind::Cancelled(_)),
            call: e.call,
        }
    }
}

impl std::fmt::Display for ScriptError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.display)
    }
}

documented_type!(
    "GovernError" = ScriptError,
    "A failed Govern call, as `catch (e)` gets it: `e.status`, `e.error_type`, `e.message`."
);

/// Registers the `GovernError` type and its properties.
pub fn register(engine: &mut impl Register) {
    engine.register_documented::<ScriptError>();
    prop(
        engine,
        "operation",
        "The failed call, e.g. `GovernArtifact.get_definition`.",
        |e: &mut ScriptError| e.call.clone(),
    );
    prop(
        engine,
        "status",
        "The HTTP status, or `()` when the server did not answer.",
        |e: &mut ScriptError| {
            e.status
                .map_or(Dynamic::UNIT, |s| Dynamic::from(s as rhai::INT))
        },
    );
    prop(
        engine,
        "error_type",
        "Govern's `errorType`, or the local kind (`ConnectionError`, `Timeout`...).",
        |e: &mut ScriptError| e.error_type.clone(),
    );
    prop(
        engine,
        "message",
        "Govern's message (`detailedMessage` or `message`).",
        |e: &mut ScriptError| e.message.clone(),
    );
    prop(
        engine,
        "request",
        "`METHOD /dip/publicapi/...` of the failed request, or `()`.",
        |e: &mut ScriptError| e.request.clone().map_or(Dynamic::UNIT, Dynamic::from),
    );
    def(
        engine,
        "to_string",
        &["self: GovernError", "String"],
        "The error as `print` shows it: call, status, type and message.",
        |e: &mut ScriptError| e.to_string(),
    );
    def(
        engine,
        "to_debug",
        &["self: GovernError", "String"],
        "The error as `debug` shows it.",
        |e: &mut ScriptError| format!("GovernError({e})"),
    );
}
