//! Each script limit stops a runaway script with a clear error (and exit code 1).
mod common;
use common::{EXIT_SCRIPT_ERROR, Run};

fn stops(source: &str, args: &[&str], message: &str) {
    let mut run = Run::new(source);
    for a in args {
        run = run.arg(a);
    }
    let ran = run.exits(EXIT_SCRIPT_ERROR);
    assert!(ran.stderr.contains(message), "{source}: {}", ran.stderr);
    assert!(
        ran.stderr.contains("script.rhai:"),
        "{source}: {}",
        ran.stderr
    );
}

#[test]
fn operations_are_limited_by_max_operations() {
    stops(
        "loop { }",
        &["--max-operations", "10000"],
        "Too many operations",
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
    let started = std::time::Instant::now();
    stops(
        "loop { }",
        &["--script-timeout", "1"],
        "Script terminated: interrupted (--script-timeout reached)",
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
}
