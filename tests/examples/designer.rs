//! The administration scripts: a blueprint version forked with a new field, a role
//! granted across blueprints.
use crate::common::rights::{ERIN, art, call};
use crate::common::{API, EXIT_SCRIPT_ERROR, Sandbox};
use crate::support::example_with;
use serde_json::json;

/// The fork is a new DRAFT (then ACTIVE) version holding the field, which artifacts of
/// the fork can fill; the origin version is unchanged; an existing field id stops the
/// script before a version is created.
#[test]
fn fork_blueprint_add_field_creates_a_version_with_the_field() {
    let sandbox = Sandbox::start();
    let version = |bv: &str| format!("{API}/admin/blueprint/bp.model_review/version/{bv}");
    let args = [
        "bp.model_review",
        "bv.v1",
        "v3",
        "validation_date",
        "Validation date",
        "DATE",
        "--activate",
    ];
    let out = example_with(&sandbox, "fork_blueprint_add_field.rhai", &args).ok();
    assert!(
        out.contains("bv.v3: forked from bv.v1, field validation_date (DATE) added"),
        "{out}"
    );
    let fork = sandbox.ok("GET", &version("bv.v3"), None);
    let field = &fork["blueprintVersion"]["fieldDefinitions"]["validation_date"];
    assert_eq!(
        (&field["label"], &field["fieldType"]),
        (&json!("Validation date"), &json!("DATE"))
    );
    let trace = &fork["blueprintVersionTrace"];
    assert_eq!(
        (&trace["status"], &trace["originVersionId"]),
        (&json!("ACTIVE"), &json!("bv.v1"))
    );
    let origin = sandbox.ok("GET", &version("bv.v1"), None);
    assert!(
        origin["blueprintVersion"]["fieldDefinitions"]
            .get("validation_date")
            .is_none()
    );
    let created = sandbox.ok(
        "POST",
        &format!("{API}/artifacts"),
        Some(
            &json!({"blueprintVersionId": {"blueprintId": "bp.model_review", "versionId": "bv.v3"},
            "name": "Validated", "fields": {"validation_date": "2026-11-30"}})
            .to_string(),
        ),
    );
    assert!(created["artifactId"].is_string(), "{created}");

    let args = ["bp.model_review", "bv.v1", "v4", "score"];
    let ran =
        example_with(&sandbox, "fork_blueprint_add_field.rhai", &args).exits(EXIT_SCRIPT_ERROR);
    assert!(
        ran.stdout.contains("already has a field score"),
        "{}",
        ran.stdout
    );
    assert_eq!(sandbox.call("GET", &version("bv.v4"), None).status, 404);
}

/// erin holds no role on bp.system.dataiku_project (ar.17) nor bp.system.govern_project
/// (ar.12): without --apply, or with an unknown blueprint among those named, nothing
/// changes; with it she reads their artifacts (a rule appended on the one, role
/// assignments created on the other); a second run finds both granted.
#[test]
fn grant_role_across_blueprints_lets_the_user_read_them() {
    let sandbox = Sandbox::start();
    let reads = |id: &str| call(&sandbox, ERIN, "GET", &art(id), None).status;
    assert_eq!((reads("ar.17"), reads("ar.12")), (404, 404));
    let args = [
        "ro.reader",
        "user:erin",
        "bp.system.dataiku_project",
        "bp.system.govern_project",
    ];
    let out = example_with(&sandbox, "grant_role_across_blueprints.rhai", &args).ok();
    assert!(
        out.contains(
            "bp.system.dataiku_project: rule added\nbp.system.govern_project: new role assignments\n"
        ),
        "{out}"
    );
    assert_eq!(
        (reads("ar.17"), reads("ar.12")),
        (404, 404),
        "changed without --apply"
    );

    let typo = [
        "ro.reader",
        "user:erin",
        "bp.system.govern_project",
        "bp.nope",
        "--apply",
    ];
    let ran = example_with(&sandbox, "grant_role_across_blueprints.rhai", &typo).exits(2);
    assert!(
        ran.stdout.contains("no such blueprint: [\"bp.nope\"]"),
        "{}",
        ran.stdout
    );
    assert_eq!(
        reads("ar.12"),
        404,
        "changed by a run naming an unknown blueprint"
    );

    let run =
        || example_with(&sandbox, "grant_role_across_blueprints.rhai", &args).script_arg("--apply");
    let out = run().ok();
    assert!(out.ends_with("2 blueprint(s) changed\n"), "{out}");
    assert_eq!((reads("ar.17"), reads("ar.12")), (200, 200));
    let rules = sandbox.ok(
        "GET",
        &format!("{API}/admin/blueprint-role-assignments/bp.system.govern_project"),
        None,
    );
    assert_eq!(
        rules["roleAssignmentsRules"]["ro.reader"],
        json!([{"criteria": [], "userContainers": [{"type": "user", "login": "erin"}], "fieldIds": []}])
    );
    let out = run().ok();
    assert!(
        out.contains(
            "bp.system.dataiku_project: already granted\nbp.system.govern_project: already granted\n"
        ),
        "{out}"
    );
    assert!(out.ends_with("0 blueprint(s) changed\n"), "{out}");
}
