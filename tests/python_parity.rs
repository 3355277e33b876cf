//! The official Python client and govscript run the same scenario on two fresh
//! sandboxes: they must see the same results and send the same requests.
mod common;

use common::{ADMIN_KEY, Run, Sandbox, python, python_client_available};
use serde_json::Value;
use std::path::Path;
use std::process::Command;

/// `label JSON` lines as (label, value).
fn results(stdout: &str) -> Vec<(String, Value)> {
    stdout
        .lines()
        .filter_map(|l| l.split_once(' '))
        .map(|(label, json)| {
            (
                label.to_string(),
                serde_json::from_str(json).unwrap_or(Value::String(json.into())),
            )
        })
        .collect()
}

/// Recorded requests as (method, target, body as JSON).
fn requests(sandbox: &Sandbox) -> Vec<(String, String, Value)> {
    sandbox
        .recorded()
        .into_iter()
        .map(|r| {
            let body = r["body"].as_str().unwrap_or("");
            let json = if body.is_empty() {
                Value::Null
            } else {
                serde_json::from_str(body).unwrap_or(Value::String(body.into()))
            };
            (
                r["method"].as_str().unwrap_or("").to_string(),
                r["target"].as_str().unwrap_or("").to_string(),
                json,
            )
        })
        .collect()
}

#[test]
fn python_client_and_govscript_agree() {
    if !python_client_available() {
        return;
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python");
    let for_python = Sandbox::start();
    let py = Command::new(python())
        .arg(dir.join("parity.py"))
        .args([&for_python.url, ADMIN_KEY])
        .output()
        .expect("run python");
    let py_out = String::from_utf8_lossy(&py.stdout).into_owned();
    assert!(
        py.status.success(),
        "python failed: {py_out}\n{}",
        String::from_utf8_lossy(&py.stderr)
    );

    let for_rhai = Sandbox::start();
    let source = std::fs::read_to_string(dir.join("parity.rhai")).expect("parity.rhai");
    // Python's save() does not check for conflicts: compare like with like.
    let rhai_out = Run::new(&source)
        .arg("--no-conflict-check")
        .env("GOVERN_HOST", &for_rhai.url)
        .env("GOVERN_API_KEY", ADMIN_KEY)
        .ok();

    let (expected, got) = (results(&py_out), results(&rhai_out));
    assert!(expected.len() >= 25, "scenario too short: {py_out}");
    for (e, g) in expected.iter().zip(&got) {
        assert_eq!(
            g, e,
            "result differs (python first):\n{py_out}\n---\n{rhai_out}"
        );
    }
    assert_eq!(
        got.len(),
        expected.len(),
        "line count:\n{py_out}\n---\n{rhai_out}"
    );

    let (py_requests, rhai_requests) = (requests(&for_python), requests(&for_rhai));
    assert!(
        py_requests.len() >= 40,
        "too few requests recorded: {}",
        py_requests.len()
    );
    for (i, (e, g)) in py_requests.iter().zip(&rhai_requests).enumerate() {
        assert_eq!(g, e, "request #{i} differs (python first)");
    }
    assert_eq!(rhai_requests.len(), py_requests.len(), "request count");
}
