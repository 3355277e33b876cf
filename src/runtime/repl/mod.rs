//! `govscript repl`: explore a Govern instance interactively.
//!
//! The engine is set up as for `govscript run`, with a connected `client` variable.
//! On a terminal the line editor completes (see [`complete`]), highlights, hints from
//! history and continues open entries on the next line; with stdin piped, entries are
//! read line by line (open ones continue too) and results print without colour.
//! Ctrl-C stops the running statement (or clears the line) and the session goes on.
mod chain;
mod commands;
pub mod complete;
mod display;
mod eval;
mod help;
mod helper;
mod highlight;
pub mod history;
pub mod index;
mod lex;

use super::config::ConnectionFlags;
use super::diagnostics::Diagnostic;
use super::engine::{self, EngineOptions, Limits};
use super::run::{EXIT_OK, EXIT_SCRIPT_ERROR, EXIT_USAGE};
use super::session::Session;
use crate::client::secrets::redact;
use commands::Next;
use eval::{Evaluator, Outcome};
use index::Index;
use rhai::Dynamic;
use secrecy::ExposeSecret;
use std::io::{BufRead, IsTerminal};
use std::rc::Rc;

/// What `govscript repl` was asked to do.
#[derive(Debug, Clone)]
pub struct ReplOptions {
    /// Connection flags.
    pub connection: ConnectionFlags,
    /// Start an in-process sandbox with demo data and connect to it.
    pub sandbox: bool,
    /// No banner.
    pub quiet: bool,
    /// Script limits.
    pub limits: Limits,
    /// The audit log the session's changes are appended to (`None`: `--no-audit`).
    pub audit: Option<std::path::PathBuf>,
    /// At exit, write the session's chain head into Govern (`--audit-to-govern`).
    pub audit_to_govern: bool,
}

const PROMPT: &str = "gov> ";

/// Runs the REPL until Ctrl-D, `.exit` or the end of piped input; returns the exit code
/// (with piped input, 1 if an entry failed).
pub fn repl(options: ReplOptions) -> i32 {
    // Built on a second core while this thread starts the session (and its sandbox).
    engine::prepare_in_background();
    let session = match Session::start_with(options.sandbox, options.quiet, true) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {}", redact(&format!("{e:#}")));
            return EXIT_USAGE;
        }
    };
    if let Err(e) = session.check_connection(&options.connection) {
        eprintln!("error: {e}");
        session.finish();
        return EXIT_USAGE;
    }
    let connection = session.connection(&options.connection);
    // Why there is no `client`, when no connection is configured.
    let unconnected = connection.as_ref().err().cloned();
    // Lines holding the key never reach the history file.
    let secrets: Vec<String> = connection
        .iter()
        .map(|c| c.api_key.expose_secret().to_string())
        .collect();
    // Each entry is a run of its own text, named `<repl>` (see `Evaluator::eval`).
    let audit = options.audit.as_ref().map(|log| {
        let run = crate::audit::hook::RunInfo::new("<repl>", "");
        let log = crate::audit::log::AuditLog::new(log);
        std::sync::Arc::new(crate::audit::hook::AuditHook::new(log, run))
    });
    let bridge = match &audit {
        Some(hook) => session
            .bridge()
            .with_operation_hooks(crate::client::OperationHooks(vec![hook.clone()])),
        None => session.bridge(),
    };
    let cancel = bridge.cancel().clone();
    let quiet = options.quiet;
    let limits = options.limits;
    let anchor = audit
        .clone()
        .filter(|_| options.audit_to_govern)
        .map(|hook| (hook, connection.clone()));
    let mut code = session.run_script_thread(move || {
        let engine = engine::build(EngineOptions {
            bridge,
            connection,
            quiet,
            limits,
            script_dir: std::env::current_dir().ok(),
        });
        let mut ev = Evaluator::new(engine, cancel);
        ev.audit = audit;
        // `govern()` only builds the client: no request is sent until it is used.
        let unconnected = match unconnected {
            Some(why) => Some(why),
            None => match ev.engine.eval::<Dynamic>("govern()") {
                Ok(client) => {
                    ev.scope.push_dynamic("client", client);
                    None
                }
                Err(e) => Some(one_line(&Diagnostic::from_eval(*e, &ev.engine).message)),
            },
        };
        if let Some(why) = &unconnected {
            eprintln!("note: no `client` variable: {}", redact(why));
        }
        if std::io::stdin().is_terminal() {
            let banner = match unconnected {
                None => "`client` is connected",
                Some(_) => "no `client` (see the note above)",
            };
            interactive(ev, history::Filter::new(secrets), quiet, banner)
        } else {
            piped(ev)
        }
    });
    if let Some((hook, connection)) = anchor {
        // The session is one run: its head names `<repl>`, whatever entry came last.
        hook.set_run(crate::audit::hook::RunInfo {
            script: "<repl>".into(),
            ..hook.run()
        });
        let runtime = session.runtime_handle();
        code = crate::audit::anchor::finish_run(&runtime, &connection, &hook, code, quiet);
    }
    session.finish();
    code
}

fn one_line(text: &str) -> String {
    text.lines().next().unwrap_or_default().to_string()
}

/// Evaluates one entry and prints its value or error. Returns (next, failed).
fn entry(ev: &mut Evaluator, index: &Index, text: &str, color: bool) -> (Next, bool) {
    if commands::is_command(text) {
        return commands::run(ev, index, text, color);
    }
    match ev.eval(text, "<repl>") {
        Outcome::Value(value) => {
            if let Some(shown) = display::render(&ev.engine, &value, color) {
                println!("{}", redact(&shown));
            }
            (Next::Continue, false)
        }
        Outcome::Error(message) => {
            let message = match message.split_once('\n') {
                Some((first, rest)) if color => {
                    format!(
                        "{}\n{rest}",
                        display::paint(first, display::ansi::RED, true)
                    )
                }
                _ => message,
            };
            eprint!("{}", redact(&message));
            (Next::Continue, true)
        }
        Outcome::Exit => (Next::Exit, false),
    }
}

/// The terminal loop (rustyline).
fn interactive(mut ev: Evaluator, filter: history::Filter, quiet: bool, banner: &str) -> i32 {
    use rustyline::config::{ColorMode, CompletionType, Config};
    use rustyline::error::ReadlineError;
    let color = display::use_color();
    let config = Config::builder()
        .auto_add_history(false)
        .history_ignore_space(true)
        .completion_type(CompletionType::List)
        .color_mode(if color {
            ColorMode::Enabled
        } else {
            ColorMode::Disabled
        })
        .build();
    let mut editor = match rustyline::Editor::<helper::ReplHelper, _>::with_config(config) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("error: cannot start the line editor: {e}");
            return EXIT_USAGE;
        }
    };
    let index = Rc::new(Index::build(&ev.engine));
    let mut helper = helper::ReplHelper::new(index.clone(), color);
    helper.snapshot = complete::Snapshot::of(&ev.scope, ev.script_fns());
    editor.set_helper(Some(helper));
    let history = history::path().filter(|p| history::prepare(p).is_ok());
    if let Some(path) = &history {
        let _ = editor.load_history(path);
    }
    if !quiet {
        println!("govscript repl: {banner}; Tab completes, .help for help, Ctrl-D leaves");
    }
    loop {
        match editor.readline(PROMPT) {
            Ok(line) => {
                let next = entry(&mut ev, &index, &line, color).0;
                // Kept after running it, so the key of a client it created is known.
                if filter.allows(&line) {
                    let _ = editor.add_history_entry(line.as_str());
                    if let Some(path) = &history {
                        // Saved after every entry, so a killed session loses nothing.
                        let _ = editor.save_history(path);
                    }
                }
                if next == Next::Exit {
                    break;
                }
                if let Some(h) = editor.helper_mut() {
                    h.snapshot = complete::Snapshot::of(&ev.scope, ev.script_fns());
                }
            }
            Err(ReadlineError::Interrupted) => continue,
            Err(ReadlineError::Eof) => break,
            Err(e) => {
                eprintln!("error: {e}");
                return EXIT_USAGE;
            }
        }
    }
    EXIT_OK
}

/// Piped input: entries line by line (open ones continue), no prompt, no colour.
fn piped(mut ev: Evaluator) -> i32 {
    let parser = rhai::Engine::new_raw();
    let mut index: Option<Index> = None;
    let mut failed = false;
    let mut buffer = String::new();
    let mut lines = std::io::stdin().lock().lines();
    loop {
        let line = match lines.next() {
            Some(Ok(line)) => line,
            Some(Err(e)) => {
                eprintln!("error: cannot read stdin: {e}");
                return EXIT_USAGE;
            }
            None => break,
        };
        buffer.push_str(&line);
        buffer.push('\n');
        let text = buffer.trim_end();
        if text.is_empty() {
            buffer.clear();
            continue;
        }
        if !commands::is_command(text) && eval::is_incomplete(&parser, text) {
            continue;
        }
        let index = index.get_or_insert_with(|| Index::build(&ev.engine));
        let (next, fail) = entry(&mut ev, index, text, false);
        failed |= fail;
        buffer.clear();
        if next == Next::Exit {
            break;
        }
    }
    if !buffer.trim().is_empty() {
        let index = index.get_or_insert_with(|| Index::build(&ev.engine));
        failed |= entry(&mut ev, index, buffer.trim_end(), false).1;
    }
    if failed { EXIT_SCRIPT_ERROR } else { EXIT_OK }
}
