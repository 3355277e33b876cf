//! The embedded `govern/bulk` module with the real binary against a real sandbox:
//! `bulk::from_csv` reporting each bad row with its line and applying the others,
//! `bulk::set_fields` leaving the fields already set unsent.
mod common;
use common::bulk::{SEARCH_BULK, sent};
use common::script::printed_json;
use common::{API, Sandbox};

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
        printed_json(&out, "lines="),
        serde_json::json!([2, 3, 4, 5, 6, 7, 8])
    );
    assert_eq!(
        printed_json(&out, "outcomes="),
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
