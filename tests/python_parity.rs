//! The official Python client and govscript run the same scenario on two fresh
//! sandboxes: they must see the same results and send the same requests, and the
//! results must be the ones the demo data and Govern's rules call for ([`PINNED`]).
mod common;

use common::{Run, Sandbox, python_client_available};
use serde_json::{Value, json};

/// Results pinned whatever the two clients agree on: comparing them on our own sandbox
/// alone, a sandbox regression would pass in both.
fn pinned() -> Vec<(&'static str, Value)> {
    vec![
        ("auth", json!("admin")),
        ("node_type", json!("GOVERN")),
        ("bp_name", json!("Model review")),
        ("versions", json!(["bv.v1", "bv.v2"])),
        ("trace", json!(["DRAFT", "bv.v1"])),
        ("steps", json!(["draft", "review", "deployment"])),
        ("owner", json!("dave")),
        ("bv", json!("bv.v1")),
        (
            "signoffs",
            json!([["deployment", "NOT_STARTED"], ["review", "NOT_STARTED"]]),
        ),
        ("feedback_saved", json!(["MINOR_ISSUE", "ok"])),
        ("feedback_left", json!(["technical"])),
        ("approval", json!("APPROVED")),
        ("after_approval_save", json!("REJECTED")),
        ("after_approval_delete", json!("WAITING_FOR_APPROVAL")),
        (
            "illegal_reset",
            json!(
                "com.dataiku.dip.server.controllers.ValidationException: Unable to set the \
                 status to 'NOT_STARTED' when current status is 'WAITING_FOR_APPROVAL'"
            ),
        ),
        ("after_reset", json!("NOT_STARTED")),
        ("recurrence", json!([true, 6])),
        ("deployment", json!("APPROVED")),
        ("late_signoff", json!("NOT_STARTED")),
    ]
}

/// The one result labelled `label`.
fn result<'a>(results: &'a [(String, Value)], label: &str) -> &'a Value {
    let found: Vec<&Value> = results
        .iter()
        .filter(|(l, _)| l == label)
        .map(|(_, v)| v)
        .collect();
    assert_eq!(found.len(), 1, "{label}: {found:?}");
    found[0]
}

/// The result `label` as a string.
fn text<'a>(results: &'a [(String, Value)], label: &str) -> &'a str {
    result(results, label)
        .as_str()
        .unwrap_or_else(|| panic!("{label} is not a string"))
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
    let dir = common::root().join("tests/python");
    let for_python = Sandbox::start();
    let py_out = common::python::run_script("parity.py", &[&for_python.url, &for_python.key]);

    let for_rhai = Sandbox::start();
    let source = std::fs::read_to_string(dir.join("parity.rhai")).expect("parity.rhai");
    // Python's save() does not check for conflicts: compare like with like.
    let rhai_out = Run::new(&source)
        .arg("--no-conflict-check")
        .env("GOVERN_HOST", &for_rhai.url)
        .env("GOVERN_API_KEY", &for_rhai.key)
        .ok();

    let (expected, got) = (
        common::python::labelled_results(&py_out),
        common::python::labelled_results(&rhai_out),
    );
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

    for (label, value) in pinned() {
        assert_eq!(result(&expected, label), &value, "{label}:\n{py_out}");
    }
    let created = text(&expected, "created");
    assert!(
        created
            .strip_prefix("ar.")
            .is_some_and(|n| n.parse::<u64>().is_ok()),
        "{created}"
    );
    assert_eq!(
        text(&expected, "deleted"),
        format!("com.dataiku.dip.exceptions.NotFoundException: Artifact not found: {created}")
    );
    assert!(
        text(&expected, "technical_before_delegation")
            .starts_with("com.dataiku.dip.exceptions.UnauthorizedException: "),
        "{py_out}"
    );
    let blueprints = result(&expected, "blueprints").as_array().expect("a list");
    assert!(
        blueprints.contains(&json!("bp.model_review")),
        "{blueprints:?}"
    );
    assert_eq!(
        result(&expected, "feedback_ids").as_array().map(Vec::len),
        Some(1)
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
