//! `govscript run FILE|- [ARGS...]`: one script, start to finish.
use super::config::ConnectionFlags;
use super::diagnostics::Diagnostic;
use super::engine::{self, EngineOptions, Limits};
use super::session::Session;
use rhai::{Array, Dynamic, Engine, EvalAltResult, INT, Position, Scope};
use std::borrow::Cow;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicI32, Ordering};

/// What `govscript run` was asked to do.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// The script file, or `-` for standard input.
    pub script: PathBuf,
    /// Arguments after the script path, visible to the script as `ARGS`.
    pub args: Vec<String>,
    /// Connection flags.
    pub connection: ConnectionFlags,
    /// Start an ephemeral sandbox and point the script at it.
    pub sandbox: bool,
    /// Less output.
    pub quiet: bool,
    /// Script limits.
    pub limits: Limits,
    /// Wall-clock time the script may take (`--script-timeout`), if limited.
    pub time_limit: Option<std::time::Duration>,
}

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

/// The name `run -` gives the script read from standard input, in errors and `SCRIPT`.
pub const STDIN_NAME: &str = "<stdin>";

/// Runs a script; returns the process exit code.
pub fn run(options: RunOptions) -> i32 {
    let (source, display, script_dir) = match read_script(&options.script) {
        Ok(read) => read,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_USAGE;
        }
    };
    let session = match Session::start(options.sandbox, options.quiet) {
        Ok(s) => s,
        Err(e) => {
            eprintln!(
                "error: {}",
                crate::client::secrets::redact(&format!("{e:#}"))
            );
            return EXIT_USAGE;
        }
    };
    if let Err(e) = session.check_connection(&options.connection) {
        eprintln!("error: {e}");
        session.finish();
        return EXIT_USAGE;
    }
    let connection = session.connection(&options.connection);
    let bridge = session.bridge();
    if let Some(limit) = options.time_limit {
        // Stops the script like Ctrl-C does: at its next operation or request.
        let cancel = bridge.cancel().clone();
        session.runtime_handle().spawn(async move {
            tokio::time::sleep(limit).await;
            cancel.cancel_because("--script-timeout reached");
        });
    }
    let quiet = options.quiet;
    let limits = options.limits;
    let args = options.args.clone();
    let code = session.run_script_thread(move || {
        let mut engine = engine::build(EngineOptions {
            bridge,
            connection,
            quiet,
            limits,
            script_dir,
        });
        let executed = execute(&mut engine, &source, &display, args, Vec::new());
        if let Some(error) = executed.error {
            eprint!("{error}");
        }
        executed.code
    });
    if let Some(summary) = session.summary().filter(|_| !options.quiet) {
        eprintln!("{summary}");
    }
    session.finish();
    code
}

/// Reads the script `run` was given: the file, or standard input for `-`. Returns its
/// source, its name for errors and `SCRIPT`, and the folder its imports resolve in.
fn read_script(path: &Path) -> Result<(String, String, Option<PathBuf>), String> {
    if path == Path::new("-") {
        let mut source = String::new();
        return match std::io::stdin().read_to_string(&mut source) {
            // Imports resolve in the current folder, as for a script found there.
            Ok(_) => Ok((source, STDIN_NAME.to_string(), Some(PathBuf::from(".")))),
            Err(e) => Err(format!("cannot read the script from standard input: {e}")),
        };
    }
    let display = path.display().to_string();
    match std::fs::read_to_string(path) {
        Ok(source) => Ok((source, display, path.parent().map(Path::to_path_buf))),
        Err(e) => Err(format!("cannot read {display}: {e}")),
    }
}

/// The source as the engine compiles it: a leading `#!` line (`#!/usr/bin/env -S
/// govscript run`, which makes a script executable) is emptied, not removed, so line
/// numbers in errors stay the file's. Every mode that compiles a script file uses it.
pub fn skip_shebang(source: &str) -> Cow<'_, str> {
    if !source.starts_with("#!") {
        return Cow::Borrowed(source);
    }
    match source.find('\n') {
        Some(end) => Cow::Owned(source[end..].to_string()),
        None => Cow::Borrowed(""),
    }
}

/// What one execution of a script gave.
#[derive(Debug)]
pub struct Executed {
    /// The exit code `run` would exit with.
    pub code: i32,
    /// The rendered syntax or runtime error, if the script failed.
    pub error: Option<String>,
}

/// Compiles and runs `source` on `engine` (built by [`engine::build`]) the way `run`
/// does: a shebang line skipped ([`skip_shebang`]), `ARGS` and `SCRIPT` set, then
/// `extra` variables as constants; `exit(code)` honoured; errors rendered as
/// `file:line:column` with the source line. A syntax error exits [`EXIT_USAGE`]:
/// nothing ran.
pub fn execute(
    engine: &mut Engine,
    source: &str,
    display: &str,
    args: Vec<String>,
    extra: Vec<(&'static str, Dynamic)>,
) -> Executed {
    let exit_code = register_exit(engine);
    let source = skip_shebang(source);
    let source = source.as_ref();
    let mut ast = match engine.compile(source) {
        Ok(ast) => ast,
        Err(e) => {
            return Executed {
                code: EXIT_USAGE,
                error: Some(Diagnostic::from_parse(&e).render(display, source)),
            };
        }
    };
    ast.set_source(display.to_string());
    let mut scope = Scope::new();
    let argv: Array = args.into_iter().map(Dynamic::from).collect();
    scope.push("ARGS", argv);
    scope.push_constant("SCRIPT", display.to_string());
    for (name, value) in extra {
        scope.push_constant(name, value);
    }
    // `exit(n)` ends the run as a success whose code was set aside (see `register_exit`).
    match engine.run_ast_with_scope(&mut scope, &ast) {
        Ok(()) => Executed {
            code: exit_code.load(Ordering::SeqCst),
            error: None,
        },
        Err(e) => Executed {
            code: EXIT_SCRIPT_ERROR,
            error: Some(Diagnostic::from_eval(*e, engine).render(display, source)),
        },
    }
}

/// `exit(code)` ends the script with that process exit code. Rhai's own `exit` turns
/// into the script's return value, so the code is kept aside here. A code that is not
/// an integer from 0 to 255 is an error: `exit(-1)` must not end as a success.
fn register_exit(engine: &mut Engine) -> Arc<AtomicI32> {
    let code = Arc::new(AtomicI32::new(EXIT_OK));
    let slot = code.clone();
    crate::bindings::handle::def(
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

#[cfg(test)]
mod tests {
    use super::skip_shebang;

    #[test]
    fn a_shebang_line_is_emptied_and_its_line_kept() {
        assert_eq!(
            skip_shebang("#!/usr/bin/env -S govscript run\nx\n"),
            "\nx\n"
        );
        assert_eq!(skip_shebang("#!govscript\r\nx"), "\nx");
        assert_eq!(skip_shebang("#!govscript"), "");
        assert_eq!(skip_shebang("x\n#!y\n"), "x\n#!y\n");
        assert_eq!(skip_shebang(" #!x"), " #!x");
    }
}
