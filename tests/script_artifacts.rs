//! Artifact handles from Rhai against a real sandbox.
mod common;
use common::Sandbox;

#[test]
fn create_read_edit_save_delete() {
    let sandbox = Sandbox::start();
    sandbox
        .script(
            r#"
let client = govern();
let a = client.create_artifact(#{
    blueprintVersionId: GovernBlueprintVersionId("bp.model_review", "bv.v1").build(),
    name: "Created by test",
    fields: #{ owner: "bob", risk: "High", score: 7 },
});
assert_eq(type_of(a), "GovernArtifact");
let def = a.get_definition();
let raw = def.get_raw();
assert_eq(raw.id, a.artifact_id);
assert_eq(raw.name, "Created by test");
assert_eq(raw.fields.score, 7);

// the live document: edits through a variable, nested paths and arrays are saved
raw.fields.owner = "carol";
raw["fields"]["score"] += 1;
let fields = raw.fields;
fields.risk = "Low";
def.save();
let again = a.get_definition().get_raw();
assert_eq(again.fields.owner, "carol");
assert_eq(again.fields.score, 8);
assert_eq(again.fields.risk, "Low");

let bv = def.get_blueprint_version();
assert_eq(type_of(bv), "GovernBlueprintVersion");
assert_eq(bv.version_id, "bv.v1");
assert_eq(bv.blueprint_id, "bp.model_review");

// creating an artifact created the sign-offs its blueprint version configures
let steps = a.list_signoffs().map(|s| s.to_signoff().step_id);
steps.sort();
assert_eq(steps, ["deployment", "review"]);
for s in a.list_signoffs() {
    assert_eq(type_of(s), "GovernArtifactSignoffListItem");
    assert_eq(s.get_raw().status, "NOT_STARTED");
}

a.delete();
let e = expect_error(|| a.get_definition(), "deleted artifact still readable");
assert_eq(e.status, 404);
"#,
        )
        .ok();
}

#[test]
fn create_signoff_on_a_step_configured_later() {
    let sandbox = Sandbox::start();
    sandbox
        .script(
            r#"
let a = govern().get_artifact("ar.9");
let before = a.list_signoffs().map(|s| s.get_raw().signoffId.stepId);
assert(!("deployment" in before), "ar.9 starts without a deployment sign-off");
let s = a.create_signoff("deployment");
assert_eq(type_of(s), "GovernArtifactSignoff");
assert_eq(s.get_definition().get_raw().status, "NOT_STARTED");
let after = a.list_signoffs().map(|s| s.get_raw().signoffId.stepId);
assert("deployment" in after);
let e = expect_error(|| a.create_signoff("deployment"), "second create accepted");
assert_eq(e.status, 400);
"#,
        )
        .ok();
}

#[test]
fn invalid_artifact_is_refused_with_govern_message() {
    let sandbox = Sandbox::start();
    let ran = sandbox
        .script(
            r#"
govern().create_artifact(#{
    blueprintVersionId: GovernBlueprintVersionId("bp.model_review", "bv.v1").build(),
    name: "bad", fields: #{ no_such_field: 1 },
});
"#,
        )
        .run();
    assert_eq!(ran.code, 1);
    assert!(
        ran.stderr.contains("GovernClient.create_artifact"),
        "{}",
        ran.stderr
    );
    assert!(ran.stderr.contains("no_such_field"), "{}", ran.stderr);
}
