//! Every script in `scripts/` runs green against a fresh sandbox.
mod common;
use common::Sandbox;

fn run_example(name: &str, args: &[&str]) -> String {
    let sandbox = Sandbox::start();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scripts")
        .join(name);
    let source = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
    let mut run = sandbox.script(&source);
    for a in args {
        run = run.script_arg(a);
    }
    run.ok()
}

#[test]
fn every_example_is_tested() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts");
    let this = include_str!("examples.rs");
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

#[test]
fn bulk_set_owner() {
    let out = run_example("bulk_set_owner.rhai", &["carol", "ar.1", "ar.2"]);
    assert!(out.ends_with("2 artifact(s) updated\n"), "{out}");
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
