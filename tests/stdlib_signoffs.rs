//! The embedded `stdlib/govern/signoffs.rhai` module, imported by a script run by the
//! real binary against the demo sandbox (sign-off statuses as in `src/sandbox/seed.rs`).
mod common;
use common::Sandbox;

#[test]
fn status_counts_counts_each_signoff_by_status() {
    let sandbox = Sandbox::start();
    sandbox
        .script(
            r#"
import "govern/signoffs" as signoffs;
let c = govern();
assert_eq(signoffs::status_counts(c.get_artifact("ar.4")), #{ APPROVED: 1, WAITING_FOR_APPROVAL: 1 });
assert_eq(signoffs::status_counts(c.get_artifact("ar.2")), #{ NOT_STARTED: 2 });
assert_eq(signoffs::status_counts(c.get_artifact("ar.1")), #{ WAITING_FOR_FEEDBACK: 1, NOT_STARTED: 1 });
assert_eq(signoffs::status_counts(c.get_artifact("ar.9")), #{ APPROVED: 1 });
// The counts agree with the listing for every seeded artifact.
for n in 1..=22 {
    let a = c.get_artifact(`ar.${n}`);
    let total = 0;
    for v in signoffs::status_counts(a).values() { total += v; }
    assert_eq(total, a.list_signoffs().len(), `ar.${n}`);
}
"#,
        )
        .ok();
}

#[test]
fn with_status_returns_signoff_handles_of_the_given_statuses() {
    let sandbox = Sandbox::start();
    let out = sandbox
        .script(
            r#"
import "govern/signoffs" as signoffs;
let a = govern().get_artifact("ar.4");
let waiting = signoffs::with_status(a, ["WAITING_FOR_APPROVAL"]);
assert_eq(waiting, [a.get_signoff("deployment")]);
assert_eq(type_of(waiting[0]), "GovernArtifactSignoff");
let both = signoffs::with_status(a, ["APPROVED", "WAITING_FOR_APPROVAL"]).map(|s| s.step_id);
both.sort();
assert_eq(both, ["deployment", "review"]);
assert_eq(signoffs::with_status(a, ["REJECTED"]), []);
assert_eq(signoffs::with_status(a, []), []);
print(waiting[0]);
"#,
        )
        .ok();
    assert_eq!(out, "GovernArtifactSignoff(ar.4, deployment)\n");
}

#[test]
fn request_feedback_moves_only_not_started_signoffs() {
    let sandbox = Sandbox::start();
    sandbox
        .script(
            r#"
import "govern/signoffs" as signoffs;
let c = govern();
let fresh = c.get_artifact("ar.2").get_signoff("review");
assert_eq(signoffs::request_feedback(fresh), true);
assert_eq(fresh.get_definition().get_raw().status, "WAITING_FOR_FEEDBACK");
assert_eq(signoffs::request_feedback(fresh), false, "already moved");
let approved = c.get_artifact("ar.4").get_signoff("review");
assert_eq(signoffs::request_feedback(approved), false);
assert_eq(approved.get_definition().get_raw().status, "APPROVED");
"#,
        )
        .ok();
    // Exactly one status change was sent: the refusals only read.
    let updates: Vec<_> = sandbox
        .recorded()
        .into_iter()
        .filter(|r| {
            r["target"]
                .as_str()
                .is_some_and(|t| t.ends_with("/update-status"))
        })
        .map(|r| r["target"].clone())
        .collect();
    assert_eq!(
        updates,
        ["/dip/publicapi/artifact/ar.2/workflow/step/review/signoff/update-status"]
    );
}

#[test]
fn a_failing_call_inside_the_module_names_its_function() {
    let sandbox = Sandbox::start();
    let ran = sandbox
        .script(
            "import \"govern/signoffs\" as signoffs;\nsignoffs::status_counts(govern().get_artifact(\"ar.999\"));\n",
        )
        .exits(common::EXIT_SCRIPT_ERROR);
    assert!(
        ran.stderr
            .contains("GovernArtifact.list_signoffs: HTTP 404"),
        "{}",
        ran.stderr
    );
    assert!(ran.stderr.contains("status_counts"), "{}", ran.stderr);
    // The position is the module's, shown with the module's own line.
    assert!(
        ran.stderr.contains("--> govern/signoffs:"),
        "{}",
        ran.stderr
    );
    assert!(
        ran.stderr.contains("artifact.list_signoffs()"),
        "{}",
        ran.stderr
    );
    assert!(
        ran.stderr
            .contains("in call to function 'status_counts' at line 2"),
        "{}",
        ran.stderr
    );
}
