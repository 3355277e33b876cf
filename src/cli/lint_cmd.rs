//! `govscript lint`: runs the blueprint health check (`stdlib/govern/lint.rhai`) through
//! the script runtime over every blueprint, or the given ones, and prints a report
//! grouped by blueprint (or `--json`) with an exit code for CI.
use super::run_cmd::ConnectionArgs;
use crate::bindings::ScriptError;
use crate::client::secrets::redact;
use crate::runtime::engine::{self, EngineOptions, Limits};
use crate::runtime::run::{EXIT_OK, EXIT_SCRIPT_ERROR, EXIT_USAGE};
use crate::runtime::session::Session;
use clap::Args;
use rhai::{Array, Dynamic, EvalAltResult, Scope};
use serde::{Deserialize, Serialize};
use std::io::IsTerminal;
use std::sync::{Arc, Mutex};

/// Arguments of `govscript lint`.
#[derive(Debug, Args)]
pub struct LintArgs {
    /// Lint only this blueprint (repeat for several) [default: every blueprint].
    #[arg(long = "blueprint", value_name = "ID")]
    pub blueprints: Vec<String>,
    /// Print the findings as a JSON array of `{severity, rule, blueprint, version, path,
    /// message}`.
    #[arg(long)]
    pub json: bool,
    /// Fail on warnings too (exit 1 when there is any finding).
    #[arg(long)]
    pub strict: bool,
    #[command(flatten)]
    pub connection: ConnectionArgs,
    /// Lint a sandbox with demo data started in this process (the connection flags
    /// and variables are then ignored).
    #[arg(long)]
    pub sandbox: bool,
}

/// One finding, as `lint::blueprint` returns it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Finding {
    /// `error` or `warning`.
    pub severity: String,
    /// The rule's stable id, e.g. `role-bound-to-nobody`.
    pub rule: String,
    /// The blueprint's id.
    pub blueprint: String,
    /// The version's id, `None` for the blueprint's role assignments.
    pub version: Option<String>,
    /// Where in the version definition, sign-off configuration or role assignments.
    pub path: String,
    /// What is wrong and what to fix.
    pub message: String,
}

impl Finding {
    fn is_error(&self) -> bool {
        self.severity == "error"
    }
}

/// What the lint script returns: the blueprints linted and the findings.
#[derive(Debug, Deserialize)]
struct Outcome {
    blueprints: Vec<String>,
    findings: Vec<Finding>,
}

/// The script `lint` runs: the embedded module over `BLUEPRINTS` (empty: every one).
const DRIVER: &str = r#"
import "govern/lint" as lint;
let client = govern();
let ids = BLUEPRINTS;
if ids.is_empty() {
    for item in client.get_blueprint_designer().list_blueprints() {
        ids.push(item.get_raw().blueprint.id);
    }
}
#{ blueprints: ids, findings: lint::blueprints(client, ids) }
"#;

/// Runs `govscript lint`; returns the exit code: 0 when no error (nor, with
/// `--strict`, warning) was found, 1 when one was, 2 when linting could not run.
pub fn execute(args: LintArgs) -> i32 {
    engine::run_bare();
    engine::prepare_in_background();
    let flags = args.connection.flags();
    let session = match Session::start(args.sandbox, true) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {}", redact(&format!("{e:#}")));
            return EXIT_USAGE;
        }
    };
    if let Err(e) = session.check_connection(&flags) {
        eprintln!("error: {e}");
        session.finish();
        return EXIT_USAGE;
    }
    let options = EngineOptions {
        bridge: session.bridge(),
        connection: session.connection(&flags),
        quiet: true,
        limits: Limits::default(),
        script_dir: None,
    };
    let ids: Array = args.blueprints.iter().cloned().map(Dynamic::from).collect();
    let slot: Arc<Mutex<Option<Result<Outcome, String>>>> = Arc::default();
    let result = slot.clone();
    session.run_script_thread(move || {
        let outcome = lint(options, ids);
        *result.lock().unwrap_or_else(|p| p.into_inner()) = Some(outcome);
        EXIT_OK
    });
    session.finish();
    let outcome = slot.lock().unwrap_or_else(|p| p.into_inner()).take();
    match outcome {
        Some(Ok(outcome)) => report(&outcome, args.json, args.strict),
        Some(Err(e)) => {
            eprintln!("error: {}", redact(&e));
            EXIT_USAGE
        }
        None => EXIT_USAGE,
    }
}

/// Runs the lint script on an engine built as `run` builds one.
fn lint(options: EngineOptions, ids: Array) -> Result<Outcome, String> {
    let engine = engine::build(options);
    let mut scope = Scope::new();
    scope.push_constant("BLUEPRINTS", ids);
    let value = engine
        .eval_with_scope::<Dynamic>(&mut scope, DRIVER)
        .map_err(|e| message(&e))?;
    rhai::serde::from_dynamic(&value).map_err(|e| format!("the lint module answered oddly: {e}"))
}

/// The innermost error of `e` (a Govern error as Govern said it), without the
/// positions in the embedded scripts.
fn message(e: &EvalAltResult) -> String {
    match e {
        EvalAltResult::ErrorInModule(_, inner, _)
        | EvalAltResult::ErrorInFunctionCall(_, _, inner, _) => message(inner),
        EvalAltResult::ErrorRuntime(value, _) => match value.read_lock::<ScriptError>() {
            Some(e) => e.to_string(),
            None => value.to_string(),
        },
        other => other.to_string(),
    }
}

/// Prints the findings; returns the exit code they give.
fn report(outcome: &Outcome, json: bool, strict: bool) -> i32 {
    let findings = &outcome.findings;
    if json {
        match serde_json::to_string_pretty(findings) {
            Ok(text) => println!("{text}"),
            Err(e) => {
                eprintln!("error: cannot write the findings as JSON: {e}");
                return EXIT_USAGE;
            }
        }
    } else {
        let colour = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        print!("{}", render(outcome, colour));
    }
    let errors = findings.iter().filter(|f| f.is_error()).count();
    if errors > 0 || (strict && !findings.is_empty()) {
        EXIT_SCRIPT_ERROR
    } else {
        EXIT_OK
    }
}

/// The readable report: each blueprint with findings, its findings in order, then a
/// summary line.
fn render(outcome: &Outcome, colour: bool) -> String {
    let paint = |code: &str, text: &str| {
        if colour {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    };
    let mut out = String::new();
    for blueprint in &outcome.blueprints {
        let mine: Vec<&Finding> = outcome
            .findings
            .iter()
            .filter(|f| &f.blueprint == blueprint)
            .collect();
        if mine.is_empty() {
            continue;
        }
        out.push_str(&format!("{}\n", paint("1", blueprint)));
        for f in mine {
            let severity = match f.is_error() {
                true => paint("31", "error  "),
                false => paint("33", "warning"),
            };
            let at = match &f.version {
                Some(v) => format!("{v}: {}", f.path),
                None => f.path.clone(),
            };
            out.push_str(&format!("  {severity} {} {at}\n", paint("2", &f.rule)));
            out.push_str(&format!("          {}\n", f.message));
        }
        out.push('\n');
    }
    let errors = outcome.findings.iter().filter(|f| f.is_error()).count();
    let warnings = outcome.findings.len() - errors;
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    out.push_str(&format!(
        "{} linted: {}, {}\n",
        plural(outcome.blueprints.len(), "blueprint"),
        plural(errors, "error"),
        plural(warnings, "warning")
    ));
    out
}
