//! `govscript run FILE|- [ARGS...]`: one script, start to finish.
use super::config::ConnectionFlags;
use super::diagnostics::Diagnostic;
use super::engine::{self, EngineOptions, Limits};
use super::reach::Reach;
use super::session::Session;
use crate::client::OperationHooks;
use rhai::{Array, Dynamic, Engine, Scope};
use std::borrow::Cow;
use std::io::Read;
use std::path::{Path, PathBuf};

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
    /// The audit log the run's changes are appended to (`None`: `--no-audit`).
    pub audit: Option<PathBuf>,
    /// Plan the changes instead of making them (`--plan FILE`, `--dry-run`).
    pub plan: Option<crate::plan::PlanOptions>,
    /// Write the run's chain head into Govern at its end (`--audit-to-govern`).
    pub audit_to_govern: bool,
}

pub use super::exit::{EXIT_INTERRUPTED, EXIT_OK, EXIT_SCRIPT_ERROR, EXIT_USAGE};

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
    // The Govern bindings (and the built-ins) only for a script that can call them, and
    // of them only what it can reach by the names it uses, where the tree shows them
    // all; the bindings are built on another core while this thread starts the session.
    let scan = super::reach::scan(&skip_shebang(&source));
    let reach = scan.reach;
    let by_names = scan.names.is_some();
    if let Some(names) = scan.names {
        engine::reach_only(names);
    }
    if reach == Reach::Govern {
        engine::prepare_govern_in_background();
    }
    tracing::debug!(
        "{}",
        match reach {
            Reach::Govern if by_names => "Govern bindings registered: those the script names",
            Reach::Govern => "Govern bindings registered: all of them",
            Reach::Builtins =>
                "Govern bindings not registered: the script names no Govern function",
            Reach::Rhai => "Govern bindings and built-ins not registered: the script names neither",
        }
    );
    // A script that names no Govern function makes no request: no runtime workers.
    let started = if reach == Reach::Govern || options.sandbox {
        Session::start(options.sandbox, options.quiet)
    } else {
        Session::start_without_requests(options.quiet)
    };
    let session = match started {
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
    // A plan sends no change, so it has nothing to audit.
    let planner = options
        .plan
        .as_ref()
        .map(|_| std::sync::Arc::new(crate::plan::hook::PlanHook::new()));
    let audit = match (&planner, &options.audit) {
        (None, Some(log)) => Some(audit_hook(log, &options.script, &display, &source)),
        _ => None,
    };
    let hooks: Vec<std::sync::Arc<dyn crate::client::OperationHook>> = match (&planner, &audit) {
        (Some(hook), _) => vec![hook.clone()],
        (None, Some(hook)) => vec![hook.clone()],
        (None, None) => Vec::new(),
    };
    let bridge = if hooks.is_empty() {
        session.bridge()
    } else {
        session.bridge().with_operation_hooks(OperationHooks(hooks))
    };
    let origin = crate::plan::Origin {
        host: connection
            .as_ref()
            .map(|c| c.host.clone())
            .unwrap_or_default(),
        script: display.clone(),
        script_sha256: crate::audit::record::sha256_hex(source.as_bytes()),
    };
    let anchor_to = connection.clone();
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
    let mut code = session.run_script_thread(move || {
        let options = EngineOptions {
            bridge,
            connection,
            quiet,
            limits,
            script_dir,
        };
        let mut engine = engine::build_for(options, reach);
        let executed = execute(&mut engine, &source, &display, args, Vec::new());
        if let Some(error) = executed.error {
            eprint!("{error}");
        }
        // The process ends now: freeing the engine would only cost time.
        std::mem::forget(engine);
        executed.code
    });
    if let (Some(hook), Some(plan)) = (&planner, &options.plan) {
        code = crate::plan::finish(hook, plan, origin, code);
    }
    if let Some(hook) = audit.filter(|_| options.audit_to_govern) {
        let runtime = session.runtime_handle();
        code = crate::audit::anchor::finish_run(&runtime, &anchor_to, &hook, code, quiet);
    }
    if let Some(summary) = session.summary().filter(|_| !options.quiet) {
        eprintln!("{summary}");
    }
    if options.sandbox {
        // Stopped cleanly: its temporary folder is removed.
        session.finish();
    } else {
        // Nothing to clean up: the process exits without joining the runtime's
        // threads (what was printed is flushed already, see `engine::build`).
        std::mem::forget(session);
    }
    code
}

/// The hook auditing a run of the script `path` (shown as `display`, text `source`)
/// into `log`.
pub(crate) fn audit_hook(
    log: &Path,
    path: &Path,
    display: &str,
    source: &str,
) -> std::sync::Arc<crate::audit::hook::AuditHook> {
    use crate::audit::{hook, log::AuditLog};
    let script = match std::fs::canonicalize(path) {
        Ok(absolute) => absolute.display().to_string(),
        Err(_) => display.to_string(),
    };
    std::sync::Arc::new(hook::AuditHook::new(
        AuditLog::new(log),
        hook::RunInfo::new(script, source),
    ))
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
    let exit_code = super::exit::register_exit(engine);
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
            code: exit_code.get(),
            error: None,
        },
        Err(e) => Executed {
            code: EXIT_SCRIPT_ERROR,
            error: Some(Diagnostic::from_eval(*e, engine).render(display, source)),
        },
    }
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
