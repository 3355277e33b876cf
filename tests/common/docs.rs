//! `govscript docs`, run by the tests of the generated reference.
use crate::common::bin;
use std::process::{Command, Output};

/// Runs `govscript docs ARGS` and returns its output (checked for success).
pub fn docs(args: &[&str]) -> Output {
    let out = Command::new(bin())
        .arg("docs")
        .args(args)
        .output()
        .expect("run govscript docs");
    assert!(
        out.status.success(),
        "govscript docs {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}
