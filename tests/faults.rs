//! A bulk update and creates against a sandbox injecting faults into 20% of writes
//! (503s, connections dropped before and after the change is applied): every
//! artifact is created once and updated exactly once, and the run's summary counts
//! exactly the requests the server received.
mod common;
use common::{ADMIN_KEY, Run, Sandbox};

/// Artifacts in the run (`FAULT_TEST_N` to change; the note reports a 2,000 run).
fn n() -> usize {
    std::env::var("FAULT_TEST_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(150)
}

#[test]
fn a_bulk_update_under_20_percent_faults_applies_every_change_exactly_once() {
    let n = n();
    let sandbox = Sandbox::with()
        .arg("--fault-rate")
        .arg("0.2")
        .arg("--fault-seed")
        .arg("20261125")
        .arg("--fault-retry-after")
        .arg("0")
        .start();
    let source = format!(
        r#"
let c = govern();
let ids = [];
for i in 0..{n} {{
    let a = c.create_artifact(#{{
        blueprintVersionId: #{{ blueprintId: "bp.model_review", versionId: "bv.v1" }},
        name: `fault ${{i}}`, fields: #{{ score: 1 }} }});
    ids.push(a.artifact_id);
}}
for id in ids {{
    let d = c.get_artifact(id).get_definition();
    d.raw.fields.score += 1;
    d.save();
}}
print(ids.len());
"#
    );
    let ran = Run::new(&source)
        .arg("--retries")
        .arg("8")
        .env("GOVERN_HOST", &sandbox.url)
        .env("GOVERN_API_KEY", ADMIN_KEY)
        .run();
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert_eq!(ran.stdout.trim(), n.to_string());

    // The summary counts what the server received, retries included.
    let received = sandbox.recorded().len();
    let summary = ran
        .stderr
        .lines()
        .find(|l| l.starts_with("govscript: ") && l.ends_with(" retries"))
        .unwrap_or_else(|| panic!("no summary: {}", ran.stderr));
    let numbers: Vec<usize> = summary
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    let (requests, retries) = (numbers[0], numbers[1]);
    assert_eq!(requests, received, "{summary}");
    assert!(retries > 0, "{summary}");

    // Read back (reads are not faulted): each name once, each score 2.
    let artifacts = sandbox.all_artifacts();
    for i in 0..n {
        let name = format!("fault {i}");
        let same: Vec<&serde_json::Value> =
            artifacts.iter().filter(|a| a["name"] == name).collect();
        assert_eq!(same.len(), 1, "{name} created {} times", same.len());
        assert_eq!(
            same[0]["fields"]["score"], 2,
            "{name}: {:?}",
            same[0]["fields"]
        );
    }
    eprintln!("{n} artifacts: {summary}; the server received {received} requests");
}
