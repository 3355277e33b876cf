//! The audit log anchored in Govern (issue 15 §3), with the real binary against a real
//! sandbox: `run --audit-to-govern` writes each run's chain head into the audit trail
//! (read back here with the official Python client); `audit verify --against-govern`
//! passes on an honest log and names the line where a log whose tail was rewritten
//! with recomputed hashes, or cut off, stops matching what Govern holds. Plain
//! `audit verify` cannot see either: the rewritten chain holds.
mod common;
use common::audit::{lines, rechain, records, sha256_hex, verify, verify_against};
use common::python::{result_line, run_script};
use common::{Run, Sandbox, python_client_available};
use serde_json::Value;
use std::path::Path;

/// Edits an artifact's name twice: two changes.
const TWO_CHANGES: &str = r#"
let a = govern().get_artifact("ar.1");
for name in ["anchored one", "anchored two"] {
    let d = a.get_definition();
    d.raw.name = name;
    d.save();
}
"#;

/// Saves one change, then fails.
const CHANGE_THEN_FAIL: &str = r#"
let d = govern().get_artifact("ar.2").get_definition();
d.raw.name = "changed before failing";
d.save();
throw "fatal";
"#;

/// `source` against `sandbox`, auditing into `log` with `--audit-to-govern`.
fn anchored(sandbox: &Sandbox, source: &str, log: &Path) -> Run {
    sandbox
        .script(source)
        .audit()
        .arg("--audit-log")
        .arg(log.to_str().expect("utf-8 path"))
        .arg("--audit-to-govern")
}

#[test]
fn audit_to_govern_writes_each_runs_head_into_the_audit_trail_without_a_key() {
    if !python_client_available() {
        return;
    }
    let sandbox = Sandbox::start();
    let dir = tempfile::tempdir().expect("dir");
    let log = dir.path().join("audit.jsonl");
    let ran = anchored(&sandbox, TWO_CHANGES, &log).run();
    assert_eq!(ran.code, 0, "{ran:?}");
    assert!(ran.stderr.contains("recorded in Govern"), "{}", ran.stderr);
    // A fatal error after a change: the head is written all the same, the script's
    // exit code kept.
    let ran = anchored(&sandbox, CHANGE_THEN_FAIL, &log).run();
    assert_eq!(ran.code, common::EXIT_SCRIPT_ERROR, "{ran:?}");

    let local = records(&log);
    assert_eq!(local.len(), 3);
    let read = result_line(&run_script("audit_heads.py", &[&sandbox.url, &sandbox.key]));
    let entries = read["entries"].as_array().expect("entries");
    assert_eq!(entries.len(), 2, "{read}");
    let heads: Vec<&Value> = entries.iter().map(|e| &e["customMsgParams"]).collect();
    let absolute = std::fs::canonicalize(&log).expect("canonical");
    let hash = |i: usize| local[i]["hash"].clone();
    assert_eq!(
        (&heads[0]["first"], heads[0]["first_line"].as_u64()),
        (&hash(0), Some(1))
    );
    assert_eq!(
        (&heads[0]["head"], heads[0]["line"].as_u64()),
        (&hash(1), Some(2))
    );
    assert_eq!(heads[0]["records"], 2);
    assert_eq!(heads[0]["script_sha256"], sha256_hex(TWO_CHANGES));
    assert_eq!(heads[0]["log"], absolute.display().to_string());
    assert_eq!(heads[0]["log_id"], hash(0));
    assert_eq!(
        (&heads[1]["head"], heads[1]["line"].as_u64()),
        (&hash(2), Some(3))
    );
    assert_eq!(heads[1]["script_sha256"], sha256_hex(CHANGE_THEN_FAIL));
    let text = read["text"].as_str().expect("log text");
    assert!(!text.contains(&sandbox.key), "a key in the audit trail");
}

#[test]
fn a_head_that_cannot_reach_govern_exits_3_and_the_local_log_keeps_every_record() {
    let sandbox = Sandbox::start();
    let dir = tempfile::tempdir().expect("dir");
    let log = dir.path().join("audit.jsonl");
    // The changes go to the sandbox through an explicit client; `govern()`'s
    // connection, where the head is written, answers nothing.
    let source = r#"
let c = GovernClient(ARGS[0], ARGS[1]);
let d = c.get_artifact("ar.1").get_definition();
d.raw.name = "unanchored";
d.save();
"#;
    let ran = anchored(&sandbox, source, &log)
        .env("GOVERN_HOST", &common::unused_url())
        .arg("--retries")
        .arg("1")
        .script_arg(&sandbox.url)
        .script_arg(&sandbox.key)
        .run();
    assert_eq!(ran.code, 3, "{ran:?}");
    assert!(
        ran.stderr
            .contains("the audit head was not recorded in Govern"),
        "{}",
        ran.stderr
    );
    assert!(!ran.stderr.contains(&sandbox.key), "{}", ran.stderr);
    assert_eq!(records(&log).len(), 1);
    assert_eq!(verify(&log).0, 0);
}

/// Writes `lines` to `dir/name`; returns its path.
fn write(dir: &Path, name: &str, lines: &[String]) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, lines.concat()).expect("write");
    path
}

#[test]
fn verify_against_govern_passes_an_honest_log_and_names_a_rewritten_or_cut_tail() {
    let sandbox = Sandbox::start();
    let dir = tempfile::tempdir().expect("dir");
    let log = dir.path().join("audit.jsonl");
    anchored(&sandbox, TWO_CHANGES, &log).ok();
    anchored(&sandbox, TWO_CHANGES, &log).ok();
    let (code, out, err) = verify_against(&sandbox, &log);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("4 records, chain intact"), "{out}");
    assert!(out.contains("the 2 heads Govern recorded"), "{out}");
    let honest = lines(&log);

    // The last record's saved name changed and its hash recomputed: the chain alone
    // holds, Govern's head of the second run (line 4) does not.
    let mut rewritten = honest.clone();
    rewritten[3] = rewritten[3].replace("anchored two", "something else");
    assert_ne!(rewritten[3], honest[3]);
    rechain(&mut rewritten, 3);
    let path = write(dir.path(), "rewritten.jsonl", &rewritten);
    assert_eq!(verify(&path).0, 0, "the rewrite keeps the chain intact");
    let (code, out, _) = verify_against(&sandbox, &path);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("line 4: ") && out.contains("rewritten"),
        "{out}"
    );

    // The last record removed.
    let path = write(dir.path(), "cut.jsonl", &honest[..3]);
    assert_eq!(verify(&path).0, 0, "a cut log keeps its chain intact");
    let (code, out, _) = verify_against(&sandbox, &path);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("line 4: ") && out.contains("ends at line 3"),
        "{out}"
    );

    // Rewritten from its first record on, in place: its first hash no longer names
    // it, its path on this machine does.
    let mut all = honest.clone();
    all[0] = all[0].replace("anchored one", "something else");
    rechain(&mut all, 0);
    write(dir.path(), "audit.jsonl", &all);
    assert_eq!(verify(&log).0, 0);
    let (code, out, _) = verify_against(&sandbox, &log);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("line 1: "), "{out}");

    // A log Govern holds no head for vouches for nothing.
    let path = write(dir.path(), "elsewhere.jsonl", &all);
    let (code, out, _) = verify_against(&sandbox, &path);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("Govern holds no audit head for this log"),
        "{out}"
    );
}
