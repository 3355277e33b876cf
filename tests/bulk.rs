//! Batch calls (issue 15 §1) with the real binary against a real sandbox:
//! `bulk_update` over a search of 1,000 artifacts with one change Govern refuses,
//! `get_artifacts` / `get_definitions` in input order, `save_all` sending only changed
//! definitions, closures that throw or skip, bad options and the rate limit. Progress
//! and interrupted runs: `bulk_progress.rs`; the `govern/bulk` module: `stdlib_bulk.rs`.
mod common;
use common::bulk::{SEARCH_BULK, sent};
use common::script::printed_json;
use common::{API, Sandbox};
use serde_json::Value;
use std::time::{Duration, Instant};

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
    let ids = printed_json(&out, "ids=");
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
        printed_json(&out, "counts="),
        serde_json::json!([1000, 800, 199, 1, 0])
    );
    assert!(out.contains("ok=false"), "{out}");
    assert!(
        out.contains("bulk_update: 1000 items, 800 done, 199 unchanged, 1 failed, 0 skipped"),
        "{out}"
    );
    let items = printed_json(&out, "items=");
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
        printed_json(&out, "ids="),
        serde_json::json!(["ar.3", "ar.nope", "ar.1", "ar.2"])
    );
    assert_eq!(
        printed_json(&out, "outcomes="),
        serde_json::json!(["done", "failed", "done", "done"])
    );
    assert_eq!(
        printed_json(&out, "names="),
        serde_json::json!(["ar.3", null, "ar.1", "ar.2"])
    );
    assert_eq!(
        printed_json(&out, "types="),
        serde_json::json!([
            "GovernArtifactDefinition",
            "()",
            "GovernArtifactDefinition",
            "GovernArtifactDefinition"
        ])
    );
    assert!(out.contains("error=") && out.contains("ar.nope"), "{out}");
    assert_eq!(
        printed_json(&out, "handles="),
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
    assert_eq!(printed_json(&out, "first="), serde_json::json!([2, 4, 0]));
    assert_eq!(printed_json(&out, "second="), serde_json::json!([0, 6]));
    let ids = printed_json(&out, "ids=");
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
        printed_json(&out, "outcomes="),
        serde_json::json!(["failed", "skipped", "done", "done"])
    );
    assert_eq!(
        printed_json(&out, "errors="),
        serde_json::json!(["no owner for this one", null, null, null])
    );
    assert_eq!(
        printed_json(&out, "values="),
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
