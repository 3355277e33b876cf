//! Sign-offs, feedback and approval from Rhai against a real sandbox.
mod common;
use common::Sandbox;

#[test]
fn feedback_and_approval_lifecycle() {
    let sandbox = Sandbox::start();
    sandbox
        .script(
            r#"
let a = govern().get_artifact("ar.2");
let s = a.get_signoff("review");
assert_eq(type_of(s), "GovernArtifactSignoff");
assert_eq(s, a.list_signoffs().filter(|i| i.get_raw().signoffId.stepId == "review")[0].to_signoff());
let d = s.get_definition();
assert_eq(type_of(d), "GovernArtifactSignoffDefinition");
assert_eq(d.get_raw().status, "NOT_STARTED");
assert_eq(d.get_raw().configuration.feedbackUsersGroups.len(), 2);

// positional optional arguments, as in Python
s.update_status("WAITING_FOR_FEEDBACK", [#{ userLogin: "admin", groupId: "business" }], false);
assert_eq(s.get_definition().get_raw().status, "WAITING_FOR_FEEDBACK");

let fb = s.add_feedback("business", "MAJOR_ISSUE", "needs work");
assert_eq(type_of(fb), "GovernArtifactSignoffFeedback");
let items = s.list_feedbacks();
assert_eq(items.len(), 1);
assert_eq(type_of(items[0]), "GovernArtifactSignoffFeedbackListItem");
assert_eq(items[0].to_feedback(), fb);
assert_eq(s.get_feedback(fb.feedback_id), fb);
let fdef = fb.get_definition();
assert_eq(type_of(fdef), "GovernArtifactSignoffFeedbackDefinition");
assert_eq(fdef.get_raw().status, "MAJOR_ISSUE");
assert_eq(fdef.get_raw().comment, "needs work");
fdef.raw.status = "APPROVED";
fdef.raw.comment = "fixed";
fdef.save();
let reread = fb.get_definition().get_raw();
assert_eq([reread.status, reread.comment], ["APPROVED", "fixed"]);

// several feedbacks per user are allowed; deletion removes exactly one
let second = s.add_feedback("business", "APPROVED");
assert_eq(s.list_feedbacks().len(), 2);
second.delete();
assert_eq(s.list_feedbacks().map(|f| f.to_feedback().feedback_id), [fb.feedback_id]);
let e = expect_error(|| second.get_definition(), "deleted feedback found");
assert(e.message.contains("Unable to find a feedback"), e.message);

// membership: admin is not in `technical` until delegated
let e = expect_error(|| s.add_feedback("technical", "APPROVED"), "non-member accepted");
assert_eq(e.status, 403);
s.delegate_feedback("technical", GovernUserUsersContainer("admin"));
s.add_feedback("technical", "APPROVED");
let details = s.get_details();
assert_eq(type_of(details), "GovernArtifactSignoffDetails");
let technical = details.get_raw().feedbackGroups.to_map().filter(|g| g.groupId == "technical")[0];
assert("admin" in technical.users, `delegation in details: ${technical}`);

// approval
s.update_status("WAITING_FOR_APPROVAL");
let ap = s.add_approval("APPROVED", #{ comment: "go" });
assert_eq(type_of(ap), "GovernArtifactSignoffApproval");
assert_eq(s.get_approval(), ap);
assert_eq(s.get_definition().get_raw().status, "APPROVED");
let e = expect_error(|| s.add_approval("REJECTED"), "second approval accepted");
assert_eq(e.status, 400);
let adef = ap.get_definition();
assert_eq(type_of(adef), "GovernArtifactSignoffApprovalDefinition");
assert_eq([adef.get_raw().status, adef.get_raw().comment], ["APPROVED", "go"]);
adef.raw.status = "REJECTED";
adef.save();
assert_eq(ap.get_definition().get_raw().status, "REJECTED", "saved approval read back");
assert_eq(s.get_definition().get_raw().status, "REJECTED");
ap.delete();
assert_eq(s.get_definition().get_raw().status, "WAITING_FOR_APPROVAL");
let e = expect_error(|| ap.get_definition(), "deleted approval found");
assert(e.message.contains("approver response"), e.message);

// reset keeps the configuration (and delegations) unless asked to reload it
s.add_approval("ABANDONED");
s.update_status("NOT_STARTED");
let kept = s.get_details().get_raw().feedbackGroups.to_map().filter(|g| g.groupId == "technical")[0];
assert("admin" in kept.users, "delegation kept without reload");
s.update_status("WAITING_FOR_FEEDBACK");
s.update_status("ABANDONED");
s.update_status("NOT_STARTED", #{ reload_conf_for_reset: true });
let reloaded = s.get_details().get_raw().feedbackGroups.to_map().filter(|g| g.groupId == "technical")[0];
assert(!("admin" in reloaded.users), "delegation dropped by reload");
"#,
        )
        .ok();
}

#[test]
fn delegate_approval_and_recurrence() {
    let sandbox = Sandbox::start();
    sandbox
        .script(
            r#"
let s = govern().get_artifact("ar.4").get_signoff("deployment");
assert_eq(s.get_definition().get_raw().status, "WAITING_FOR_APPROVAL");
let e = expect_error(|| s.add_approval("APPROVED"), "non-approver accepted");
assert_eq(e.status, 403);
assert_eq(e.operation, "GovernArtifactSignoff.add_approval");
s.delegate_approval(GovernUserUsersContainer("admin"));
s.add_approval("APPROVED");
assert_eq(s.get_definition().get_raw().status, "APPROVED");

let r = s.get_recurrence_configuration();
assert_eq(type_of(r), "GovernArtifactSignoffRecurrenceConfiguration");
let raw = r.get_raw();
raw.activated = true;
raw.weeks = 2;
raw.reloadConf = true;
r.save();
let back = s.get_recurrence_configuration().get_raw();
assert_eq([back.activated, back.weeks, back.reloadConf], [true, 2, true]);
assert_eq(s.get_definition().get_raw().configuration.recurrenceConfiguration.weeks, 2);

let bad = s.get_recurrence_configuration();
bad.raw.days = 0; bad.raw.weeks = 0; bad.raw.months = 0; bad.raw.years = 0;
let e = expect_error(|| bad.save(), "empty period accepted");
assert_eq(e.status, 400);
"#,
        )
        .ok();
}

#[test]
fn illegal_transition_shows_governs_message_and_line() {
    let sandbox = Sandbox::start();
    let ran = sandbox
        .script("let s = govern().get_artifact(\"ar.1\").get_signoff(\"review\");\ns.update_status(\"NOT_STARTED\");\n")
        .run();
    assert_eq!(ran.code, 1);
    assert!(
        ran.stderr
            .contains("GovernArtifactSignoff.update_status: HTTP 400"),
        "{}",
        ran.stderr
    );
    assert!(
        ran.stderr.contains("Unable to set the status to 'NOT_STARTED' when current status is 'WAITING_FOR_FEEDBACK'"),
        "{}",
        ran.stderr
    );
    assert!(ran.stderr.contains("script.rhai:2:3"), "{}", ran.stderr);
}
