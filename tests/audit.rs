//! The audit log (issue 15 §3), with the real binary against a real sandbox: every
//! change a run sends is appended once, hash-chained; `audit verify` names the first
//! edited, removed, inserted or moved record; a run killed mid-way leaves a log that
//! verifies; `--no-audit` writes nothing; no API key reaches the log.
mod common;
use common::audit::{audit, records, sha256_hex, verify};
use common::{API, Run, Sandbox};
use serde_json::Value;
use std::path::Path;
use std::time::Duration;

/// `source` against `sandbox`, auditing into `log`.
fn audited(sandbox: &Sandbox, source: &str, log: &Path) -> Run {
    sandbox
        .script(source)
        .audit()
        .arg("--audit-log")
        .arg(log.to_str().expect("utf-8 path"))
}

/// Creates an artifact, edits and saves it twice, deletes it: four changes.
const FOUR_CHANGES: &str = r#"
let c = govern();
print(`me=${c.get_auth_info().authIdentifier}`);
let a = c.create_artifact(#{
    blueprintVersionId: #{ blueprintId: "bp.model_review", versionId: "bv.v1" },
    name: "audited", fields: #{ owner: "bob", score: 1 } });
let d = a.get_definition();
let raw = d.get_raw();
raw.fields.owner = "carol";
d.save();
let d = a.get_definition();
let raw = d.get_raw();
raw.fields.score = 2;
d.save();
a.delete();
print(`id=${a.artifact_id}`);
"#;

#[test]
fn a_script_making_several_changes_leaves_a_chain_that_verifies() {
    let sandbox = Sandbox::start();
    let dir = tempfile::tempdir().expect("dir");
    let log = dir.path().join("audit.jsonl");
    let out = audited(&sandbox, FOUR_CHANGES, &log).ok();
    let me = out.lines().find_map(|l| l.strip_prefix("me=")).expect("me");
    let id = out.lines().find_map(|l| l.strip_prefix("id=")).expect("id");
    let all = records(&log);
    let requests: Vec<(&str, &str)> = all
        .iter()
        .map(|r| {
            (
                r["method"].as_str().unwrap_or(""),
                r["path"].as_str().unwrap_or(""),
            )
        })
        .collect();
    let item = format!("{API}/artifact/{id}");
    assert_eq!(
        requests,
        [
            ("POST", format!("{API}/artifacts").as_str()),
            ("PUT", item.as_str()),
            ("PUT", item.as_str()),
            ("DELETE", item.as_str()),
        ]
    );
    for r in &all {
        assert_eq!(r["identity"], me, "{r}");
        assert_eq!(r["host"], sandbox.url.as_str());
        assert_eq!(r["script_sha256"], sha256_hex(FOUR_CHANGES));
        assert!(
            r["script"]
                .as_str()
                .is_some_and(|s| s.ends_with("script.rhai"))
        );
        assert_eq!(r["outcome"]["ok"], true, "{r}");
        assert!(
            r["targets"]
                .as_array()
                .is_some_and(|t| t.iter().any(|t| t == id)),
            "{r}"
        );
    }
    assert_eq!(all[1]["call"], "GovernArtifactDefinition.save");
    // The merge-save's pre-image and what was saved.
    assert_eq!(all[1]["before"]["fields"]["owner"], "bob");
    assert_eq!(all[1]["after"]["fields"]["owner"], "carol");
    assert_eq!(all[2]["before"]["fields"]["score"], 1);
    assert_eq!(all[2]["after"]["fields"]["score"], 2);
    let (code, stdout, stderr) = verify(&log);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("4 records, chain intact"), "{stdout}");

    // A second run appends onto the same chain.
    audited(&sandbox, FOUR_CHANGES, &log).ok();
    let (code, stdout, _) = verify(&log);
    assert_eq!(code, 0);
    assert!(stdout.contains("8 records, chain intact"), "{stdout}");
    let (_, shown, _) = audit(&["show", log.to_str().expect("path"), "--target", id]);
    assert_eq!(shown.lines().count(), 4, "{shown}");
    let (_, none, _) = audit(&["show", log.to_str().expect("path"), "--identity", "nobody"]);
    assert_eq!(none, "");
}

/// A log of eight records made by two real runs, as lines with their newlines.
fn eight_records(sandbox: &Sandbox, dir: &Path) -> Vec<String> {
    let log = dir.join("source.jsonl");
    audited(sandbox, FOUR_CHANGES, &log).ok();
    audited(sandbox, FOUR_CHANGES, &log).ok();
    common::audit::lines(&log)
}

/// Writes `lines` as a log and verifies it: the exit code and stdout.
fn verify_lines(dir: &Path, name: &str, lines: &[String]) -> (i32, String) {
    let log = dir.join(name);
    std::fs::write(&log, lines.concat()).expect("write");
    let (code, stdout, _) = verify(&log);
    (code, stdout)
}

#[test]
fn verify_names_an_edited_a_deleted_an_inserted_and_a_reordered_record() {
    let sandbox = Sandbox::start();
    let dir = tempfile::tempdir().expect("dir");
    let lines = eight_records(&sandbox, dir.path());
    assert_eq!(verify_lines(dir.path(), "same", &lines).0, 0);

    let mut edited = lines.clone();
    let mut record: Value = serde_json::from_str(&edited[2]).expect("json");
    record["after"]["fields"]["score"] = 200.into();
    edited[2] = format!("{record}\n");
    let (code, out) = verify_lines(dir.path(), "edited", &edited);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("line 3: ") && out.contains("edited"), "{out}");

    let mut deleted = lines.clone();
    deleted.remove(4);
    let (code, out) = verify_lines(dir.path(), "deleted", &deleted);
    assert_eq!(code, 1);
    assert!(out.contains("line 5: "), "{out}");

    let mut inserted = lines.clone();
    inserted.insert(6, lines[1].clone());
    let (code, out) = verify_lines(dir.path(), "inserted", &inserted);
    assert_eq!(code, 1);
    assert!(out.contains("line 7: "), "{out}");

    let mut reordered = lines.clone();
    reordered.swap(2, 3);
    let (code, out) = verify_lines(dir.path(), "reordered", &reordered);
    assert_eq!(code, 1);
    assert!(out.contains("line 3: "), "{out}");
}

#[test]
fn kill_9_during_a_long_run_leaves_a_log_that_verifies_up_to_its_last_record() {
    let sandbox = Sandbox::start();
    let dir = tempfile::tempdir().expect("dir");
    let log = dir.path().join("audit.jsonl");
    let mut running = audited(
        &sandbox,
        r#"
let a = govern().get_artifact("ar.1");
for i in 0..1000000 {
    let d = a.get_definition();
    let raw = d.get_raw();
    raw.name = `renamed ${i}`;
    d.save();
    if i == 20 { print("twenty saved"); }
}
"#,
        &log,
    )
    .spawn();
    running.wait_for_line("twenty saved");
    running.signal("-9");
    let ran = running.wait_within(Duration::from_secs(30));
    assert_eq!(ran.code, -1, "killed by a signal: {ran:?}");
    let (code, stdout, stderr) = verify(&log);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let count: usize = stdout
        .split(": ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .and_then(|n| n.parse().ok())
        .expect("a record count");
    assert!(count >= 21, "{stdout}");
    // The next run appends onto what the killed one left.
    audited(&sandbox, FOUR_CHANGES, &log).ok();
    assert_eq!(verify(&log).0, 0);
}

#[test]
fn no_audit_writes_nothing_and_the_default_log_is_under_xdg_state_home() {
    let sandbox = Sandbox::start();
    let state = tempfile::tempdir().expect("dir");
    let default = state.path().join("govscript/audit.jsonl");
    let state_home = state.path().to_str().expect("path");
    sandbox
        .script(FOUR_CHANGES)
        .audit()
        .env("XDG_STATE_HOME", state_home)
        .arg("--no-audit")
        .ok();
    assert!(!default.exists(), "--no-audit wrote {}", default.display());
    sandbox
        .script(FOUR_CHANGES)
        .audit()
        .env("XDG_STATE_HOME", state_home)
        .ok();
    assert_eq!(records(&default).len(), 4);
}

#[test]
fn no_api_key_reaches_the_log() {
    let sandbox = Sandbox::start();
    let dir = tempfile::tempdir().expect("dir");
    let log = dir.path().join("audit.jsonl");
    audited(
        &sandbox,
        r#"
let c = govern();
let k = c.create_global_api_key("audited key");
let d = c.get_artifact("ar.1").get_definition();
let raw = d.get_raw();
raw.name = `named after ${ARGS[0]}`;
d.save();
"#,
        &log,
    )
    .script_arg(&sandbox.key)
    .ok();
    let text = std::fs::read_to_string(&log).expect("read");
    assert!(!text.contains(&sandbox.key), "{text}");
    let all = records(&log);
    assert_eq!(all.len(), 2, "{text}");
    assert_eq!(all[0]["after"]["label"], "audited key", "{}", all[0]);
    assert_eq!(all[1]["after"]["name"], "named after ***");
    assert_eq!(verify(&log).0, 0);
}

#[test]
fn a_post_re_sent_after_verification_is_logged_once() {
    let dir = tempfile::tempdir().expect("dir");
    let sandbox = Sandbox::with()
        .arg("--fault-rate")
        .arg("0.5")
        .arg("--fault-seed")
        .arg("150301")
        .arg("--fault-retry-after")
        .arg("0")
        .start_in(dir.path());
    let log = dir.path().join("audit.jsonl");
    let ran = audited(
        &sandbox,
        r#"
let c = govern();
for i in 0..20 {
    try {
        c.create_artifact(#{
            blueprintVersionId: #{ blueprintId: "bp.model_review", versionId: "bv.v1" },
            name: `once ${i}`, fields: #{} });
    } catch (e) { print(`err ${e.message}`); }
}
"#,
        &log,
    )
    .arg("--retries")
    .arg("8")
    .run();
    assert_eq!(ran.code, 0, "{ran:?}");
    let sent = sandbox
        .recorded()
        .iter()
        .filter(|r| r["method"] == "POST" && r["target"] == format!("{API}/artifacts"))
        .count();
    assert!(
        sent > 20,
        "the faults made some POSTs be sent again ({sent})"
    );
    let creations: Vec<Value> = records(&log)
        .into_iter()
        .filter(|r| r["method"] == "POST")
        .collect();
    assert_eq!(creations.len(), 20, "one record per call, not per attempt");
    assert_eq!(verify(&log).0, 0);
}

#[test]
fn a_log_that_cannot_be_written_refuses_the_change_and_sends_nothing() {
    let sandbox = Sandbox::start();
    let dir = tempfile::tempdir().expect("dir");
    // A folder is no file to append to.
    let ran = audited(
        &sandbox,
        r#"
let d = govern().get_artifact("ar.1").get_definition();
let raw = d.get_raw();
raw.name = "never saved";
d.save();
"#,
        dir.path(),
    )
    .run();
    assert_eq!(ran.code, common::EXIT_SCRIPT_ERROR, "{ran:?}");
    assert!(
        ran.stderr.contains("not sent: the audit log"),
        "{}",
        ran.stderr
    );
    assert!(
        sandbox.recorded().iter().all(|r| r["method"] == "GET"),
        "nothing but reads reached the server"
    );
}

/// An upload was sent outside the operation hooks (a streamed body, not through the
/// client's one operation path), so the audit log missed it: now it is a record like
/// any other change, with the Python call's name.
#[test]
fn an_upload_used_to_go_unaudited_and_is_now_a_record() {
    let sandbox = Sandbox::start();
    let dir = tempfile::tempdir().expect("dir");
    let log = dir.path().join("audit.jsonl");
    audited(
        &sandbox,
        r#"
let f = govern().upload_file("notes.txt", blob(10, 0x41));
f.delete();
"#,
        &log,
    )
    .ok();
    let all = records(&log);
    let seen: Vec<(&str, &str, &str)> = all
        .iter()
        .map(|r| {
            let text = |k: &str| r[k].as_str().unwrap_or("");
            (text("call"), text("method"), text("path"))
        })
        .collect();
    assert_eq!(seen.len(), 2, "{all:?}");
    assert_eq!(
        seen[0],
        (
            "GovernClient.upload_file",
            "POST",
            format!("{API}/uploaded-files").as_str()
        )
    );
    assert_eq!(seen[1].1, "DELETE");
    assert_eq!(all[0]["outcome"]["ok"], true, "{}", all[0]);
    let (code, stdout, stderr) = verify(&log);
    assert_eq!(code, 0, "{stdout}{stderr}");
}
