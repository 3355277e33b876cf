//! `govscript definitions DIR`: Rhai definition files with the Govern functions and
//! their doc comments, in the shape the rhai crate writes (`module`, `///`, `fn`, `op`).
mod common;

use std::process::Command;

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
