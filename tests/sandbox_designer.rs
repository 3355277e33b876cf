//! The blueprint designer of the sandbox (issue 12 §3, protocol §2.9, §2.10): every
//! `/admin/...` route over HTTP with its Govern semantics, and the official Python
//! client driving it. The refused inputs are in `sandbox_designer_refusals.rs`.
mod common;

use common::designer::*;
use common::{ADMIN_KEY, API, Sandbox, assert_error};
use serde_json::{Value, json};

#[test]
fn designer_blueprints_are_created_listed_read_saved_and_deleted() {
    let sb = Sandbox::start();
    let made = sb.ok(
        "POST",
        &format!("{API}/admin/blueprints?newIdentifier=my_bp"),
        Some(r#"{"name": "My BP", "icon": "science"}"#),
    );
    assert_eq!(made["blueprint"]["id"], "bp.my_bp");
    assert_eq!(made["blueprint"]["name"], "My BP");
    let listed = sb.ok("GET", &format!("{API}/admin/blueprints"), None);
    let item = listed
        .as_array()
        .expect("list")
        .iter()
        .find(|i| i["blueprint"]["id"] == "bp.my_bp")
        .expect("new blueprint listed");
    assert_eq!(item["blueprint"]["icon"], "science");
    let mut def = sb.ok("GET", &bp_path("bp.my_bp"), None)["blueprint"].clone();
    def["name"] = json!("Renamed");
    let saved = put_json(&sb, &bp_path("bp.my_bp"), &def);
    assert_eq!(saved.status, 200, "{}", saved.raw);
    assert_eq!(saved.body["blueprint"]["name"], "Renamed");
    // The read-only view reads the same table.
    assert_eq!(
        sb.ok("GET", &format!("{API}/blueprint/bp.my_bp"), None)["blueprint"]["name"],
        "Renamed"
    );
    let again = sb.call(
        "POST",
        &format!("{API}/admin/blueprints?newIdentifier=my_bp"),
        Some("{}"),
    );
    assert_error(&again, 409, "already exists");
    assert_eq!(
        sb.ok("GET", &bp_path("bp.my_bp"), None)["blueprint"]["name"],
        "Renamed"
    );
    let other_id = put_json(
        &sb,
        &bp_path("bp.my_bp"),
        &json!({"id": "bp.other", "name": "X"}),
    );
    assert_error(&other_id, 400, "Blueprint IDs do not match");
    assert_eq!(sb.call("DELETE", &bp_path("bp.my_bp"), None).status, 204);
    assert_eq!(sb.call("GET", &bp_path("bp.my_bp"), None).status, 404);
}

#[test]
fn forked_versions_copy_definition_and_signoff_configurations_and_record_their_origin() {
    let sb = Sandbox::start();
    let bp = "bp.model_review";
    let made = sb.ok(
        "POST",
        &format!(
            "{API}/admin/blueprint/{bp}/versions?newIdentifier=fork&name=Fork&originVersionId=bv.v1"
        ),
        None,
    );
    assert_eq!(
        made["blueprintVersion"]["id"],
        json!({"blueprintId": bp, "versionId": "bv.fork"})
    );
    assert_eq!(made["blueprintVersionTrace"]["status"], "DRAFT");
    assert_eq!(made["blueprintVersionTrace"]["originVersionId"], "bv.v1");
    let origin = sb.ok("GET", &bv_path(bp, "bv.v1"), None)["blueprintVersion"].clone();
    let fork = sb.ok("GET", &bv_path(bp, "bv.fork"), None);
    assert_eq!(fork["blueprintVersion"]["name"], "Fork");
    for k in ["fieldDefinitions", "workflowDefinition", "uiDefinition"] {
        assert_eq!(fork["blueprintVersion"][k], origin[k], "{k}");
    }
    let steps = |bv: &str| -> Vec<Value> {
        sb.ok("GET", &format!("{}/signoffs", bv_path(bp, bv)), None)
            .as_array()
            .expect("configurations")
            .iter()
            .map(|c| c["id"]["stepId"].clone())
            .collect()
    };
    assert_eq!(steps("bv.fork"), steps("bv.v1"));
    assert_eq!(steps("bv.fork"), [json!("review"), json!("deployment")]);
    let copied = sb.ok("GET", &conf_path(bp, "bv.fork", "review"), None);
    let original = sb.ok("GET", &conf_path(bp, "bv.v1", "review"), None);
    assert_eq!(copied["id"]["versionId"], "bv.fork");
    assert_eq!(copied["approvers"], original["approvers"]);
    // Without origin a version starts empty.
    let empty = sb.ok(
        "POST",
        &format!("{API}/admin/blueprint/{bp}/versions?newIdentifier=blank"),
        None,
    );
    assert_eq!(empty["blueprintVersion"]["fieldDefinitions"], json!({}));
    assert_eq!(
        empty["blueprintVersion"]["workflowDefinition"]["stepDefinitions"],
        json!([])
    );
    assert_eq!(
        empty["blueprintVersionTrace"]["originVersionId"],
        Value::Null
    );
    // The admin list shows DRAFT versions, the non-admin one does not.
    let ids = |v: &Value| -> Vec<String> {
        v.as_array()
            .expect("versions")
            .iter()
            .map(|i| {
                i["blueprintVersion"]["id"]["versionId"]
                    .as_str()
                    .unwrap_or("")
                    .to_string()
            })
            .collect()
    };
    let admin = sb.ok("GET", &format!("{API}/admin/blueprint/{bp}/versions"), None);
    assert_eq!(ids(&admin), ["bv.v1", "bv.v2", "bv.fork", "bv.blank"]);
    assert_eq!(admin[2]["blueprintVersionTrace"]["status"], "DRAFT");
    let public = as_user(
        &sb,
        "alice",
        "GET",
        &format!("{API}/blueprint/{bp}/versions"),
        None,
    );
    assert_eq!(ids(&public.body), ["bv.v1"]);
}

#[test]
fn only_active_versions_take_artifacts_and_a_saved_definition_is_what_they_see() {
    let sb = Sandbox::start();
    let (bp, bv) = blueprint_with_version(&sb, "gated");
    let saved = define(&sb, &bp, &bv);
    assert_eq!(saved["fieldDefinitions"]["f"]["fieldType"], "TEXT");
    let draft = create_artifact(&sb, &bp, &bv, json!({"f": "x"}));
    assert_error(&draft, 400, "only ACTIVE versions");
    assert!(artifacts_of(&sb, &bp).is_empty());
    let trace = set_status(&sb, &bp, &bv, "ACTIVE");
    assert_eq!(trace.status, 200, "{}", trace.raw);
    assert_eq!(trace.body["blueprintVersionTrace"]["status"], "ACTIVE");
    let made = create_artifact(&sb, &bp, &bv, json!({"f": "x"}));
    assert_eq!(made.status, 200, "{}", made.raw);
    let ar = made.body["artifactId"]
        .as_str()
        .expect("artifact id")
        .to_string();
    let art = sb.ok("GET", &format!("{API}/artifact/{ar}"), None)["artifact"].clone();
    assert_eq!(art["fields"]["f"], "x");
    assert_eq!(art["workflow"]["steps"]["s2"]["status"], "NOT_STARTED");
    // A new field and step are what the artifact sees next.
    let mut def = saved.clone();
    def["fieldDefinitions"]["g"] =
        json!({"label": "G", "fieldType": "BOOLEAN", "sourceType": "STORE"});
    def["workflowDefinition"]["stepDefinitions"] = json!([{"id": "s1"}, {"id": "s3"}]);
    sb.ok("PUT", &bv_path(&bp, &bv), Some(&def.to_string()));
    let art = sb.ok("GET", &format!("{API}/artifact/{ar}"), None)["artifact"].clone();
    let steps: Vec<&String> = art["workflow"]["steps"]
        .as_object()
        .expect("steps")
        .keys()
        .collect();
    assert_eq!(steps, ["s1", "s3"]);
    let mut edited = art.clone();
    edited["fields"]["g"] = json!(true);
    assert_eq!(
        put_json(&sb, &format!("{API}/artifact/{ar}"), &edited).status,
        200
    );
    assert_eq!(set_status(&sb, &bp, &bv, "ARCHIVED").status, 200);
    let archived = create_artifact(&sb, &bp, &bv, json!({}));
    assert_error(&archived, 400, "its status is ARCHIVED");
    assert_eq!(artifacts_of(&sb, &bp).len(), 1);
}

#[test]
fn signoff_configurations_are_created_without_id_and_are_what_new_artifacts_get() {
    let sb = Sandbox::start();
    let (bp, bv) = blueprint_with_version(&sb, "signed");
    define(&sb, &bp, &bv);
    let conf = json!({"title": "Gate", "mandatory": true, "feedbackUsersGroups": [],
                      "approvers": [{"usersContainer": {"type": "user", "login": "admin"}}],
                      "feedbackGroups": "misspelled, dropped"});
    let mut with_id = conf.clone();
    with_id["id"] = json!({"stepId": "s1"});
    let r = sb.call(
        "POST",
        &conf_path(&bp, &bv, "s1"),
        Some(&with_id.to_string()),
    );
    assert_error(
        &r,
        400,
        "signoffConfiguration.id must not be set in creation",
    );
    let r = sb.call("POST", &conf_path(&bp, &bv, "s9"), Some(&conf.to_string()));
    assert_error(&r, 404, "Workflow step not found");
    let r = sb.call(
        "POST",
        &conf_path(&bp, &bv, "s1"),
        Some("{\"mandatory\": true}"),
    );
    assert_error(&r, 400, "title is required");
    assert_eq!(
        sb.ok("GET", &format!("{}/signoffs", bv_path(&bp, &bv)), None),
        json!([])
    );
    let made = sb.ok("POST", &conf_path(&bp, &bv, "s1"), Some(&conf.to_string()));
    assert_eq!(
        made["id"],
        json!({"blueprintId": bp, "versionId": bv, "stepId": "s1"})
    );
    assert!(made.get("feedbackGroups").is_none(), "{made}");
    let listed = sb.ok("GET", &format!("{}/signoffs", bv_path(&bp, &bv)), None);
    assert_eq!(listed[0]["id"]["stepId"], "s1");
    let mut def = sb.ok("GET", &conf_path(&bp, &bv, "s1"), None);
    def["title"] = json!("Renamed gate");
    assert_eq!(
        put_json(&sb, &conf_path(&bp, &bv, "s1"), &def).body["title"],
        "Renamed gate"
    );
    set_status(&sb, &bp, &bv, "ACTIVE");
    let ar = create_artifact(&sb, &bp, &bv, json!({})).body["artifactId"]
        .as_str()
        .expect("id")
        .to_string();
    let so = sb.ok(
        "GET",
        &format!("{API}/artifact/{ar}/workflow/step/s1/signoff"),
        None,
    );
    assert_eq!(so["configuration"]["title"], "Renamed gate");
    assert_eq!(so["status"], "NOT_STARTED");
    assert_eq!(
        sb.call("DELETE", &conf_path(&bp, &bv, "s1"), None).status,
        204
    );
    assert_eq!(sb.call("GET", &conf_path(&bp, &bv, "s1"), None).status, 404);
    // A step removed from the workflow takes its configuration with it.
    sb.ok(
        "POST",
        &conf_path(&bp, &bv, "s2"),
        Some("{\"title\": \"Late\"}"),
    );
    let mut def = sb.ok("GET", &bv_path(&bp, &bv), None)["blueprintVersion"].clone();
    def["workflowDefinition"]["stepDefinitions"] = json!([{"id": "s1"}]);
    sb.ok("PUT", &bv_path(&bp, &bv), Some(&def.to_string()));
    assert_eq!(
        sb.ok("GET", &format!("{}/signoffs", bv_path(&bp, &bv)), None),
        json!([])
    );
}

/// Scenario 14 and a designer round trip (`tests/python/designer.py`) with the
/// unmodified official Python client.
#[test]
fn official_python_client_designs_a_blueprint_and_drives_its_signoff() {
    let python = match common::python::python_client() {
        Ok(p) => p,
        Err(why) => return common::python::skip(&why),
    };
    let sb = Sandbox::start();
    let out = std::process::Command::new(&python)
        .arg(common::root().join("tests/python/designer.py"))
        .arg(&sb.url)
        .arg(ADMIN_KEY)
        .output()
        .expect("run python");
    let stdout = String::from_utf8_lossy(&out.stdout);
    println!("{stdout}");
    assert!(
        out.status.success(),
        "designer.py failed\nstdout:\n{stdout}\nstderr:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("checks passed"), "{stdout}");
}
