//! `signoffs::overdue` of the embedded `stdlib/govern/signoffs.rhai`, run by the real
//! binary against a demo sandbox whose review times were moved into the past.
mod common;
use common::Sandbox;
use common::script::printed_json;
use common::stdlib::module_script;

/// A demo sandbox whose sign-offs' reviews (feedback and approval) were last touched
/// `days_ago` days ago, written into its database between two starts.
fn sandbox_with_review_ages(ages: &[(&str, i64)]) -> (tempfile::TempDir, Sandbox) {
    let dir = tempfile::tempdir().expect("temp dir");
    let first = Sandbox::start_in(dir.path());
    first.stop();
    let db = rusqlite::Connection::open(dir.path().join("govern.db")).expect("open db");
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_millis() as i64;
    for (id, days_ago) in ages {
        let body: String = db
            .query_row("SELECT body FROM signoffs WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .unwrap_or_else(|e| panic!("sign-off {id}: {e}"));
        let mut signoff: serde_json::Value = serde_json::from_str(&body).expect("stored JSON");
        let when = serde_json::json!(now_ms - days_ago * 86_400_000);
        let mut aged = 0;
        let age = |review: &mut serde_json::Value| {
            review["createdOn"] = when.clone();
            review["lastModifiedOn"] = when.clone();
        };
        if let Some(list) = signoff["feedbackResponses"].as_array_mut() {
            list.iter_mut().for_each(age);
            aged += list.len();
        }
        if signoff["approverResponse"].is_object() {
            age(&mut signoff["approverResponse"]);
            aged += 1;
        }
        assert!(aged > 0, "{id} has no review to age");
        db.execute(
            "UPDATE signoffs SET body = ?1 WHERE id = ?2",
            rusqlite::params![signoff.to_string(), id],
        )
        .expect("update sign-off");
    }
    drop(db);
    let sandbox = Sandbox::start_in(dir.path());
    (dir, sandbox)
}

#[test]
fn overdue_finds_exactly_the_signoffs_waiting_longer_than_n_days() {
    // ar.1 (waiting for feedback) and ar.3 (waiting for approval) have reviews; ar.4's
    // review step is approved (waiting for nothing) however old its approval is.
    let (_dir, sandbox) =
        sandbox_with_review_ages(&[("ar.1/review", 30), ("ar.3/review", 3), ("ar.4/review", 90)]);
    let out = module_script(
        &sandbox,
        "signoffs",
        r#"
let rows = signoffs::overdue(c, #{ days: 7 });
print(`WEEK ${to_json(rows.map(|r| [r.artifact_id, r.step_id, r.status, r.days, r.blueprint]))}`);
assert_eq(type_of(rows[0].since), "Timestamp");
assert_eq(type_of(rows[0].signoff), "GovernArtifactSignoff");
let rows = signoffs::overdue(c, #{ days: 2 });
print(`TWO ${to_json(rows.map(|r| r.artifact_id))}`);
let rows = signoffs::overdue(c, #{ days: 40 });
print(`FORTY ${to_json(rows.len())}`);
// Seen from 30 days on, the 3-day-old one is overdue too.
let rows = signoffs::overdue(c, #{ days: 7, as_of: now() + days(30) });
print(`LATER ${to_json(rows.map(|r| r.artifact_id))}`);
// Those without any review have no known start: listed (last) on request.
let rows = signoffs::overdue(c, #{ days: 7, include_unknown: true });
let unknown = rows.filter(|r| r.since == ()).map(|r| `${r.artifact_id}/${r.step_id}`);
unknown.sort();
print(`UNKNOWN ${to_json(unknown)}`);
// Or from a date held in an artifact field.
let d = c.get_artifact("ar.11").get_definition();
d.raw.fields.description = "2025-01-01";
d.save();
let rows = signoffs::overdue(c, #{ days: 7, since_field: "description" });
print(`FIELD ${to_json(rows.map(|r| [r.artifact_id, r.since.date()]))}`);
let e = expect_error(|| signoffs::overdue(c, #{ weeks: 1 }));
print(`ERROR ${e}`);
"#,
    )
    .ok();
    assert_eq!(
        printed_json(&out, "WEEK "),
        serde_json::json!([[
            "ar.1",
            "review",
            "WAITING_FOR_FEEDBACK",
            30,
            "bp.model_review"
        ]])
    );
    assert_eq!(
        printed_json(&out, "TWO "),
        serde_json::json!(["ar.1", "ar.3"])
    );
    assert_eq!(printed_json(&out, "FORTY "), serde_json::json!(0));
    assert_eq!(
        printed_json(&out, "LATER "),
        serde_json::json!(["ar.1", "ar.3"])
    );
    assert_eq!(
        printed_json(&out, "UNKNOWN "),
        serde_json::json!(["ar.11/review", "ar.19/review", "ar.4/deployment"])
    );
    assert_eq!(
        printed_json(&out, "FIELD "),
        serde_json::json!([["ar.11", "2025-01-01"]])
    );
    assert!(
        out.contains("ERROR signoffs::overdue: give #{ days: n }"),
        "{out}"
    );
}
