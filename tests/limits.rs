//! Each script limit stops a runaway script with a clear error (and exit code 1), and
//! the stops read alike: `Script terminated: interrupted (<what> reached)`.
mod common;
use common::{EXIT_SCRIPT_ERROR, Run, canned};
use std::time::Duration;

/// Only catches a hang: a stop taking this long is a defect whatever the load.
const HANG: Duration = Duration::from_secs(60);

fn stops(source: &str, args: &[&str], message: &str) {
    let mut run = Run::new(source);
    for a in args {
        run = run.arg(a);
    }
    let ran = run.spawn().wait_within(HANG);
    assert_eq!(ran.code, EXIT_SCRIPT_ERROR, "{source}: {ran:?}");
    assert!(ran.stderr.contains(message), "{source}: {}", ran.stderr);
    assert!(
        ran.stderr.contains("script.rhai:"),
        "{source}: {}",
        ran.stderr
    );
}

#[test]
fn the_operation_limit_said_too_many_operations_unlike_the_other_stops() {
    stops(
        "loop { }",
        &["--max-operations", "10000"],
        "error: Script terminated: interrupted (--max-operations reached)",
    );
}

#[test]
fn recursion_is_limited_by_call_depth() {
    stops("fn f(x) { f(x + 1) }\nf(0);", &[], "Stack overflow");
}

#[test]
fn strings_are_limited_in_size() {
    stops(
        "let s = \"x\";\nloop { s += s; }",
        &[],
        "Length of string too large",
    );
}

#[test]
fn arrays_are_limited_in_size() {
    stops("let a = [1];\nloop { a += a; }", &[], "Size of array");
}

#[test]
fn wall_clock_time_is_limited_by_script_timeout() {
    stops(
        "loop { }",
        &["--script-timeout", "1"],
        "error: Script terminated: interrupted (--script-timeout reached)",
    );
}

/// Runs `source` with `args` against a host that accepts and never answers; returns
/// the host and the outcome.
fn against_a_silent_host(source: &str, args: &[&str]) -> (String, common::Ran) {
    let (host, _accepted) = canned::silent();
    let mut run = Run::new(source)
        .env("GOVERN_HOST", &host)
        .env("GOVERN_API_KEY", "k");
    for a in args {
        run = run.arg(a);
    }
    (host, run.spawn().wait_within(HANG))
}

#[test]
fn a_script_timeout_during_a_request_said_cancelled_by_the_user() {
    // Long enough for the request to be under way on a loaded machine.
    let (_, ran) = against_a_silent_host(
        "govern().get_auth_info();\nprint(\"after\");\n",
        &["--script-timeout", "3"],
    );
    assert_eq!(ran.code, EXIT_SCRIPT_ERROR, "{ran:?}");
    assert!(
        ran.stderr
            .contains("error: GovernClient.get_auth_info: interrupted (--script-timeout reached)"),
        "{}",
        ran.stderr
    );
    assert!(!ran.stderr.contains("by the user"), "{}", ran.stderr);
    assert!(!ran.stdout.contains("after"), "{ran:?}");
}

#[test]
fn a_request_the_server_never_answers_fails_after_timeout() {
    let (host, ran) = against_a_silent_host(
        "let e = expect_error(|| govern().get_auth_info());\nprint(`${e.error_type}|${e.message}`);\n",
        &["--timeout", "1", "--retries", "1"],
    );
    assert_eq!(ran.code, 0, "{ran:?}");
    assert_eq!(
        ran.stdout.trim(),
        format!("Timeout|no answer from {host} within 1 s (see --timeout)")
    );
}
