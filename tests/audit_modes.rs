//! `watch` and the REPL are audited like `run` (issue 15 §3): the same default log,
//! `--audit-log` and `--no-audit`. A watch record names the handler script it ran and
//! the file dropped; a REPL record names `<repl>` and hashes the entry.
mod common;
use common::audit::{heads_in_govern, records, sha256_hex, verify, verify_against};
use common::watch::{Folder, Watcher};
use common::{Sandbox, python_client_available};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

const T: Duration = Duration::from_secs(60);

/// Renames the artifact the dropped file names.
const HANDLER: &str = r#"
let d = govern().get_artifact(FILE.content).get_definition();
d.raw.name = `renamed by ${FILE.name}`;
d.save();
"#;

#[test]
fn watch_runs_append_records_naming_the_handler_and_the_dropped_file() {
    let sandbox = Sandbox::start();
    let f = Folder::new();
    let on = f.handler("*.txt", "rename.rhai", HANDLER);
    let log = f.outside("audit.jsonl");
    let log_arg = log.to_str().expect("utf-8 path");
    let mut w = Watcher::against(&f, &["--on", &on, "--audit-log", log_arg], &sandbox);
    f.write("one.txt", "ar.1");
    f.write("two.txt", "ar.2");
    w.wait_finished(2, T);
    assert_eq!(f.names_in(".done"), ["one.txt", "two.txt"]);
    let all = records(&log);
    let handler = f.outside("rename.rhai").canonicalize().expect("handler");
    let mut files: Vec<&str> = all.iter().filter_map(|r| r["file"].as_str()).collect();
    files.sort();
    assert_eq!(files, ["one.txt", "two.txt"], "{all:?}");
    for r in &all {
        assert_eq!(r["script"], handler.display().to_string(), "{r}");
        assert_eq!(r["script_sha256"], sha256_hex(HANDLER));
        assert_eq!(r["call"], "GovernArtifactDefinition.save");
    }
    let (code, out, err) = verify(&log);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("2 records, chain intact"), "{out}");
}

#[test]
fn watch_audits_into_the_default_log_and_no_audit_writes_nothing() {
    let sandbox = Sandbox::start();
    for (args, expected) in [(&["--no-audit"][..], None), (&[][..], Some(1))] {
        let f = Folder::new();
        let on = f.handler("*.txt", "rename.rhai", HANDLER);
        let mut w = Watcher::against(&f, &[&["--on", &on][..], args].concat(), &sandbox);
        f.write("one.txt", "ar.1");
        w.wait_finished(1, T);
        let default = f.outside("state/govscript/audit.jsonl");
        assert_eq!(
            default.exists().then(|| records(&default).len()),
            expected,
            "{args:?}"
        );
        w.terminate();
    }
}

/// `govscript repl` on `sandbox` with `input` piped and `args`; state in `state`.
fn repl(sandbox: &Sandbox, input: &str, args: &[&str], state: &Path) -> std::process::Output {
    let mut child = Command::new(common::bin())
        .arg("repl")
        .arg("--quiet")
        .args(args)
        .env("GOVERN_HOST", &sandbox.url)
        .env("GOVERN_API_KEY", &sandbox.key)
        .env("GOVSCRIPT_CONFIG", state.join("no-config.toml"))
        .env("XDG_STATE_HOME", state)
        .env("HOME", state)
        .env_remove("GOVSCRIPT_AUDIT_LOG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start repl");
    let mut stdin = child.stdin.take().expect("stdin");
    stdin.write_all(input.as_bytes()).expect("write entries");
    drop(stdin);
    child.wait_with_output().expect("repl output")
}

const READ: &str = r#"let d = client.get_artifact("ar.1").get_definition();"#;
const SAVE: &str = r#"d.raw.name = "from the repl"; d.save();"#;

#[test]
fn repl_entries_append_records_naming_repl_and_hashing_the_entry() {
    let sandbox = Sandbox::start();
    let state = tempfile::tempdir().expect("dir");
    let log = state.path().join("audit.jsonl");
    let input = format!("{READ}\n{SAVE}\n");
    let out = repl(
        &sandbox,
        &input,
        &["--audit-log", log.to_str().expect("path")],
        state.path(),
    );
    assert!(out.status.success(), "{out:?}");
    let all = records(&log);
    assert_eq!(all.len(), 1, "{all:?}");
    assert_eq!(all[0]["script"], "<repl>");
    assert_eq!(all[0]["script_sha256"], sha256_hex(SAVE));
    assert_eq!(all[0]["after"]["name"], "from the repl");
    assert_eq!(verify(&log).0, 0);
}

#[test]
fn repl_audits_into_the_default_log_and_no_audit_writes_nothing() {
    let sandbox = Sandbox::start();
    let input = format!("{READ}\n{SAVE}\n");
    for (args, expected) in [(&["--no-audit"][..], None), (&[][..], Some(1))] {
        let state = tempfile::tempdir().expect("dir");
        let out = repl(&sandbox, &input, args, state.path());
        assert!(out.status.success(), "{out:?}");
        let default = state.path().join("govscript/audit.jsonl");
        assert_eq!(
            default.exists().then(|| records(&default).len()),
            expected,
            "{args:?}"
        );
    }
}

/// The log `repl` keeps in `state`, as an argument.
fn log_arg(state: &Path) -> String {
    state.join("audit.jsonl").display().to_string()
}

#[test]
fn repl_audit_to_govern_writes_the_sessions_head_at_exit_only_if_it_changed_something() {
    if !python_client_available() {
        return;
    }
    let sandbox = Sandbox::start();
    let state = tempfile::tempdir().expect("dir");
    let log = log_arg(state.path());
    let args = ["--audit-log", &log, "--audit-to-govern"];
    let out = repl(&sandbox, &format!("{READ}\n"), &args, state.path());
    assert!(out.status.success(), "{out:?}");
    assert!(
        heads_in_govern(&sandbox).is_empty(),
        "a session that changed nothing"
    );

    let input = format!("{READ}\n{SAVE}\n{SAVE}\n{READ}\n");
    let out = repl(&sandbox, &input, &args, state.path());
    assert!(out.status.success(), "{out:?}");
    let local = records(Path::new(&log));
    assert_eq!(local.len(), 2);
    let heads = heads_in_govern(&sandbox);
    assert_eq!(heads.len(), 1, "{heads:?}");
    assert_eq!(heads[0]["head"], local[1]["hash"]);
    assert_eq!(
        (&heads[0]["first"], &heads[0]["records"]),
        (&local[0]["hash"], &2.into())
    );
    assert_eq!(heads[0]["script"], "<repl>");
    let (code, out, err) = verify_against(&sandbox, Path::new(&log));
    assert_eq!(code, 0, "{out}{err}");
}

#[test]
fn repl_reports_a_head_it_cannot_write_at_exit_and_exits_3() {
    let sandbox = Sandbox::start();
    let state = tempfile::tempdir().expect("dir");
    let log = log_arg(state.path());
    // bob may save ar.15 (a contributor) but not write Govern's audit trail (no admin).
    let bob = common::rights::BOB;
    let args = ["--audit-log", &log, "--audit-to-govern", "--api-key", bob];
    let input = r#"let d = client.get_artifact("ar.15").get_definition(); d.raw.name = "by bob"; d.save();"#;
    let out = repl(&sandbox, &format!("{input}\n"), &args, state.path());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    assert!(
        stderr.contains("the audit head was not recorded in Govern"),
        "{stderr}"
    );
    assert!(!stderr.contains(bob), "{stderr}");
    assert_eq!(records(Path::new(&log)).len(), 1);
    assert_eq!(verify(Path::new(&log)).0, 0);
}
