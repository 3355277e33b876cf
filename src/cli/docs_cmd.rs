//! `govscript docs [--coverage] [--json] [--output FILE]`: the Rhai API reference, or
//! how much of the Python client it covers, generated from the engine itself.
use crate::runtime::docs::coverage::Coverage;
use crate::runtime::docs::python::PythonClient;
use crate::runtime::docs::{inspection_engine, reference::Reference};
use crate::runtime::run::{EXIT_OK, EXIT_USAGE};
use clap::Args;
use std::path::PathBuf;

/// Arguments of `govscript docs`.
#[derive(Debug, Args)]
pub struct DocsArgs {
    /// Instead of the reference, list every member of the Python client 15.2.0 and the
    /// Rhai function implementing it, or `missing`, with totals per class and overall.
    #[arg(long)]
    pub coverage: bool,
    /// JSON instead of markdown.
    #[arg(long)]
    pub json: bool,
    /// Write to FILE instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Prints (or writes) the reference or the coverage report. Functions and types without
/// a doc comment are listed on stderr (and under `undocumented` in the JSON).
pub fn execute(args: DocsArgs) -> i32 {
    let runtime = match tokio::runtime::Builder::new_current_thread().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return EXIT_USAGE;
        }
    };
    let reference = Reference::build(&inspection_engine(&runtime));
    let undocumented = reference.undocumented();
    for item in &undocumented {
        eprintln!("warning: no doc comment: {item}");
    }
    let text = if args.coverage {
        let python = match PythonClient::embedded() {
            Ok(p) => p,
            Err(e) => {
                eprintln!("error: {e}");
                return EXIT_USAGE;
            }
        };
        let coverage = Coverage::measure(&python, &reference);
        if args.json {
            to_json(&coverage)
        } else {
            coverage.to_markdown()
        }
    } else if args.json {
        to_json(&serde_json::json!({
            "globals": reference.globals,
            "types": reference.types,
            "modules": reference.modules,
            "undocumented": undocumented,
        }))
    } else {
        reference.to_markdown()
    };
    match &args.output {
        None => {
            print!("{text}");
            EXIT_OK
        }
        Some(path) => match std::fs::write(path, &text) {
            Ok(()) => {
                eprintln!("govscript: written to {}", path.display());
                EXIT_OK
            }
            Err(e) => {
                eprintln!("error: cannot write {}: {e}", path.display());
                EXIT_USAGE
            }
        },
    }
}

/// Pretty JSON with a final newline (serialising plain data cannot fail).
fn to_json(value: &impl serde::Serialize) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}
