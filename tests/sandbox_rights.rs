//! The sandbox enforces who may do what (issue 13 §2, protocol §6): a rights matrix over
//! HTTP with the demo seed's user keys, the same from Rhai and from the official Python
//! client (`tests/python/rights.py`); every refused call is read back with the admin key
//! to show it changed nothing.
//!
//! The demo seed (src/sandbox/seed/rights.json): alice ∈ readers, bob ∈ contributors,
//! carol ∈ project_managers (and risk_officers), dave ∈ govern_managers (Govern
//! architect), erin sponsors `ar.15`. `bp.system.business_initiative` (ar.15, ar.16)
//! uses the default permissions; `bp.model_review` has its own (contributors may not
//! create) and gives `ro.contributor` to each model's `owner`.
mod common;

use common::designer::{blueprint_with_version, bv_path, conf_path, define, set_status};
use common::{ADMIN_KEY, API, Resp, Sandbox, assert_error};
use serde_json::{Value, json};

const ALICE: &str = "alice-sandbox-key";
const BOB: &str = "bob-sandbox-key";
const CAROL: &str = "carol-sandbox-key";
const DAVE: &str = "dave-sandbox-key";
const ERIN: &str = "erin-sandbox-key";
const BI: &str = "bp.system.business_initiative";

fn call(sb: &Sandbox, key: &str, method: &str, target: &str, body: Option<&Value>) -> Resp {
    let body = body.map(Value::to_string);
    sb.call_with(method, target, body.as_deref(), Some(key), &[])
}

fn art(id: &str) -> String {
    format!("{API}/artifact/{id}")
}

/// The artifact as the admin key reads it.
fn admin_read(sb: &Sandbox, id: &str) -> Resp {
    sb.call("GET", &art(id), None)
}

/// The ids a search with `filters` returns to `key` (pages of `page`), and whether the
/// first page said there was a next one.
fn search(sb: &Sandbox, key: &str, filters: Value, page: u64) -> (Vec<String>, bool) {
    let mut ids = Vec::new();
    let mut last = Value::Null;
    let mut first_has_next = None;
    loop {
        let body = json!({"artifactSearchSource": {"type": "all"}, "artifactFilters": filters,
                          "artifactSearchPagination": {"pageSize": page, "lastArtifactId": last}});
        let r = call(
            sb,
            key,
            "POST",
            &format!("{API}/artifacts/search"),
            Some(&body),
        );
        assert_eq!(r.status, 200, "{}", r.raw);
        let hits = r.body["uiArtifacts"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        first_has_next.get_or_insert(r.body["hasNextPage"] == true);
        ids.extend(
            hits.iter()
                .filter_map(|h| h["artifact"]["id"].as_str().map(str::to_string)),
        );
        match hits.last() {
            Some(h) if r.body["hasNextPage"] == true => last = h["artifact"]["id"].clone(),
            _ => return (ids, first_has_next.unwrap_or(false)),
        }
    }
}

fn of_blueprint(bp: &str) -> Value {
    json!([{"type": "blueprints", "blueprintIds": [bp]}])
}

fn new_initiative(name: &str) -> Value {
    json!({"blueprintVersionId": {"blueprintId": BI, "versionId": "bv.system.default"},
           "name": name, "fields": {"description": "made by a test"}})
}

/// Stores `doc` under `id` in `table` of the running sandbox's database, as the roles
/// endpoints (another branch of issue 13) will; `None` deletes it.
fn store_doc(sb: &Sandbox, table: &str, id: &str, doc: Option<Value>) {
    let db = rusqlite::Connection::open(&sb.db).expect("open the sandbox database");
    db.busy_timeout(std::time::Duration::from_secs(30))
        .expect("busy timeout");
    match doc {
        Some(doc) => db.execute(
            &format!("INSERT OR REPLACE INTO {table} (id, body) VALUES (?1, ?2)"),
            rusqlite::params![id, doc.to_string()],
        ),
        None => db.execute(
            &format!("DELETE FROM {table} WHERE id = ?1"),
            rusqlite::params![id],
        ),
    }
    .expect("write the sandbox database");
}

#[test]
fn seeded_user_keys_act_as_their_users_and_no_longer_as_admins() {
    let sb = Sandbox::start();
    for (key, login) in [
        (ALICE, "alice"),
        (BOB, "bob"),
        (DAVE, "dave"),
        (ERIN, "erin"),
    ] {
        let me = call(&sb, key, "GET", &format!("{API}/auth/info"), None);
        assert_eq!(me.body["authIdentifier"], login, "{}", me.raw);
        assert_eq!(me.body["isAdmin"], false);
    }
    let alice = call(&sb, ALICE, "GET", &format!("{API}/auth/info"), None);
    assert_eq!(alice.body["groups"], json!(["governance_team", "readers"]));
    let r = call(
        &sb,
        "carol-wrong-key",
        "GET",
        &format!("{API}/auth/info"),
        None,
    );
    assert_eq!(r.status, 401);
}

#[test]
fn designer_calls_need_a_govern_architect_and_a_refused_one_changes_nothing() {
    let sb = Sandbox::start();
    let list = format!("{API}/admin/blueprints");
    assert_eq!(sb.call("GET", &list, None).status, 200);
    assert_eq!(call(&sb, DAVE, "GET", &list, None).status, 200);
    assert_error(
        &call(&sb, ALICE, "GET", &list, None),
        403,
        "Govern architect",
    );
    let create = format!("{API}/admin/blueprints?newIdentifier=by_alice");
    let body = json!({"name": "Alice's"});
    assert_error(
        &call(&sb, ALICE, "POST", &create, Some(&body)),
        403,
        "Govern architect",
    );
    assert_eq!(
        sb.call("GET", &format!("{API}/admin/blueprint/bp.by_alice"), None)
            .status,
        404
    );
    let create = format!("{API}/admin/blueprints?newIdentifier=by_dave");
    assert_eq!(call(&sb, DAVE, "POST", &create, Some(&body)).status, 200);
    // The version status route too; the trace stays as it was.
    let status = format!("{}/status", bv_path("bp.model_review", "bv.v2"));
    let r = call(&sb, BOB, "PUT", &status, Some(&json!("ACTIVE")));
    assert_error(&r, 403, "Govern architect");
    let trace = sb.ok("GET", &bv_path("bp.model_review", "bv.v2"), None);
    assert_eq!(trace["blueprintVersionTrace"]["status"], "DRAFT");
}

#[test]
fn artifact_read_write_create_delete_follow_role_assignments_and_default_permissions() {
    let sb = Sandbox::start();
    let before = admin_read(&sb, "ar.15").body;
    // Read: admin, reader, contributor, architect.
    for key in [ADMIN_KEY, ALICE, BOB, DAVE] {
        assert_eq!(
            call(&sb, key, "GET", &art("ar.15"), None).status,
            200,
            "{key}"
        );
    }
    // Write: the reader is refused and nothing changes; the contributor saves.
    let mut edited = before["artifact"].clone();
    edited["fields"]["description"] = json!("edited");
    let r = call(&sb, ALICE, "PUT", &art("ar.15"), Some(&edited));
    assert_error(&r, 403, "may not write");
    assert_eq!(admin_read(&sb, "ar.15").body, before);
    let r = call(&sb, BOB, "PUT", &art("ar.15"), Some(&edited));
    assert_eq!(r.status, 200, "{}", r.raw);
    assert_eq!(
        admin_read(&sb, "ar.15").body["artifact"]["fields"]["description"],
        "edited"
    );
    // Create: the reader is refused, no artifact appears; the contributor creates.
    let count = || search(&sb, ADMIN_KEY, of_blueprint(BI), 100).0.len();
    let n = count();
    let r = call(
        &sb,
        ALICE,
        "POST",
        &format!("{API}/artifacts"),
        Some(&new_initiative("A")),
    );
    assert_error(&r, 403, "may not create");
    assert_eq!(count(), n);
    let r = call(
        &sb,
        BOB,
        "POST",
        &format!("{API}/artifacts"),
        Some(&new_initiative("B")),
    );
    assert_eq!(r.status, 200, "{}", r.raw);
    assert_eq!(count(), n + 1);
    // Delete: reader and contributor refused, the project manager deletes.
    for key in [ALICE, BOB] {
        assert_error(
            &call(&sb, key, "DELETE", &art("ar.16"), None),
            403,
            "may not delete",
        );
        assert_eq!(admin_read(&sb, "ar.16").status, 200, "{key}");
    }
    assert_eq!(call(&sb, CAROL, "DELETE", &art("ar.16"), None).status, 204);
    assert_eq!(admin_read(&sb, "ar.16").status, 404);
}

#[test]
fn an_artifact_the_key_may_not_read_is_answered_as_a_missing_one_and_stays_unchanged() {
    let sb = Sandbox::start();
    let before = admin_read(&sb, "ar.16").body;
    let hidden = call(&sb, ERIN, "GET", &art("ar.16"), None);
    let missing = call(&sb, ERIN, "GET", &art("ar.9999"), None);
    assert_eq!(hidden.status, 404);
    assert_eq!(hidden.body["errorType"], missing.body["errorType"]);
    assert_eq!(hidden.body["message"], missing.body["message"]);
    assert_eq!(hidden.body["detailedMessage"], "Artifact not found: ar.16");
    let signoffs = call(
        &sb,
        ERIN,
        "GET",
        &format!("{}/signoffs", art("ar.16")),
        None,
    );
    assert_eq!(signoffs.status, 404);
    let r = call(&sb, ERIN, "PUT", &art("ar.16"), Some(&before["artifact"]));
    assert_error(&r, 404, "Artifact not found: ar.16");
    assert_error(
        &call(&sb, ERIN, "DELETE", &art("ar.16"), None),
        404,
        "Artifact not found",
    );
    assert_eq!(admin_read(&sb, "ar.16").body, before);
}

#[test]
fn a_field_ids_rule_gives_the_user_named_in_the_field_its_role_and_follows_the_field() {
    let sb = Sandbox::start();
    // erin sponsors ar.15: project manager of it (reads, saves), not of ar.16.
    let mut doc = admin_read(&sb, "ar.15").body["artifact"].clone();
    doc["fields"]["description"] = json!("by the sponsor");
    assert_eq!(
        call(&sb, ERIN, "PUT", &art("ar.15"), Some(&doc)).status,
        200
    );
    assert_eq!(search(&sb, ERIN, of_blueprint(BI), 10).0, ["ar.15"]);
    // Owners edit their own models only.
    let mut own = admin_read(&sb, "ar.1").body["artifact"].clone();
    own["fields"]["description"] = json!("by its owner");
    assert_eq!(
        call(&sb, ALICE, "PUT", &art("ar.1"), Some(&own)).status,
        200
    );
    let other = admin_read(&sb, "ar.2").body;
    let r = call(&sb, ALICE, "PUT", &art("ar.2"), Some(&other["artifact"]));
    assert_error(&r, 403, "may not write");
    assert_eq!(admin_read(&sb, "ar.2").body, other);
    // A new sponsor: erin loses ar.15 in reads and searches, bob gains it.
    doc["fields"]["sponsor"] = json!("bob");
    sb.ok("PUT", &art("ar.15"), Some(&doc.to_string()));
    assert_eq!(call(&sb, ERIN, "GET", &art("ar.15"), None).status, 404);
    assert!(search(&sb, ERIN, of_blueprint(BI), 10).0.is_empty());
    assert_eq!(call(&sb, BOB, "DELETE", &art("ar.15"), None).status, 204);
}

#[test]
fn a_criteria_rule_applies_only_to_the_artifacts_it_matches() {
    let sb = Sandbox::start();
    // carol (risk_officers) manages High-risk models: ar.5 is High, ar.4 Low.
    assert_error(
        &call(&sb, CAROL, "DELETE", &art("ar.4"), None),
        403,
        "may not delete",
    );
    assert_eq!(admin_read(&sb, "ar.4").status, 200);
    assert_eq!(call(&sb, CAROL, "DELETE", &art("ar.5"), None).status, 204);
    assert_eq!(admin_read(&sb, "ar.5").status, 404);
}

#[test]
fn search_results_and_counts_hold_exactly_the_artifacts_the_key_may_read() {
    let sb = Sandbox::start();
    let all = search(&sb, ADMIN_KEY, json!([]), 100).0;
    assert_eq!(all.len(), 22);
    assert_eq!(search(&sb, DAVE, json!([]), 100).0, all);
    for key in [ALICE, BOB, CAROL, ERIN] {
        let seen = search(&sb, key, json!([]), 7).0;
        let readable: Vec<String> = all
            .iter()
            .filter(|id| call(&sb, key, "GET", &art(id), None).status == 200)
            .cloned()
            .collect();
        assert_eq!(seen, readable, "{key}");
        assert!(seen.len() < all.len(), "{key} sees everything");
    }
    // erin: the models and her initiative; a page of 1 says there is no next page.
    let (erin, more) = search(&sb, ERIN, of_blueprint(BI), 1);
    assert_eq!((erin, more), (vec!["ar.15".to_string()], false));
    assert!(
        !search(&sb, ERIN, json!([]), 100)
            .0
            .contains(&"ar.12".to_string())
    );
}

#[test]
fn blueprint_reads_need_an_artifact_right_on_the_blueprint() {
    let sb = Sandbox::start();
    let ids = |key: &str| -> Vec<String> {
        let r = call(&sb, key, "GET", &format!("{API}/blueprints"), None);
        r.body
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|i| i["blueprint"]["id"].as_str().map(str::to_string))
            .collect()
    };
    let admin = ids(ADMIN_KEY);
    assert!(admin.len() >= 10);
    assert_eq!(ids(DAVE), admin);
    assert_eq!(ids(ERIN), [BI, "bp.model_review"]);
    assert_eq!(
        ids(ALICE),
        [BI, "bp.system.dataiku_project", "bp.model_review"]
    );
    let hidden = call(
        &sb,
        ERIN,
        "GET",
        &format!("{API}/blueprint/bp.system.govern_project"),
        None,
    );
    assert_error(
        &hidden,
        404,
        "Blueprint not found: bp.system.govern_project",
    );
    let versions = format!("{API}/blueprint/bp.system.govern_project/versions");
    assert_eq!(call(&sb, ERIN, "GET", &versions, None).status, 404);
    let version = format!("{API}/blueprint/bp.system.govern_project/version/bv.system.default");
    assert_eq!(call(&sb, ERIN, "GET", &version, None).status, 404);
    assert_eq!(
        call(&sb, ALICE, "GET", &format!("{API}/blueprint/{BI}"), None).status,
        200
    );
}

#[test]
fn blueprint_permissions_override_the_defaults_and_deleting_them_restores_the_defaults() {
    let sb = Sandbox::start();
    let model = json!({"blueprintVersionId": {"blueprintId": "bp.model_review", "versionId": "bv.v1"},
                       "name": "Alice's model", "fields": {"owner": "alice", "risk": "Low"}});
    // bp.model_review's own permissions: an owner (contributor) may not create.
    let before = search(&sb, ADMIN_KEY, of_blueprint("bp.model_review"), 100)
        .0
        .len();
    let r = call(
        &sb,
        ALICE,
        "POST",
        &format!("{API}/artifacts"),
        Some(&model),
    );
    assert_error(&r, 403, "may not create");
    assert_eq!(
        search(&sb, ADMIN_KEY, of_blueprint("bp.model_review"), 100)
            .0
            .len(),
        before
    );
    // Without them the defaults apply, where contributors create.
    store_doc(&sb, "blueprint_permissions", "bp.model_review", None);
    let r = call(
        &sb,
        ALICE,
        "POST",
        &format!("{API}/artifacts"),
        Some(&model),
    );
    assert_eq!(r.status, 200, "{}", r.raw);
    // Default permissions giving everyone read: erin reads ar.16.
    assert_eq!(call(&sb, ERIN, "GET", &art("ar.16"), None).status, 404);
    let mut defaults = json!({"permissions": {"everyone": {"read": true}}});
    store_doc(
        &sb,
        "settings",
        "blueprint-permissions-default",
        Some(defaults.take()),
    );
    assert_eq!(call(&sb, ERIN, "GET", &art("ar.16"), None).status, 200);
    assert!(
        search(&sb, ERIN, of_blueprint(BI), 10)
            .0
            .contains(&"ar.16".to_string())
    );
}

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
