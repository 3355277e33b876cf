//! Integration tests of `govscript sandbox` over raw HTTP against the real binary.
mod common;

use common::{ADMIN_KEY, API, Sandbox, assert_error, temp_db};
use serde_json::json;

#[test]
fn requests_without_a_valid_key_get_401_json() {
    let sb = Sandbox::start();
    let r = sb.call_with("GET", &format!("{API}/blueprints"), None, None, &[]);
    assert_error(&r, 401, "No API key");
    assert_eq!(
        r.body["errorType"],
        "com.dataiku.dip.exceptions.UnauthorizedException"
    );
    let r = sb.call_with(
        "GET",
        &format!("{API}/blueprints"),
        None,
        Some("wrong"),
        &[],
    );
    assert_error(&r, 401, "Invalid API key");
}

#[test]
fn unknown_objects_and_routes_get_404_json() {
    let sb = Sandbox::start();
    let r = sb.call("GET", &format!("{API}/artifact/ar.999"), None);
    assert_error(&r, 404, "Artifact not found: ar.999");
    assert_eq!(
        r.body["errorType"],
        "com.dataiku.dip.exceptions.NotFoundException"
    );
    assert_error(&sb.call("GET", &format!("{API}/nope"), None), 404, "nope");
    let r = sb.call("PATCH", &format!("{API}/artifact/ar.1"), Some("{}"));
    assert_error(&r, 405, "PATCH /dip/publicapi/artifact/ar.1");
    let r = sb.call("GET", &format!("{API}/artifact/%FF"), None);
    assert_error(&r, 400, "Invalid UTF-8");
    let r = sb.call(
        "GET",
        &format!("{API}/artifact/ar.1/workflow/step/nope/signoff"),
        None,
    );
    assert_error(&r, 404, "Sign-off not found");
}

#[test]
fn instance_and_auth_info() {
    let sb = Sandbox::start();
    let info = sb.ok("GET", &format!("{API}/auth/info"), None);
    assert_eq!(info["authIdentifier"], "admin");
    assert_eq!(info["isAdmin"], true);
    let r = sb.call_with(
        "GET",
        &format!("{API}/auth/info"),
        None,
        Some(ADMIN_KEY),
        &[("X-DKU-ProxyUser", "bob")],
    );
    assert_eq!(r.body["authIdentifier"], "bob");
    assert_eq!(r.body["isAdmin"], false);
    assert_eq!(
        sb.ok("GET", &format!("{API}/instance-info"), None)["nodeType"],
        "GOVERN"
    );
}

#[test]
fn duplicate_and_trailing_slashes_aliases_and_percent_decoding_route() {
    let sb = Sandbox::start();
    for target in [
        "//dip/publicapi//artifact/ar.1",
        "/dip/publicapi/artifact/ar.1/",
        "/dip//publicapi/artifact//ar.1//",
        "/public/api/artifact/ar.1",
        "/dip/publicapi/artifact/ar%2E1",
    ] {
        // Raw: an HTTP client could normalise these targets before sending them.
        let r = sb.call_raw("GET", target, None);
        assert_eq!(r.status, 200, "{target}: {}", r.raw);
        assert_eq!(r.body["artifact"]["id"], "ar.1", "{target}");
    }
    let list = sb.ok("GET", "/dip/publicapi/blueprints/", None);
    assert!(list.as_array().is_some_and(|a| a.len() >= 10));
}

#[test]
fn blueprints_and_versions() {
    let sb = Sandbox::start();
    let bp = sb.ok("GET", &format!("{API}/blueprint/bp.model_review"), None);
    assert_eq!(bp["blueprint"]["name"], "Model review");
    let v = sb.ok(
        "GET",
        &format!("{API}/blueprint/bp.model_review/version/bv.v2"),
        None,
    );
    assert_eq!(v["blueprintVersionTrace"]["status"], "DRAFT");
    assert_eq!(v["blueprintVersionTrace"]["originVersionId"], "bv.v1");
    let list = sb.ok(
        "GET",
        &format!("{API}/blueprint/bp.model_review/versions"),
        None,
    );
    assert_eq!(list.as_array().map(Vec::len), Some(2));
    // Non-admins do not see DRAFT versions.
    let r = sb.call_with(
        "GET",
        &format!("{API}/blueprint/bp.model_review/versions"),
        None,
        Some(ADMIN_KEY),
        &[("X-DKU-ProxyUser", "alice")],
    );
    assert_eq!(r.body.as_array().map(Vec::len), Some(1));
}

fn create_review_artifact(sb: &Sandbox) -> String {
    // No Content-Type header, as the Python client sends it.
    let body = json!({
        "blueprintVersionId": {"blueprintId": "bp.model_review", "versionId": "bv.v1"},
        "name": "Test model",
        "fields": {"owner": "admin", "risk": "High", "score": 1},
        "workflow": {"steps": {"draft": {"status": "FINISHED"}, "review": {"status": "ONGOING"}}}
    });
    let r = sb.ok("POST", &format!("{API}/artifacts"), Some(&body.to_string()));
    assert_eq!(r["artifactId"], r["artifact"]["id"]);
    assert_eq!(r["artifact"]["status"]["stepId"], "review");
    r["artifactId"].as_str().unwrap_or_default().to_string()
}

#[test]
fn creating_an_artifact_validates_and_creates_signoffs() {
    let sb = Sandbox::start();
    let id = create_review_artifact(&sb);
    assert_eq!(id, "ar.23");
    let sos = sb.ok("GET", &format!("{API}/artifact/{id}/signoffs"), None);
    let steps: Vec<_> = sos
        .as_array()
        .into_iter()
        .flatten()
        .map(|s| (s["signoffId"]["stepId"].clone(), s["status"].clone()))
        .collect();
    assert_eq!(
        steps,
        vec![
            (json!("review"), json!("NOT_STARTED")),
            (json!("deployment"), json!("NOT_STARTED"))
        ]
    );
    assert_eq!(sos[0]["feedbackResponses"], json!([]));
    assert!(sos[0]["approverResponse"].is_null());
    let bad = json!({"blueprintVersionId": {"blueprintId": "bp.model_review", "versionId": "bv.v1"},
                     "name": "x", "fields": {"x": 1}});
    let r = sb.call("POST", &format!("{API}/artifacts"), Some(&bad.to_string()));
    assert_error(
        &r,
        400,
        "Some fields of Artifact were not found in its blueprint version reference. Field names: x",
    );
    let draft = json!({"blueprintVersionId": {"blueprintId": "bp.model_review", "versionId": "bv.v2"},
                       "name": "x", "fields": {}});
    let r = sb.call(
        "POST",
        &format!("{API}/artifacts"),
        Some(&draft.to_string()),
    );
    assert_error(&r, 400, "ACTIVE");
    let cat = json!({"blueprintVersionId": {"blueprintId": "bp.model_review", "versionId": "bv.v1"},
                     "name": "x", "fields": {"risk": "Extreme"}});
    let r = sb.call("POST", &format!("{API}/artifacts"), Some(&cat.to_string()));
    assert_error(&r, 400, "categories");
}

#[test]
fn save_and_delete_artifacts() {
    let sb = Sandbox::start();
    let mut art = sb.ok("GET", &format!("{API}/artifact/ar.2"), None)["artifact"].clone();
    art["fields"]["score"] = json!(0.5);
    let saved = sb.ok(
        "PUT",
        &format!("{API}/artifact/ar.2"),
        Some(&art.to_string()),
    );
    assert_eq!(saved["artifact"]["fields"]["score"], 0.5);
    let r = sb.call(
        "PUT",
        &format!("{API}/artifact/ar.3"),
        Some(&art.to_string()),
    );
    assert_error(&r, 400, "IDs do not match");
    // Mandatory deployment sign-off (ar.4 WAITING_FOR_APPROVAL) blocks finishing the step.
    let mut a4 = sb.ok("GET", &format!("{API}/artifact/ar.4"), None)["artifact"].clone();
    a4["workflow"]["steps"]["deployment"]["status"] = json!("FINISHED");
    let r = sb.call(
        "PUT",
        &format!("{API}/artifact/ar.4"),
        Some(&a4.to_string()),
    );
    assert_error(&r, 400, "mandatory");
    assert_eq!(
        sb.call("DELETE", &format!("{API}/artifact/ar.2"), None)
            .status,
        204
    );
    assert_error(
        &sb.call("GET", &format!("{API}/artifact/ar.2"), None),
        404,
        "ar.2",
    );
    let r = sb.call(
        "GET",
        &format!("{API}/artifact/ar.2/workflow/step/review/signoff"),
        None,
    );
    assert_error(&r, 404, "Artifact not found: ar.2");
}

#[test]
fn signoff_state_machine_legal_and_illegal_moves() {
    let sb = Sandbox::start();
    let id = create_review_artifact(&sb);
    let base = format!("{API}/artifact/{id}/workflow/step/review/signoff");
    let set = |to: &str| {
        let body =
            json!({"targetStatus": to, "usersToSendEmailTo": null, "reloadConfForReset": false});
        sb.call(
            "POST",
            &format!("{base}/update-status"),
            Some(&body.to_string()),
        )
    };
    let r = set("APPROVED");
    assert_error(
        &r,
        400,
        "Unable to set the status to 'APPROVED' when current status is 'NOT_STARTED'",
    );
    assert_eq!(
        set("WAITING_FOR_FEEDBACK").body["status"],
        "WAITING_FOR_FEEDBACK"
    );
    let r = set("NOT_STARTED");
    assert_error(
        &r,
        400,
        "Unable to set the status to 'NOT_STARTED' when current status is 'WAITING_FOR_FEEDBACK'",
    );
    assert_eq!(set("WAITING_FOR_APPROVAL").status, 200);
    assert_error(&set("NOT_STARTED"), 400, "'WAITING_FOR_APPROVAL'");
    assert_eq!(set("WAITING_FOR_FEEDBACK").status, 200);
    assert_eq!(set("ABANDONED").status, 200);
    assert_error(&set("APPROVED"), 400, "Unable to set the status");
    assert_eq!(set("NOT_STARTED").body["status"], "NOT_STARTED");
    assert_error(&set("BOGUS"), 400, "Unknown sign-off status");
    // create_signoff: step not ongoing / already existing / seeded missing one.
    let r = sb.call(
        "POST",
        &format!("{API}/artifact/{id}/workflow/step/review/signoff/create"),
        None,
    );
    assert_error(&r, 400, "already exists");
    let r = sb.call(
        "POST",
        &format!("{API}/artifact/ar.7/workflow/step/review/signoff/create"),
        None,
    );
    assert_error(&r, 400, "not active");
    let so = sb.ok(
        "POST",
        &format!("{API}/artifact/ar.9/workflow/step/deployment/signoff/create"),
        None,
    );
    assert_eq!(so["status"], "NOT_STARTED");
    assert_eq!(so["configuration"]["mandatory"], true);
}

#[test]
fn membership_is_enforced_for_feedback_and_approval() {
    let sb = Sandbox::start();
    let base = format!("{API}/artifact/ar.1/workflow/step/review/signoff");
    let fb = json!({"status": "APPROVED"}).to_string();
    let r = sb.call(
        "POST",
        &format!("{base}/feedback?groupId=technical"),
        Some(&fb),
    );
    assert_error(&r, 403, "User is not part of the group");
    let r = sb.call("POST", &format!("{base}/feedback?groupId=nope"), Some(&fb));
    assert_error(&r, 404, "Feedback group not found: nope");
    let created = sb.ok(
        "POST",
        &format!("{base}/feedback?groupId=business"),
        Some(&fb),
    );
    assert_eq!(created["author"], "admin");
    let bob = [("X-DKU-ProxyUser", "bob")];
    let r = sb.call_with(
        "POST",
        &format!("{base}/feedback?groupId=business"),
        Some(&fb),
        Some(ADMIN_KEY),
        &bob,
    );
    assert_error(&r, 403, "not part of the group");
    let r = sb.call_with(
        "POST",
        &format!("{base}/feedback?groupId=technical"),
        Some(&fb),
        Some(ADMIN_KEY),
        &bob,
    );
    assert_eq!(r.status, 200, "{}", r.raw);
    // Only the author edits: bob may not change the admin's feedback.
    let fid = created["id"].as_str().unwrap_or_default();
    let r = sb.call_with(
        "PUT",
        &format!("{base}/feedback/{fid}"),
        Some(&fb),
        Some(ADMIN_KEY),
        &bob,
    );
    assert_error(&r, 403, "Only the author");
    // Approvals: admin is not a deployment approver of ar.4, until delegated.
    let dep = format!("{API}/artifact/ar.4/workflow/step/deployment/signoff");
    let ap = json!({"status": "APPROVED", "comment": "go"}).to_string();
    assert_error(
        &sb.call("POST", &format!("{dep}/approval"), Some(&ap)),
        403,
        "not an approver",
    );
    let delegated = sb.ok(
        "POST",
        &format!("{dep}/delegate-approval"),
        Some(r#"{"type": "user", "login": "admin"}"#),
    );
    let last = delegated["configuration"]["approvers"]
        .as_array()
        .and_then(|a| a.last().cloned())
        .unwrap_or_default();
    assert_eq!(
        last,
        json!({"usersContainer": {"type": "user", "login": "admin"}, "delegated": true})
    );
    assert_eq!(
        sb.ok("POST", &format!("{dep}/approval"), Some(&ap))["status"],
        "APPROVED"
    );
    let r = sb.call(
        "POST",
        &format!("{dep}/delegate-approval"),
        Some(r#"{"type": "USER"}"#),
    );
    assert_error(&r, 400, "possible type values");
}

#[test]
fn approval_flow_and_details_and_recurrence() {
    let sb = Sandbox::start();
    let base = format!("{API}/artifact/ar.3/workflow/step/review/signoff");
    let so = sb.ok("GET", &base, None);
    assert_eq!(so["status"], "WAITING_FOR_APPROVAL");
    assert_eq!(so["feedbackResponses"].as_array().map(Vec::len), Some(2));
    let ap = sb.ok(
        "POST",
        &format!("{base}/approval"),
        Some(r#"{"status": "APPROVED", "comment": "ok"}"#),
    );
    assert_eq!(ap["author"], "admin");
    assert_eq!(sb.ok("GET", &base, None)["status"], "APPROVED");
    let r = sb.call(
        "POST",
        &format!("{base}/approval"),
        Some(r#"{"status": "REJECTED"}"#),
    );
    assert_error(&r, 400, "already exists");
    let edited = sb.ok(
        "PUT",
        &format!("{base}/approval"),
        Some(r#"{"status": "REJECTED"}"#),
    );
    assert_eq!(edited["status"], "REJECTED");
    assert!(edited.get("comment").is_none());
    assert_eq!(sb.ok("GET", &base, None)["status"], "REJECTED");
    assert_eq!(
        sb.call("DELETE", &format!("{base}/approval"), None).status,
        204
    );
    let so = sb.ok("GET", &base, None);
    assert_eq!(so["status"], "WAITING_FOR_APPROVAL");
    assert!(so["approverResponse"].is_null());
    assert_error(
        &sb.call("DELETE", &format!("{base}/approval"), None),
        404,
        "Approval not found",
    );

    let det = sb.ok("GET", &format!("{base}/details"), None);
    assert_eq!(det["feedbackGroups"][0]["groupId"], "business");
    let business = det["feedbackGroups"][0]["users"].to_string();
    assert!(
        business.contains("\"admin\"") && business.contains("\"erin\""),
        "{business}"
    );
    assert!(det["approvers"].to_string().contains("\"carol\""));

    let rec = json!({"activated": true, "days": 0, "weeks": 0, "months": 6, "years": 0, "reloadConf": false});
    let so = sb.ok(
        "POST",
        &format!("{base}/schedule-reset"),
        Some(&rec.to_string()),
    );
    assert_eq!(so["configuration"]["recurrenceConfiguration"]["months"], 6);
    let zero = json!({"activated": true, "days": 0, "weeks": 0, "months": 0, "years": 0});
    let r = sb.call(
        "POST",
        &format!("{base}/schedule-reset"),
        Some(&zero.to_string()),
    );
    assert_error(&r, 400, "positive");
}

#[test]
fn data_survives_a_restart_and_the_seed_is_not_reapplied() {
    let (_d, db) = temp_db();
    let id = {
        let sb = Sandbox::with().db(&db).start();
        create_review_artifact(&sb)
    };
    let sb = Sandbox::with().db(&db).start();
    let art = sb.ok("GET", &format!("{API}/artifact/{id}"), None);
    assert_eq!(art["artifact"]["name"], "Test model");
    assert_eq!(create_review_artifact(&sb), "ar.24");
}

#[test]
fn generated_key_is_shown_once_and_seed_none_is_empty() {
    let (_d, db) = temp_db();
    let key = {
        let sb = Sandbox::with().no_key().seed("none").db(&db).start();
        let line = sb
            .banner
            .iter()
            .find(|l| l.contains("admin API key"))
            .cloned()
            .unwrap_or_default();
        let key = line.rsplit(' ').next().unwrap_or_default().to_string();
        assert_eq!(key.len(), 32, "{:?}", sb.banner);
        let r = sb.call_with("GET", &format!("{API}/blueprints"), None, Some(&key), &[]);
        assert_eq!(r.body, json!([]));
        key
    };
    let sb = Sandbox::with().no_key().db(&db).start();
    assert!(
        sb.banner.iter().all(|l| !l.contains(&key)),
        "{:?}",
        sb.banner
    );
    assert!(sb.banner.iter().any(|l| l.contains("not shown")));
    let r = sb.call_with("GET", &format!("{API}/auth/info"), None, Some(&key), &[]);
    assert_eq!(r.status, 200);
}

#[test]
fn record_file_has_targets_and_bodies_but_no_secrets() {
    let (dir, db) = temp_db();
    let rec = dir.path().join("rec.jsonl");
    let sb = Sandbox::with().db(&db).record(&rec).start();
    // Raw: the log must show the target exactly as sent, doubled slash included.
    let r = sb.call_raw(
        "POST",
        "/dip/publicapi//artifact/ar.1/workflow/step/review/signoff/feedback?groupId=business",
        Some(r#"{"status": "APPROVED"}"#),
    );
    assert!((200..300).contains(&r.status), "{} {}", r.status, r.raw);
    drop(sb);
    let text = std::fs::read_to_string(&rec).unwrap_or_default();
    let line: serde_json::Value =
        serde_json::from_str(text.lines().next().unwrap_or("{}")).unwrap_or_default();
    assert_eq!(line["method"], "POST");
    assert_eq!(
        line["target"],
        "/dip/publicapi//artifact/ar.1/workflow/step/review/signoff/feedback?groupId=business"
    );
    assert_eq!(line["body"], r#"{"status": "APPROVED"}"#);
    assert!(!text.contains(ADMIN_KEY) && !text.to_ascii_lowercase().contains("authorization"));
}
