//! The sign-off scripts: approving for a group, the overdue report, the decisions
//! export and the KPI pushed to a time series.
use crate::common::{API, EXIT_SCRIPT_ERROR, Sandbox};
use crate::support::{backdate_reviews, csv_rows, example, example_with, signoff};
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// Without --apply only a list; with it, the group's missing feedback is given, with the
/// comment, and a sign-off the group already answered is left alone.
#[test]
fn approve_group_signoffs_gives_the_groups_missing_feedback() {
    let sandbox = Sandbox::start();
    let args = ["business", "Batch review OK"];
    let out = example_with(&sandbox, "approve_group_signoffs.rhai", &args).ok();
    assert!(
        out.contains("would approve ar.11 review: feedback of business\n"),
        "{out}"
    );
    assert_eq!(
        signoff(&sandbox, "ar.11", "review")["feedbackResponses"],
        json!([])
    );

    let out = example_with(&sandbox, "approve_group_signoffs.rhai", &args)
        .script_arg("--apply")
        .ok();
    assert!(out.ends_with("1 sign-off(s) approved, 0 failed\n"), "{out}");
    let given = &signoff(&sandbox, "ar.11", "review")["feedbackResponses"];
    assert_eq!(given.as_array().map(Vec::len), Some(1), "{given}");
    let fb = &given[0];
    assert_eq!(
        (&fb["groupId"], &fb["status"], &fb["comment"], &fb["author"]),
        (
            &json!("business"),
            &json!("APPROVED"),
            &json!("Batch review OK"),
            &json!("admin")
        )
    );
    // ar.1's business group had answered (alice): nothing added there.
    let ar1 = &signoff(&sandbox, "ar.1", "review")["feedbackResponses"];
    assert_eq!(ar1.as_array().map(Vec::len), Some(1), "{ar1}");
    assert_eq!(ar1[0]["author"], "alice");
}

/// An approver group: as admin (an approver of ar.3 and ar.19 but not of ar.4's
/// deployment) two are approved, the refused one is reported and the run exits 1.
#[test]
fn approve_group_signoffs_approves_for_an_approver_group_and_reports_refusals() {
    let sandbox = Sandbox::start();
    let ran = example_with(
        &sandbox,
        "approve_group_signoffs.rhai",
        &["risk_officers", "Risk accepted", "--apply"],
    )
    .exits(EXIT_SCRIPT_ERROR);
    assert!(
        ran.stdout
            .contains("FAILED ar.4 deployment: approval of risk_officers: User is not an approver"),
        "{}",
        ran.stdout
    );
    assert!(
        ran.stdout.ends_with("2 sign-off(s) approved, 1 failed\n"),
        "{}",
        ran.stdout
    );
    for (ar, step) in [("ar.3", "review"), ("ar.19", "review")] {
        let so = signoff(&sandbox, ar, step);
        assert_eq!(so["status"], "APPROVED", "{ar}");
        assert_eq!(so["approverResponse"]["comment"], "Risk accepted", "{ar}");
    }
    let ar4 = signoff(&sandbox, "ar.4", "deployment");
    assert_eq!(
        (&ar4["status"], &ar4["approverResponse"]),
        (&json!("WAITING_FOR_APPROVAL"), &Value::Null)
    );
}

/// The demo's waiting sign-offs never reviewed (ar.4 deployment, ar.11 and ar.19 review)
/// are overdue, those reviewed today (ar.1, ar.3) are not, until ar.1's feedback is
/// moved 30 days back: then it is listed with its date and idle days.
#[test]
fn overdue_signoffs_csv_lists_the_waiting_signoffs_without_recent_review() {
    let sandbox = Sandbox::start();
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("overdue.csv");
    let path = out.to_string_lossy();
    example_with(&sandbox, "overdue_signoffs_csv.rhai", &[&path]).ok();
    let listed = |rows: &[BTreeMap<String, String>]| -> Vec<String> {
        rows.iter()
            .map(|r| format!("{} {}", r["artifact"], r["step"]))
            .collect()
    };
    let rows = csv_rows(&out);
    assert_eq!(
        listed(&rows),
        ["ar.4 deployment", "ar.11 review", "ar.19 review"]
    );
    let ar11 = &rows[1];
    assert_eq!(
        (
            ar11["status"].as_str(),
            ar11["waiting_on"].as_str(),
            ar11["last_review"].as_str()
        ),
        ("WAITING_FOR_FEEDBACK", "business technical", "")
    );
    assert_eq!(rows[0]["waiting_on"], "user:carol group:risk_officers");

    backdate_reviews(&sandbox, "ar.1", "review", 30);
    example_with(&sandbox, "overdue_signoffs_csv.rhai", &[&path, "14"]).ok();
    let rows = csv_rows(&out);
    assert_eq!(listed(&rows)[0], "ar.1 review");
    let fb = &signoff(&sandbox, "ar.1", "review")["feedbackResponses"][0];
    let at = std::time::UNIX_EPOCH
        + std::time::Duration::from_millis(fb["lastModifiedOn"].as_u64().expect("ms"));
    let day = govscript::audit::time::format(at);
    assert_eq!(
        (
            rows[0]["waiting_on"].as_str(),
            rows[0]["last_review"].as_str(),
            rows[0]["idle_days"].as_str()
        ),
        ("technical", &day[..10], "30")
    );
}

/// One row per feedback and approval of the demo data, plus one given by the test, with
/// who, what and when (the time the server stamped).
#[test]
fn export_signoff_decisions_csv_writes_every_feedback_and_approval() {
    let sandbox = Sandbox::start();
    let given = sandbox.ok(
        "POST",
        &format!("{API}/artifact/ar.11/workflow/step/review/signoff/feedback?groupId=business"),
        Some(r#"{"status": "MAJOR_ISSUE", "comment": "No monitoring plan"}"#),
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("decisions.csv");
    let path = out.to_string_lossy();
    let stdout = example_with(&sandbox, "export_signoff_decisions_csv.rhai", &[&path]).ok();
    assert!(
        stdout.contains("10 decision(s) on 22 artifact(s)"),
        "{stdout}"
    );
    let rows = csv_rows(&out);
    let summary: Vec<String> = rows
        .iter()
        .map(|r| {
            format!(
                "{} {} {} {} {} {}",
                r["artifact"],
                r["step"],
                r["kind"],
                r["feedback_group"],
                r["decision"],
                r["author"]
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            "ar.1 review feedback business APPROVED alice",
            "ar.3 review feedback business MINOR_ISSUE alice",
            "ar.3 review feedback technical APPROVED bob",
            "ar.4 review approval  APPROVED admin",
            "ar.5 review approval  REJECTED erin",
            "ar.8 review approval  APPROVED admin",
            "ar.8 deployment approval  APPROVED carol",
            "ar.9 review approval  APPROVED admin",
            "ar.11 review feedback business MAJOR_ISSUE admin",
            "ar.20 review approval  APPROVED admin",
        ]
    );
    let mine = &rows[8];
    assert_eq!(mine["comment"], "No monitoring plan");
    assert_eq!(mine["artifact_name"], "Image classifier");
    let at = std::time::UNIX_EPOCH
        + std::time::Duration::from_millis(given["createdOn"].as_u64().expect("ms"));
    // The seconds as the server stamped them (the fraction's digits may differ).
    assert_eq!(
        mine["decided_at"][..19],
        govscript::audit::time::format(at)[..19]
    );
    assert_eq!(mine["edited"], "");
}

/// The KPI (approved sign-offs of bp.model_review's active artifacts: 4 of 19 in the
/// demo data) lands in a new series; after one more approval, the next run's point
/// (given the series) holds the new share.
#[test]
fn push_kpi_timeseries_pushes_the_approved_share() {
    let sandbox = Sandbox::start();
    let t = "1700000000000";
    let out = example_with(
        &sandbox,
        "push_kpi_timeseries.rhai",
        &["bp.model_review", "--at", t],
    )
    .ok();
    assert!(out.contains("created time series ts.1"), "{out}");
    assert!(
        out.contains("4/19 sign-offs approved over 10 artifact(s) = 21.05%"),
        "{out}"
    );
    sandbox.ok(
        "POST",
        &format!("{API}/artifact/ar.3/workflow/step/review/signoff/approval"),
        Some(r#"{"status": "APPROVED"}"#),
    );
    example(&sandbox, "push_kpi_timeseries.rhai")
        .env("KPI_SERIES", "ts.1")
        .script_arg("bp.model_review")
        .script_arg("--at")
        .script_arg("1700086400000")
        .ok();
    let points = sandbox.ok("GET", &format!("{API}/time-series/ts.1"), None);
    let points: Vec<(i64, f64)> = points
        .as_array()
        .expect("datapoints")
        .iter()
        .map(|p| {
            (
                p["timestamp"].as_i64().expect("ms"),
                p["value"].as_f64().expect("a number"),
            )
        })
        .collect();
    assert_eq!(
        points,
        [(1_700_000_000_000, 21.05), (1_700_086_400_000, 26.32)]
    );
}

/// Without --at the point is stamped with the current time.
#[test]
fn push_kpi_timeseries_stamps_the_point_now() {
    let sandbox = Sandbox::start();
    let ms = || {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("a time after 1970")
            .as_millis() as i64
    };
    let before = ms();
    example_with(&sandbox, "push_kpi_timeseries.rhai", &["bp.model_review"]).ok();
    let after = ms();
    let points = sandbox.ok("GET", &format!("{API}/time-series/ts.1"), None);
    let stamp = points[0]["timestamp"].as_i64().expect("a timestamp in ms");
    assert!(
        (before..=after).contains(&stamp),
        "{before} <= {stamp} <= {after}"
    );
    assert_eq!(points[0]["value"], json!(21.05));
}
