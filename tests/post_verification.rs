//! POSTs whose answer is lost (issue 11 §2), against a sandbox injecting faults: 503s,
//! connections dropped before the change is applied, and after it. A create is judged
//! applied only from an object that did not exist before it; what the server holds is
//! counted independently, over HTTP (reads are not faulted).
mod common;
use common::canned::scripted;
use common::{API, Run, Sandbox};
use serde_json::{Value, json};
use std::path::Path;

/// A sandbox on the database in `dir` faulting `rate` of the writes (503s retryable at once).
fn faulty(dir: &Path, rate: &str, seed: &str) -> Sandbox {
    Sandbox::with()
        .arg("--fault-rate")
        .arg(rate)
        .arg("--fault-seed")
        .arg(seed)
        .arg("--fault-retry-after")
        .arg("0")
        .start_in(dir)
}

/// Runs `source` against `sandbox` with generous retries; each line it prints is
/// `ok <value>` or `err <error_type> <message>`, returned split in two lists.
fn outcomes(sandbox: &Sandbox, source: &str) -> (Vec<String>, Vec<String>) {
    let ran = sandbox.script(source).arg("--retries").arg("8").run();
    assert_eq!(ran.code, 0, "{}\n{}", ran.stdout, ran.stderr);
    let (mut ok, mut err) = (Vec::new(), Vec::new());
    for line in ran.stdout.lines() {
        match line.split_once(' ') {
            Some(("ok", v)) => ok.push(v.to_string()),
            Some(("err", e)) => err.push(e.to_string()),
            _ => panic!("unexpected output line: {line}"),
        }
    }
    eprintln!("{} calls succeeded; errors: {err:#?}", ok.len());
    (ok, err)
}

/// Every artifact the server holds, through the search API (reads are not faulted).
fn all_artifacts(sandbox: &Sandbox) -> Vec<Value> {
    let mut out = Vec::new();
    let mut last = Value::Null;
    loop {
        let body = json!({
            "artifactSearchSource": {"type": "all"},
            "artifactFilters": [],
            "artifactSearchPagination": {"pageSize": 500, "lastArtifactId": last},
        });
        let page = sandbox.ok(
            "POST",
            &format!("{API}/artifacts/search"),
            Some(&body.to_string()),
        );
        let hits = page["uiArtifacts"].as_array().cloned().unwrap_or_default();
        out.extend(hits.iter().map(|h| h["artifact"].clone()));
        if page["hasNextPage"] != true || hits.is_empty() {
            return out;
        }
        last = hits[hits.len() - 1]["artifact"]["id"].clone();
    }
}

/// The feedback of the `review` sign-off of ar.2, as the server holds it.
fn review_feedback(sandbox: &Sandbox) -> Vec<Value> {
    let so = sandbox.ok(
        "GET",
        &format!("{API}/artifact/ar.2/workflow/step/review/signoff"),
        None,
    );
    so["feedbackResponses"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// The errors of a run are only "the outcome is unknown" ones, each naming what to check.
fn assert_only_unknown_outcomes(errors: &[String]) {
    for e in errors {
        assert!(
            e.starts_with("OutcomeUnknown ") && e.contains("not sent again"),
            "{e}"
        );
    }
}

/// Before: an identical feedback added earlier (by this run, or before it) was taken as
/// the one a dropped request "applied", and nothing was re-sent: 60 calls kept 54.
#[test]
fn repeated_identical_feedback_under_faults_is_all_kept() {
    let dir = tempfile::tempdir().expect("temp dir");
    let clean = Sandbox::start_in(dir.path());
    clean
        .script(
            r#"
let s = govern().get_artifact("ar.2").get_signoff("review");
s.update_status("WAITING_FOR_FEEDBACK");
print(s.add_feedback("business", "APPROVED").feedback_id);
"#,
        )
        .ok();
    let before = review_feedback(&clean);
    assert_eq!(before.len(), 1);
    clean.stop();
    // Older than what the server clock (learnt to the second) can tell apart.
    std::thread::sleep(std::time::Duration::from_millis(2_500));

    let sandbox = faulty(dir.path(), "0.3", "110201");
    let (ok, errors) = outcomes(
        &sandbox,
        r#"
let s = govern().get_artifact("ar.2").get_signoff("review");
for i in 0..60 {
    try { print(`ok ${s.add_feedback("business", "APPROVED").feedback_id}`); }
    catch (e) { print(`err ${e.error_type} ${e.message}`); }
}
"#,
    );
    assert_eq!(errors, Vec::<String>::new());
    let held = review_feedback(&sandbox);
    assert_eq!(held.len(), 61, "the earlier one and all 60: {held:?}");
    let mut ids: Vec<&str> = ok.iter().map(String::as_str).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 60, "each call returned its own feedback: {ok:?}");
    assert!(!ok.contains(&before[0]["id"].as_str().unwrap_or("").to_string()));
    for id in ids {
        assert!(
            held.iter().any(|f| f["id"] == id),
            "{id} is not on the server"
        );
    }
}

/// Before: when a create's answer was lost, the newest artifact with that name was
/// taken as created; 15 of 150 calls returned another artifact's id.
#[test]
fn create_artifact_under_faults_never_returns_another_artifacts_id() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sandbox = faulty(dir.path(), "0.3", "110202");
    let (ok, errors) = outcomes(
        &sandbox,
        r#"
let c = govern();
for i in 0..150 {
    try {
        let a = c.create_artifact(#{
            blueprintVersionId: #{ blueprintId: "bp.model_review", versionId: "bv.v1" },
            name: "samename", fields: #{ score: i } });
        print(`ok ${i}=${a.artifact_id}`);
    } catch (e) { print(`err ${e.error_type} ${e.message}`); }
}
"#,
    );
    assert_only_unknown_outcomes(&errors);
    let held: Vec<Value> = all_artifacts(&sandbox)
        .into_iter()
        .filter(|a| a["name"] == "samename")
        .collect();
    for line in &ok {
        let (i, id) = line.split_once('=').expect("i=id");
        let a = held
            .iter()
            .find(|a| a["id"] == id)
            .unwrap_or_else(|| panic!("{id} is not on the server"));
        assert_eq!(
            a["fields"]["score"].to_string(),
            i,
            "call {i} got {id}: {a}"
        );
    }
    // One artifact per successful call; a call whose outcome is unknown made at most one.
    assert!(held.len() >= ok.len() && held.len() <= ok.len() + errors.len());
    for i in 0..150 {
        let made = held.iter().filter(|a| a["fields"]["score"] == i).count();
        assert!(made <= 1, "call {i} made {made} artifacts");
    }
}

/// Before: the lookup compared names exactly while the server trims them, so a lost
/// answer to a create of " spc-1 " found nothing and the create was sent again.
#[test]
fn names_the_server_trims_are_not_created_twice() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sandbox = faulty(dir.path(), "0.3", "110203");
    let (ok, errors) = outcomes(
        &sandbox,
        r#"
let c = govern();
for i in 0..100 {
    try {
        let a = c.create_artifact(#{
            blueprintVersionId: #{ blueprintId: "bp.model_review", versionId: "bv.v1" },
            name: ` spc-${i} ` });
        print(`ok ${i}=${a.artifact_id}`);
    } catch (e) { print(`err ${e.error_type} ${e.message}`); }
}
"#,
    );
    assert_only_unknown_outcomes(&errors);
    let held = all_artifacts(&sandbox);
    for i in 0..100 {
        let name = format!("spc-{i}");
        let same: Vec<&Value> = held.iter().filter(|a| a["name"] == name).collect();
        assert!(same.len() <= 1, "{name} created {} times", same.len());
        let returned = ok.iter().find_map(|l| l.strip_prefix(&format!("{i}=")));
        if let Some(id) = returned {
            assert_eq!(same.len(), 1, "{name}: call returned {id}");
            assert_eq!(same[0]["id"], id, "{name}");
        }
    }
}

/// A create whose answer is lost while an artifact of that name already existed (made
/// before this run, so nothing shows which is older) fails saying the outcome is
/// unknown and naming it, instead of returning the existing artifact's id.
#[test]
fn a_lost_create_beside_an_older_namesake_says_the_outcome_is_unknown() {
    let dir = tempfile::tempdir().expect("temp dir");
    let clean = Sandbox::start_in(dir.path());
    let old = clean
        .script(
            r#"
let a = govern().create_artifact(#{
    blueprintVersionId: #{ blueprintId: "bp.model_review", versionId: "bv.v1" }, name: "dup" });
print(a.artifact_id);
"#,
        )
        .ok();
    let old = old.trim().to_string();
    clean.stop();

    let sandbox = faulty(dir.path(), "1.0", "110204");
    let (ok, errors) = outcomes(
        &sandbox,
        r#"
let c = govern();
for i in 0..6 {
    try {
        let a = c.create_artifact(#{
            blueprintVersionId: #{ blueprintId: "bp.model_review", versionId: "bv.v1" },
            name: "dup" });
        print(`ok ${a.artifact_id}`);
    } catch (e) { print(`err ${e.error_type} ${e.message}`); }
}
"#,
    );
    assert!(
        !ok.contains(&old),
        "returned the older artifact {old}: {ok:?}"
    );
    // The first lost answer meets the older namesake: reported, naming it.
    let unknown: Vec<&String> = errors
        .iter()
        .filter(|e| e.starts_with("OutcomeUnknown "))
        .collect();
    assert!(
        unknown.iter().any(|e| e.contains(&old)),
        "no error names {old}: {errors:?}"
    );
    for e in unknown {
        assert!(e.contains("get_artifact(id)"), "says what to check: {e}");
    }
    // Each call made at most one artifact: the older one and one per success, plus at
    // most one per call whose outcome is unknown.
    let held = all_artifacts(&sandbox)
        .into_iter()
        .filter(|a| a["name"] == "dup")
        .count();
    assert!(
        held > ok.len() && held <= 1 + ok.len() + errors.len(),
        "{held}"
    );
}

/// Before: a DELETE retried after its first attempt was applied (connection dropped
/// before the answer) got 404 and the call failed, though the artifact was deleted.
#[test]
fn delete_whose_first_attempt_applied_is_done() {
    let dir = tempfile::tempdir().expect("temp dir");
    let clean = Sandbox::start_in(dir.path());
    let mut ids = Vec::new();
    for i in 0..40 {
        let body = json!({
            "blueprintVersionId": {"blueprintId": "bp.model_review", "versionId": "bv.v1"},
            "name": format!("doomed {i}"),
        });
        let made = clean.ok("POST", &format!("{API}/artifacts"), Some(&body.to_string()));
        ids.push(made["artifactId"].as_str().expect("artifactId").to_string());
    }
    clean.stop();

    let sandbox = faulty(dir.path(), "0.3", "110205");
    let list = ids.iter().map(|id| format!("\"{id}\"")).collect::<Vec<_>>();
    let (ok, errors) = outcomes(
        &sandbox,
        &format!(
            r#"
let c = govern();
for id in [{}] {{
    try {{ c.get_artifact(id).delete(); print(`ok ${{id}}`); }}
    catch (e) {{ print(`err ${{e.error_type}} ${{e.message}}`); }}
}}
"#,
            list.join(", ")
        ),
    );
    assert_eq!(errors, Vec::<String>::new());
    assert_eq!(ok, ids);
    let left: Vec<Value> = all_artifacts(&sandbox)
        .into_iter()
        .filter(|a| a["name"].as_str().is_some_and(|n| n.starts_with("doomed ")))
        .collect();
    assert_eq!(left, Vec::<Value>::new());
}

/// The verification costs nothing when answers arrive: a create or a feedback that is
/// answered is one POST, with no read before or after it.
#[test]
fn answered_creates_send_only_their_post() {
    let sandbox = Sandbox::start();
    sandbox
        .script(
            r#"
let c = govern();
let s = c.get_artifact("ar.2").get_signoff("review");
s.update_status("WAITING_FOR_FEEDBACK");
for i in 0..10 {
    c.create_artifact(#{
        blueprintVersionId: #{ blueprintId: "bp.model_review", versionId: "bv.v1" },
        name: "same" });
    s.add_feedback("business", "APPROVED");
}
"#,
        )
        .ok();
    let sent: Vec<String> = sandbox
        .recorded()
        .iter()
        .map(|r| format!("{} {}", r["method"], r["target"]))
        .collect();
    assert_eq!(sent.len(), 21, "{sent:#?}");
    assert!(sent.iter().all(|r| r.starts_with("\"POST\"")), "{sent:#?}");
}

/// Before: an artifact of that name stamped long before the create left was taken for
/// the one it created. The server's clock comes from its `Date` (here ten seconds after
/// the epoch), the namesake was stamped at five milliseconds: not applied, sent again.
#[test]
fn a_namesake_stamped_before_the_create_left_is_not_taken_for_it() {
    let found = r#"{"uiArtifacts": [{"artifact": {"id": "ar.7", "name": "Model X", "createdOn": 5}}], "hasNextPage": false}"#;
    let date = "Date: Thu, 01 Jan 1970 00:00:10 GMT\r\n";
    let created = r#"{"artifactId": "ar.8"}"#;
    let (url, log) = scripted(vec![
        None,
        Some(("200 OK", date, found)),
        Some(("200 OK", date, created)),
    ]);
    let ran = Run::new(
        r#"
let a = govern().create_artifact(#{
    blueprintVersionId: #{ blueprintId: "bp.model_review", versionId: "bv.v1" },
    name: "Model X" });
print(a.artifact_id);
"#,
    )
    .env("GOVERN_HOST", &url)
    .env("GOVERN_API_KEY", "k")
    .run();
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert_eq!(ran.stdout.trim(), "ar.8");
    assert_eq!(
        *log.lock().expect("log"),
        [
            "POST /dip/publicapi/artifacts",
            "POST /dip/publicapi/artifacts/search",
            "POST /dip/publicapi/artifacts"
        ]
    );
}

/// A role created as `steward-N` is stored as `ro.steward-N`: when the answer was lost
/// after the server applied it, the check used to read `/admin/role/steward-N`, find
/// nothing, send the POST again and fail with the server's 409 "already exists".
#[test]
fn a_lost_role_creation_used_to_be_sent_again_and_refused_as_a_duplicate() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sandbox = faulty(dir.path(), "0.3", "130301");
    let (ok, errors) = outcomes(
        &sandbox,
        r#"
let h = govern().get_roles_permissions_handler();
for i in 0..40 {
    try {
        let r = h.create_role(`steward-${i}`, #{ label: `Steward ${i}` });
        print(`ok ${i}=${r.role_id}`);
    } catch (e) { print(`err ${e.error_type} ${e.message}`); }
}
"#,
    );
    assert_only_unknown_outcomes(&errors);
    let held = sandbox.ok("GET", &format!("{API}/admin/roles"), None);
    for line in &ok {
        let (i, id) = line.split_once('=').expect("i=id");
        assert_eq!(id, format!("ro.steward-{i}"));
        let count = held
            .as_array()
            .map_or(0, |l| l.iter().filter(|r| r["id"] == id).count());
        assert_eq!(count, 1, "{id} held {count} times");
    }
    assert!(ok.len() >= 20, "too few roles created: {ok:?} {errors:?}");
}
