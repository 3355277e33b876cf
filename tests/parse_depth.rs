//! Regression: Rhai halves its expression-depth limits when built with debug
//! assertions, so a script nested a little deeper (a loop in a loop in a function
//! with a closure, as in the stdlib's own modules) parsed in a release build and was
//! refused as "Expression exceeds maximum complexity" in a debug one. Every build now
//! uses the release limits; beyond them the error is still a clear syntax error.
mod common;
use common::Run;

/// `depth` nested parentheses around `inner`.
fn nested(depth: usize, inner: &str) -> String {
    format!("{}{inner}{}", "(".repeat(depth), ")".repeat(depth))
}

#[test]
fn scripts_nested_within_release_limits_parse_in_every_build() {
    let source = format!(
        "fn f(x) {{ {} }}\nlet y = {};\nprint(f(1) + y);\n",
        nested(12, "x"),
        nested(28, "2")
    );
    assert_eq!(Run::new(&source).ok(), "3\n");
}

#[test]
fn deeper_nesting_is_a_clear_syntax_error() {
    let ran = Run::new(&format!("let y = {};\n", nested(200, "2"))).exits(common::EXIT_USAGE);
    assert!(
        ran.stderr.contains("Expression exceeds maximum complexity"),
        "{}",
        ran.stderr
    );
}
