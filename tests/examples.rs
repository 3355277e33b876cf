//! Every script in `scripts/` runs green against a fresh sandbox. The tests of the task
//! scripts (issue 15) check the effect over plain HTTP: the server's state afterwards,
//! or the CSV written against what the server holds; they live in `examples/`, one
//! file per area, on the helpers of `examples/support.rs`.
#[path = "examples/artifacts.rs"]
mod artifacts;
mod common;
#[path = "examples/designer.rs"]
mod designer;
#[path = "examples/signoffs.rs"]
mod signoffs;
#[path = "examples/support.rs"]
mod support;

use common::Sandbox;

/// Runs `scripts/NAME` with `args` against a fresh sandbox; returns the sandbox (to read
/// its state back) and the script's output.
fn run_on_sandbox(name: &str, args: &[&str]) -> (Sandbox, String) {
    let sandbox = Sandbox::start();
    let out = support::example_with(&sandbox, name, args).ok();
    (sandbox, out)
}

fn run_example(name: &str, args: &[&str]) -> String {
    run_on_sandbox(name, args).1
}

#[test]
fn every_example_is_tested() {
    let dir = common::root().join("scripts");
    let this = [
        include_str!("examples.rs"),
        include_str!("examples/artifacts.rs"),
        include_str!("examples/designer.rs"),
        include_str!("examples/signoffs.rs"),
    ]
    .concat();
    for entry in std::fs::read_dir(dir).expect("scripts/") {
        let name = entry.expect("entry of scripts/").file_name();
        let name = name.to_string_lossy();
        assert!(
            this.contains(&format!("\"{name}\"")),
            "scripts/{name} has no test"
        );
    }
}

#[test]
fn list_signoffs() {
    let out = run_example("list_signoffs.rhai", &[]);
    assert!(
        out.contains("ar.1  Churn model\n  review: WAITING_FOR_FEEDBACK  feedback: 1  approval: -"),
        "{out}"
    );
    assert!(out.contains("ar.8  Recommender v1"), "{out}");
}

#[test]
fn blueprint_tour() {
    let out = run_example("blueprint_tour.rhai", &["bp.model_review"]);
    assert_eq!(
        out,
        "bp.model_review  Model review\n  bv.v1 ACTIVE  steps: [\"draft\", \"review\", \"deployment\"]\n  bv.v2 DRAFT (from bv.v1)  steps: [\"draft\", \"review\", \"deployment\"]\n"
    );
}

#[test]
fn signoff_workflow() {
    let out = run_example("signoff_workflow.rhai", &[]);
    assert!(
        out.contains("review: APPROVED after 2 feedback reviews"),
        "{out}"
    );
}

/// Checked only the script's own counter ("2 artifact(s) updated"); now the owners are
/// read back from the server, with the artifact already owned and one not named.
#[test]
fn bulk_set_owner_sets_the_owners_on_the_server() {
    let (sandbox, out) = run_on_sandbox("bulk_set_owner.rhai", &["carol", "ar.1", "ar.2", "ar.3"]);
    assert!(out.contains("ar.3: already owned by carol\n"), "{out}");
    assert!(out.ends_with("2 artifact(s) updated\n"), "{out}");
    for id in ["ar.1", "ar.2", "ar.3"] {
        assert_eq!(sandbox.fields(id)["owner"], "carol", "{id}");
    }
    // The demo data's values: other fields and other artifacts are left alone.
    let ar1 = sandbox.fields("ar.1");
    assert_eq!(
        (&ar1["risk"], &ar1["score"]),
        (&serde_json::json!("Medium"), &serde_json::json!(0.87))
    );
    assert_eq!(sandbox.fields("ar.4")["owner"], "dave");
}

#[test]
fn schedule_recertification() {
    let out = run_example("schedule_recertification.rhai", &[]);
    assert!(
        out.contains("(ar.8, deployment): resets every 1 year(s)"),
        "{out}"
    );
}

#[test]
fn handle_errors() {
    let out = run_example("handle_errors.rhai", &[]);
    assert!(out.contains("status 404"), "{out}");
    assert!(out.contains("refused: Unable to set the status"), "{out}");
}
