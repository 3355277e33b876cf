//! The sandbox's error paths (issue 16): each refused call gets Govern's status and error
//! type (govern-protocol.md §1.5, §5, §6) and changes nothing; the official Python client
//! reports the same errors.
mod common;

use common::python::python_client;
use common::{ADMIN_KEY, API, Resp, Sandbox, assert_error};
use serde_json::{Value, json};
use std::process::Command;

const NOT_FOUND: &str = "com.dataiku.dip.exceptions.NotFoundException";
const VALIDATION: &str = "com.dataiku.dip.server.controllers.ValidationException";
const UNAUTHORIZED: &str = "com.dataiku.dip.exceptions.UnauthorizedException";

/// Asserts status, error type and a part of the detailed message.
fn refused(r: &Resp, status: u16, error_type: &str, needle: &str) {
    assert_error(r, status, needle);
    assert_eq!(r.body["errorType"], error_type, "{}", r.raw);
}

fn signoff(ar: &str, step: &str) -> String {
    format!("{API}/artifact/{ar}/workflow/step/{step}/signoff")
}

/// A call acting as `login` through the admin key (`X-DKU-ProxyUser`).
fn as_user(sb: &Sandbox, login: &str, method: &str, target: &str, body: Option<&str>) -> Resp {
    sb.call_with(
        method,
        target,
        body,
        Some(ADMIN_KEY),
        &[("X-DKU-ProxyUser", login)],
    )
}

#[test]
fn unknown_blueprints_version_lists_and_versions_are_404s() {
    let sb = Sandbox::start();
    let r = sb.call("GET", &format!("{API}/blueprint/bp.nope"), None);
    refused(&r, 404, NOT_FOUND, "Blueprint not found: bp.nope");
    let r = sb.call("GET", &format!("{API}/blueprint/bp.nope/versions"), None);
    refused(&r, 404, NOT_FOUND, "Blueprint not found: bp.nope");
    let r = sb.call(
        "GET",
        &format!("{API}/blueprint/bp.model_review/version/bv.nope"),
        None,
    );
    refused(&r, 404, NOT_FOUND, "bv.nope");
    let r = sb.call(
        "GET",
        &format!("{API}/blueprint/bp.nope/version/bv.v1"),
        None,
    );
    refused(&r, 404, NOT_FOUND, "bp.nope");
}

#[test]
fn create_signoff_on_an_unknown_step_or_without_a_configuration_is_refused() {
    let sb = Sandbox::start();
    let r = sb.call("POST", &format!("{}/create", signoff("ar.9", "nope")), None);
    refused(&r, 404, NOT_FOUND, "Workflow step not found: ar.9 / nope");
    // ar.7's draft step is ongoing, and no sign-off is configured for it.
    let r = sb.call(
        "POST",
        &format!("{}/create", signoff("ar.7", "draft")),
        None,
    );
    refused(
        &r,
        400,
        VALIDATION,
        "no sign-off configuration exists for step 'draft'",
    );
    let r = sb.call("GET", &signoff("ar.7", "draft"), None);
    refused(&r, 404, NOT_FOUND, "Sign-off not found");
}

#[test]
fn feedback_and_approval_in_the_wrong_status_are_refused() {
    let sb = Sandbox::start();
    // ar.2's review sign-off is NOT_STARTED.
    let base = signoff("ar.2", "review");
    let fb = json!({"status": "APPROVED"}).to_string();
    let r = sb.call(
        "POST",
        &format!("{base}/feedback?groupId=business"),
        Some(&fb),
    );
    refused(
        &r,
        400,
        VALIDATION,
        "Unable to add a feedback when the sign-off status is 'NOT_STARTED'",
    );
    let r = sb.call("POST", &format!("{base}/approval"), Some(&fb));
    refused(&r, 400, VALIDATION, "'NOT_STARTED'");
    let so = sb.ok("GET", &base, None);
    assert_eq!(so["status"], "NOT_STARTED");
    assert_eq!(so["feedbackResponses"], json!([]));
    assert!(so["approverResponse"].is_null());
}

#[test]
fn editing_or_deleting_an_unknown_feedback_or_another_authors_is_refused() {
    let sb = Sandbox::start();
    // ar.1: WAITING_FOR_FEEDBACK, one feedback by alice.
    let base = signoff("ar.1", "review");
    let before = sb.ok("GET", &base, None);
    let fid = before["feedbackResponses"][0]["id"]
        .as_str()
        .expect("a seeded feedback")
        .to_string();
    let fb = json!({"status": "MAJOR_ISSUE"}).to_string();
    let r = sb.call("PUT", &format!("{base}/feedback/fb.999"), Some(&fb));
    refused(&r, 404, NOT_FOUND, "Feedback not found: fb.999");
    let r = sb.call("DELETE", &format!("{base}/feedback/fb.999"), None);
    refused(&r, 404, NOT_FOUND, "Feedback not found: fb.999");
    let target = format!("{base}/feedback/{fid}");
    let r = as_user(&sb, "bob", "PUT", &target, Some(&fb));
    refused(&r, 403, UNAUTHORIZED, "Only the author (alice)");
    let r = as_user(&sb, "bob", "DELETE", &target, None);
    refused(&r, 403, UNAUTHORIZED, "Only the author (alice)");
    assert_eq!(sb.ok("GET", &base, None), before);
}

#[test]
fn deleting_a_feedback_outside_waiting_for_feedback_is_no_longer_accepted() {
    let sb = Sandbox::start();
    // ar.3: WAITING_FOR_APPROVAL with alice's and bob's feedbacks (govern-protocol.md:
    // deleting a feedback needs WAITING_FOR_FEEDBACK).
    let base = signoff("ar.3", "review");
    let before = sb.ok("GET", &base, None);
    let fid = before["feedbackResponses"][0]["id"]
        .as_str()
        .expect("a seeded feedback")
        .to_string();
    let r = sb.call("DELETE", &format!("{base}/feedback/{fid}"), None);
    refused(
        &r,
        400,
        VALIDATION,
        "Unable to delete a feedback when the sign-off status is 'WAITING_FOR_APPROVAL'",
    );
    assert_eq!(sb.ok("GET", &base, None), before);
}

#[test]
fn editing_a_missing_approval_or_anothers_is_refused() {
    let sb = Sandbox::start();
    // ar.3: WAITING_FOR_APPROVAL, no approval yet.
    let ap = json!({"status": "REJECTED"}).to_string();
    let r = sb.call(
        "PUT",
        &format!("{}/approval", signoff("ar.3", "review")),
        Some(&ap),
    );
    refused(&r, 404, NOT_FOUND, "Approval not found: ar.3 / review");
    // ar.4's review was approved by admin; bob is no approver.
    let base = signoff("ar.4", "review");
    let before = sb.ok("GET", &base, None);
    let r = as_user(&sb, "bob", "PUT", &format!("{base}/approval"), Some(&ap));
    assert_eq!(r.status, 403, "{}", r.raw);
    assert_eq!(r.body["errorType"], UNAUTHORIZED, "{}", r.raw);
    let r = as_user(&sb, "bob", "DELETE", &format!("{base}/approval"), None);
    assert_eq!(r.status, 403, "{}", r.raw);
    assert_eq!(sb.ok("GET", &base, None), before);
}

#[test]
fn a_negative_recurrence_is_refused() {
    let sb = Sandbox::start();
    let base = signoff("ar.4", "review");
    let before = sb.ok("GET", &base, None);
    for key in ["days", "weeks", "months", "years"] {
        let mut rec = json!({"activated": true, "days": 0, "weeks": 0, "months": 1, "years": 0});
        rec[key] = json!(-1);
        let r = sb.call(
            "POST",
            &format!("{base}/schedule-reset"),
            Some(&rec.to_string()),
        );
        refused(
            &r,
            400,
            VALIDATION,
            &format!("Recurrence '{key}' must be a non-negative integer"),
        );
    }
    assert_eq!(sb.ok("GET", &base, None), before);
}

#[test]
fn delegating_to_an_unknown_group_or_by_a_non_member_is_refused() {
    let sb = Sandbox::start();
    let base = signoff("ar.1", "review");
    let before = sb.ok("GET", &base, None);
    let container = json!({"type": "user", "login": "dave"}).to_string();
    let r = sb.call(
        "POST",
        &format!("{base}/delegate-feedback?groupId=nope"),
        Some(&container),
    );
    refused(&r, 404, NOT_FOUND, "Feedback group not found: nope");
    // dave is in no feedback group of ar.1 and no approver.
    let r = as_user(
        &sb,
        "dave",
        "POST",
        &format!("{base}/delegate-feedback?groupId=business"),
        Some(&container),
    );
    assert_eq!(r.status, 403, "{}", r.raw);
    assert_eq!(r.body["errorType"], UNAUTHORIZED, "{}", r.raw);
    let r = as_user(
        &sb,
        "dave",
        "POST",
        &format!("{base}/delegate-approval"),
        Some(&container),
    );
    assert_eq!(r.status, 403, "{}", r.raw);
    assert_eq!(sb.ok("GET", &base, None), before);
}

#[test]
fn impersonation_by_a_non_admin_or_of_an_unknown_user_is_refused() {
    let sb = Sandbox::start();
    let bob_key = "bob-personal-key-0123456789";
    add_key(&sb, bob_key, "bob", false);
    let info = format!("{API}/auth/info");
    let me = sb.call_with("GET", &info, None, Some(bob_key), &[]);
    assert_eq!(me.body["authIdentifier"], "bob", "{}", me.raw);
    let r = sb.call_with(
        "GET",
        &info,
        None,
        Some(bob_key),
        &[("X-DKU-ProxyUser", "alice")],
    );
    refused(&r, 403, UNAUTHORIZED, "Only administrators may impersonate");
    let r = as_user(&sb, "nobody", "GET", &info, None);
    refused(&r, 404, NOT_FOUND, "User not found: nobody");
}

/// Stores a personal API key of `login` straight in the sandbox's database (the sandbox
/// has no key endpoints).
fn add_key(sb: &Sandbox, secret: &str, login: &str, admin: bool) {
    let db = rusqlite::Connection::open(&sb.db).expect("open the sandbox database");
    db.busy_timeout(std::time::Duration::from_secs(30))
        .expect("busy timeout");
    let doc = json!({"login": login, "admin": admin, "createdOn": 0}).to_string();
    db.execute(
        "INSERT INTO api_keys (id, body) VALUES (?1, ?2)",
        rusqlite::params![govscript::sandbox::auth::key_id(secret), doc],
    )
    .expect("insert the key");
}

/// The official client's exception text for each refused call.
const PYTHON_CHECK: &str = r#"
import json, sys
from dataikuapi import GovernClient
c = GovernClient(sys.argv[1], sys.argv[2])
def err(f):
    try:
        f()
        return "no error"
    except Exception as e:
        return str(e)
ar1 = c.get_artifact("ar.1").get_signoff("review")
out = {
    "blueprint": err(lambda: c.get_blueprint("bp.nope").get_definition()),
    "versions": err(lambda: c.get_blueprint("bp.nope").list_versions()),
    "version": err(lambda: c.get_blueprint("bp.model_review").get_version("bv.nope").get_definition()),
    "create_signoff": err(lambda: c.get_artifact("ar.7").create_signoff("draft")),
    "feedback_status": err(lambda: c.get_artifact("ar.2").get_signoff("review").add_feedback("business", "APPROVED")),
    "unknown_feedback": err(lambda: ar1.get_feedback("fb.999").delete()),
    "delegate_group": err(lambda: ar1.delegate_feedback("nope", {"type": "user", "login": "dave"})),
    "approval_status": err(lambda: c.get_artifact("ar.2").get_signoff("review").add_approval("APPROVED")),
}
print(json.dumps(out))
"#;

#[test]
fn the_python_client_reports_the_sandboxs_errors() {
    let python = match python_client() {
        Ok(p) => p,
        Err(why) => return common::python::skip(&why),
    };
    let sb = Sandbox::start();
    let out = Command::new(&python)
        .args(["-c", PYTHON_CHECK, &sb.url, ADMIN_KEY])
        .output()
        .expect("run python");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got: Value = serde_json::from_str(stdout.trim()).expect("JSON from the script");
    let expect = [
        (
            "blueprint",
            format!("{NOT_FOUND}: Blueprint not found: bp.nope"),
        ),
        (
            "versions",
            format!("{NOT_FOUND}: Blueprint not found: bp.nope"),
        ),
        ("version", format!("{NOT_FOUND}: ")),
        (
            "create_signoff",
            format!("{VALIDATION}: Unable to create the sign-off of artifact ar.7"),
        ),
        (
            "feedback_status",
            format!("{VALIDATION}: Unable to add a feedback"),
        ),
        (
            "unknown_feedback",
            format!("{NOT_FOUND}: Feedback not found: fb.999"),
        ),
        (
            "delegate_group",
            format!("{NOT_FOUND}: Feedback group not found: nope"),
        ),
        ("approval_status", format!("{VALIDATION}: ")),
    ];
    for (case, prefix) in expect {
        let text = got[case].as_str().unwrap_or_default();
        assert!(
            text.starts_with(&prefix),
            "{case}: {text:?} (expected {prefix:?}...)"
        );
    }
}
