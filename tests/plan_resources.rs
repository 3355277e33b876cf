//! Plans of resources other than artifacts (issue 15 §2), with the real binary against
//! a real sandbox: a creation of any declared resource is planned from its declaration
//! (it used to be an opaque "other call" that `apply` re-sent blindly), shown with its
//! diff, made by `apply`, and refused as drift when its object appeared since the plan;
//! the Python client is the oracle of what `apply` made and the other writer.
mod common;
use common::plan::{apply, oracle, plan_into, read_json, writes_after};
use common::{API, Sandbox};
use serde_json::{Value, json};

/// Creates bp.planned with a version whose fields it edits, role assignments for it,
/// and relabels ro.reader.
const DESIGN: &str = r#"
let c = govern();
let bd = c.get_blueprint_designer();
let bp = bd.create_blueprint("bp.planned", #{ name: "Planned BP", icon: "science" });
let v = bp.create_version("bv.one", #{ name: "One" });
let vd = v.get_definition();
vd.raw.fieldDefinitions = #{ title: #{ label: "Title", fieldType: "TEXT", required: false, sourceType: "STORE" } };
vd.save();
print(`fields=${v.get_definition().get_raw().fieldDefinitions.keys()}`);
print(`versions=${bp.list_versions().map(|i| i.to_blueprint_version().version_id)}`);
print(`listed=${"bp.planned" in bd.list_blueprints().map(|i| i.to_blueprint().blueprint_id)}`);
let h = c.get_roles_permissions_handler();
let ra = h.create_role_assignments(#{ blueprintId: "bp.planned", roleAssignmentsRules: #{
    "ro.reader": [#{ criteria: [], userContainers: [#{ type: "group", groupName: "readers" }], fieldIds: [] }] } });
print(`assigned=${ra.blueprint_id}`);
let r = h.get_role("ro.reader").get_definition();
r.raw.label = "Planned reader";
r.save();
"#;

/// `(effect, object)` of each change of a plan file.
fn effects(plan: &Value) -> Vec<(String, String)> {
    plan["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .map(|c| {
            let s = |k: &str| c[k].as_str().unwrap_or_default().to_string();
            (s("effect"), s("object"))
        })
        .collect()
}

#[test]
fn a_blueprint_version_and_role_assignment_creation_used_to_be_opaque_calls_now_planned_with_diffs_and_applied()
 {
    let sandbox = Sandbox::start();
    let dir = tempfile::tempdir().expect("dir");
    let plan = dir.path().join("plan.json");
    let since = sandbox.recorded().len();
    let out = plan_into(&sandbox, DESIGN, &plan);

    // Planned, not made: the script read its planned writes back, nothing was sent.
    assert!(out.contains("fields=[\"title\"]"), "{out}");
    assert!(out.contains("assigned=bp.planned"), "{out}");
    // Lists under and of what the plan creates show it.
    assert!(out.contains(r#"versions=["bv.one"]"#), "{out}");
    assert!(out.contains("listed=true"), "{out}");
    assert_eq!(writes_after(&sandbox, since), Vec::<Value>::new());
    let bp = format!("{API}/admin/blueprint/bp.planned");
    assert_eq!(sandbox.call("GET", &bp, None).status, 404);

    let version = "/admin/blueprint/bp.planned/version/bv.one";
    let assignments = "/admin/blueprint-role-assignments/bp.planned";
    let expected: Vec<(String, String)> = [
        ("create", "/admin/blueprint/bp.planned"),
        ("create", version),
        ("update", version),
        ("create", assignments),
        ("update", "/admin/role/ro.reader"),
    ]
    .iter()
    .map(|(e, o)| (e.to_string(), o.to_string()))
    .collect();
    assert_eq!(effects(&read_json(&plan)), expected);
    // Each is shown as a creation or a field diff, none as an opaque call.
    for line in [
        "+ create /admin/blueprint/bp.planned  (GovernAdminBlueprintDesigner.create_blueprint",
        "    name = \"Planned BP\"",
        "+ create /admin/blueprint/bp.planned/version/bv.one",
        "    query: newIdentifier=bv.one&name=One",
        "    fieldDefinitions: (absent) → {\"title\":",
        "+ create /admin/blueprint-role-assignments/bp.planned",
        "    roleAssignmentsRules.ro.reader = [{",
        "    label: \"Reader\" → \"Planned reader\"",
        "Plan: 3 to create, 2 to update, 0 to delete, 0 other call(s).",
    ] {
        assert!(
            out.lines().any(|l| l.starts_with(line)),
            "{line:?} in\n{out}"
        );
    }

    let applied = apply(&sandbox, &plan, &["--json"]);
    assert_eq!(applied.code, 0, "{}{}", applied.stdout, applied.stderr);
    let report: Value = serde_json::from_str(&applied.stdout).expect("JSON report");
    assert_eq!(report["applied"], 5, "{report}");
    let Some(made) = oracle(
        &sandbox,
        "designer",
        &["bp.planned", "bv.one", "bp.planned"],
    ) else {
        return;
    };
    assert_eq!(made["blueprint"]["name"], "Planned BP");
    assert_eq!(made["version"]["name"], "One");
    assert_eq!(
        made["version"]["fieldDefinitions"]["title"]["label"],
        "Title"
    );
    assert_eq!(
        made["assignments"]["roleAssignmentsRules"]["ro.reader"][0]["userContainers"],
        json!([{ "type": "group", "groupName": "readers" }])
    );
    let reader = sandbox.ok("GET", &format!("{API}/admin/role/ro.reader"), None);
    assert_eq!(reader["label"], "Planned reader");
}

#[test]
fn a_planned_role_creation_that_python_made_meanwhile_is_refused_as_drift_alone() {
    let sandbox = Sandbox::start();
    let dir = tempfile::tempdir().expect("dir");
    let plan = dir.path().join("plan.json");
    let source = r#"
let h = govern().get_roles_permissions_handler();
let s = h.create_role("steward", #{ label: "Data steward" });
for id in ["ro.reader", "ro.contributor"] {
    let d = h.get_role(id).get_definition();
    d.raw.description = "planned";
    d.save();
}
"#;
    plan_into(&sandbox, source, &plan);
    // Another writer, between plan and apply: creates the planned role, relabels one.
    let Some(made) = oracle(&sandbox, "create-role", &["steward", "Python's steward"]) else {
        return;
    };
    assert_eq!(made["id"], "ro.steward");
    oracle(&sandbox, "role-label", &["ro.reader", "Relabelled"]);

    let applied = apply(&sandbox, &plan, &[]);
    assert_eq!(applied.code, 1, "{}{}", applied.stdout, applied.stderr);
    let refused: Vec<&str> = applied
        .stdout
        .lines()
        .filter(|l| l.starts_with("refused"))
        .collect();
    assert_eq!(refused.len(), 2, "{}", applied.stdout);
    assert!(
        refused[0].contains("/admin/role/ro.steward")
            && refused[0].contains("exists since the plan"),
        "{}",
        refused[0]
    );
    assert!(
        refused[1].contains("/admin/role/ro.reader")
            && refused[1].contains(r#"label: "Reader" → "Relabelled""#),
        "{}",
        refused[1]
    );
    assert!(
        applied.stdout.contains("Applied 1 of 3 changes: 2 refused"),
        "{}",
        applied.stdout
    );
    // Python's role is left as it made it; the change without drift was made.
    let role = |id: &str| sandbox.ok("GET", &format!("{API}/admin/role/{id}"), None);
    assert_eq!(role("ro.steward")["label"], "Python's steward");
    assert_eq!(role("ro.reader")["label"], "Relabelled");
    assert_ne!(role("ro.reader")["description"], "planned");
    assert_eq!(role("ro.contributor")["description"], "planned");
}

#[test]
fn a_generated_id_creation_gets_a_planned_id_that_apply_replaces() {
    let sandbox = Sandbox::start();
    let dir = tempfile::tempdir().expect("dir");
    let plan = dir.path().join("plan.json");
    let source = r#"
let c = govern();
let s = c.create_time_series([#{ timestamp: 1700000000000, value: 1.5 }]);
print(`series=${s.time_series_id}`);
"#;
    let out = plan_into(&sandbox, source, &plan);
    assert!(out.contains("series=ts.planned.1"), "{out}");
    assert!(out.contains("+ create ts.planned.1"), "{out}");
    let applied = apply(&sandbox, &plan, &["--json"]);
    assert_eq!(applied.code, 0, "{}{}", applied.stdout, applied.stderr);
    let report: Value = serde_json::from_str(&applied.stdout).expect("JSON report");
    let id = report["items"][0]["created_id"].as_str().expect("an id");
    assert!(id.starts_with("ts.") && !id.contains("planned"), "{id}");
}

#[test]
fn an_irregular_put_used_to_fail_the_plan_now_a_call_named_with_its_method_and_path() {
    let sandbox = Sandbox::start();
    let dir = tempfile::tempdir().expect("dir");
    let plan = dir.path().join("plan.json");
    let source = r#"
let h = govern().get_custom_pages_handler();
let order = h.get_custom_pages_order();
order.reverse();
print(`saved=${h.save_custom_pages_order(order) == order}`);
"#;
    let before = sandbox.ok("GET", &format!("{API}/admin/custom-pages/order"), None);
    let out = plan_into(&sandbox, source, &plan);
    assert!(out.contains("saved=true"), "{out}");
    assert!(
        out.contains("> call /admin/custom-pages/order  (GovernAdminCustomPagesHandler.save_custom_pages_order: PUT /admin/custom-pages/order)"),
        "{out}"
    );
    assert!(
        out.contains("Plan: 0 to create, 0 to update, 0 to delete, 1 other call(s)."),
        "{out}"
    );
    let mut reversed = before.as_array().expect("an order").clone();
    assert!(reversed.len() > 1, "{before}");
    reversed.reverse();
    let applied = apply(&sandbox, &plan, &[]);
    assert_eq!(applied.code, 0, "{}{}", applied.stdout, applied.stderr);
    let after = sandbox.ok("GET", &format!("{API}/admin/custom-pages/order"), None);
    assert_eq!(after, Value::Array(reversed));
}
