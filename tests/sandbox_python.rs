//! Runs `tests/python/sandbox_conformance.py` (the official Python client, unmodified)
//! against a fresh demo sandbox.
//!
//! The interpreter comes from `$GOVSCRIPT_PYTHON` or `.venv/`, which the harness creates
//! when missing (see `common/python.rs`). Where that is impossible the test prints a
//! `SKIPPED:` line, and fails under CI.
mod common;

use common::python::python_client;
use common::{Sandbox, root};
use std::process::Command;

#[test]
fn official_python_client_drives_the_sandbox() {
    let python = match python_client() {
        Ok(p) => p,
        Err(why) => return common::python::skip(&why),
    };
    let key = "python-conformance-key";
    let sb = Sandbox::with().key(key).start();
    let out = Command::new(&python)
        .arg(root().join("tests/python/sandbox_conformance.py"))
        .arg(&sb.url)
        .arg(key)
        .output()
        .expect("run python");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{stdout}");
    assert!(
        out.status.success(),
        "conformance script failed\nstdout:\n{stdout}\nstderr:\n{stderr}"
    );
    assert!(stdout.contains("checks passed"), "{stdout}");
}
