//! `govscript definitions DIR`: Rhai definition files (`.d.rhai`) for editors;
//! `govscript definitions --json`: the same functions as JSON metadata on stdout.
use crate::runtime::run::{EXIT_OK, EXIT_USAGE};
use crate::runtime::type_names::respell;
use clap::Args;
use std::path::PathBuf;

/// Arguments of `govscript definitions`.
#[derive(Debug, Args)]
pub struct DefinitionsArgs {
    /// The folder to write into (created if missing), e.g. `.rhai/definitions`.
    #[arg(required_unless_present = "json")]
    pub dir: Option<PathBuf>,
    /// Write one file, `DIR/govscript.d.rhai`, instead of one per module.
    #[arg(long)]
    pub single_file: bool,
    /// Print the Govern functions' metadata (names, parameter names and types, return
    /// types, doc comments) as Rhai's JSON to stdout, instead of writing files.
    #[arg(long, conflicts_with_all = ["dir", "single_file"])]
    pub json: bool,
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
    let engine = crate::runtime::docs::inspection_engine(&runtime);
    let Some(dir) = args.dir else {
        return print_json(&engine);
    };
    let definitions = engine.definitions().with_headers(true);
    let files: Vec<(String, String)> = if args.single_file {
        vec![("govscript.d.rhai".into(), definitions.single_file())]
    } else {
        definitions.iter_files().collect()
    };
    let written = std::fs::create_dir_all(&dir).and_then(|()| {
        files
            .iter()
            .try_for_each(|(name, text)| std::fs::write(dir.join(name), tidy(text)))
    });
    match written {
        Ok(()) => {
            eprintln!("govscript: definitions written to {}", dir.display());
            EXIT_OK
        }
        Err(e) => {
            eprintln!("error: cannot write definitions to {}: {e}", dir.display());
            EXIT_USAGE
        }
    }
}

/// Prints the metadata of every function registered beside Rhai's standard library.
fn print_json(engine: &rhai::Engine) -> i32 {
    match engine.gen_fn_metadata_to_json(false) {
        Ok(json) => {
            println!("{json}");
            EXIT_OK
        }
        Err(e) => {
            eprintln!("error: cannot write the metadata: {e}");
            EXIT_USAGE
        }
    }
}

/// Repairs what rhai's writer garbles for natively registered functions returning a
/// `Result` (their return type comes out as `EvalAltResult>>` or `RhaiResult`), writes
/// each type in one spelling (`String`, never `string`), and drops indexer
/// declarations (`index$get$`), which are not names a script or an editor can call.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        if line.starts_with("fn index$") {
            continue;
        }
        if line.trim_start().starts_with("///") {
            out.push_str(line);
        } else {
            let line = line
                .replace("-> EvalAltResult>>;", "-> ?;")
                .replace("-> RhaiResult;", "-> ?;");
            out.push_str(&respell(&line));
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn garbled_results_and_indexers_are_tidied() {
        let text = "module static;\nfn push(_: JsonRef, _: ?) -> EvalAltResult>>;\nfn index$get$(_: JsonRef, _: int) -> EvalAltResult>>;\n/// a string: kept\nop -(timestamp, timestamp) -> RhaiResult;\n";
        assert_eq!(
            super::tidy(text),
            "module static;\nfn push(_: JsonRef, _: ?) -> ?;\n/// a string: kept\nop -(timestamp, timestamp) -> ?;\n"
        );
    }
}
