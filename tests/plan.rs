//! Plan / apply (issue 15 §2), with the real binary against a real sandbox: a plan
//! records every change and sends none; the script reads its planned writes back;
//! `apply` makes exactly the planned changes, refuses the one whose object another
//! client changed since (drift), and reports what the server did not store as sent; a
//! plan file keeps no secret, and an edited or unknown plan file is refused.
mod common;
use common::plan::{ZED_OWNS_AR2, apply, plan_into, read_json};
use common::{ADMIN_KEY, API, Sandbox};
use serde_json::Value;
use std::path::Path;

/// Updates ar.2, creates an artifact then edits it, deletes ar.6 and abandons ar.1's
/// review sign-off.
const FOUR_KINDS: &str = r#"
let c = govern();
let d = c.get_artifact("ar.2").get_definition();
d.raw.fields.owner = "zed";
d.save();
let a = c.create_artifact(#{
    blueprintVersionId: #{ blueprintId: "bp.model_review", versionId: "bv.v1" },
    name: "Planned model", fields: #{ owner: "pat" } });
let n = a.get_definition();
n.raw.fields.risk = "Low";
n.save();
c.get_artifact("ar.6").delete();
c.get_artifact("ar.1").get_signoff("review").update_status("ABANDONED", #{ users_to_notify: [] });
print(`created=${a.artifact_id}`);
"#;

/// Gives ar.2 (bob's) to zed.
fn artifact(sandbox: &Sandbox, id: &str) -> common::Resp {
    sandbox.call("GET", &format!("{API}/artifact/{id}"), None)
}

fn signoff_status(sandbox: &Sandbox, ar: &str, step: &str) -> Value {
    let target = format!("{API}/artifact/{ar}/workflow/step/{step}/signoff");
    sandbox.ok("GET", &target, None)["status"].clone()
}

#[test]
fn a_plan_records_updates_creations_deletions_and_signoff_transitions_and_sends_none() {
    let sandbox = Sandbox::start();
    let dir = tempfile::tempdir().expect("dir");
    let plan = dir.path().join("plan.json");
    let before = sandbox.all_artifacts();
    let requests_before = sandbox.recorded().len();
    let out = plan_into(&sandbox, FOUR_KINDS, &plan);
    assert!(out.contains("created=ar.planned.1"), "{out}");

    // Nothing but reads reached the server, and it holds what it held.
    let sent: Vec<Value> = sandbox.recorded().split_off(requests_before);
    let writes: Vec<&Value> = sent
        .iter()
        .filter(|r| {
            r["method"] != "GET" && !r["target"].as_str().is_some_and(|t| t.ends_with("/search"))
        })
        .collect();
    assert!(writes.is_empty(), "{writes:?}");
    assert_eq!(sandbox.all_artifacts(), before);
    assert_eq!(
        signoff_status(&sandbox, "ar.1", "review"),
        "WAITING_FOR_FEEDBACK"
    );

    let recorded = read_json(&plan);
    let kinds: Vec<(&str, &str, &str)> = recorded["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .map(|c| {
            (
                c["effect"].as_str().unwrap_or(""),
                c["method"].as_str().unwrap_or(""),
                c["object"].as_str().unwrap_or(""),
            )
        })
        .collect();
    let review = "/artifact/ar.1/workflow/step/review/signoff";
    assert_eq!(
        kinds,
        [
            ("update", "PUT", "/artifact/ar.2"),
            ("create", "POST", "/artifact/ar.planned.1"),
            ("update", "PUT", "/artifact/ar.planned.1"),
            ("delete", "DELETE", "/artifact/ar.6"),
            ("action", "POST", review),
        ]
    );
    let changes = &recorded["changes"];
    // Each change keeps its pre-image and an RFC 6902 patch from it.
    assert_eq!(changes[0]["pre_image"]["fields"]["owner"], "bob");
    assert_eq!(
        changes[0]["patch"],
        serde_json::json!([{"op": "replace", "path": "/fields/owner", "value": "zed"}])
    );
    assert_eq!(
        changes[3]["pre_image"]["id"], "ar.6",
        "the hook read what it deletes"
    );
    assert_eq!(changes[4]["pre_image"]["status"], "WAITING_FOR_FEEDBACK");
    assert_eq!(changes[4]["planned"]["status"], "ABANDONED");
    // The readable plan names each change and field.
    assert!(out.contains(r#"fields.owner: "bob" → "zed""#), "{out}");
    assert!(
        out.contains(r#"status: "WAITING_FOR_FEEDBACK" → "ABANDONED""#),
        "{out}"
    );
    assert!(out.contains("- delete ar.6"), "{out}");
    assert!(
        out.contains("Plan: 1 to create, 2 to update, 1 to delete, 1 other call(s)."),
        "{out}"
    );

    // Applied: every change made, the planned id replaced by the real one.
    let applied = apply(&sandbox, &plan, &["--json"]);
    assert_eq!(applied.code, 0, "{}{}", applied.stdout, applied.stderr);
    let report: Value = serde_json::from_str(&applied.stdout).expect("JSON report");
    assert_eq!(report["applied"], 5, "{report}");
    let created = report["items"][1]["created_id"]
        .as_str()
        .expect("created id");
    assert!(
        created.starts_with("ar.") && !created.contains("planned"),
        "{created}"
    );
    let made = artifact(&sandbox, created).body;
    assert_eq!(made["artifact"]["name"], "Planned model");
    assert_eq!(made["artifact"]["fields"]["risk"], "Low");
    assert_eq!(sandbox.fields("ar.2")["owner"], "zed");
    assert_eq!(artifact(&sandbox, "ar.6").status, 404);
    assert_eq!(signoff_status(&sandbox, "ar.1", "review"), "ABANDONED");

    // The same plan again: every change is refused as drift, the creation included
    // (it used to create a second "Planned model").
    let again = apply(&sandbox, &plan, &[]);
    assert_eq!(again.code, 1, "{}", again.stdout);
    assert!(
        again.stdout.contains("Applied 0 of 5 changes: 4 refused"),
        "{}",
        again.stdout
    );
    assert!(
        again.stdout.contains("was this plan applied already?"),
        "{}",
        again.stdout
    );
    let named = sandbox
        .all_artifacts()
        .iter()
        .filter(|a| a["name"] == "Planned model")
        .count();
    assert_eq!(named, 1);
}

#[test]
fn a_script_reads_back_its_planned_writes_and_knows_it_plans() {
    let sandbox = Sandbox::start();
    let source = r#"
let c = govern();
print(`plan=${is_plan()}`);
let d = c.get_artifact("ar.2").get_definition();
d.raw.fields.owner = "zed";
d.save();
print(`owner=${c.get_artifact("ar.2").get_definition().get_raw().fields.owner}`);
let a = c.create_artifact(#{
    blueprintVersionId: #{ blueprintId: "bp.model_review", versionId: "bv.v1" },
    name: "Planned", fields: #{ owner: "pat" } });
print(`name=${c.get_artifact(a.artifact_id).get_definition().get_raw().name}`);
c.get_artifact("ar.6").delete();
let e = expect_error(|| c.get_artifact("ar.6").get_definition());
print(`deleted=${e.status}`);
"#;
    let out = sandbox.script(source).arg("--dry-run").ok();
    for line in ["plan=true", "owner=zed", "name=Planned", "deleted=404"] {
        assert!(out.lines().any(|l| l == line), "{line} in {out}");
    }
    assert_eq!(sandbox.fields("ar.2")["owner"], "bob");
    assert_eq!(artifact(&sandbox, "ar.6").status, 200);
    // Without a plan, the same script changes things and `is_plan()` is false.
    let out = sandbox.script("print(`plan=${is_plan()}`);").ok();
    assert_eq!(out.trim(), "plan=false");
}

#[test]
fn a_plan_applied_after_python_changed_one_target_refuses_it_as_drift_and_applies_the_rest() {
    let sandbox = Sandbox::start();
    let dir = tempfile::tempdir().expect("dir");
    let plan = dir.path().join("plan.json");
    let source = r#"
for id in ["ar.2", "ar.3", "ar.4"] {
    let d = govern().get_artifact(id).get_definition();
    d.raw.fields.owner = "planned";
    d.save();
}
"#;
    plan_into(&sandbox, source, &plan);
    if !common::python_client_available() {
        return;
    }
    let out = common::python::run_script(
        "edit_artifact.py",
        &[
            &sandbox.url,
            ADMIN_KEY,
            "ar.3",
            "description",
            "edited by Python",
        ],
    );
    assert_eq!(
        common::python::result_line(&out)["description"],
        "edited by Python"
    );
    let before = sandbox.all_artifacts();

    let log = dir.path().join("audit.jsonl");
    let log_arg = log.to_str().expect("utf-8 path");
    let applied = apply(&sandbox, &plan, &["--audit-log", log_arg]);
    assert_eq!(applied.code, 1, "{}{}", applied.stdout, applied.stderr);
    // Audited as a run is: the two saves made, not the refused one.
    let records: Vec<Value> = std::fs::read_to_string(&log)
        .expect("audit log")
        .lines()
        .map(|l| serde_json::from_str(l).expect("record"))
        .collect();
    // Different objects are applied concurrently: in either order.
    let mut saved: Vec<&str> = records
        .iter()
        .map(|r| r["path"].as_str().unwrap_or(""))
        .collect();
    saved.sort();
    assert_eq!(
        saved,
        [
            format!("{API}/artifact/ar.2"),
            format!("{API}/artifact/ar.4")
        ]
    );
    let ar2 = records
        .iter()
        .find(|r| r["path"] == format!("{API}/artifact/ar.2"))
        .expect("ar.2's record");
    assert_eq!(ar2["before"]["fields"]["owner"], "bob");
    assert_eq!(ar2["after"]["fields"]["owner"], "planned");
    assert!(
        ar2["script"]
            .as_str()
            .is_some_and(|s| s.ends_with("plan.json"))
    );
    let refused: Vec<&str> = applied
        .stdout
        .lines()
        .filter(|l| l.starts_with("refused"))
        .collect();
    assert_eq!(refused.len(), 1, "{}", applied.stdout);
    assert!(
        refused[0].contains("/artifact/ar.3")
            && refused[0].contains("drift")
            && refused[0]
                .contains(r#"fields.description: "Credit scoring (demo)" → "edited by Python""#),
        "{}",
        refused[0]
    );
    assert!(
        applied.stdout.contains("Applied 2 of 3 changes: 1 refused"),
        "{}",
        applied.stdout
    );
    assert_eq!(sandbox.fields("ar.2")["owner"], "planned");
    assert_eq!(sandbox.fields("ar.4")["owner"], "planned");
    let ar3 = sandbox.fields("ar.3");
    assert_eq!(
        (ar3["owner"].as_str(), ar3["description"].as_str()),
        (Some("carol"), Some("edited by Python"))
    );
    // Nothing else was touched.
    let after = sandbox.all_artifacts();
    let others = |all: &[Value]| -> Vec<Value> {
        all.iter()
            .filter(|a| !matches!(a["id"].as_str(), Some("ar.2" | "ar.4")))
            .cloned()
            .collect()
    };
    assert_eq!(others(&after), others(&before));
}

#[test]
fn dry_run_writes_no_file_and_detailed_exitcode_tells_changes_from_none() {
    let sandbox = Sandbox::start();
    // A stray plan would land in the working folder.
    let cwd = std::env::current_dir().expect("cwd");
    let files = listing(&cwd);
    let ran = sandbox
        .script(FOUR_KINDS)
        .arg("--dry-run")
        .arg("--detailed-exitcode")
        .exits(2);
    assert!(ran.stdout.contains("Plan: 1 to create"), "{}", ran.stdout);
    assert!(!ran.stdout.contains("\x1b["), "no colour off a terminal");
    assert!(!ran.stderr.contains("plan written"), "{}", ran.stderr);
    assert_eq!(listing(&cwd), files, "no file written");
    let none = sandbox
        .script(r#"print(govern().get_artifact("ar.2").get_definition().get_raw().name);"#)
        .arg("--dry-run")
        .arg("--detailed-exitcode")
        .exits(0);
    assert!(none.stdout.contains("No changes."), "{}", none.stdout);
    let failed = sandbox
        .script(r#"throw "boom";"#)
        .arg("--dry-run")
        .arg("--detailed-exitcode")
        .exits(1);
    assert!(
        failed.stderr.contains("no plan was made"),
        "{}",
        failed.stderr
    );
    // --json prints the plan itself.
    let json = sandbox
        .script(FOUR_KINDS)
        .arg("--dry-run")
        .arg("--json")
        .ok();
    let start = json.find('{').expect("JSON");
    let printed: Value = serde_json::from_str(&json[start..]).expect("plan JSON");
    assert_eq!(printed["changes"].as_array().map(Vec::len), Some(5));
}

/// The names of the files in `dir`, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("list")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_plan_file_holds_no_secret_and_apply_refuses_the_change_that_had_one() {
    let sandbox = Sandbox::start();
    let dir = tempfile::tempdir().expect("dir");
    let plan = dir.path().join("plan.json");
    let out = plan_into(
        &sandbox,
        r#"let c = govern();
c.create_user("kim", "hunter2-secret-pw", #{ display_name: "Kim" });
let d = c.get_artifact("ar.2").get_definition();
d.raw.fields.owner = "zed";
d.save();"#,
        &plan,
    );
    let text = std::fs::read_to_string(&plan).expect("plan");
    for secret in ["hunter2-secret-pw", ADMIN_KEY] {
        assert!(!text.contains(secret), "{secret} in the plan file");
        assert!(!out.contains(secret), "{secret} in the printed plan");
    }
    assert!(out.contains("holds a secret"), "{out}");
    let applied = apply(&sandbox, &plan, &[]);
    assert_eq!(applied.code, 1, "{}", applied.stdout);
    assert!(applied.stdout.contains("refused #1"), "{}", applied.stdout);
    assert_eq!(
        sandbox
            .call("GET", &format!("{API}/admin/users/kim"), None)
            .status,
        404
    );
    assert_eq!(
        sandbox.fields("ar.2")["owner"],
        "zed",
        "the other change applied"
    );
}

#[test]
fn apply_reports_a_value_the_server_changed_silently() {
    let sandbox = Sandbox::start();
    let dir = tempfile::tempdir().expect("dir");
    let plan = dir.path().join("plan.json");
    // Govern derives `status.stepId` from the workflow (protocol §10: it is deprecated):
    // a script that sets it is answered 200 and the value is not kept.
    plan_into(
        &sandbox,
        r#"let d = govern().get_artifact("ar.2").get_definition();
d.raw.status.stepId = "deployment";
d.raw.fields.owner = "zed";
d.save();"#,
        &plan,
    );
    let applied = apply(&sandbox, &plan, &[]);
    assert_eq!(applied.code, 0, "{}{}", applied.stdout, applied.stderr);
    assert!(
        applied
            .stdout
            .contains(r#"not stored as sent: status.stepId: sent "deployment", stored "review""#),
        "{}",
        applied.stdout
    );
    assert!(
        !applied.stdout.contains("fields.owner"),
        "{}",
        applied.stdout
    );
    assert_eq!(sandbox.fields("ar.2")["owner"], "zed");
}

#[test]
fn an_edited_or_unknown_version_plan_file_is_refused_and_nothing_is_sent() {
    let sandbox = Sandbox::start();
    let dir = tempfile::tempdir().expect("dir");
    let plan = dir.path().join("plan.json");
    plan_into(&sandbox, ZED_OWNS_AR2, &plan);
    let text = std::fs::read_to_string(&plan).expect("plan");
    let tampered = dir.path().join("tampered.json");
    std::fs::write(&tampered, text.replace("\"zed\"", "\"mallory\"")).expect("write");
    let refused = apply(&sandbox, &tampered, &[]);
    assert_eq!(refused.code, 1);
    assert!(
        refused.stderr.contains("checksum does not match"),
        "{}",
        refused.stderr
    );

    let future = dir.path().join("future.json");
    std::fs::write(&future, text.replace("\"version\": 1,", "\"version\": 99,")).expect("write");
    let refused = apply(&sandbox, &future, &[]);
    assert_eq!(refused.code, 1);
    assert!(
        refused.stderr.contains("version 99 is not supported"),
        "{}",
        refused.stderr
    );

    let garbage = dir.path().join("garbage.json");
    std::fs::write(&garbage, "{\"changes\": []}").expect("write");
    let refused = apply(&sandbox, &garbage, &[]);
    assert!(
        refused.stderr.contains("not a plan file"),
        "{}",
        refused.stderr
    );
    assert_eq!(sandbox.fields("ar.2")["owner"], "bob");
}

#[test]
fn a_plan_for_another_host_is_refused() {
    let sandbox = Sandbox::start();
    let other = Sandbox::start();
    let dir = tempfile::tempdir().expect("dir");
    let plan = dir.path().join("plan.json");
    plan_into(&sandbox, ZED_OWNS_AR2, &plan);
    let refused = apply(&other, &plan, &[]);
    assert_eq!(refused.code, 1);
    assert!(
        refused.stderr.contains("was planned against"),
        "{}",
        refused.stderr
    );
    assert_eq!(other.fields("ar.2")["owner"], "bob");
}
