//! Batch calls (issue 15 §1) with the real binary against a real sandbox:
//! `bulk_update` over a search of 1,000 artifacts with one change Govern refuses,
//! `get_artifacts` / `get_definitions` in input order, `save_all` sending only changed
//! definitions, the rate limit, the CSV helper, progress lines, and a bulk run killed
//! with SIGKILL leaving an audit log that verifies.
mod common;
use common::{API, Sandbox, bin, process};
use serde_json::Value;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// The requests the sandbox recorded with `method` on a path starting with `prefix`.
fn sent(sandbox: &Sandbox, method: &str, prefix: &str) -> Vec<String> {
    sandbox
        .recorded()
        .iter()
        .filter(|r| r["method"] == method)
        .filter_map(|r| r["target"].as_str().map(str::to_string))
        .filter(|t| t.starts_with(prefix))
        .collect()
}

/// The line of `stdout` after `label=`, parsed as JSON.
fn labelled(stdout: &str, label: &str) -> Value {
    let prefix = format!("{label}=");
    let line = stdout
        .lines()
        .find_map(|l| l.strip_prefix(&prefix))
        .unwrap_or_else(|| panic!("no {label}= line in {stdout}"));
    serde_json::from_str(line).unwrap_or_else(|e| panic!("{label}: {e}: {line}"))
}

const SEARCH_BULK: &str = r#"
let c = govern();
let q = GovernArtifactSearchQuery();
q.add_artifact_filter(GovernArtifactFilterFieldValue("START_WITH", "Bulk model "));
"#;

#[test]
fn bulk_update_of_1000_artifacts_reports_only_the_refused_change_failed_and_sends_no_unchanged_one()
{
    let sandbox = Sandbox::with().seed("bulk:1000").start();
    let script = format!(
        r#"{SEARCH_BULK}
let ids = [];
for hit in c.search(q) {{ ids.push(hit.to_artifact().artifact_id); }}
print(`ids=${{ids.to_json()}}`);
let report = c.bulk_update(q, |raw| {{
    raw.fields.owner = "alice";
    // Not one of the categories of `risk`: Govern refuses this one save.
    if raw.name == "Bulk model 000500" {{ raw.fields.risk = "Extreme"; }}
}}, #{{ concurrency: 8 }});
print(`items=${{report.items.to_json()}}`);
print(`counts=${{[report.total, report.done, report.unchanged, report.failed, report.skipped].to_json()}}`);
print(`ok=${{report.ok}}`);
print(report);
"#
    );
    let out = sandbox.script(&script).ok();
    let ids = labelled(&out, "ids");
    let ids: Vec<&str> = ids
        .as_array()
        .expect("ids")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(ids.len(), 1000);
    // Owners cycle over five names: 200 already are alice and stay unsent, but for
    // model 000500 (an alice too), whose risk changes and is refused.
    assert_eq!(
        labelled(&out, "counts"),
        serde_json::json!([1000, 800, 199, 1, 0])
    );
    assert!(out.contains("ok=false"), "{out}");
    assert!(
        out.contains("bulk_update: 1000 items, 800 done, 199 unchanged, 1 failed, 0 skipped"),
        "{out}"
    );
    let items = labelled(&out, "items");
    let items = items.as_array().expect("items");
    let in_order: Vec<&str> = items.iter().filter_map(|i| i["id"].as_str()).collect();
    assert_eq!(in_order, ids, "items come in input (search) order");
    let failed: Vec<&Value> = items.iter().filter(|i| i["outcome"] == "failed").collect();
    assert_eq!(failed.len(), 1, "{failed:?}");
    let refused_id = failed[0]["id"].as_str().expect("id");
    let error = failed[0]["error"].as_str().expect("error");
    assert!(error.contains("Extreme"), "{error}");

    // One read per artifact; one PUT per changed one (the refused one included), none
    // for the unchanged.
    assert_eq!(
        sent(&sandbox, "GET", &format!("{API}/artifact/")).len(),
        1000
    );
    assert_eq!(
        sent(&sandbox, "PUT", &format!("{API}/artifact/")).len(),
        801
    );
    // Read back: every other artifact saved, the refused one untouched.
    for (i, id) in ids.iter().enumerate() {
        let fields = sandbox.fields(id);
        if *id == refused_id {
            assert_ne!(fields["risk"], "Extreme");
            continue;
        }
        assert_eq!(fields["owner"], "alice", "{id} (item {i})");
    }
}

#[test]
fn get_artifacts_and_get_definitions_keep_input_order_and_report_a_missing_id_failed() {
    let sandbox = Sandbox::start();
    let out = sandbox
        .script(
            r#"
let c = govern();
let ids = ["ar.3", "ar.nope", "ar.1", c.get_artifact("ar.2")];
let defs = c.get_definitions(ids);
print(`ids=${defs.items.map(|i| i.id).to_json()}`);
print(`outcomes=${defs.items.map(|i| i.outcome).to_json()}`);
let values = defs.values();
print(`names=${values.map(|d| if d == () { () } else { d.raw.id }).to_json()}`);
print(`types=${values.map(|d| type_of(d)).to_json()}`);
print(`error=${defs.failures()[0].error}`);
let arts = c.get_artifacts(ids, #{ concurrency: 2 });
print(`handles=${arts.values().map(|a| type_of(a)).to_json()}`);
print(arts.summary());
"#,
        )
        .ok();
    assert_eq!(
        labelled(&out, "ids"),
        serde_json::json!(["ar.3", "ar.nope", "ar.1", "ar.2"])
    );
    assert_eq!(
        labelled(&out, "outcomes"),
        serde_json::json!(["done", "failed", "done", "done"])
    );
    assert_eq!(
        labelled(&out, "names"),
        serde_json::json!(["ar.3", null, "ar.1", "ar.2"])
    );
    assert_eq!(
        labelled(&out, "types"),
        serde_json::json!([
            "GovernArtifactDefinition",
            "()",
            "GovernArtifactDefinition",
            "GovernArtifactDefinition"
        ])
    );
    assert!(out.contains("error=") && out.contains("ar.nope"), "{out}");
    assert_eq!(
        labelled(&out, "handles"),
        serde_json::json!(["GovernArtifact", "()", "GovernArtifact", "GovernArtifact"])
    );
    assert!(
        out.contains("get_artifacts: 4 items, 3 done, 0 unchanged, 1 failed, 0 skipped"),
        "{out}"
    );
}

#[test]
fn save_all_sends_only_the_changed_definitions_and_a_second_call_sends_nothing() {
    let sandbox = Sandbox::with().seed("bulk:6").start();
    let out = sandbox
        .script(&format!(
            r#"{SEARCH_BULK}
let defs = c.get_definitions(c.search(q).to_array()).values();
defs[1].raw.fields.owner = "zed";
defs[4].raw.fields.owner = "zoe";
let first = c.save_all(defs);
print(`first=${{[first.done, first.unchanged, first.failed].to_json()}}`);
let second = c.save_all(defs);
print(`second=${{[second.done, second.unchanged].to_json()}}`);
print(`ids=${{[defs[1].raw.id, defs[4].raw.id].to_json()}}`);
"#
        ))
        .ok();
    assert_eq!(labelled(&out, "first"), serde_json::json!([2, 4, 0]));
    assert_eq!(labelled(&out, "second"), serde_json::json!([0, 6]));
    let ids = labelled(&out, "ids");
    let puts = sent(&sandbox, "PUT", &format!("{API}/artifact/"));
    let expected: Vec<String> = ids
        .as_array()
        .expect("ids")
        .iter()
        .filter_map(Value::as_str)
        .map(|id| format!("{API}/artifact/{id}"))
        .collect();
    let mut puts_sorted = puts.clone();
    puts_sorted.sort();
    assert_eq!(puts_sorted, expected, "only the two changed ones were sent");
    for (id, owner) in [(&ids[0], "zed"), (&ids[1], "zoe")] {
        assert_eq!(sandbox.fields(id.as_str().expect("id"))["owner"], owner);
    }
}

#[test]
fn a_closure_that_throws_fails_its_item_only_and_false_skips_one_without_sending() {
    let sandbox = Sandbox::with().seed("bulk:4").start();
    let out = sandbox
        .script(&format!(
            r#"{SEARCH_BULK}
let ids = c.search(q).to_array().map(|h| h.to_artifact().artifact_id);
let report = c.bulk_update(ids, |raw| {{
    if raw.id == ids[0] {{ throw "no owner for this one"; }}
    if raw.id == ids[1] {{ return false; }}
    raw.fields.owner = "walter";
}});
print(`outcomes=${{report.items.map(|i| i.outcome).to_json()}}`);
print(`errors=${{report.items.map(|i| i.error).to_json()}}`);
print(`values=${{report.values().map(|v| type_of(v)).to_json()}}`);
"#
        ))
        .ok();
    assert_eq!(
        labelled(&out, "outcomes"),
        serde_json::json!(["failed", "skipped", "done", "done"])
    );
    assert_eq!(
        labelled(&out, "errors"),
        serde_json::json!(["no owner for this one", null, null, null])
    );
    assert_eq!(
        labelled(&out, "values"),
        serde_json::json!(["()", "GovernArtifact", "GovernArtifact", "GovernArtifact"])
    );
    assert_eq!(sent(&sandbox, "PUT", &format!("{API}/artifact/")).len(), 2);
}

#[test]
fn bad_options_and_inputs_fail_before_any_request() {
    let sandbox = Sandbox::start();
    for (call, needle) in [
        (
            r#"c.get_definitions(["ar.1"], #{ concurrency: 0 })"#,
            "concurrency must be an integer from 1 to 256",
        ),
        (
            r#"c.bulk_update(["ar.1"], |raw| {}, #{ speed: 3 })"#,
            "unknown option 'speed'; expected one of: concurrency, rate, label",
        ),
        (
            r#"c.bulk_update(["ar.1"], |raw| {}, #{ rate: -1 })"#,
            "rate must be a positive number",
        ),
        (
            r#"c.get_artifacts(["ar.1", 42])"#,
            "item 1 must be an artifact id",
        ),
        (
            r#"c.save_all(["ar.1"])"#,
            "item 0 must be a GovernArtifactDefinition",
        ),
        (
            r#"c.bulk_update(42, |raw| {})"#,
            "expected an array of artifact ids",
        ),
    ] {
        let ran = sandbox
            .script(&format!("let c = govern();\n{call};\n"))
            .exits(common::EXIT_SCRIPT_ERROR);
        assert!(ran.stderr.contains(needle), "{call}: {}", ran.stderr);
    }
    assert!(
        sent(&sandbox, "GET", &format!("{API}/artifact/")).is_empty(),
        "nothing was read"
    );
}

#[test]
fn the_rate_limit_spaces_requests_and_loses_none() {
    let sandbox = Sandbox::with().seed("bulk:10").start();
    let started = Instant::now();
    let out = sandbox
        .script(&format!(
            r#"{SEARCH_BULK}
let ids = c.search(q).to_array().map(|h| h.to_artifact().artifact_id);
let report = c.get_definitions(ids, #{{ concurrency: 8, rate: 10 }});
print(`done=${{report.done}}`);
"#
        ))
        .ok();
    // 10 reads at 10 per second start 0.9 s apart at least, whatever the concurrency
    // (a lower bound: a slow machine only makes it longer).
    assert!(started.elapsed() >= Duration::from_millis(900));
    assert!(out.contains("done=10"), "{out}");
    assert_eq!(sent(&sandbox, "GET", &format!("{API}/artifact/")).len(), 10);
}

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

/// `govscript audit verify LOG`: exit code and output.
fn verify(log: &Path) -> (i32, String) {
    let out = Command::new(bin())
        .args(["audit", "verify"])
        .arg(log)
        .output()
        .expect("run govscript audit verify");
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.code().unwrap_or(-1), text)
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
    let (code, out) = verify(&log);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn from_csv_reports_each_bad_row_with_its_line_and_applies_the_others() {
    let sandbox = Sandbox::with().seed("bulk:4").start();
    let ids = sandbox
        .script(&format!(
            "{SEARCH_BULK}for h in c.search(q) {{ print(h.to_artifact().artifact_id); }}\n"
        ))
        .ok();
    let ids: Vec<&str> = ids.lines().collect();
    assert_eq!(ids.len(), 4);
    let dir = tempfile::tempdir().expect("dir");
    let csv = dir.path().join("owners.csv");
    let rows = [
        "id,owner,risk".to_string(),
        format!("{},olga,Low", ids[0]),
        // Line 3: a field short.
        format!("{},pete", ids[1]),
        // Line 4: no such artifact.
        "ar.nope,quinn,Low".to_string(),
        // Line 5: a risk Govern refuses.
        format!("{},rita,Extreme", ids[2]),
        format!("{},sam,High", ids[3]),
        // Line 7: a second row for the first artifact.
        format!("{},tom,Low", ids[0]),
        // Line 8: no id.
        ",uma,Low".to_string(),
    ];
    std::fs::write(&csv, rows.join("\n") + "\n").expect("write the CSV");
    let out = sandbox
        .script(
            r#"
import "govern/bulk" as bulk;
let report = bulk::from_csv(govern(), ARGS[0], |raw, row| {
    raw.fields.owner = row.owner;
    raw.fields.risk = row.risk;
});
print(`lines=${report.items.map(|i| i.line).to_json()}`);
print(`outcomes=${report.items.map(|i| i.outcome).to_json()}`);
for f in report.failures() { print(`line ${f.line}: ${f.error}`); }
"#,
        )
        .script_arg(csv.to_str().expect("utf-8 path"))
        .ok();
    assert_eq!(
        labelled(&out, "lines"),
        serde_json::json!([2, 3, 4, 5, 6, 7, 8])
    );
    assert_eq!(
        labelled(&out, "outcomes"),
        serde_json::json!([
            "done", "failed", "failed", "failed", "done", "failed", "failed"
        ])
    );
    assert!(
        out.contains("line 3: 2 fields where the header has 3"),
        "{out}"
    );
    assert!(out.contains("line 4: ") && out.contains("ar.nope"), "{out}");
    assert!(out.contains("line 5: ") && out.contains("Extreme"), "{out}");
    assert!(
        out.contains("line 7: ") && out.contains("listed twice"),
        "{out}"
    );
    assert!(out.contains("line 8: the row has no id"), "{out}");
    assert_eq!(sandbox.fields(ids[0])["owner"], "olga");
    assert_eq!(sandbox.fields(ids[3])["owner"], "sam");
    assert_ne!(sandbox.fields(ids[1])["owner"], "pete");
    assert_ne!(sandbox.fields(ids[2])["owner"], "rita");
}

#[test]
fn set_fields_sets_the_fields_of_a_search_and_leaves_those_already_set_unsent() {
    let sandbox = Sandbox::with().seed("bulk:10").start();
    let out = sandbox
        .script(&format!(
            r#"{SEARCH_BULK}
import "govern/bulk" as bulk;
let report = bulk::set_fields(c, q, #{{ owner: "alice", score: 0.5 }}, #{{ concurrency: 3 }});
print(report);
let again = bulk::set_fields(c, q, #{{ owner: "alice", score: 0.5 }});
print(again);
"#
        ))
        .ok();
    assert!(
        out.contains("bulk_update: 10 items, 10 done, 0 unchanged, 0 failed, 0 skipped"),
        "{out}"
    );
    assert!(
        out.contains("bulk_update: 10 items, 0 done, 10 unchanged, 0 failed, 0 skipped"),
        "{out}"
    );
    assert_eq!(sent(&sandbox, "PUT", &format!("{API}/artifact/")).len(), 10);
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
