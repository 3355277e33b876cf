//! `govscript definitions DIR`: Rhai definition files (`.d.rhai`) for editors.
use crate::runtime::run::{EXIT_OK, EXIT_USAGE};
use crate::runtime::type_names::respell;
use clap::Args;
use std::path::PathBuf;

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
    let engine = crate::runtime::docs::inspection_engine(&runtime);
    let definitions = engine.definitions().with_headers(true);
    let files: Vec<(String, String)> = if args.single_file {
        vec![("govscript.d.rhai".into(), definitions.single_file())]
    } else {
        definitions.iter_files().collect()
    };
    let written = std::fs::create_dir_all(&args.dir).and_then(|()| {
        files
            .iter()
            .try_for_each(|(name, text)| std::fs::write(args.dir.join(name), tidy(text)))
    });
    match written {
        Ok(()) => {
            eprintln!("govscript: definitions written to {}", args.dir.display());
            EXIT_OK
        }
        Err(e) => {
            eprintln!(
                "error: cannot write definitions to {}: {e}",
                args.dir.display()
            );
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
