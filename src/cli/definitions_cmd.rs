//! `govscript definitions DIR`: Rhai definition files (`.d.rhai`) for editors.
use crate::bindings::{Bridge, Cancel};
use crate::runtime::engine::{self, EngineOptions, Limits};
use crate::runtime::run::{EXIT_OK, EXIT_USAGE};
use clap::Args;
use std::path::PathBuf;
use std::sync::Arc;

/// Arguments of `govscript definitions`.
#[derive(Debug, Args)]
pub struct DefinitionsArgs {
    /// The folder to write into (created if missing), e.g. `.rhai/definitions`.
    pub dir: PathBuf,
    /// Write one file, `DIR/govscript.d.rhai`, instead of one per module.
    #[arg(long)]
    pub single_file: bool,
}

/// Writes the definitions of every function the engine has (Govern bindings,
/// built-ins and Rhai's standard library), with their doc comments.
pub fn execute(args: DefinitionsArgs) -> i32 {
    let runtime = match tokio::runtime::Builder::new_current_thread().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return EXIT_USAGE;
        }
    };
    // The engine is only inspected: no connection is made.
    let engine = engine::build(EngineOptions {
        bridge: Bridge::new(runtime.handle().clone(), Arc::new(Cancel::default())),
        connection: Err("no connection: definitions only".into()),
        quiet: true,
        limits: Limits::default(),
        script_dir: None,
    });
    let definitions = engine.definitions().with_headers(true);
    let written = std::fs::create_dir_all(&args.dir).and_then(|()| {
        if args.single_file {
            definitions.write_to_file(args.dir.join("govscript.d.rhai"))
        } else {
            definitions.write_to_dir(&args.dir)
        }
    });
    match written {
        Ok(()) => {
            eprintln!("govscript: definitions written to {}", args.dir.display());
            EXIT_OK
        }
        Err(e) => {
            eprintln!("error: cannot write definitions to {}: {e}", args.dir.display());
            EXIT_USAGE
        }
    }
}
