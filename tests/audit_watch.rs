//! Audited `watch` runs (issue 15 §3 follow-up), with the real binary against a real
//! sandbox: they share the watcher's one connection and its acting identity instead
//! of building a client each; concurrent runs keep one verifiable chain; with
//! `--audit-to-govern` each drop that changed something anchors its chain head in
//! Govern (read back with the official Python client), and a head that cannot be
//! written is a warning on the drop's line while the local log keeps every record.
mod common;
use common::audit::{heads_in_govern, records, verify, verify_against};
use common::watch::{Folder, Watcher};
use common::{Sandbox, python_client_available};
use serde_json::Value;
use std::collections::HashSet;
use std::path::Path;
use std::time::Duration;

const T: Duration = Duration::from_secs(60);

/// Saves the artifact the dropped file names twice (two records per drop).
const TWO_SAVES: &str = r#"
let a = govern().get_artifact(FILE.content);
for n in [1, 2] {
    let d = a.get_definition();
    d.raw.name = `${FILE.name} save ${n}`;
    d.save();
}
"#;

/// Saves the artifact the dropped file names, unless the file says `read`.
const SAVE_UNLESS_READ: &str = r#"
let id = FILE.content;
if id == "read" {
    govern().get_artifact("ar.1").get_definition();
} else {
    let d = govern().get_artifact(id).get_definition();
    d.raw.name = `anchored by ${FILE.name}`;
    d.save();
}
"#;

/// The watcher on `f` against `sandbox` with `key`, auditing into `log`, with `args`.
fn audited(f: &Folder, sandbox: &Sandbox, key: &str, log: &Path, args: &[&str]) -> Watcher {
    let log = log.to_str().expect("utf-8 path");
    let env = [
        ("GOVERN_HOST", sandbox.url.as_str()),
        ("GOVERN_API_KEY", key),
    ];
    Watcher::start(f, &[&["--audit-log", log][..], args].concat(), &env)
}

/// The client ends of TCP connections (open or closing) to `port` on loopback: each
/// connection a client opened shows here until well after it closed (`TIME_WAIT`).
fn client_connections_to(port: u16) -> usize {
    let table = std::fs::read_to_string("/proc/net/tcp").expect("read /proc/net/tcp");
    let remote = format!("0100007F:{port:04X}");
    table
        .lines()
        .skip(1)
        .filter(|row| row.split_whitespace().nth(2) == Some(remote.as_str()))
        .count()
}

/// The requests of `sandbox` whose target ends with `suffix`.
fn requests_to(sandbox: &Sandbox, suffix: &str) -> usize {
    sandbox
        .recorded()
        .iter()
        .filter(|r| r["target"].as_str().is_some_and(|t| t.ends_with(suffix)))
        .count()
}

#[test]
fn audited_watch_runs_no_longer_build_a_client_and_read_the_identity_each() {
    const N: usize = 10;
    let sandbox = Sandbox::start();
    let port: u16 = sandbox
        .addr
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .expect("sandbox port");
    let f = Folder::new();
    let on = f.handler("*.txt", "save.rhai", TWO_SAVES);
    let log = f.outside("audit.jsonl");
    let args = ["--on", &on, "--concurrency", "1"];
    let mut w = audited(&f, &sandbox, &sandbox.key, &log, &args);
    for i in 0..N {
        f.write(&format!("d{i:02}.txt"), &format!("ar.{}", 1 + i % 4));
    }
    w.wait_finished(N, T);
    assert_eq!(w.events("done").len(), N, "{:?}", w.events("failed"));
    // Before: each audited run built its own client (a connection of its own, closed
    // when the run ended) and read `/auth/info` again: N + 1 of each.
    let connections = client_connections_to(port);
    assert!(
        connections <= 3,
        "{connections} connections for {N} audited runs"
    );
    assert_eq!(requests_to(&sandbox, "/auth/info"), 1);
    let all = records(&log);
    assert_eq!(all.len(), 2 * N);
    let identities: HashSet<&str> = all.iter().filter_map(|r| r["identity"].as_str()).collect();
    assert_eq!(identities.len(), 1, "{identities:?}");
    assert!(!identities.iter().any(|i| i.starts_with("unknown")));
    assert_eq!(verify(&log).0, 0);
    assert!(w.terminate().success());
}

#[test]
fn concurrent_audited_watch_runs_keep_one_verifiable_chain() {
    const N: usize = 12;
    let sandbox = Sandbox::start();
    let f = Folder::new();
    let on = f.handler("*.txt", "save.rhai", TWO_SAVES);
    let log = f.outside("audit.jsonl");
    let args = ["--on", &on, "--concurrency", "4"];
    let mut w = audited(&f, &sandbox, &sandbox.key, &log, &args);
    for i in 0..N {
        f.write(&format!("c{i:02}.txt"), &format!("ar.{}", 1 + i % 8));
    }
    w.wait_finished(N, T);
    assert_eq!(w.events("done").len(), N, "{:?}", w.events("failed"));
    let (code, out, err) = verify(&log);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains(&format!("{} records, chain intact", 2 * N)),
        "{out}"
    );
    // Each run's records name its own file, whatever ran beside it.
    for r in records(&log) {
        let file = r["file"].as_str().expect("file");
        assert!(
            r["after"]["name"].as_str().expect("name").starts_with(file),
            "{r}"
        );
    }
    assert!(w.terminate().success());
}

#[test]
fn watch_audit_to_govern_writes_the_head_of_each_drop_that_changed_something() {
    if !python_client_available() {
        return;
    }
    let sandbox = Sandbox::start();
    let f = Folder::new();
    let on = f.handler("*.txt", "anchor.rhai", SAVE_UNLESS_READ);
    let log = f.outside("audit.jsonl");
    let args = ["--on", &on, "--audit-to-govern"];
    let mut w = audited(&f, &sandbox, &sandbox.key, &log, &args);
    for (name, content) in [("a.txt", "ar.1"), ("b.txt", "read"), ("c.txt", "ar.2")] {
        f.write(name, content);
    }
    w.wait_finished(3, T);
    assert_eq!(w.events("done").len(), 3, "{:?}", w.finished());
    assert!(
        w.finished().iter().all(|e| e.get("detail").is_none()),
        "{:?}",
        w.finished()
    );
    let local = records(&log);
    assert_eq!(local.len(), 2);
    let heads = heads_in_govern(&sandbox);
    // One head per changing drop (each its one record), none for the drop that read.
    let anchored: HashSet<&Value> = heads.iter().map(|h| &h["head"]).collect();
    let changes: HashSet<&Value> = local.iter().map(|r| &r["hash"]).collect();
    assert_eq!(anchored, changes, "{heads:?}");
    assert!(heads.iter().all(|h| h["records"] == 1), "{heads:?}");
    assert!(f.log_of(".done", "a.txt").contains("recorded in Govern"));
    let (code, out, err) = verify_against(&sandbox, &log);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("the 2 heads Govern recorded"), "{out}");
    assert!(w.terminate().success());
}

#[test]
fn watch_reports_a_head_it_cannot_write_on_the_drops_line_and_goes_on() {
    let sandbox = Sandbox::start();
    let f = Folder::new();
    let on = f.handler("*.txt", "anchor.rhai", SAVE_UNLESS_READ);
    let log = f.outside("audit.jsonl");
    let args = ["--on", &on, "--audit-to-govern"];
    // bob may save ar.15 (a contributor) but not write Govern's audit trail (no admin).
    let mut w = audited(&f, &sandbox, common::rights::BOB, &log, &args);
    f.write("one.txt", "ar.15");
    f.write("two.txt", "ar.15");
    w.wait_finished(2, T);
    assert_eq!(f.names_in(".done"), ["one.txt", "two.txt"]);
    for event in w.events("done") {
        let detail = event["detail"].as_str().unwrap_or_default();
        assert!(
            detail.starts_with("warning: the audit head was not recorded in Govern"),
            "{event}"
        );
        assert!(!detail.contains(common::rights::BOB), "{event}");
    }
    let journal = std::fs::read_to_string(f.dir.join(".govscript-journal.jsonl")).expect("journal");
    assert_eq!(journal.matches("\"audit_error\"").count(), 2, "{journal}");
    assert!(
        f.log_of(".done", "one.txt")
            .contains("audit: the audit head was not recorded")
    );
    assert_eq!(records(&log).len(), 2);
    assert_eq!(verify(&log).0, 0);
    assert!(w.terminate().success());
}
