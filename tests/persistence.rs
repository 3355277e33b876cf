//! A sandbox restarted on the same database still has every object.
mod common;
use common::Sandbox;

#[test]
fn restart_keeps_artifacts_signoffs_reviews_and_recurrence() {
    let first = Sandbox::start();
    let id = first
        .script(
            r#"
let c = govern();
let a = c.create_artifact(#{
    blueprintVersionId: GovernBlueprintVersionId("bp.model_review", "bv.v1").build(),
    name: "Survives restarts", fields: #{ owner: "erin" },
});
let s = a.get_signoff("review");
s.update_status("WAITING_FOR_FEEDBACK");
s.add_feedback("business", "MINOR_ISSUE", "kept?");
let r = s.get_recurrence_configuration();
r.raw.activated = true; r.raw.months = 3;
r.save();
c.get_artifact("ar.2").delete();
print(a.artifact_id);
"#,
        )
        .ok();
    let id = id.trim().to_string();
    let dir = first.dir.clone();
    let keep = first.stop();

    let second = Sandbox::start_in(&dir);
    second
        .script(&format!(
            r#"
let c = govern();
let a = c.get_artifact("{id}");
assert_eq(a.get_definition().get_raw().fields.owner, "erin");
let s = a.get_signoff("review").get_definition().get_raw();
assert_eq(s.status, "WAITING_FOR_FEEDBACK");
assert_eq(s.feedbackResponses[0].comment, "kept?");
assert_eq(s.configuration.recurrenceConfiguration.months, 3);
assert_eq(c.get_artifact("ar.1").get_definition().get_raw().name, "Churn model");
let e = expect_error(|| c.get_artifact("ar.2").get_definition(), "deleted artifact came back");
assert_eq(e.status, 404);
"#
        ))
        .ok();
    drop(keep);
}
