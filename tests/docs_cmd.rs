//! `govscript docs`: the Rhai API reference generated from the engine, and
//! `docs --coverage`, the Python client's members against the engine's registry.
mod common;

use common::docs::docs;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

fn docs_json(args: &[&str]) -> Value {
    serde_json::from_slice(&docs(args).stdout).expect("docs --json prints JSON")
}

/// `(doc lines, declaration)` for each `fn` of a definitions file (`///` lines first).
fn declarations(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut doc: Vec<&str> = Vec::new();
    for line in text.lines() {
        if let Some(d) = line.trim_start().strip_prefix("///") {
            doc.push(d.strip_prefix(' ').unwrap_or(d));
        } else {
            if line.starts_with("fn ") {
                out.push((doc.join("\n"), line.to_string()));
            }
            doc.clear();
        }
    }
    out
}

/// What the engine registers beyond Rhai's standard library, read through another
/// path than `docs`: `govscript definitions` (rhai's own writer) minus the functions
/// of a plain `rhai::Engine::new()`, known by name and doc comment (govscript respells
/// the standard library's types, so declarations differ).
fn own_declarations() -> Vec<(String, String)> {
    let dir = tempfile::tempdir().unwrap();
    let status = Command::new(common::bin())
        .args(["definitions", "--single-file"])
        .arg(dir.path())
        .output()
        .expect("run govscript definitions")
        .status;
    assert!(status.success());
    let ours = std::fs::read_to_string(dir.path().join("govscript.d.rhai")).unwrap();
    let std_only = rhai::Engine::new().definitions().single_file();
    let standard: BTreeSet<(String, String)> = declarations(&std_only)
        .into_iter()
        .map(|(doc, d)| (name_and_receiver(&d).0, doc))
        .collect();
    declarations(&ours)
        .into_iter()
        .filter(|(doc, d)| !standard.contains(&(name_and_receiver(d).0, doc.clone())))
        .collect()
}

/// `fn get name(_: Type)` → (`name`, `Some(Type)`); `fn name(self: Type, ..)` →
/// (`name`, `Some(Type)`); `fn name(a: T)` → (`name`, `None`).
fn name_and_receiver(declaration: &str) -> (String, Option<String>) {
    let rest = declaration.trim_start_matches("fn ");
    let (getter, rest) = match rest.strip_prefix("get ") {
        Some(r) => (true, r),
        None => (false, rest),
    };
    let (name, params) = rest.split_once('(').expect("a declaration has '('");
    let first = params.split([',', ')']).next().unwrap_or("").trim();
    let receiver = first
        .split_once(':')
        .filter(|(n, _)| getter || n.trim() == "self")
        .map(|(_, t)| t.trim().to_string());
    (name.trim().to_string(), receiver)
}

fn joined(docs: &Value) -> String {
    docs.as_array()
        .map(|lines| {
            lines
                .iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join("\n")
        })
        .unwrap_or_default()
}

/// Every function govscript registers is in the reference, under its receiver type,
/// with its doc comment; the markdown shows each doc; nothing lacks a doc.
#[test]
fn docs_lists_every_registered_function_with_its_doc() {
    let reference = docs_json(&["--json"]);
    let markdown = String::from_utf8(docs(&[]).stdout).unwrap();
    let own = own_declarations();
    assert!(
        own.iter().any(|(_, d)| d.starts_with("fn get_definition(")),
        "the oracle finds Govern methods: {own:?}"
    );
    let types: BTreeMap<&str, &Value> = reference["types"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["name"].as_str().unwrap(), t))
        .collect();
    for (doc, declaration) in &own {
        let (name, receiver) = name_and_receiver(declaration);
        if name.contains('$') || declaration.starts_with("fn set ") {
            continue; // indexers: not callable by name; setters: listed with their property
        }
        let candidates: Vec<&Value> = match receiver.as_deref().and_then(|r| types.get(r)) {
            Some(t) => t["methods"]
                .as_array()
                .unwrap()
                .iter()
                .chain(t["properties"].as_array().unwrap())
                .collect(),
            None => reference["globals"].as_array().unwrap().iter().collect(),
        };
        // A static module's function is listed as a global named `Module::name`.
        let named = |e: &Value| {
            let listed = e["name"].as_str().unwrap_or_default();
            listed == name || listed.ends_with(&format!("::{name}"))
        };
        assert!(
            candidates
                .iter()
                .any(|e| named(e) && joined(&e["docs"]) == *doc),
            "{declaration} (doc {doc:?}) is not in `docs --json` under {receiver:?}"
        );
        assert!(!doc.trim().is_empty(), "{declaration} has no doc comment");
        assert!(
            markdown.contains(doc.as_str()),
            "the doc of {declaration} is not in the markdown"
        );
    }
    assert_eq!(reference["undocumented"], serde_json::json!([]));
    // Every Govern type has its doc comment too.
    for (name, t) in &types {
        if name.starts_with("Govern") {
            assert!(!joined(&t["docs"]).is_empty(), "type {name} has no doc");
            assert!(
                markdown.contains(&format!("\n### {name}\n")),
                "{name} heading"
            );
        }
    }
}

/// Keyword arguments of one declaration are one entry with the keywords after the `;`.
#[test]
fn docs_merges_keyword_overloads_into_one_signature() {
    let markdown = String::from_utf8(docs(&[]).stdout).unwrap();
    assert!(markdown.contains(
        "#### `GovernArtifactSignoff.update_status(signoff_status: String; \
         users_to_notify: Array, reload_conf_for_reset: bool) -> ()`"
    ));
    assert!(markdown.contains(
        "### `GovernClient(host: String, api_key: String; insecure: bool, timeout: int) -> GovernClient`"
    ));
}

/// Without a doc comment a function is reported on stderr; today there is none.
#[test]
fn docs_warns_about_nothing_undocumented() {
    let out = docs(&[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("no doc comment"), "{stderr}");
}

#[test]
fn output_flag_writes_the_same_text_as_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("api.md");
    docs(&["--output", file.to_str().unwrap()]);
    let printed = docs(&[]).stdout;
    assert_eq!(std::fs::read(&file).unwrap(), printed);
}

#[test]
fn output_to_an_unwritable_path_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("no-such-dir").join("api.md");
    let out = Command::new(common::bin())
        .args(["docs", "--output"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(common::EXIT_USAGE));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("cannot write") && stderr.contains("api.md"),
        "{stderr}"
    );
    assert!(!file.exists());
}

/// The checked-in Python member list.
fn python_members() -> Value {
    let text = std::fs::read_to_string(common::root().join("tests/data/python-members.json"))
        .expect("tests/data/python-members.json");
    serde_json::from_str(&text).unwrap()
}

/// Totals add up, every Python class and member is listed once, and each implemented
/// member names a function that the reference lists under the class's type.
#[test]
fn coverage_json_totals_are_consistent() {
    let coverage = docs_json(&["--coverage", "--json"]);
    let reference = docs_json(&["--json"]);
    let python = python_members();
    let classes = coverage["classes"].as_array().unwrap();
    let python_classes = python["classes"].as_array().unwrap();
    assert_eq!(classes.len(), python_classes.len());
    assert_eq!(
        classes.len(),
        88,
        "the Python client 15.2.0 has 88 Govern classes"
    );
    let (mut covered, mut total, mut delivered) = (0, 0, 0);
    for (c, p) in classes.iter().zip(python_classes) {
        assert_eq!(c["name"], p["name"]);
        let members = c["members"].as_array().unwrap();
        let names: Vec<&Value> = members.iter().map(|m| &m["name"]).collect();
        let python_names: Vec<&Value> = p["members"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| &m["name"])
            .collect();
        assert_eq!(names, python_names, "members of {}", c["name"]);
        let implemented = members.iter().filter(|m| !m["rhai"].is_null()).count();
        assert_eq!(c["covered"], implemented, "{}", c["name"]);
        assert_eq!(c["total"], members.len(), "{}", c["name"]);
        covered += implemented;
        total += members.len();
        delivered += usize::from(c["delivered"] == true);
        let rhai_type = reference["types"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["name"] == c["name"]);
        assert_eq!(c["delivered"], rhai_type.is_some(), "{}", c["name"]);
        for m in members.iter().filter(|m| !m["rhai"].is_null()) {
            let name = m["name"].as_str().unwrap();
            let listed =
                match m["kind"].as_str().unwrap() {
                    "constructor" => reference["globals"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|g| g["name"] == c["name"]),
                    "method" => {
                        rhai_type.is_some_and(|t| {
                            t["methods"]
                                .as_array()
                                .unwrap()
                                .iter()
                                .any(|e| e["name"] == name)
                        }) || reference["globals"].as_array().unwrap().iter().any(|g| {
                            g["name"] == format!("{}::{name}", c["name"].as_str().unwrap())
                        })
                    }
                    _ => rhai_type.is_some_and(|t| {
                        t["properties"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .any(|e| e["name"] == name)
                    }),
                };
            assert!(
                listed,
                "{}.{name} -> {} is not in the reference",
                c["name"], m["rhai"]
            );
        }
    }
    assert_eq!(coverage["covered"], covered);
    assert_eq!(coverage["total"], total);
    assert_eq!(coverage["delivered_classes"], delivered);
    // Issue 14: the whole Python client 15.2.0, every class and member.
    assert_eq!(covered, total, "every Python member is implemented");
    assert_eq!(delivered, 88, "every Python class is delivered");
    // The markdown report ends with the same totals.
    let markdown = String::from_utf8(docs(&["--coverage"]).stdout).unwrap();
    assert!(markdown.contains(&format!(
        "Total: {covered}/{total} members covered; {delivered}/88 classes delivered."
    )));
    assert!(markdown.contains(
        "- `GovernArtifact.get_signoff(self, step_id)` -> \
         `get_signoff(self: GovernArtifact, step_id: String) -> GovernArtifactSignoff`"
    ));
}

/// Every member of a class the engine registers (a "delivered" class) is implemented,
/// apart from those listed in tests/data/docs-expected-missing.txt, which only
/// shrinks: a listed member that is now implemented must be removed from it.
#[test]
fn delivered_class_member_missing_fails() {
    let listed: BTreeSet<String> =
        std::fs::read_to_string(common::root().join("tests/data/docs-expected-missing.txt"))
            .expect("tests/data/docs-expected-missing.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_string)
            .collect();
    let coverage = docs_json(&["--coverage", "--json"]);
    let mut missing = BTreeSet::new();
    let mut all = BTreeSet::new();
    for c in coverage["classes"].as_array().unwrap() {
        for m in c["members"].as_array().unwrap() {
            let key = format!(
                "{}.{}",
                c["name"].as_str().unwrap(),
                m["name"].as_str().unwrap()
            );
            if c["delivered"] == true && m["rhai"].is_null() {
                missing.insert(key.clone());
            }
            all.insert(key);
        }
    }
    let unlisted: Vec<&String> = missing.difference(&listed).collect();
    assert!(
        unlisted.is_empty(),
        "members of delivered classes with no Rhai function: {unlisted:#?}"
    );
    let stale: Vec<&String> = listed.difference(&missing).collect();
    assert!(
        stale.is_empty(),
        "implemented (or not a Python member): remove from docs-expected-missing.txt: {stale:#?}"
    );
    assert!(listed.iter().all(|k| all.contains(k)));
}

/// tests/data/python-members.json is what tools/python_members.py prints for the
/// installed Python client (so that the list is regenerated, never edited by hand).
#[test]
fn python_members_list_is_regenerated_from_the_installed_client() {
    if !common::python_client_available() {
        return;
    }
    let out = Command::new(common::python())
        .arg(common::root().join("tools/python_members.py"))
        .output()
        .expect("run tools/python_members.py");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let generated: Value = serde_json::from_slice(&out.stdout).unwrap();
    let checked_in = python_members();
    assert_eq!(generated["client_version"], checked_in["client_version"]);
    let classes = |v: &Value| v["classes"].as_array().unwrap().clone();
    assert_eq!(classes(&generated).len(), classes(&checked_in).len());
    for (g, c) in classes(&generated).iter().zip(classes(&checked_in)) {
        assert_eq!(
            *g, c,
            "re-run tools/python_members.py: {} differs",
            c["name"]
        );
    }
}
