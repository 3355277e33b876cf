//! `govscript docs` documents the stdlib: every public function of every embedded
//! module (found here by reading the `.rhai` sources, another path than the engine's
//! parser) with its `///` comment, and the date and table natives.
mod common;

use serde_json::Value;

/// The standard output of `govscript docs ARGS`.
fn docs(args: &[&str]) -> String {
    String::from_utf8(common::docs::docs(args).stdout).expect("UTF-8")
}

/// `(name, arity, doc)` of each public `fn` of a module source, its `///` lines joined.
fn public_functions(source: &str) -> Vec<(String, usize, String)> {
    let mut out = Vec::new();
    let mut doc: Vec<&str> = Vec::new();
    for line in source.lines() {
        if let Some(d) = line.strip_prefix("///") {
            doc.push(d.strip_prefix(' ').unwrap_or(d));
            continue;
        }
        if let Some(rest) = line.strip_prefix("fn ") {
            let (name, params) = rest.split_once('(').expect("fn name(");
            let params = params.split_once(')').expect("params)").0;
            let arity = params.split(',').filter(|p| !p.trim().is_empty()).count();
            out.push((name.to_string(), arity, doc.join("\n")));
        }
        doc.clear();
    }
    out
}

#[test]
fn docs_lists_every_stdlib_function_with_its_doc_comment() {
    let reference: Value = serde_json::from_str(&docs(&["--json"])).expect("JSON");
    let markdown = docs(&[]);
    let dir = common::root().join("stdlib/govern");
    let mut modules = 0;
    for entry in std::fs::read_dir(&dir).expect("stdlib/govern") {
        let path = entry.expect("entry").path();
        if path.extension().and_then(|e| e.to_str()) != Some("rhai") {
            continue;
        }
        modules += 1;
        let stem = path.file_stem().unwrap().to_str().unwrap().to_string();
        let import = format!("govern/{stem}");
        let module = reference["modules"]
            .as_array()
            .expect("modules")
            .iter()
            .find(|m| m["path"] == import.as_str())
            .unwrap_or_else(|| panic!("{import} is not in docs --json"));
        assert!(module.get("error").is_none(), "{module}");
        assert!(
            markdown.contains(&format!("\n### {import}\n")),
            "{import} heading"
        );
        let source = std::fs::read_to_string(&path).expect("module source");
        let functions = public_functions(&source);
        assert!(!functions.is_empty(), "{import} has public functions");
        let listed = module["functions"].as_array().expect("functions");
        assert_eq!(listed.len(), functions.len(), "{import}: {listed:?}");
        for (name, arity, doc) in functions {
            assert!(
                !doc.trim().is_empty(),
                "{import}::{name} has no doc comment"
            );
            let qualified = format!("{stem}::{name}");
            let entry = listed
                .iter()
                .find(|f| {
                    f["name"] == qualified.as_str()
                        && f["params"].as_array().map(Vec::len) == Some(arity)
                })
                .unwrap_or_else(|| panic!("{qualified}/{arity} is not listed"));
            let joined: Vec<&str> = entry["docs"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| l.as_str().unwrap())
                .collect();
            assert_eq!(joined.join("\n"), doc, "{qualified}/{arity}");
            assert!(
                markdown.contains(&format!("#### `{qualified}(")),
                "{qualified} heading"
            );
            assert!(
                markdown.contains(&doc),
                "the doc of {qualified} is in the markdown"
            );
        }
    }
    assert!(modules >= 2, "signoffs and report at least");
    assert_eq!(reference["undocumented"], serde_json::json!([]));
    for needle in [
        "### `now() -> Timestamp`",
        "### `timestamp(text: String) -> Timestamp`",
        "### `duration(text: String) -> Duration`",
        "### `days(n: int) -> Duration`",
        "### `table(rows: Array) -> String`",
        "### `print_table(rows: Array, columns: Array) -> ()`",
        "\n### Timestamp\n",
        "\n### Duration\n",
        "`epoch_ms: int`",
    ] {
        assert!(markdown.contains(needle), "{needle} is not in the docs");
    }
}
