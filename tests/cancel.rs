//! Ctrl-C (SIGINT) stops a running `govscript run` at its next operation or request
//! (README.md), as a script error: exit code 1 and a message on stderr.
#![cfg(unix)]
mod common;

use common::{EXIT_SCRIPT_ERROR, Run, Running, canned};
use std::time::Duration;

/// How long a stop may take: "promptly", with room for a loaded CI machine.
const PROMPTLY: Duration = Duration::from_secs(5);

/// Sends SIGINT, as a terminal's Ctrl-C does.
fn interrupt(run: &mut Running) {
    run.signal("-INT");
}

/// Runs `source` (which prints `calling` first) against a host that never answers,
/// and presses Ctrl-C once its first request has reached the host.
fn interrupted_while_calling(source: &str) -> common::Ran {
    let (host, accepted) = canned::silent();
    let mut run = Run::new(source)
        .env("GOVERN_HOST", &host)
        .env("GOVERN_API_KEY", "k")
        .spawn();
    run.wait_for_line("calling");
    accepted
        .recv_timeout(PROMPTLY)
        .expect("the request reached the silent host");
    // No pause: a Ctrl-C at any point of the request is seen (the wait for it is
    // registered before the stop flag is read).
    interrupt(&mut run);
    run.wait_within(PROMPTLY)
}

#[test]
fn ctrl_c_stops_an_endless_loop() {
    let mut run = Run::new("print(\"started\");\nlet i = 0;\nloop { i += 1; }\n").spawn();
    // Printed by the script itself, so Ctrl-C is listened for: no pause needed.
    run.wait_for_line("started");
    interrupt(&mut run);
    let ran = run.wait_within(PROMPTLY);
    assert_eq!(ran.code, EXIT_SCRIPT_ERROR, "{ran:?}");
    assert!(
        ran.stderr
            .contains("error: Script terminated: interrupted (Ctrl-C)"),
        "{ran:?}"
    );
    assert!(ran.stderr.contains("script.rhai:3:"), "{ran:?}");
}

#[test]
fn ctrl_c_cancels_a_request_the_server_never_answers() {
    let ran = interrupted_while_calling(
        "print(\"calling\");\ngovern().get_auth_info();\nprint(\"after\");\n",
    );
    assert_eq!(ran.code, EXIT_SCRIPT_ERROR, "{ran:?}");
    assert!(
        ran.stderr
            .contains("GovernClient.get_auth_info: interrupted (Ctrl-C)"),
        "{ran:?}"
    );
    assert!(ran.stderr.contains("script.rhai:2:"), "{ran:?}");
    assert!(!ran.stdout.contains("after"), "{ran:?}");
}

#[test]
fn ctrl_c_stops_a_script_that_catches_every_error() {
    let source = r#"print("calling");
let c = govern();
loop {
    try { c.get_auth_info(); } catch (e) { print(`caught: ${e.message}`); }
}
"#;
    let ran = interrupted_while_calling(source);
    assert_eq!(ran.code, EXIT_SCRIPT_ERROR, "{ran:?}");
    assert!(
        ran.stderr
            .contains("error: Script terminated: interrupted (Ctrl-C)"),
        "{ran:?}"
    );
}

/// Files left in `dir` (the run's TMPDIR).
fn leftovers(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(dir)
        .expect("read TMPDIR")
        .flatten()
        .map(|e| e.path())
        .collect()
}

#[test]
fn sigterm_stops_a_sandbox_run_and_removes_its_database() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let mut run = Run::new("print(\"started\");\nlet c = govern();\nloop { c.get_auth_info(); }\n")
        .arg("--sandbox")
        .env("TMPDIR", tmp.path().to_str().expect("UTF-8 path"))
        .spawn();
    run.wait_for_line("started");
    assert_eq!(
        leftovers(tmp.path()).len(),
        1,
        "the sandbox's folder exists"
    );
    run.signal("-TERM");
    let ran = run.wait_within(PROMPTLY);
    assert_eq!(ran.code, EXIT_SCRIPT_ERROR, "{ran:?}");
    assert!(
        ran.stderr.contains("interrupted (SIGTERM)") || ran.stderr.contains("cancelled"),
        "{ran:?}"
    );
    assert!(
        leftovers(tmp.path()).is_empty(),
        "{:?}",
        leftovers(tmp.path())
    );
}
