//! The artifact scripts: fields updated from a CSV file, stale artifacts archived.
use crate::common::{self, EXIT_SCRIPT_ERROR, Sandbox};
use crate::support::{archived, backdate_reviews, example_with};
use serde_json::json;

/// Without --apply the changes are listed and nothing is sent; with it every good row is
/// applied (an empty cell leaves its field alone, a number stays a number), while an
/// unknown artifact and a bad number are reported with their lines and change nothing.
#[test]
fn bulk_update_from_csv_applies_the_good_rows_and_reports_the_bad() {
    let sandbox = Sandbox::start();
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("owners.csv");
    std::fs::write(
        &file,
        "id,owner,score\nar.1,carol,0.5\nar.2,,0.75\nar.999,carol,\nar.3,dave,high\n",
    )
    .expect("write the CSV");
    let path = file.to_string_lossy();
    let ran =
        example_with(&sandbox, "bulk_update_from_csv.rhai", &[&path]).exits(EXIT_SCRIPT_ERROR);
    assert!(
        ran.stdout
            .contains("ar.1: owner: alice -> carol; score: 0.87 -> 0.5\n"),
        "{}",
        ran.stdout
    );
    assert!(
        ran.stdout
            .contains("nothing changed: run again with --apply"),
        "{}",
        ran.stdout
    );
    assert_eq!(
        sandbox.fields("ar.1")["owner"],
        "alice",
        "changed without --apply"
    );

    let ran = example_with(&sandbox, "bulk_update_from_csv.rhai", &[&path, "--apply"])
        .exits(EXIT_SCRIPT_ERROR);
    assert!(
        ran.stdout.contains("FAILED ar.999 (line 4):"),
        "{}",
        ran.stdout
    );
    assert!(
        ran.stdout
            .contains("FAILED ar.3 (line 5): score: not a number: high\n"),
        "{}",
        ran.stdout
    );
    let (ar1, ar2, ar3) = (
        sandbox.fields("ar.1"),
        sandbox.fields("ar.2"),
        sandbox.fields("ar.3"),
    );
    assert_eq!(
        (&ar1["owner"], &ar1["score"]),
        (&json!("carol"), &json!(0.5))
    );
    assert_eq!(
        (&ar2["owner"], &ar2["score"]),
        (&json!("bob"), &json!(0.75))
    );
    assert_eq!(
        (&ar3["owner"], &ar3["score"]),
        (&json!("carol"), &json!(0.78))
    );
}

/// Stale = the last review is older than the limit: ar.5 and ar.8 once their reviews are
/// moved 200 days back. The plan archives nothing; `apply` archives exactly those two,
/// leaving the recently reviewed and the never reviewed alone.
#[test]
fn archive_stale_artifacts_archives_what_the_applied_plan_holds() {
    let sandbox = Sandbox::start();
    backdate_reviews(&sandbox, "ar.5", "review", 200);
    backdate_reviews(&sandbox, "ar.8", "review", 200);
    backdate_reviews(&sandbox, "ar.8", "deployment", 200);
    let out = example_with(&sandbox, "archive_stale_artifacts.rhai", &["90"]).ok();
    assert!(out.contains("2 stale artifact(s) to archive"), "{out}");
    let dir = tempfile::tempdir().expect("temp dir");
    let plan = dir.path().join("archive.plan.json");
    let out = example_with(
        &sandbox,
        "archive_stale_artifacts.rhai",
        &["90", "--blueprint", "bp.model_review"],
    )
    .arg("--plan")
    .arg(&plan.to_string_lossy())
    .ok();
    assert!(
        out.contains("2 stale artifact(s) planned for archiving"),
        "{out}"
    );
    assert!(
        !archived(&sandbox, "ar.5") && !archived(&sandbox, "ar.8"),
        "archived by the plan"
    );

    let applied = std::process::Command::new(common::bin())
        .arg("apply")
        .arg(&plan)
        .env("GOVERN_HOST", &sandbox.url)
        .env("GOVERN_API_KEY", &sandbox.key)
        .env("XDG_STATE_HOME", dir.path())
        .output()
        .expect("run govscript apply");
    assert!(applied.status.success(), "{applied:?}");
    for id in ["ar.5", "ar.8"] {
        assert!(archived(&sandbox, id), "{id} not archived");
    }
    for id in ["ar.1", "ar.2", "ar.4", "ar.9"] {
        assert!(!archived(&sandbox, id), "{id} archived");
    }
}
