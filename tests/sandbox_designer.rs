//! The blueprint designer of the sandbox (issue 12 §3, protocol §2.9, §2.10): every
//! `/admin/...` route over HTTP, its Govern rules, and each refused input leaving the
//! server unchanged (checked by reading again).
mod common;

use common::{ADMIN_KEY, API, Resp, Sandbox, assert_error};
use serde_json::{Value, json};

fn bp_path(bp: &str) -> String {
    format!("{API}/admin/blueprint/{bp}")
}

fn bv_path(bp: &str, bv: &str) -> String {
    format!("{API}/admin/blueprint/{bp}/version/{bv}")
}

fn conf_path(bp: &str, bv: &str, step: &str) -> String {
    format!("{}/workflow/step/{step}/signoff", bv_path(bp, bv))
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

fn put_json(sb: &Sandbox, target: &str, body: &Value) -> Resp {
    sb.call("PUT", target, Some(&body.to_string()))
}

/// Creates blueprint `bp.<id>` and an empty version `bv.v1`; returns their ids.
fn blueprint_with_version(sb: &Sandbox, id: &str) -> (String, String) {
    let made = sb.ok(
        "POST",
        &format!("{API}/admin/blueprints?newIdentifier={id}"),
        Some(r#"{"name": "Made here"}"#),
    );
    let bp = made["blueprint"]["id"]
        .as_str()
        .expect("blueprint id")
        .to_string();
    let v = sb.ok(
        "POST",
        &format!("{API}/admin/blueprint/{bp}/versions?newIdentifier=v1&name=V1"),
        None,
    );
    let bv = v["blueprintVersion"]["id"]["versionId"]
        .as_str()
        .expect("version id")
        .to_string();
    (bp, bv)
}

/// Saves a definition with TEXT field `f` and steps `s1`, `s2`; returns it as saved.
fn define(sb: &Sandbox, bp: &str, bv: &str) -> Value {
    let mut def = sb.ok("GET", &bv_path(bp, bv), None)["blueprintVersion"].clone();
    def["fieldDefinitions"] = json!({
        "f": {"label": "F", "fieldType": "TEXT", "required": false, "sourceType": "STORE"},
        "n": {"label": "N", "fieldType": "NUMBER", "required": false, "sourceType": "STORE"},
    });
    def["workflowDefinition"] =
        json!({"stepDefinitions": [{"id": "s1", "name": "S1"}, {"id": "s2", "name": "S2"}]});
    sb.ok("PUT", &bv_path(bp, bv), Some(&def.to_string()))["blueprintVersion"].clone()
}

fn set_status(sb: &Sandbox, bp: &str, bv: &str, status: &str) -> Resp {
    sb.call(
        "PUT",
        &format!("{}/status", bv_path(bp, bv)),
        Some(&json!(status).to_string()),
    )
}

fn create_artifact(sb: &Sandbox, bp: &str, bv: &str, fields: Value) -> Resp {
    let body = json!({"blueprintVersionId": {"blueprintId": bp, "versionId": bv}, "name": "A", "fields": fields});
    sb.call("POST", &format!("{API}/artifacts"), Some(&body.to_string()))
}

fn artifacts_of(sb: &Sandbox, bp: &str) -> Vec<Value> {
    sb.all_artifacts()
        .into_iter()
        .filter(|a| a["blueprintVersionId"]["blueprintId"] == bp)
        .collect()
}

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
fn set_status_to_an_unknown_status_is_refused_listing_the_valid_ones() {
    let sb = Sandbox::start();
    let (bp, bv) = ("bp.model_review", "bv.v2");
    let r = set_status(&sb, bp, bv, "LIVE");
    assert_error(&r, 400, "valid statuses are DRAFT, ACTIVE, ARCHIVED");
    let not_a_string = sb.call(
        "PUT",
        &format!("{}/status", bv_path(bp, bv)),
        Some("{\"status\": \"ACTIVE\"}"),
    );
    assert_error(&not_a_string, 400, "valid statuses");
    let trace = &sb.ok("GET", &bv_path(bp, bv), None)["blueprintVersionTrace"];
    assert_eq!(trace["status"], "DRAFT");
    assert_eq!(trace["originVersionId"], "bv.v1");
}

#[test]
fn a_save_dropping_artifact_values_is_refused_unless_the_danger_zone_is_accepted() {
    let sb = Sandbox::start();
    let (bp, bv) = blueprint_with_version(&sb, "danger");
    let saved = define(&sb, &bp, &bv);
    set_status(&sb, &bp, &bv, "ACTIVE");
    let holder = create_artifact(&sb, &bp, &bv, json!({"f": "kept?", "n": 3}));
    let ar = holder.body["artifactId"]
        .as_str()
        .expect("artifact")
        .to_string();
    create_artifact(&sb, &bp, &bv, json!({}));
    let mut without_f = saved.clone();
    without_f["fieldDefinitions"]
        .as_object_mut()
        .expect("fields")
        .remove("f");
    without_f["fieldDefinitions"]["n"]["fieldType"] = json!("TEXT");
    for query in ["", "?dangerZoneAccepted=False", "?dangerZoneAccepted=false"] {
        let r = put_json(&sb, &format!("{}{query}", bv_path(&bp, &bv)), &without_f);
        assert_error(
            &r,
            409,
            "would drop the values of field(s) f, n held by 1 artifact(s)",
        );
    }
    assert_eq!(
        sb.ok("GET", &bv_path(&bp, &bv), None)["blueprintVersion"],
        saved
    );
    let art = sb.ok("GET", &format!("{API}/artifact/{ar}"), None)["artifact"].clone();
    assert_eq!(art["fields"], json!({"f": "kept?", "n": 3}));
    let r = put_json(
        &sb,
        &format!("{}?dangerZoneAccepted=True", bv_path(&bp, &bv)),
        &without_f,
    );
    assert_eq!(r.status, 200, "{}", r.raw);
    assert!(
        r.body["blueprintVersion"]["fieldDefinitions"]
            .get("f")
            .is_none()
    );
    let art = sb.ok("GET", &format!("{API}/artifact/{ar}"), None)["artifact"].clone();
    assert_eq!(art["fields"], json!({}));
}

#[test]
fn malformed_version_definitions_are_refused_and_nothing_is_stored() {
    let sb = Sandbox::start();
    let (bp, bv) = ("bp.model_review", "bv.v2");
    let before = sb.ok("GET", &bv_path(bp, bv), None);
    let def = before["blueprintVersion"].clone();
    let mut unknown_type = def.clone();
    unknown_type["fieldDefinitions"]["odd"] = json!({"fieldType": "STRING"});
    assert_error(
        &put_json(&sb, &bv_path(bp, bv), &unknown_type),
        400,
        "fieldType \"STRING\" is not one of TEXT",
    );
    let mut twice = def.clone();
    twice["workflowDefinition"]["stepDefinitions"] = json!([{"id": "draft"}, {"id": "draft"}]);
    assert_error(
        &put_json(&sb, &bv_path(bp, bv), &twice),
        400,
        "step id 'draft' is used twice",
    );
    let mut slash_step = def.clone();
    slash_step["workflowDefinition"]["stepDefinitions"] = json!([{"id": "a/b"}]);
    assert_error(
        &put_json(&sb, &bv_path(bp, bv), &slash_step),
        400,
        "Invalid workflow step id 'a/b'",
    );
    let mut other = def.clone();
    other["id"]["versionId"] = json!("bv.v1");
    assert_error(
        &put_json(&sb, &bv_path(bp, bv), &other),
        400,
        "Blueprint version IDs do not match",
    );
    let bad_flag = put_json(
        &sb,
        &format!("{}?dangerZoneAccepted=maybe", bv_path(bp, bv)),
        &def,
    );
    assert_error(&bad_flag, 400, "dangerZoneAccepted 'maybe'");
    assert_error(
        &sb.call("PUT", &bv_path(bp, bv), Some("[1]")),
        400,
        "must be a JSON object",
    );
    assert_eq!(sb.ok("GET", &bv_path(bp, bv), None), before);
}

#[test]
fn unknown_blueprint_or_version_ids_are_404s_and_create_nothing() {
    let sb = Sandbox::start();
    for (method, target) in [
        ("GET", bp_path("bp.nope")),
        ("PUT", bp_path("bp.nope")),
        ("DELETE", bp_path("bp.nope")),
        ("GET", format!("{}/versions", bp_path("bp.nope"))),
        (
            "POST",
            format!("{}/versions?newIdentifier=v", bp_path("bp.nope")),
        ),
    ] {
        assert_error(
            &sb.call(method, &target, Some("{}")),
            404,
            "Blueprint not found: bp.nope",
        );
    }
    let bp = "bp.model_review";
    for (method, target) in [
        ("GET", bv_path(bp, "bv.nope")),
        ("PUT", bv_path(bp, "bv.nope")),
        ("DELETE", bv_path(bp, "bv.nope")),
        ("PUT", format!("{}/status", bv_path(bp, "bv.nope"))),
        ("GET", format!("{}/signoffs", bv_path(bp, "bv.nope"))),
        ("POST", conf_path(bp, "bv.nope", "review")),
    ] {
        let body = if target.ends_with("/status") {
            "\"ACTIVE\""
        } else {
            "{\"title\": \"T\"}"
        };
        assert_error(
            &sb.call(method, &target, Some(body)),
            404,
            "Blueprint version not found",
        );
    }
    let fork = sb.call(
        "POST",
        &format!("{API}/admin/blueprint/{bp}/versions?newIdentifier=x&originVersionId=bv.nope"),
        None,
    );
    assert_error(&fork, 404, "Blueprint version not found");
    assert_eq!(sb.call("GET", &bv_path(bp, "bv.x"), None).status, 404);
    assert_eq!(sb.call("GET", &bp_path("bp.v"), None).status, 404);
}

#[test]
fn identifiers_with_a_slash_or_characters_govern_refuses_are_400s_on_create() {
    let sb = Sandbox::start();
    let before = sb.ok("GET", &format!("{API}/admin/blueprints"), None);
    for bad in ["a%2Fb", "a%20b", "%C3%A9t%C3%A9", "a%3Fb"] {
        let r = sb.call(
            "POST",
            &format!("{API}/admin/blueprints?newIdentifier={bad}"),
            Some("{}"),
        );
        assert_error(&r, 400, "Invalid blueprint identifier");
    }
    let missing = sb.call("POST", &format!("{API}/admin/blueprints"), Some("{}"));
    assert_error(&missing, 400, "Query parameter newIdentifier is required");
    assert_eq!(
        sb.ok("GET", &format!("{API}/admin/blueprints"), None),
        before
    );
    let bp = "bp.model_review";
    let versions = sb.ok("GET", &format!("{API}/admin/blueprint/{bp}/versions"), None);
    let r = sb.call(
        "POST",
        &format!("{API}/admin/blueprint/{bp}/versions?newIdentifier=x%2Fy"),
        None,
    );
    assert_error(&r, 400, "Invalid blueprint version identifier 'x/y'");
    assert_eq!(
        sb.ok("GET", &format!("{API}/admin/blueprint/{bp}/versions"), None),
        versions
    );
    let r = sb.call(
        "POST",
        &conf_path(bp, "bv.v2", "re%2Fview"),
        Some("{\"title\": \"T\"}"),
    );
    assert_error(&r, 400, "Invalid sign-off configuration identifier");
}

#[test]
fn deleting_a_blueprint_or_version_still_in_use_is_refused() {
    let sb = Sandbox::start();
    let bp = "bp.model_review";
    assert_error(
        &sb.call("DELETE", &bp_path(bp), None),
        409,
        "still has 2 version(s)",
    );
    assert_error(
        &sb.call("DELETE", &bv_path(bp, "bv.v1"), None),
        409,
        "artifact(s) use it",
    );
    assert_eq!(
        sb.ok("GET", &bv_path(bp, "bv.v1"), None)["blueprintVersion"]["id"]["versionId"],
        "bv.v1"
    );
    assert_eq!(
        sb.ok("GET", &format!("{}/signoffs", bv_path(bp, "bv.v1")), None)
            .as_array()
            .map(Vec::len),
        Some(2)
    );
    // A version without artifacts goes, with its sign-off configurations.
    assert_eq!(sb.call("DELETE", &bv_path(bp, "bv.v2"), None).status, 204);
    assert_eq!(sb.call("GET", &bv_path(bp, "bv.v2"), None).status, 404);
    assert_eq!(
        sb.call("GET", &conf_path(bp, "bv.v2", "review"), None)
            .status,
        404
    );
    let (own, bv) = blueprint_with_version(&sb, "short_lived");
    assert_error(
        &sb.call("DELETE", &bp_path(&own), None),
        409,
        "1 version(s) and 0 artifact(s)",
    );
    assert_eq!(sb.call("DELETE", &bv_path(&own, &bv), None).status, 204);
    assert_eq!(sb.call("DELETE", &bp_path(&own), None).status, 204);
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
}

#[test]
fn non_admins_get_403_on_designer_routes_and_change_nothing() {
    let sb = Sandbox::start();
    let before = sb.ok("GET", &format!("{API}/admin/blueprints"), None);
    for (method, target, body) in [
        ("GET", format!("{API}/admin/blueprints"), None),
        (
            "POST",
            format!("{API}/admin/blueprints?newIdentifier=mine"),
            Some("{}"),
        ),
        ("GET", bv_path("bp.model_review", "bv.v1"), None),
        (
            "PUT",
            format!("{}/status", bv_path("bp.model_review", "bv.v2")),
            Some("\"ACTIVE\""),
        ),
        (
            "DELETE",
            conf_path("bp.model_review", "bv.v2", "review"),
            None,
        ),
    ] {
        let r = as_user(&sb, "alice", method, &target, body);
        assert_error(&r, 403, "Govern architect");
    }
    assert_eq!(
        sb.ok("GET", &format!("{API}/admin/blueprints"), None),
        before
    );
    assert_eq!(
        sb.ok("GET", &bv_path("bp.model_review", "bv.v2"), None)["blueprintVersionTrace"]["status"],
        "DRAFT"
    );
    assert_eq!(
        sb.call(
            "GET",
            &conf_path("bp.model_review", "bv.v2", "review"),
            None
        )
        .status,
        200
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
