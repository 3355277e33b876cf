//! How a script ends: the process exit codes every mode uses, and the script's
//! `exit(code)`.
use crate::bindings::handle::def;
use rhai::{Dynamic, Engine, EvalAltResult, INT, Position};
use std::sync::Arc;
use std::sync::atomic::{AtomicI32, Ordering};

/// Exit code: success.
pub const EXIT_OK: i32 = 0;
/// Exit code: the script started and failed (a runtime error, or it was stopped):
/// it may have made changes.
pub const EXIT_SCRIPT_ERROR: i32 = 1;
/// Exit code: nothing of the script ran (bad flags, unreadable file, syntax error, a
/// sandbox that cannot start), so nothing was changed.
pub const EXIT_USAGE: i32 = 2;
/// Exit code: a second Ctrl-C gave up at once (128 + SIGINT, as shells report it).
pub const EXIT_INTERRUPTED: i32 = 130;

/// The code a script's `exit(code)` set aside (see [`register_exit`]).
#[derive(Debug, Clone, Default)]
pub struct ExitCode(Arc<AtomicI32>);

impl ExitCode {
    /// The code set by `exit(code)`, or [`EXIT_OK`].
    pub fn get(&self) -> i32 {
        self.0.load(Ordering::SeqCst)
    }
}

/// `exit(code)` ends the script with that process exit code. Rhai's own `exit` turns
/// into the script's return value, so the code is kept aside here. A code that is not
/// an integer from 0 to 255 is an error: `exit(-1)` must not end as a success.
pub fn register_exit(engine: &mut Engine) -> ExitCode {
    let code = ExitCode::default();
    let slot = code.0.clone();
    def(
        engine,
        "exit",
        &["code: int", "()"],
        "Ends the script; `govscript run` exits with `code` (0 to 255).",
        move |value: Dynamic| -> Result<(), Box<EvalAltResult>> {
            let valid = value.as_int().ok().and_then(|c| u8::try_from(c).ok());
            let Some(c) = valid else {
                let shown = if value.is_string() {
                    format!("{value:?}")
                } else {
                    value.to_string()
                };
                return Err(format!(
                    "exit code must be an integer from 0 to 255, not {shown} ({})",
                    value.type_name()
                )
                .into());
            };
            slot.store(i32::from(c), Ordering::SeqCst);
            Err(Box::new(EvalAltResult::Exit(
                Dynamic::from(c as INT),
                Position::NONE,
            )))
        },
    );
    code
}
