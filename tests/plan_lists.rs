//! Read-your-writes for lists and searches in a plan (issue 15 §2), with the real binary
//! against a real sandbox: a search or list after a planned change shows the planned
//! state (it used to show the server's: planned creations missing, planned deletions
//! still listed, changed objects as they were), pages without repeating or skipping a
//! hit; the Python client's search after `apply` is the oracle.
mod common;
use common::plan::{ZED_OWNS_AR2, apply, oracle, plan_into, writes_after};
use common::{API, Sandbox};
use serde_json::Value;

/// Creates an artifact, deletes ar.6, gives ar.2 to zed, then prints the ids of
/// bp.model_review's artifacts (three per page) and ar.2's owner as the search shows it.
const SEARCH_AFTER_CHANGES: &str = r#"
let c = govern();
let a = c.create_artifact(#{
    blueprintVersionId: #{ blueprintId: "bp.model_review", versionId: "bv.v1" },
    name: "Planned model", fields: #{ owner: "pat" } });
c.get_artifact("ar.6").delete();
let d = c.get_artifact("ar.2").get_definition();
d.raw.fields.owner = "zed";
d.save();
let q = GovernArtifactSearchQuery(#{ artifact_filters: [GovernArtifactFilterBlueprints(["bp.model_review"])] });
let ids = [];
for hit in c.search(q, #{ page_size: 3 }) {
    let raw = hit.get_raw().artifact;
    ids.push(raw.id);
    if raw.id == "ar.2" { print(`owner=${raw.fields.owner}`); }
}
print(`ids=${ids}`);
"#;

/// The ids printed as `ids=[...]`.
fn printed_ids(out: &str) -> Vec<String> {
    let line = out
        .lines()
        .find_map(|l| l.strip_prefix("ids="))
        .unwrap_or_else(|| panic!("no ids= line in {out}"));
    serde_json::from_str(line).expect("a JSON array of ids")
}

#[test]
fn a_search_in_a_plan_used_to_miss_creations_and_list_deletions_now_pages_the_planned_state() {
    let sandbox = Sandbox::start();
    let dir = tempfile::tempdir().expect("dir");
    let plan = dir.path().join("plan.json");
    let since = sandbox.recorded().len();
    let out = plan_into(&sandbox, SEARCH_AFTER_CHANGES, &plan);
    assert_eq!(writes_after(&sandbox, since), Vec::<Value>::new());

    let ids = printed_ids(&out);
    assert!(out.lines().any(|l| l == "owner=zed"), "{out}");
    assert!(!ids.contains(&"ar.6".to_string()), "{ids:?}");
    assert_eq!(ids.last().map(String::as_str), Some("ar.planned.1"));
    let mut unique = ids.clone();
    unique.dedup();
    assert_eq!(unique, ids, "no hit twice");

    // The plan meant what apply does: the Python client's search afterwards shows the
    // same artifacts, the planned id replaced by the real one.
    let applied = apply(&sandbox, &plan, &["--json"]);
    assert_eq!(applied.code, 0, "{}{}", applied.stdout, applied.stderr);
    let report: Value = serde_json::from_str(&applied.stdout).expect("JSON report");
    let created = report["items"][0]["created_id"].as_str().expect("created");
    let planned: Vec<String> = ids
        .iter()
        .map(|id| id.replace("ar.planned.1", created))
        .collect();
    let Some(after) = oracle(&sandbox, "search", &["bp.model_review"]) else {
        return;
    };
    let after: Vec<String> = serde_json::from_value(after).expect("ids");
    assert_eq!(planned, after);
}

#[test]
fn a_field_search_in_a_plan_matches_planned_values_not_the_servers() {
    let sandbox = Sandbox::start();
    let source = ZED_OWNS_AR2.to_string()
        + r#"
let c = govern();
fn owned(c, who) {
    let q = GovernArtifactSearchQuery(#{ artifact_filters: [
        GovernArtifactFilterBlueprints(["bp.model_review"]),
        GovernArtifactFilterFieldValue("EQUALS", who, "owner") ] });
    c.search(q, #{ page_size: 2 }).to_array().map(|h| h.to_artifact().artifact_id)
}
print(`zed=${owned(c, "zed")}`);
print(`bob=${"ar.2" in owned(c, "bob")}`);
"#;
    let out = sandbox.script(&source).arg("--dry-run").ok();
    assert!(out.lines().any(|l| l == r#"zed=["ar.2"]"#), "{out}");
    assert!(out.lines().any(|l| l == "bob=false"), "{out}");
    assert_eq!(sandbox.fields("ar.2")["owner"], "bob");
}

#[test]
fn a_role_list_in_a_plan_used_to_show_the_servers_roles_now_the_planned_ones() {
    let sandbox = Sandbox::start();
    let source = r#"
let h = govern().get_roles_permissions_handler();
h.create_role("steward", #{ label: "Data steward" });
let r = h.get_role("ro.reader").get_definition();
r.raw.label = "Planned reader";
r.save();
h.get_role("ro.contributor").delete();
for item in h.list_roles() {
    let raw = item.get_raw();
    print(`role ${raw.id} ${raw.label}`);
}
"#;
    let out = sandbox.script(source).arg("--dry-run").ok();
    let roles: Vec<&str> = out.lines().filter(|l| l.starts_with("role ")).collect();
    assert_eq!(
        roles,
        [
            "role ro.reader Planned reader",
            "role ro.project_manager Project manager",
            "role ro.steward Data steward",
        ],
        "{out}"
    );
    let server = sandbox.ok("GET", &format!("{API}/admin/roles"), None);
    assert_eq!(server.as_array().map(Vec::len), Some(3));
}

#[test]
fn a_sorted_search_in_a_plan_says_what_the_plan_cannot_decide() {
    let sandbox = Sandbox::start();
    let source = ZED_OWNS_AR2.to_string()
        + r#"
let c = govern();
let q = GovernArtifactSearchQuery(#{ artifact_search_sort: GovernArtifactSearchSortName() });
print(`hits=${c.search(q).to_array().len()}`);
"#;
    let out = sandbox.script(&source).arg("--dry-run").ok();
    assert!(
        out.lines()
            .any(|l| l.starts_with("note: a search with a sort shows artifacts")),
        "{out}"
    );
}

#[test]
fn a_search_page_the_plan_empties_does_not_end_the_search_early() {
    let sandbox = Sandbox::start();
    // The first page (three per page) holds ar.1 to ar.3: the plan deletes all three.
    let source = r#"
let c = govern();
for id in ["ar.1", "ar.2", "ar.3"] { c.get_artifact(id).delete(); }
let q = GovernArtifactSearchQuery(#{ artifact_filters: [GovernArtifactFilterBlueprints(["bp.model_review"])] });
print(`ids=${c.search(q, #{ page_size: 3 }).to_array().map(|h| h.to_artifact().artifact_id)}`);
"#;
    let out = sandbox.script(source).arg("--dry-run").ok();
    let Some(server) = oracle(&sandbox, "search", &["bp.model_review"]) else {
        return;
    };
    let server: Vec<String> = serde_json::from_value(server).expect("ids");
    assert_eq!(server[..3], ["ar.1", "ar.2", "ar.3"]);
    assert!(server.len() > 3, "{server:?}");
    assert_eq!(printed_ids(&out), server[3..]);
}
