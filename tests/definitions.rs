//! `govscript definitions DIR`: Rhai definition files with the Govern functions and
//! their doc comments, in the shape the rhai crate writes (`module`, `///`, `fn`, `op`);
//! and the REPL's `.help`, read from the same registry.
mod common;

use std::io::Write;
use std::process::{Command, Stdio};

/// Checks one declaration line: `fn name(params) -> Type;` or `op ...;`.
fn check_declaration(line: &str) {
    assert!(line.ends_with(';'), "no ';': {line}");
    if let Some(rest) = line.strip_prefix("fn ") {
        // Property accessors read `fn get name(..)` / `fn set name(..)`.
        let rest = rest
            .strip_prefix("get ")
            .or_else(|| rest.strip_prefix("set "))
            .unwrap_or(rest);
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        assert!(!name.is_empty(), "no function name: {line}");
        let open = rest.find('(').unwrap_or_else(|| panic!("no '(': {line}"));
        assert_eq!(open, name.len(), "junk between name and '(': {line}");
        let depth = rest.chars().fold(0i32, |d, c| match c {
            '(' | '<' | '[' => d + 1,
            ')' | '>' | ']' => d - 1,
            _ => d,
        });
        // `->` adds one '>' per return type.
        let arrows = rest.matches("->").count() as i32;
        assert_eq!(depth + arrows, 0, "unbalanced: {line}");
    } else {
        assert!(line.starts_with("op "), "unexpected line: {line}");
    }
}

#[test]
fn definitions_declare_govern_methods_with_their_docs() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(common::bin())
        .arg("definitions")
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut all = String::new();
    let mut files = 0;
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let path = entry.unwrap().path();
        assert!(
            path.to_string_lossy().ends_with(".d.rhai"),
            "{}",
            path.display()
        );
        let text = std::fs::read_to_string(&path).unwrap();
        let mut lines = text.lines().filter(|l| !l.trim().is_empty());
        let first = lines.next().unwrap_or_default();
        assert!(
            first.starts_with("module ") && first.ends_with(';'),
            "{first}"
        );
        for line in lines.filter(|l| !l.trim_start().starts_with("///")) {
            check_declaration(line.trim());
        }
        all.push_str(&text);
        files += 1;
    }
    assert!(files >= 1);
    let at = all.find("fn get_artifact(").expect("get_artifact declared");
    let before: Vec<&str> = all[..at].lines().rev().take(1).collect();
    assert_eq!(
        before,
        vec!["/// A handle on an artifact (no request is made until you use it)."]
    );
    assert!(
        all.contains("fn get_artifact(self: GovernClient, artifact_id: String) -> GovernArtifact;")
    );
    assert!(all.contains("fn get_definition(self: GovernArtifact) -> GovernArtifactDefinition;"));
    assert!(all.contains("fn govern() -> GovernClient;"));
}

#[test]
fn single_file_mode_writes_one_file() {
    let dir = tempfile::tempdir().unwrap();
    let status = Command::new(common::bin())
        .args(["definitions", "--single-file"])
        .arg(dir.path())
        .status()
        .unwrap();
    assert!(status.success());
    let text = std::fs::read_to_string(dir.path().join("govscript.d.rhai")).unwrap();
    assert!(text.contains("fn create_artifact("));
}

/// The definitions in one file, as `govscript definitions --single-file` writes them.
fn single_file() -> String {
    let dir = tempfile::tempdir().unwrap();
    let status = Command::new(common::bin())
        .args(["definitions", "--single-file"])
        .arg(dir.path())
        .status()
        .unwrap();
    assert!(status.success());
    std::fs::read_to_string(dir.path().join("govscript.d.rhai")).unwrap()
}

#[test]
fn get_raw_and_build_named_no_receiver_type_and_string_had_two_spellings() {
    let text = single_file();
    let declarations: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("fn ") || l.starts_with("op "))
        .collect();
    for line in &declarations {
        assert!(!line.contains("self: ?"), "receiver without a type: {line}");
        // Types follow `:` or `->`; an operator's parameters are bare types.
        let mut lower = vec![": string", "-> string", ": map", "-> map", ": array"];
        if line.starts_with("op ") {
            lower.extend(["(string", ", string", "(map", ", map"]);
        }
        for spelling in lower {
            assert!(!line.contains(spelling), "lower-case type: {line}");
        }
    }
    for expected in [
        "fn get_raw(self: GovernArtifactDefinition) -> JsonRef;",
        "fn build(self: GovernUserUsersContainer) -> Map;",
        "fn to_debug(self: GovernArtifact) -> String;",
        "fn get artifact_id(_: GovernArtifact) -> String;",
        "fn expect_error(f: Fn) -> ?;",
    ] {
        assert!(declarations.contains(&expected), "{expected} missing");
    }
}

/// What `.help TOPIC` prints in a piped REPL session.
fn help(topic: &str) -> String {
    let state = tempfile::tempdir().unwrap();
    let mut child = Command::new(common::bin())
        .args(["repl", "--quiet"])
        .env("XDG_STATE_HOME", state.path())
        .env("HOME", state.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin
        .write_all(format!(".help {topic}\n").as_bytes())
        .unwrap();
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn help_on_a_type_listed_to_debug_with_rhai_s_receiver() {
    let out = help("GovernArtifact");
    assert!(!out.contains("&mut"), "{out}");
    assert!(!out.contains("_:"), "{out}");
    assert!(out.contains("    to_debug() -> String\n"), "{out}");
    assert!(out.contains("    artifact_id -> String\n"), "{out}");
}

#[test]
fn help_on_print_gave_every_overload_the_same_note() {
    let out = help("print");
    // Each overload is followed by its own doc: the empty string only for `print()`.
    let lines: Vec<&str> = out.lines().collect();
    let at = |sig: &str| {
        lines
            .iter()
            .position(|l| l.starts_with(sig))
            .unwrap_or_else(|| panic!("{sig} missing: {out}"))
    };
    let doc_after = |i: usize| lines[i..].iter().find(|l| l.starts_with("    ")).copied();
    assert_eq!(
        doc_after(at("print()")),
        Some("    Return the empty string."),
        "{out}"
    );
    let number = at("print(number: float)");
    assert!(
        doc_after(number).is_some_and(|d| d.contains("`number`")),
        "{out}"
    );
    assert_eq!(out.matches("Return the empty string.").count(), 1, "{out}");
    assert!(!out.contains("ImmutableString"), "{out}");
}

/// `definitions --json`: the functions' metadata (receiver, parameter names and types
/// in Python order, return type, doc comments) on stdout, as the golden replay reads it.
#[test]
fn definitions_json_gives_receiver_parameters_and_return_type() {
    let out = Command::new(common::bin())
        .args(["definitions", "--json"])
        .output()
        .expect("run definitions --json");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let functions = meta["functions"].as_array().expect("functions");
    let longest = functions
        .iter()
        .filter(|f| f["name"] == "update_status")
        .max_by_key(|f| f["params"].as_array().map_or(0, Vec::len))
        .expect("update_status is listed");
    let params: Vec<(&str, &str)> = longest["params"]
        .as_array()
        .expect("params")
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap_or(""),
                p["type"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        params,
        [
            ("self", "GovernArtifactSignoff"),
            ("signoff_status", "String"),
            ("users_to_notify", "Array"),
            ("reload_conf_for_reset", "bool"),
        ]
    );
    assert!(
        longest["docComments"]
            .as_array()
            .is_some_and(|d| !d.is_empty())
    );
    let get_signoff = functions
        .iter()
        .find(|f| f["name"] == "get_signoff")
        .expect("get_signoff is listed");
    assert_eq!(get_signoff["returnType"], "GovernArtifactSignoff");

    // A folder and --json together are refused, writing nothing.
    let dir = tempfile::tempdir().expect("temp dir");
    let both = Command::new(common::bin())
        .args(["definitions", "--json"])
        .arg(dir.path().join("defs"))
        .output()
        .expect("run definitions");
    assert_eq!(both.status.code(), Some(common::EXIT_USAGE));
    assert!(!dir.path().join("defs").exists());
}
