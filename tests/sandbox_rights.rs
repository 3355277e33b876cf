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

use common::designer::bv_path;
use common::rights::*;
use common::{ADMIN_KEY, API, Sandbox, assert_error};
use serde_json::json;

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
    sb.ok(
        "DELETE",
        &format!("{API}/admin/blueprint-permissions/bp.model_review"),
        None,
    );
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
    let defaults = json!({"permissions": {"everyone": {"read": true}}});
    sb.ok(
        "PUT",
        &format!("{API}/admin/blueprint-permissions/default"),
        Some(&defaults.to_string()),
    );
    assert_eq!(call(&sb, ERIN, "GET", &art("ar.16"), None).status, 200);
    assert!(
        search(&sb, ERIN, of_blueprint(BI), 10)
            .0
            .contains(&"ar.16".to_string())
    );
}

/// Regression guard for the views the sandbox keeps between requests (a key's readable
/// set, cached until a write that can change rights): a rule added or removed, and an
/// artifact saved, show in the key's very next search, page count and read.
#[test]
fn a_rights_change_shows_in_the_next_search_count_and_read_of_a_key_whose_view_is_kept() {
    let sb = Sandbox::start();
    let rules = format!("{API}/admin/blueprint-role-assignments/{BI}");
    let erin_sees = |sb: &Sandbox| search(sb, ERIN, of_blueprint(BI), 1);
    // erin sponsors ar.15, and reads nothing else of the blueprint: her view is kept.
    assert_eq!(erin_sees(&sb), (vec!["ar.15".to_string()], false));
    assert_eq!(call(&sb, ERIN, "GET", &art("ar.16"), None).status, 404);
    // A reader rule naming erin: ar.16 at once, in the search, its pages and a read.
    let before = sb.ok("GET", &rules, None);
    let mut added = before.clone();
    added["roleAssignmentsRules"]["ro.reader"]
        .as_array_mut()
        .expect("the seeded reader rules")
        .push(
            json!({"criteria": [], "userContainers": [{"type": "user", "login": "erin"}],
                     "fieldIds": []}),
        );
    sb.ok("PUT", &rules, Some(&added.to_string()));
    assert_eq!(
        erin_sees(&sb),
        (vec!["ar.15".to_string(), "ar.16".to_string()], true)
    );
    assert_eq!(call(&sb, ERIN, "GET", &art("ar.16"), None).status, 200);
    // The rule removed: back to her own initiative.
    sb.ok("PUT", &rules, Some(&before.to_string()));
    assert_eq!(erin_sees(&sb), (vec!["ar.15".to_string()], false));
    assert_eq!(call(&sb, ERIN, "GET", &art("ar.16"), None).status, 404);
    // An artifact saved with her as sponsor: ar.16 again, at once.
    let mut doc = admin_read(&sb, "ar.16").body["artifact"].clone();
    doc["fields"]["sponsor"] = json!("erin");
    sb.ok("PUT", &art("ar.16"), Some(&doc.to_string()));
    assert_eq!(
        erin_sees(&sb),
        (vec!["ar.15".to_string(), "ar.16".to_string()], true)
    );
}
