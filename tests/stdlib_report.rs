//! The embedded `stdlib/govern/report.rhai` module, run by the real binary against the
//! demo sandbox; the Python client (tests/python/report.py) computes the same reports
//! independently.
mod common;
use common::Sandbox;
use common::python::{labelled_results, python_client_available, run_script};
use common::script::printed_json;
use common::stdlib::run_module;
use serde_json::{Value, json};

/// The Python oracle's result labelled `label`.
fn oracle(sandbox: &Sandbox, label: &str) -> Value {
    let out = run_script("report.py", &[&sandbox.url, &sandbox.key]);
    labelled_results(&out)
        .into_iter()
        .find(|(l, _)| l == label)
        .map(|(_, v)| v)
        .unwrap_or_else(|| panic!("no {label} in {out}"))
}

#[test]
fn signoff_status_counts_signoffs_per_blueprint_as_python_does() {
    let (sandbox, out) = run_module(
        "report",
        r#"
let rows = report::signoff_status(c);
print(`ROWS ${to_json(rows)}`);
"#,
    );
    let rows = printed_json(&out, "ROWS ");
    let rows = rows.as_array().expect("an array of rows");
    let ids: Vec<&str> = rows
        .iter()
        .map(|r| r["blueprint"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        ["bp.model_review", "bp.system.dataiku_bundle"],
        "{out}"
    );
    // Every status is a column of every row, zero when none.
    let statuses = [
        "NOT_STARTED",
        "WAITING_FOR_FEEDBACK",
        "WAITING_FOR_APPROVAL",
        "APPROVED",
        "REJECTED",
        "ABANDONED",
    ];
    for row in rows {
        let sum: i64 = statuses.iter().map(|s| row[*s].as_i64().unwrap()).sum();
        assert_eq!(row["total"].as_i64(), Some(sum), "{row}");
    }
    assert_eq!(rows[1]["WAITING_FOR_APPROVAL"], 1);
    assert_eq!(rows[1]["APPROVED"], 1);
    if !python_client_available() {
        return;
    }
    let mut expected = oracle(&sandbox, "status");
    for row in rows {
        let bp = row["blueprint"].as_str().unwrap();
        let want = expected
            .as_object_mut()
            .and_then(|o| o.remove(bp))
            .unwrap_or_else(|| panic!("Python finds no sign-off on {bp}"));
        for (key, n) in want.as_object().unwrap() {
            assert_eq!(&row[key], n, "{bp} {key}");
        }
        for s in statuses {
            if want.get(s).is_none() {
                assert_eq!(row[s], 0, "{bp} {s}: Python counts none");
            }
        }
    }
    assert_eq!(
        expected,
        json!({}),
        "blueprints Python counts and the report does not"
    );
}

#[test]
fn missing_required_lists_each_artifact_lacking_a_required_field() {
    let (sandbox, out) = run_module(
        "report",
        r#"
assert_eq(report::missing_required(c), [], "nothing is required in the seed");
// Two artifacts made before `owner` and `description` became required.
let version = #{ blueprintId: "bp.model_review", versionId: "bv.v1" };
let bare = c.create_artifact(#{ blueprintVersionId: version, name: "Bare", fields: #{ owner: "" } });
let half = c.create_artifact(#{ blueprintVersionId: version, name: "Half", fields: #{ description: "has one" } });
let v = c.get_blueprint_designer().get_blueprint("bp.model_review").get_version("bv.v1");
let d = v.get_definition();
d.raw.fieldDefinitions.owner.required = true;
d.raw.fieldDefinitions.description.required = true;
d.save();
let rows = report::missing_required(c);
print(`ROWS ${to_json(rows.map(|r| [r.artifact_id, r.field]))}`);
print(`FIRST ${to_json(rows[0])}`);
print(`IDS ${bare.artifact_id} ${half.artifact_id}`);
"#,
    );
    let ids = out
        .lines()
        .find_map(|l| l.strip_prefix("IDS "))
        .expect("IDS line");
    let (bare, half) = ids.split_once(' ').expect("two ids");
    assert_eq!(
        printed_json(&out, "ROWS "),
        json!([[bare, "description"], [bare, "owner"], [half, "owner"]])
    );
    assert_eq!(
        printed_json(&out, "FIRST "),
        json!({
            "artifact_id": bare, "artifact": "Bare", "blueprint": "bp.model_review",
            "version": "bv.v1", "field": "description", "label": "Description",
        })
    );
    if python_client_available() {
        assert_eq!(printed_json(&out, "ROWS "), oracle(&sandbox, "missing"));
    }
}

#[test]
fn output_prints_a_table_csv_or_json_and_writes_csv_or_json_files() {
    let sandbox = Sandbox::start();
    let dir = tempfile::tempdir().expect("temp dir");
    let csv = dir.path().join("status.csv");
    let json_file = dir.path().join("status.json");
    let out = sandbox
        .script(&format!(
            r#"
import "govern/report" as report;
let rows = [#{{ id: "ar.1", since: timestamp("2026-01-31T12:00:00Z"), days: 3 }},
            #{{ id: "ar.2", since: (), days: () }}];
report::output(rows, "table");
report::output(rows, "json");
report::output(rows, "csv");
report::output(rows, "csv", {csv:?});
report::output(rows, "json", {json_file:?});
let e = expect_error(|| report::output(rows, "xml"));
print(`ERROR ${{e}}`);
let e = expect_error(|| report::output(rows, "table", "t.txt"));
print(`ERROR ${{e}}`);
"#
        ))
        .ok();
    // A map's keys come sorted: the columns are days, id, since.
    let mut lines = out.lines();
    let table: Vec<&str> = lines.by_ref().take(6).collect();
    assert!(table[0].starts_with('┌'), "{out}");
    assert!(
        table[1].contains("id") && table[1].contains("since") && table[1].contains("days"),
        "{out}"
    );
    assert!(table[3].contains("2026-01-31T12:00:00Z"), "{out}");
    let rest: String = lines.collect::<Vec<_>>().join("\n");
    let printed_json_end = rest.find("]\n").expect("the JSON array") + 1;
    let printed: Value = serde_json::from_str(&rest[..printed_json_end]).expect("JSON output");
    let expected = json!([
        {"id": "ar.1", "since": "2026-01-31T12:00:00Z", "days": 3},
        {"id": "ar.2", "since": null, "days": null},
    ]);
    assert_eq!(printed, expected);
    assert!(
        rest.contains("days,id,since\n3,ar.1,2026-01-31T12:00:00Z\n,ar.2,\n"),
        "{out}"
    );
    assert_eq!(
        std::fs::read_to_string(&csv).expect("CSV file"),
        "days,id,since\n3,ar.1,2026-01-31T12:00:00Z\n,ar.2,\n"
    );
    let written: Value =
        serde_json::from_str(&std::fs::read_to_string(&json_file).expect("JSON file"))
            .expect("JSON file content");
    assert_eq!(written, expected);
    assert!(
        out.contains("ERROR report::output: unknown format 'xml'"),
        "{out}"
    );
    assert!(
        out.contains("ERROR report::output: a table is printed, not written to a file"),
        "{out}"
    );
}
