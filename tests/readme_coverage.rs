//! README.md's "What is covered" says which `GovernClient` methods the engine registers
//! (issue 16: "same method names" made users expect all of Python's). It must stay
//! true: checked against `govscript definitions`, the engine's own metadata.
mod common;

use common::{bin, root};
use std::collections::BTreeSet;
use std::process::Command;

/// The `GovernClient` methods the engine registers, from its definition file.
fn registered() -> BTreeSet<String> {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = Command::new(bin())
        .args(["definitions", "--single-file"])
        .arg(dir.path())
        .output()
        .expect("run govscript definitions");
    assert!(out.status.success(), "{out:?}");
    let text = std::fs::read_to_string(dir.path().join("govscript.d.rhai")).expect("read defs");
    text.lines()
        .filter_map(|l| l.strip_prefix("fn "))
        .filter_map(|l| l.split_once("(self: GovernClient"))
        .map(|(name, _)| name.to_string())
        // Rhai's printing functions, which every type has: not Python methods.
        .filter(|name| name != "to_string" && name != "to_debug")
        .collect()
}

/// The README's "What is covered" section.
fn section() -> String {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("read README");
    let start = readme
        .find("### What is covered")
        .expect("README has 'What is covered'");
    let rest = &readme[start..];
    let end = rest[4..].find("\n#").map_or(rest.len(), |i| i + 4);
    rest[..end].to_string()
}

/// The `code` spans of `text`.
fn code_spans(text: &str) -> Vec<String> {
    text.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

#[test]
fn readme_lists_exactly_the_registered_client_methods() {
    let registered = registered();
    let section = section();
    // What is missing, if anything, follows "Not there yet".
    let (covered, missing) = section
        .split_once("Not there yet")
        .unwrap_or((section.as_str(), ""));
    // "registers N of `GovernClient`'s M methods (`a`, `b`, ...)".
    let count: usize = covered
        .split("registers ")
        .nth(1)
        .and_then(|t| t.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .expect("a count of registered methods");
    let listed: BTreeSet<String> = covered
        .split_once("methods (")
        .and_then(|(_, t)| t.split_once(')'))
        .map(|(names, _)| code_spans(names).into_iter().collect())
        .expect("the registered methods listed");
    assert_eq!(count, registered.len(), "README count vs {registered:?}");
    assert_eq!(listed, registered, "README list vs engine");
    for name in code_spans(missing)
        .iter()
        .filter(|n| n.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
    {
        assert!(
            !registered.contains(name),
            "README says `{name}` is not there yet, but the engine registers it"
        );
    }
}

/// The section's "reports N of M" is what `govscript docs --coverage` totals.
#[test]
fn readme_states_the_coverage_the_binary_reports() {
    let out = Command::new(bin())
        .args(["docs", "--coverage"])
        .output()
        .expect("run govscript docs --coverage");
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    // "Total: 509/509 members covered; 88/88 classes delivered."
    let total = text
        .lines()
        .find_map(|l| l.strip_prefix("Total: "))
        .expect("a Total line");
    let (members, _) = total.split_once(" members").expect("members");
    let (covered, all) = members.split_once('/').expect("covered/all");
    let claim = format!("reports {covered} of {all}");
    assert!(
        section().contains(&claim),
        "README should say `{claim}` (the binary: {total})"
    );
}
