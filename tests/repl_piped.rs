//! `govscript repl` with stdin piped: entries evaluated line by line (open brackets
//! continue), results printed as plain JSON or one-line summaries, no colour.
mod common;

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn repl(input: &str, envs: &[(&str, &str)]) -> Output {
    let state = tempfile::tempdir().unwrap();
    let mut command = Command::new(common::bin());
    command
        .args(["repl", "--sandbox", "--quiet"])
        .env("XDG_STATE_HOME", state.path())
        .env("HOME", state.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in envs {
        command.env(k, v);
    }
    let mut child = command.spawn().expect("start repl");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    // Piped sessions keep no history.
    assert!(!state.path().join("govscript").exists());
    output
}

#[test]
fn piped_entries_print_plain_values_and_summaries() {
    let out = repl(
        "let a = client.get_artifact(\"ar.1\");\na\na.get_definition()\n#{x: [1,\n  2], y: \"s\"}\n40 + 2\nlet unit = ();\n",
        &[],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        stdout,
        "GovernArtifact ar.1\nGovernArtifactDefinition ar.1 \"Churn model\"\n{\n  \"x\": [\n    1,\n    2\n  ],\n  \"y\": \"s\"\n}\n42\n"
    );
    assert!(!stdout.contains('\x1b'));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn an_error_is_reported_with_its_position_and_later_entries_still_run() {
    let out = repl("let x = 1;\nx.nope()\nx + 1\n.help GovernClient\n", &[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("function not found: nope"), "{stderr}");
    assert!(stderr.contains("--> <repl>:1:3"), "{stderr}");
    assert!(stdout.starts_with("2\nGovernClient\n"), "{stdout}");
    assert!(
        stdout.contains("get_artifact(artifact_id: String) -> GovernArtifact"),
        "{stdout}"
    );
    // A failed entry makes the exit status 1 when input is piped.
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn exit_and_dot_exit_end_the_session() {
    let out = repl("1\n.exit\n2\n", &[]);
    assert_eq!(String::from_utf8_lossy(&out.stdout), "1\n");
    assert!(out.status.success());
}
