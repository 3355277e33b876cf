//! A bulk run seen and stopped, with the real binary against a real sandbox: plain
//! progress lines off a terminal (none with `--quiet`), Ctrl-C stopping the requests
//! and reporting the rest skipped, and SIGKILL leaving an audit log that verifies.
mod common;
use common::audit::verify;
use common::bulk::{SEARCH_BULK, sent};
use common::{API, Sandbox, process};
use std::time::Duration;

/// Lines of progress on stderr.
fn progress_lines(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| l.starts_with("govscript: bulk_update"))
        .collect()
}

#[test]
fn progress_prints_plain_lines_when_stderr_is_no_terminal_and_none_with_quiet() {
    // 30 artifacts, one request at a time, 50 ms each: over 3 s, so at least one
    // periodic line (every 2 s) before the last one.
    let sandbox = Sandbox::with()
        .seed("bulk:30")
        .arg("--latency")
        .arg("50")
        .start();
    let script = format!(
        r#"{SEARCH_BULK}
let ids = c.search(q, 100).to_array().map(|h| h.to_artifact().artifact_id);
c.bulk_update(ids, |raw| {{ raw.fields.owner = `o-${{raw.id}}`; }}, #{{ concurrency: 1 }});
"#
    );
    let ran = sandbox.script(&script).exits(0);
    let lines = progress_lines(&ran.stderr);
    assert!(lines.len() >= 2, "{}", ran.stderr);
    assert!(
        lines[0].contains("/30 (") && lines[0].contains("/s, ETA "),
        "{lines:?}"
    );
    let last = lines.last().expect("a last line");
    assert!(
        last.contains("bulk_update: 30 items, 30 done, 0 unchanged, 0 failed, 0 skipped in "),
        "{last}"
    );
    let quiet = sandbox.script(&script).arg("--quiet").exits(0);
    assert!(progress_lines(&quiet.stderr).is_empty(), "{}", quiet.stderr);
}

#[test]
fn kill_9_during_a_bulk_update_leaves_an_audit_log_that_verifies() {
    let sandbox = Sandbox::with()
        .seed("bulk:3000")
        .arg("--latency")
        .arg("2")
        .start();
    let dir = tempfile::tempdir().expect("dir");
    let log = dir.path().join("audit.jsonl");
    let mut running = sandbox
        .script(&format!(
            r#"{SEARCH_BULK}
print("started");
c.bulk_update(q, |raw| {{ raw.fields.owner = "killed"; }}, #{{ concurrency: 16 }});
print("finished");
"#
        ))
        .audit()
        .arg("--audit-log")
        .arg(log.to_str().expect("utf-8 path"))
        .spawn();
    running.wait_for_line("started");
    // Killed while saves are in flight: once the log holds 50 records.
    let records = || {
        std::fs::read_to_string(&log)
            .map(|t| t.lines().count())
            .unwrap_or(0)
    };
    process::wait_until(
        process::HANG,
        || (records() >= 50).then_some(()),
        || format!("50 audit records; {} so far", records()),
    );
    running.signal("-9");
    let ran = running.wait_within(Duration::from_secs(30));
    assert_eq!(ran.code, -1, "killed by a signal: {ran:?}");
    assert!(!ran.stdout.contains("finished"), "killed before the end");
    let (code, out, err) = verify(&log);
    assert_eq!(code, 0, "{out}{err}");
}

#[test]
fn ctrl_c_during_a_bulk_update_stops_issuing_requests_and_reports_the_rest_skipped() {
    let sandbox = Sandbox::with()
        .seed("bulk:300")
        .arg("--latency")
        .arg("20")
        .start();
    let mut running = sandbox
        .script(&format!(
            r#"{SEARCH_BULK}
let ids = c.search(q, 300).to_array().map(|h| h.to_artifact().artifact_id);
let n = 0;
c.bulk_update(ids, |raw| {{
    n += 1;
    if n == 5 {{ print("five edited"); }}
    raw.fields.owner = "interrupted";
}}, #{{ concurrency: 2 }});
print("after the bulk update");
"#
        ))
        .spawn();
    running.wait_for_line("five edited");
    running.signal("-INT");
    let ran = running.wait_within(Duration::from_secs(60));
    assert_eq!(ran.code, common::EXIT_SCRIPT_ERROR, "{ran:?}");
    assert!(!ran.stdout.contains("after the bulk update"), "{ran:?}");
    assert!(
        ran.stderr.contains("interrupted (Ctrl-C)"),
        "{}",
        ran.stderr
    );
    let summary = progress_lines(&ran.stderr)
        .into_iter()
        .find(|l| l.contains(" items, "))
        .unwrap_or_else(|| panic!("a summary line: {}", ran.stderr))
        .split(" in ")
        .next()
        .unwrap_or_default()
        .to_string();
    // `bulk_update: 300 items, D done, 0 unchanged, 0 failed, S skipped in Ts`.
    let count = |what: &str| -> usize {
        summary
            .split(", ")
            .find_map(|part| part.strip_suffix(what))
            .and_then(|n| n.trim().rsplit(' ').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("{what} in {summary}"))
    };
    assert!(summary.contains("bulk_update: 300 items, "), "{summary}");
    let (done, skipped) = (count(" done"), count(" skipped"));
    assert_eq!(done + skipped, 300, "{summary}");
    assert!(skipped > 0, "{summary}");
    assert_eq!(
        sent(&sandbox, "PUT", &format!("{API}/artifact/")).len(),
        done,
        "every save reported done was sent, no other"
    );
}
