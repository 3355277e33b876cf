//! The requests govscript sends equal the Python client's, as recorded in
//! `govern-golden-requests.json` (method, raw target, JSON body, framing headers).
mod common;

use common::Run;
use common::recorder::Recorder;
use serde_json::Value;

/// Each golden call and the govscript statements that make it.
const CALLS: &[(&str, &str)] = &[
    ("get_auth_info", "c.get_auth_info();"),
    ("get_instance_info", "c.get_instance_info();"),
    ("list_blueprints", "c.list_blueprints();"),
    (
        "blueprint.get_definition",
        r#"c.get_blueprint("bp.x").get_definition();"#,
    ),
    (
        "blueprint.list_versions",
        r#"c.get_blueprint("bp.x").list_versions();"#,
    ),
    (
        "version.get_definition",
        r#"c.get_blueprint("bp.x").get_version("bv.y").get_definition();"#,
    ),
    (
        "version.get_trace",
        r#"let t = c.get_blueprint("bp.x").get_version("bv.y").get_trace(); t.status; c.get_blueprint("bp.x").get_version("bv.y").get_trace().origin_version_id;"#,
    ),
    (
        "create_artifact",
        r#"c.create_artifact(#{blueprintVersionId: GovernBlueprintVersionId("bp.x", "bv.y").build(), name: "A", fields: #{}});"#,
    ),
    (
        "artifact.get_definition+save",
        r#"let d = c.get_artifact("ar.1").get_definition(); d.save();"#,
    ),
    (
        "artifact.get_definition.get_blueprint_version",
        r#"c.get_artifact("ar.1").get_definition().get_blueprint_version();"#,
    ),
    (
        "artifact.list_signoffs",
        r#"c.get_artifact("ar.1").list_signoffs();"#,
    ),
    (
        "artifact.create_signoff",
        r#"c.get_artifact("ar.1").create_signoff("s1");"#,
    ),
    ("artifact.delete", r#"c.get_artifact("ar.1").delete();"#),
    (
        "signoff.get_definition",
        r#"c.get_artifact("ar.1").get_signoff("s1").get_definition();"#,
    ),
    (
        "signoff.get_recurrence_configuration+save",
        r#"c.get_artifact("ar.1").get_signoff("s1").get_recurrence_configuration().save();"#,
    ),
    (
        "signoff.get_details",
        r#"c.get_artifact("ar.1").get_signoff("s1").get_details();"#,
    ),
    (
        "signoff.update_status",
        r#"c.get_artifact("ar.1").get_signoff("s1").update_status("WAITING_FOR_FEEDBACK");"#,
    ),
    (
        "signoff.update_status full",
        r#"c.get_artifact("ar.1").get_signoff("s1").update_status("NOT_STARTED", #{users_to_notify: [#{userLogin: "u1", groupId: "g1"}], reload_conf_for_reset: true});"#,
    ),
    (
        "signoff.list_feedbacks",
        r#"c.get_artifact("ar.1").get_signoff("s1").list_feedbacks();"#,
    ),
    (
        "signoff.add_feedback",
        r#"c.get_artifact("ar.1").get_signoff("s1").add_feedback("grp1", "MINOR_ISSUE", "c");"#,
    ),
    (
        "signoff.add_feedback nocomment",
        r#"c.get_artifact("ar.1").get_signoff("s1").add_feedback("grp1", "APPROVED");"#,
    ),
    (
        "feedback.get_definition+save",
        r#"c.get_artifact("ar.1").get_signoff("s1").get_feedback("fb.1").get_definition().save();"#,
    ),
    (
        "feedback.delete",
        r#"c.get_artifact("ar.1").get_signoff("s1").get_feedback("fb.1").delete();"#,
    ),
    (
        "signoff.delegate_feedback",
        r#"c.get_artifact("ar.1").get_signoff("s1").delegate_feedback("grp1", GovernUserUsersContainer("u2"));"#,
    ),
    (
        "signoff.add_approval",
        r#"c.get_artifact("ar.1").get_signoff("s1").add_approval("APPROVED", #{comment: "ok"});"#,
    ),
    (
        "approval.get_definition+save",
        r#"c.get_artifact("ar.1").get_signoff("s1").get_approval().get_definition().save();"#,
    ),
    (
        "approval.delete",
        r#"c.get_artifact("ar.1").get_signoff("s1").get_approval().delete();"#,
    ),
    (
        "signoff.delegate_approval",
        r#"c.get_artifact("ar.1").get_signoff("s1").delegate_approval(GovernUserUsersContainer("u3"));"#,
    ),
];

fn golden() -> Vec<Value> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/govern-golden-requests.json");
    serde_json::from_str(&std::fs::read_to_string(&path).expect("golden file"))
        .expect("golden JSON")
}

fn as_json(body: &str) -> Value {
    if body.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(body).expect("JSON body")
    }
}

#[test]
fn requests_match_the_python_client_golden_file() {
    let golden = golden();
    let recorder = Recorder::start();
    for (call, statements) in CALLS {
        let expected = golden
            .iter()
            .find(|g| g["call"] == *call)
            .unwrap_or_else(|| panic!("{call} is not in the golden file"))["requests"]
            .as_array()
            .expect("requests")
            .clone();
        // By default save() adds conflict-checking reads; the writes are the same.
        Run::new(&format!("let c = govern();\n{statements}\n"))
            .env("GOVERN_HOST", &recorder.url)
            .env("GOVERN_API_KEY", "APIKEY123")
            .ok();
        let writes = |requests: Vec<(String, String, String)>| {
            requests
                .into_iter()
                .filter(|r| r.0 != "GET")
                .map(|(m, t, b)| (m, t, as_json(&b)))
                .collect::<Vec<_>>()
        };
        let by_default = writes(
            recorder
                .take()
                .into_iter()
                .map(|r| (r.method, r.target, r.body))
                .collect(),
        );
        let golden_writes = writes(
            expected
                .iter()
                .map(|e| {
                    let field = |k: &str| e[k].as_str().unwrap_or("").to_string();
                    (field("method"), field("target"), field("body"))
                })
                .collect(),
        );
        assert_eq!(by_default, golden_writes, "{call}: writes by default");

        // With --no-conflict-check, every request is exactly the Python client's.
        Run::new(&format!("let c = govern();\n{statements}\n"))
            .arg("--no-conflict-check")
            .env("GOVERN_HOST", &recorder.url)
            .env("GOVERN_API_KEY", "APIKEY123")
            .ok();
        let got = recorder.take();
        assert_eq!(
            got.len(),
            expected.len(),
            "{call}: request count; got {got:?}"
        );
        for (g, e) in got.iter().zip(&expected) {
            assert_eq!(g.method, e["method"], "{call}: method");
            assert_eq!(g.target, e["target"], "{call}: target");
            assert_eq!(
                as_json(&g.body),
                as_json(e["body"].as_str().unwrap_or("")),
                "{call}: body"
            );
            let headers = &e["headers"];
            assert_eq!(
                g.header("authorization"),
                headers["Authorization"].as_str(),
                "{call}: auth"
            );
            assert_eq!(
                g.header("content-length"),
                headers["Content-Length"].as_str(),
                "{call}: content-length"
            );
            assert_eq!(
                g.header("content-type"),
                None,
                "{call}: the Python client sends no Content-Type"
            );
        }
    }
}

#[test]
fn json_bodies_are_byte_identical_to_python() {
    let recorder = Recorder::start();
    Run::new(
        r#"govern().get_artifact("ar.1").get_signoff("s1").update_status("WAITING_FOR_FEEDBACK");"#,
    )
    .env("GOVERN_HOST", &recorder.url)
    .env("GOVERN_API_KEY", "APIKEY123")
    .ok();
    let got = recorder.take();
    assert_eq!(
        got[0].body,
        r#"{"targetStatus": "WAITING_FOR_FEEDBACK", "usersToSendEmailTo": null, "reloadConfForReset": false}"#
    );
}
