//! Regression tests of the typed sandbox requests (bodies without a Content-Type,
//! Govern-style errors for bad bodies, queries and statuses), the demo seed read from data
//! files, and API key hashes stored before SHA-256 came from `ring`.
mod common;

use common::{ADMIN_KEY, API, Resp, Sandbox, assert_error, temp_db};
use serde_json::json;

fn so_path(ar: &str, step: &str) -> String {
    format!("{API}/artifact/{ar}/workflow/step/{step}/signoff")
}

fn post(sb: &Sandbox, target: &str, body: &str, content_type: Option<&str>) -> Resp {
    let headers: Vec<(&str, &str)> = content_type
        .map(|c| ("Content-Type", c))
        .into_iter()
        .collect();
    sb.call_with("POST", target, Some(body), Some(ADMIN_KEY), &headers)
}

#[test]
fn json_bodies_are_read_whatever_the_content_type() {
    let sb = Sandbox::start();
    let body = json!({
        "blueprintVersionId": {"blueprintId": "bp.model_review", "versionId": "bv.v1"},
        "name": "Typed",
    })
    .to_string();
    for ct in [None, Some("text/plain"), Some("application/json")] {
        let r = post(&sb, &format!("{API}/artifacts"), &body, ct);
        assert_eq!(r.status, 200, "{ct:?}: {}", r.raw);
        assert_eq!(r.body["artifact"]["name"], "Typed");
    }
    // The approval body, as the Python client sends it (no Content-Type).
    let r = post(
        &sb,
        &format!("{}/approval", so_path("ar.19", "review")),
        r#"{"status": "APPROVED"}"#,
        None,
    );
    assert_eq!(r.status, 200, "{}", r.raw);
    assert_eq!(r.body["status"], "APPROVED");
    // An empty body stands for an empty object.
    let r = post(&sb, &format!("{API}/artifacts/search"), "", None);
    assert_eq!(r.status, 200, "{}", r.raw);
}

#[test]
fn malformed_and_misshapen_bodies_get_govern_400s() {
    let sb = Sandbox::start();
    let r = post(&sb, &format!("{API}/artifacts"), r#"{"name": "#, None);
    assert_error(&r, 400, "Malformed JSON request body: ");
    assert_eq!(
        r.body["errorType"],
        "com.dataiku.dip.server.controllers.ValidationException"
    );
    let r = post(
        &sb,
        &format!("{API}/artifacts/search"),
        "[1, 2]",
        Some("application/json"),
    );
    assert_error(&r, 400, "Invalid request body: invalid type: sequence");
    let r = post(
        &sb,
        &format!("{}/update-status", so_path("ar.2", "review")),
        r#"{"targetStatus": "ABANDONED", "usersToSendEmailTo": [{"groupId": "business"}]}"#,
        None,
    );
    assert_error(&r, 400, "missing field `userLogin`");
    let r = sb.call(
        "PUT",
        &format!("{}/approval", so_path("ar.4", "review")),
        Some(r#"{"status": "APPROVED", "comment": 5}"#),
    );
    assert_error(&r, 400, "Invalid request body: invalid type: integer `5`");
}

#[test]
fn missing_or_wrong_query_parameters_get_govern_400s() {
    let sb = Sandbox::start();
    let fb = format!("{}/feedback", so_path("ar.11", "review"));
    let body = r#"{"status": "APPROVED"}"#;
    for target in [
        fb.clone(),
        format!("{fb}?groupId="),
        format!("{fb}?group=business"),
    ] {
        let r = post(&sb, &target, body, None);
        assert_error(&r, 400, "Query parameter groupId is required");
        assert_eq!(r.body["message"], "Query parameter groupId is required");
    }
    let r = post(
        &sb,
        &format!("{fb}?groupId=business&groupId=technical"),
        body,
        None,
    );
    assert_error(&r, 400, "Invalid query string: duplicate field `groupId`");
    let delegate = format!("{}/delegate-feedback", so_path("ar.11", "review"));
    let r = post(&sb, &delegate, r#"{"type": "user", "login": "dave"}"#, None);
    assert_error(&r, 400, "Query parameter groupId is required");
    let r = post(&sb, &format!("{fb}?groupId=business"), body, None);
    assert_eq!(r.status, 200, "{}", r.raw);
    assert_eq!(r.body["groupId"], "business");
}

#[test]
fn unknown_statuses_are_refused_with_the_valid_ones() {
    let sb = Sandbox::start();
    let r = post(
        &sb,
        &format!("{}/update-status", so_path("ar.2", "review")),
        r#"{"targetStatus": "DONE"}"#,
        None,
    );
    assert_error(
        &r,
        400,
        "Unknown sign-off status 'DONE' (expected one of NOT_STARTED, WAITING_FOR_FEEDBACK, \
         WAITING_FOR_APPROVAL, APPROVED, REJECTED, ABANDONED)",
    );
    // A bare status string is accepted, and checked the same way.
    let r = post(
        &sb,
        &format!("{}/update-status", so_path("ar.2", "review")),
        r#""LATER""#,
        None,
    );
    assert_error(&r, 400, "Unknown sign-off status 'LATER'");
    let r = post(
        &sb,
        &format!("{}/feedback?groupId=business", so_path("ar.11", "review")),
        r#"{"status": "GREAT"}"#,
        None,
    );
    assert_error(
        &r,
        400,
        "Invalid feedback status 'GREAT' (expected one of APPROVED, MINOR_ISSUE, MAJOR_ISSUE)",
    );
    let r = sb.call(
        "PUT",
        &format!("{}/feedback/fb.1", so_path("ar.1", "review")),
        Some(r#"{"status": "approved"}"#),
    );
    assert_error(&r, 400, "Invalid feedback status 'approved'");
    let r = post(
        &sb,
        &format!("{}/approval", so_path("ar.19", "review")),
        r#"{"status": "MINOR_ISSUE"}"#,
        None,
    );
    assert_error(
        &r,
        400,
        "Invalid approval status 'MINOR_ISSUE' (expected one of APPROVED, REJECTED, ABANDONED)",
    );
    // A missing status keeps its own message.
    let r = post(
        &sb,
        &format!("{}/approval", so_path("ar.19", "review")),
        "{}",
        None,
    );
    assert_error(&r, 400, "The approval status is required");
    // Nothing was changed by the refused requests.
    let so = sb.ok("GET", &so_path("ar.19", "review"), None);
    assert_eq!(so["status"], "WAITING_FOR_APPROVAL");
    assert!(so["approverResponse"].is_null());
}

#[test]
fn the_demo_seed_from_data_files_is_unchanged() {
    let sb = Sandbox::start();
    let erin = sb.call_with(
        "GET",
        &format!("{API}/auth/info"),
        None,
        Some(ADMIN_KEY),
        &[("X-DKU-ProxyUser", "erin")],
    );
    assert_eq!(
        erin.body["groups"],
        json!(["risk_officers", "governance_team"])
    );
    let versions = sb.ok(
        "GET",
        &format!("{API}/blueprint/bp.model_review/versions"),
        None,
    );
    let trace: Vec<_> = versions
        .as_array()
        .expect("versions")
        .iter()
        .map(|v| {
            (
                v["blueprintVersion"]["id"]["versionId"].clone(),
                v["blueprintVersionTrace"]["status"].clone(),
            )
        })
        .collect();
    assert_eq!(
        trace,
        [
            (json!("bv.v1"), json!("ACTIVE")),
            (json!("bv.v2"), json!("DRAFT"))
        ]
    );
    let v1 = sb.ok(
        "GET",
        &format!("{API}/blueprint/bp.model_review/version/bv.v1"),
        None,
    );
    assert_eq!(
        v1["blueprintVersion"]["fieldDefinitions"]["risk"],
        json!({"label": "Risk", "description": "", "fieldType": "CATEGORY", "required": false,
               "sourceType": "STORE", "categories": ["Low", "Medium", "High"]})
    );
    let so = sb.ok("GET", &so_path("ar.1", "review"), None);
    assert_eq!(so["status"], "WAITING_FOR_FEEDBACK");
    let fb = &so["feedbackResponses"][0];
    assert_eq!(
        (
            &fb["id"],
            &fb["author"],
            &fb["groupId"],
            &fb["status"],
            &fb["comment"]
        ),
        (
            &json!("fb.1"),
            &json!("alice"),
            &json!("business"),
            &json!("APPROVED"),
            &json!("Looks good")
        )
    );
    assert_eq!(
        so["configuration"]["approvers"][1]["usersContainer"]["groupName"],
        "risk_officers"
    );
    let so = sb.ok("GET", &so_path("ar.3", "review"), None);
    assert_eq!(so["feedbackResponses"][1]["id"], "fb.3");
    let so = sb.ok("GET", &so_path("ar.8", "deployment"), None);
    assert_eq!(
        (
            &so["status"],
            &so["approverResponse"]["author"],
            &so["approverResponse"]["comment"]
        ),
        (
            &json!("APPROVED"),
            &json!("carol"),
            &json!("Seeded decision")
        )
    );
    assert_error(
        &sb.call("GET", &so_path("ar.9", "deployment"), None),
        404,
        "Sign-off not found",
    );
    let a10 = sb.ok("GET", &format!("{API}/artifact/ar.10"), None)["artifact"].clone();
    assert_eq!(a10["status"], json!({"stepId": "draft", "archived": true}));
    let a17 = sb.ok("GET", &format!("{API}/artifact/ar.17"), None)["artifact"].clone();
    assert_eq!(a17["fields"]["governed_by"], "ar.12");
    let a22 = sb.ok("GET", &format!("{API}/artifact/ar.22"), None)["artifact"].clone();
    assert_eq!(a22["name"], "churn-prod");
    assert_eq!(a22["fields"]["dataiku_bundle"], "ar.20");
    assert_error(
        &sb.call("GET", &format!("{API}/artifact/ar.23"), None),
        404,
        "ar.23",
    );
    let next = sb.ok("POST", &format!("{API}/artifacts"), Some(r#"{"blueprintVersionId": {"blueprintId": "bp.system.govern_model", "versionId": "bv.system.default"}, "name": "next"}"#));
    assert_eq!(next["artifactId"], "ar.23");
}

#[test]
fn key_hashes_stored_before_ring_are_still_accepted() {
    // SHA-256 of "fixed-key-for-dump" as stored by the hand-written digest ring replaced.
    const OLD_KEY: &str = "fixed-key-for-dump";
    const OLD_HASH: &str = "097e808832baa831566dfba45ea717b2f5d9401c637b3005173f39936167e77e";
    let (_d, db) = temp_db();
    drop(Sandbox::with().db(&db).seed("none").start());
    let conn = rusqlite::Connection::open(&db).expect("open db");
    conn.execute(
        "INSERT INTO api_keys (id, body) VALUES (?1, ?2)",
        rusqlite::params![OLD_HASH, r#"{"login":"admin","admin":true,"createdOn":0}"#],
    )
    .expect("insert old key");
    drop(conn);
    let sb = Sandbox::with().db(&db).no_key().start();
    assert!(
        sb.banner
            .iter()
            .any(|l| l.contains("using the admin API key stored"))
    );
    let r = sb.call_with("GET", &format!("{API}/auth/info"), None, Some(OLD_KEY), &[]);
    assert_eq!(r.status, 200, "{}", r.raw);
    assert_eq!(r.body["authIdentifier"], "admin");
    let r = sb.call_with(
        "GET",
        &format!("{API}/auth/info"),
        None,
        Some(ADMIN_KEY),
        &[],
    );
    assert_eq!(r.status, 200, "{}", r.raw);
    let r = sb.call_with(
        "GET",
        &format!("{API}/auth/info"),
        None,
        Some("fixed-key-for-dumP"),
        &[],
    );
    assert_error(&r, 401, "Invalid API key");
}
