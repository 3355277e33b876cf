//! The REPL's dot commands: `.help`, `.vars`, `.load FILE`, `.exit`.
use super::display::{self, ansi, paint};
use super::eval::{Evaluator, Outcome};
use super::help;
use super::index::Index;

/// What the loop does after a command.
#[derive(Debug, PartialEq, Eq)]
pub enum Next {
    /// Read the next entry.
    Continue,
    /// Leave the REPL.
    Exit,
}

/// Whether `entry` is a dot command (rather than Rhai, where `.5` is not valid anyway).
pub fn is_command(entry: &str) -> bool {
    entry
        .trim_start()
        .strip_prefix('.')
        .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_alphabetic()))
}

/// Runs the command `entry`; output goes to stdout, errors to stderr. Returns whether
/// the session should go on and whether the command failed.
pub fn run(ev: &mut Evaluator, index: &Index, entry: &str, color: bool) -> (Next, bool) {
    let entry = entry.trim();
    let (name, arg) = entry.split_once(char::is_whitespace).unwrap_or((entry, ""));
    let arg = arg.trim();
    match name {
        ".help" | ".h" if arg.is_empty() => print!("{}", help::overview(index, color)),
        ".help" | ".h" => print!("{}", help::topic(index, arg, color)),
        ".vars" => print!("{}", vars(ev, color)),
        ".load" if arg.is_empty() => {
            eprintln!("usage: .load FILE");
            return (Next::Continue, true);
        }
        ".load" => return (Next::Continue, !load(ev, arg, color)),
        ".exit" | ".quit" => return (Next::Exit, false),
        other => {
            eprintln!("unknown command {other}; `.help` lists the commands");
            return (Next::Continue, true);
        }
    }
    (Next::Continue, false)
}

/// `.vars`: each variable with its type and a short view of its value.
fn vars(ev: &Evaluator, color: bool) -> String {
    let mut out = String::new();
    let mut vars: Vec<_> = ev.scope.iter_raw().collect();
    // Newest first in the scope; listed in the order they were defined.
    vars.reverse();
    for (name, constant, value) in vars {
        let type_name = ev.engine.map_type_name(value.type_name());
        let shown = display::render(&ev.engine, value, false)
            .unwrap_or_else(|| "()".into())
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let shown = if shown.chars().count() > 60 {
            format!("{}…", shown.chars().take(59).collect::<String>())
        } else {
            shown
        };
        let kind = if constant { "const" } else { "let" };
        let shown = crate::client::secrets::redact(&shown);
        out.push_str(&format!(
            "{kind} {name}: {} = {shown}\n",
            paint(type_name, ansi::CYAN, color)
        ));
    }
    if out.is_empty() {
        out.push_str("no variables\n");
    }
    out
}

/// `.load FILE`: runs the file in the session. Returns whether it succeeded.
fn load(ev: &mut Evaluator, path: &str, color: bool) -> bool {
    let source = match std::fs::read_to_string(path) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: cannot read {path}: {e}");
            return false;
        }
    };
    // As `run` and `watch` do: an executable script's `#!` line is skipped.
    match ev.eval(&crate::runtime::run::skip_shebang(&source), path) {
        Outcome::Value(v) => {
            if let Some(text) = display::render(&ev.engine, &v, color) {
                println!("{text}");
            }
            true
        }
        Outcome::Error(e) => {
            eprint!("{e}");
            false
        }
        Outcome::Exit => true,
    }
}
