//! The sandbox's rights for sign-offs and from the clients (issue 13 §2): feedback and
//! approval membership with user keys, role containers resolved through the role
//! assignments, and the matrix from Rhai and from the official Python client
//! (`tests/python/rights.py`); the HTTP matrix is in `sandbox_rights.rs`.
mod common;

use common::designer::{blueprint_with_version, conf_path, define, set_status};
use common::rights::*;
use common::{ADMIN_KEY, API, Sandbox, assert_error};
use serde_json::json;

#[test]
fn signoff_feedback_and_approval_keep_their_membership_rules_for_user_keys() {
    let sb = Sandbox::start();
    let so = |ar: &str| format!("{API}/artifact/{ar}/workflow/step/review/signoff");
    let fb = json!({"status": "APPROVED"});
    // ar.1's review waits for feedback: alice is in group business, bob is not.
    let r = call(
        &sb,
        ALICE,
        "POST",
        &format!("{}/feedback?groupId=business", so("ar.1")),
        Some(&fb),
    );
    assert_eq!(r.status, 200, "{}", r.raw);
    assert_eq!(r.body["author"], "alice");
    let before = sb.ok("GET", &so("ar.1"), None);
    let r = call(
        &sb,
        BOB,
        "POST",
        &format!("{}/feedback?groupId=business", so("ar.1")),
        Some(&fb),
    );
    assert_error(&r, 403, "not part of the group");
    assert_eq!(sb.ok("GET", &so("ar.1"), None), before);
    // ar.3 waits for approval: risk_officers (carol) approve, alice may not.
    let ap = json!({"status": "APPROVED"});
    let before = sb.ok("GET", &so("ar.3"), None);
    assert_error(
        &call(
            &sb,
            ALICE,
            "POST",
            &format!("{}/approval", so("ar.3")),
            Some(&ap),
        ),
        403,
        "not an approver",
    );
    assert_eq!(sb.ok("GET", &so("ar.3"), None), before);
    let r = call(
        &sb,
        CAROL,
        "POST",
        &format!("{}/approval", so("ar.3")),
        Some(&ap),
    );
    assert_eq!(r.status, 200, "{}", r.raw);
    // Starting a sign-off needs artifact write: alice only reads ar.2.
    let start = json!({"targetStatus": "WAITING_FOR_FEEDBACK", "usersToSendEmailTo": null, "reloadConfForReset": false});
    let before = sb.ok("GET", &so("ar.2"), None);
    let r = call(
        &sb,
        ALICE,
        "POST",
        &format!("{}/update-status", so("ar.2")),
        Some(&start),
    );
    assert_error(&r, 403, "may not write");
    assert_eq!(sb.ok("GET", &so("ar.2"), None), before);
}

#[test]
fn a_reviewer_who_may_not_read_the_artifact_cannot_give_feedback() {
    let sb = Sandbox::start();
    let (bp, bv) = blueprint_with_version(&sb, "hidden");
    define(&sb, &bp, &bv);
    let conf = json!({"title": "T", "mandatory": false, "approvers": [],
        "feedbackUsersGroups": [{"id": "g", "title": "G",
            "users": [{"usersContainer": {"type": "user", "login": "erin"}}]}]});
    sb.ok("POST", &conf_path(&bp, &bv, "s1"), Some(&conf.to_string()));
    assert_eq!(set_status(&sb, &bp, &bv, "ACTIVE").status, 200);
    let made = sb.ok(
        "POST",
        &format!("{API}/artifacts"),
        Some(
            &json!({
        "blueprintVersionId": {"blueprintId": bp, "versionId": bv}, "name": "A", "fields": {}})
            .to_string(),
        ),
    );
    let id = made["artifactId"]
        .as_str()
        .expect("artifact id")
        .to_string();
    let so = format!("{API}/artifact/{id}/workflow/step/s1/signoff");
    let start = json!({"targetStatus": "WAITING_FOR_FEEDBACK", "usersToSendEmailTo": null, "reloadConfForReset": false});
    sb.ok(
        "POST",
        &format!("{so}/update-status"),
        Some(&start.to_string()),
    );
    let before = sb.ok("GET", &so, None);
    let r = call(
        &sb,
        ERIN,
        "POST",
        &format!("{so}/feedback?groupId=g"),
        Some(&json!({"status": "APPROVED"})),
    );
    assert_error(&r, 404, &format!("Artifact not found: {id}"));
    assert_eq!(sb.ok("GET", &so, None), before);
    // The admin (erin impersonated) confirms erin is the group's one member.
    let details = sb.ok("GET", &format!("{so}/details"), None);
    assert_eq!(details["feedbackGroups"][0]["users"], json!(["erin"]));
}

#[test]
fn a_role_container_in_a_signoff_resolves_through_the_role_assignments() {
    let sb = Sandbox::start();
    // The review of bp.model_review gets a feedback group of project managers (High
    // risk models: risk_officers carol and erin).
    let path = conf_path("bp.model_review", "bv.v1", "review");
    let mut conf = sb.ok("GET", &path, None);
    conf["feedbackUsersGroups"]
        .as_array_mut()
        .expect("groups")
        .push(json!({"id": "managers", "title": "M",
        "users": [{"usersContainer": {"type": "role", "roleId": "ro.project_manager"}}]}));
    sb.ok("PUT", &path, Some(&conf.to_string()));
    let made = sb.ok(
        "POST",
        &format!("{API}/artifacts"),
        Some(
            &json!({
        "blueprintVersionId": {"blueprintId": "bp.model_review", "versionId": "bv.v1"},
        "name": "Risky", "fields": {"owner": "dave", "risk": "High"}})
            .to_string(),
        ),
    );
    let id = made["artifactId"]
        .as_str()
        .expect("artifact id")
        .to_string();
    let so = format!("{API}/artifact/{id}/workflow/step/review/signoff");
    let start = json!({"targetStatus": "WAITING_FOR_FEEDBACK", "usersToSendEmailTo": null, "reloadConfForReset": false});
    sb.ok(
        "POST",
        &format!("{so}/update-status"),
        Some(&start.to_string()),
    );
    let details = sb.ok("GET", &format!("{so}/details"), None);
    let managers = details["feedbackGroups"]
        .as_array()
        .and_then(|g| g.iter().find(|g| g["groupId"] == "managers"))
        .cloned();
    assert_eq!(
        managers.map(|g| g["users"].clone()),
        Some(json!(["carol", "erin"]))
    );
    let fb = json!({"status": "APPROVED"});
    let r = call(
        &sb,
        BOB,
        "POST",
        &format!("{so}/feedback?groupId=managers"),
        Some(&fb),
    );
    assert_error(&r, 403, "not part of the group");
    let r = call(
        &sb,
        CAROL,
        "POST",
        &format!("{so}/feedback?groupId=managers"),
        Some(&fb),
    );
    assert_eq!(r.status, 200, "{}", r.raw);
}

#[test]
fn rhai_scripts_run_with_the_rights_of_their_key() {
    let sb = Sandbox::start();
    let before = admin_read(&sb, "ar.16").body;
    let as_key = |key: &str, src: &str| sb.script(src).env("GOVERN_API_KEY", key).ok();
    let out = as_key(
        ERIN,
        r#"
let c = govern();
assert_eq(c.get_artifact("ar.15").get_definition().get_raw().name, "Retail growth");
let e = expect_error(|| c.get_artifact("ar.16").get_definition(), "ar.16 hidden");
assert_eq(e.status, 404);
let q = GovernArtifactSearchQuery(#{artifact_filters: [GovernArtifactFilterBlueprints(["bp.system.business_initiative"])]});
print(`erin sees ${c.search(q, #{page_size: 10}).to_array().map(|h| h.to_artifact().artifact_id)}`);
let e = expect_error(|| c.get_blueprint_designer().list_blueprints(), "designer");
assert_eq(e.status, 403);
"#,
    );
    assert!(out.contains(r#"erin sees ["ar.15"]"#), "{out}");
    as_key(
        ALICE,
        r#"
let c = govern();
let d = c.get_artifact("ar.16").get_definition();
let raw = d.get_raw();
raw.fields.description = "alice was here";
let e = expect_error(|| d.save(), "alice saves");
assert_eq(e.status, 403);
let e = expect_error(|| c.get_artifact("ar.16").delete(), "alice deletes");
assert_eq(e.status, 403);
let e = expect_error(|| c.create_artifact(#{blueprintVersionId: #{blueprintId: "bp.system.business_initiative",
    versionId: "bv.system.default"}, name: "x", fields: #{}}), "alice creates");
assert_eq(e.status, 403);
"#,
    );
    assert_eq!(admin_read(&sb, "ar.16").body, before);
    assert_eq!(
        search(&sb, ADMIN_KEY, of_blueprint(BI), 10).0,
        ["ar.15", "ar.16"]
    );
    let out = as_key(
        DAVE,
        r#"
let d = govern().get_blueprint_designer();
print(`dave designs ${d.list_blueprints().len() > 5}`);
"#,
    );
    assert!(out.contains("dave designs true"), "{out}");
}

/// The same matrix with the unmodified official Python client.
#[test]
fn official_python_client_gets_the_documented_outcome_for_each_key() {
    let python = match common::python::python_client() {
        Ok(p) => p,
        Err(why) => return common::python::skip(&why),
    };
    let sb = Sandbox::start();
    let before = admin_read(&sb, "ar.16").body;
    let out = std::process::Command::new(&python)
        .arg(common::root().join("tests/python/rights.py"))
        .arg(&sb.url)
        .arg(ADMIN_KEY)
        .output()
        .expect("run python");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "rights.py failed\nstdout:\n{stdout}\nstderr:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("checks passed"), "{stdout}");
    // What the refused calls aimed at is as it was.
    assert_eq!(admin_read(&sb, "ar.16").body, before);
    assert_eq!(
        sb.call("GET", &format!("{API}/admin/blueprint/bp.py_alice"), None)
            .status,
        404
    );
}
