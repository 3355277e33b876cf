//! The blueprint designer's refusals (issue 12 §"Tests"): each bad input gets a
//! Govern-style error and leaves the server unchanged, checked by reading again.
mod common;

use common::designer::*;
use common::{API, Sandbox, assert_error};
use serde_json::json;

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
