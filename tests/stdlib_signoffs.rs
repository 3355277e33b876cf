//! The embedded `stdlib/govern/signoffs.rhai` module, imported by a script run by the
//! real binary against the demo sandbox (sign-off statuses as in `src/sandbox/seed.rs`).
mod common;
use common::Sandbox;
use common::script::printed_json;
use common::stdlib::run_module;

/// `s.call(artifact, step)`: the sign-off of `step` of `artifact`.
const SIGNOFF_OF: &str = "let s = |a, step| c.get_artifact(a).get_signoff(step);\n";

#[test]
fn status_counts_counts_each_signoff_by_status() {
    run_module(
        "signoffs",
        r#"
assert_eq(signoffs::status_counts(c.get_artifact("ar.4")), #{ APPROVED: 1, WAITING_FOR_APPROVAL: 1 });
assert_eq(signoffs::status_counts(c.get_artifact("ar.2")), #{ NOT_STARTED: 2 });
assert_eq(signoffs::status_counts(c.get_artifact("ar.1")), #{ WAITING_FOR_FEEDBACK: 1, NOT_STARTED: 1 });
assert_eq(signoffs::status_counts(c.get_artifact("ar.9")), #{ APPROVED: 1 });
// The counts agree with the listing for every seeded artifact.
for n in 1..=22 {
    let a = c.get_artifact(`ar.${n}`);
    let total = 0;
    for v in signoffs::status_counts(a).values() { total += v; }
    assert_eq(total, a.list_signoffs().len(), `ar.${n}`);
}
"#,
    );
}

#[test]
fn with_status_returns_signoff_handles_of_the_given_statuses() {
    let (_sandbox, out) = run_module(
        "signoffs",
        r#"
let a = c.get_artifact("ar.4");
let waiting = signoffs::with_status(a, ["WAITING_FOR_APPROVAL"]);
assert_eq(waiting, [a.get_signoff("deployment")]);
assert_eq(type_of(waiting[0]), "GovernArtifactSignoff");
let both = signoffs::with_status(a, ["APPROVED", "WAITING_FOR_APPROVAL"]).map(|s| s.step_id);
both.sort();
assert_eq(both, ["deployment", "review"]);
assert_eq(signoffs::with_status(a, ["REJECTED"]), []);
assert_eq(signoffs::with_status(a, []), []);
print(waiting[0]);
"#,
    );
    assert_eq!(out, "GovernArtifactSignoff(ar.4, deployment)\n");
}

#[test]
fn request_feedback_moves_only_not_started_signoffs() {
    let (sandbox, _) = run_module(
        "signoffs",
        r#"
let fresh = c.get_artifact("ar.2").get_signoff("review");
assert_eq(signoffs::request_feedback(fresh), true);
assert_eq(fresh.get_definition().get_raw().status, "WAITING_FOR_FEEDBACK");
assert_eq(signoffs::request_feedback(fresh), false, "already moved");
let approved = c.get_artifact("ar.4").get_signoff("review");
assert_eq(signoffs::request_feedback(approved), false);
assert_eq(approved.get_definition().get_raw().status, "APPROVED");
"#,
    );
    // Exactly one status change was sent: the refusals only read.
    let updates: Vec<String> = status_updates(&sandbox)
        .into_iter()
        .map(|(target, _)| target)
        .collect();
    assert_eq!(
        updates,
        ["/dip/publicapi/artifact/ar.2/workflow/step/review/signoff/update-status"]
    );
}

#[test]
fn a_failing_call_inside_the_module_names_its_function() {
    let sandbox = Sandbox::start();
    let ran = sandbox
        .script(
            "import \"govern/signoffs\" as signoffs;\nsignoffs::status_counts(govern().get_artifact(\"ar.999\"));\n",
        )
        .exits(common::EXIT_SCRIPT_ERROR);
    for needle in [
        "GovernArtifact.list_signoffs: HTTP 404",
        "status_counts",
        // The position is the module's, shown with the module's own line.
        "--> govern/signoffs:",
        "artifact.list_signoffs()",
        "in call to function 'status_counts' at line 2",
    ] {
        assert!(ran.stderr.contains(needle), "{needle}: {}", ran.stderr);
    }
}

/// The `update-status` requests recorded so far: `(target, body)`.
fn status_updates(sandbox: &Sandbox) -> Vec<(String, serde_json::Value)> {
    sandbox
        .recorded()
        .into_iter()
        .filter(|r| {
            r["target"]
                .as_str()
                .is_some_and(|t| t.ends_with("/update-status"))
        })
        .map(|r| {
            let body = r["body"].as_str().unwrap_or_default();
            let body = serde_json::from_str(body).unwrap_or(serde_json::Value::Null);
            (r["target"].as_str().unwrap_or_default().to_string(), body)
        })
        .collect()
}

/// `/dip/publicapi/artifact/ar.2/workflow/step/review/signoff/update-status` → `ar.2/review`.
fn signoff_of(target: &str) -> String {
    let rest = target
        .trim_start_matches("/dip/publicapi/artifact/")
        .replace("/workflow/step/", "/");
    rest.trim_end_matches("/signoff/update-status").to_string()
}

/// Asserts the statuses of sign-offs, read back by a separate run, are `expected`
/// (`{"ar.2/review": "APPROVED"}`).
fn assert_statuses(sandbox: &Sandbox, expected: serde_json::Value) {
    let ids = expected
        .as_object()
        .expect("a map of sign-off → status")
        .keys();
    let list: Vec<String> = ids.map(|i| format!("\"{i}\"")).collect();
    let out = sandbox
        .script(&format!(
            r#"
let c = govern();
let found = #{{}};
for id in [{}] {{
    let parts = id.split("/");
    found[id] = c.get_artifact(parts[0]).get_signoff(parts[1]).get_definition().get_raw().status;
}}
print(`STATUSES ${{to_json(found)}}`);
"#,
            list.join(", ")
        ))
        .ok();
    assert_eq!(printed_json(&out, "STATUSES "), expected);
}

#[test]
fn pending_finds_the_signoffs_waiting_on_a_user_or_a_group() {
    let (_sandbox, out) = run_module(
        "signoffs",
        r#"
let ids = |list| { let ids = list.map(|s| `${s.artifact_id}/${s.step_id}`); ids.sort(); ids };
let admin = signoffs::pending(c, #{ user: "admin" });
assert_eq(type_of(admin[0]), "GovernArtifactSignoff");
print(`ADMIN ${to_json(ids.call(admin))}`);
print(`ALICE ${to_json(ids.call(signoffs::pending(c, #{ user: "alice" })))}`);
print(`BOB ${to_json(ids.call(signoffs::pending(c, #{ user: "bob" })))}`);
print(`RISK ${to_json(ids.call(signoffs::pending(c, #{ group: "risk_officers" })))}`);
print(`TECHNICAL ${to_json(ids.call(signoffs::pending(c, #{ group: "technical" })))}`);
print(`GOVERNANCE ${to_json(ids.call(signoffs::pending(c, #{ group: "governance_team" })))}`);
let e = expect_error(|| signoffs::pending(c, #{ login: "admin" }));
print(`ERROR ${e}`);
"#,
    );
    // From the seed: ar.1/review and ar.11/review wait for feedback (alice gave hers
    // on ar.1 for `business`; nobody from `technical` did); ar.3/review, ar.4/deployment
    // and ar.19/review wait for approval (admin approves review steps, risk_officers
    // all three, carol the deployment).
    assert_eq!(
        printed_json(&out, "ADMIN "),
        serde_json::json!(["ar.1/review", "ar.11/review", "ar.19/review", "ar.3/review"])
    );
    assert_eq!(
        printed_json(&out, "ALICE "),
        serde_json::json!(["ar.11/review"])
    );
    assert_eq!(
        printed_json(&out, "BOB "),
        serde_json::json!(["ar.1/review", "ar.11/review"])
    );
    assert_eq!(
        printed_json(&out, "RISK "),
        serde_json::json!(["ar.19/review", "ar.3/review", "ar.4/deployment"])
    );
    assert_eq!(
        printed_json(&out, "TECHNICAL "),
        serde_json::json!(["ar.1/review", "ar.11/review"])
    );
    assert_eq!(
        printed_json(&out, "GOVERNANCE "),
        serde_json::json!(["ar.11/review"])
    );
    assert!(
        out.contains("ERROR signoffs::pending: give #{ user: login }"),
        "{out}"
    );
}

/// Python's `update_status` sends `usersToSendEmailTo: null` (every reviewer is
/// emailed); the bulk helpers send `[]` unless the script names who to notify.
#[test]
fn approve_all_approves_each_and_emails_nobody_unless_told() {
    let (sandbox, out) = run_module(
        "signoffs",
        &[
            SIGNOFF_OF,
            r#"
let report = signoffs::approve_all([
    s.call("ar.3", "review"),       // waiting for approval
    s.call("ar.2", "review"),       // not started: moved to WAITING_FOR_APPROVAL first
    s.call("ar.4", "deployment"),   // admin is no approver: refused
    s.call("ar.4", "review"),       // already approved
    s.call("ar.5", "review"),       // rejected
    #{ signoff: s.call("ar.19", "review") },
], "Approved in the quarterly review");
print(`REPORT ${to_json(report)}`);
let told = signoffs::approve_all([s.call("ar.11", "review")], "ok", #{ notify: ["carol"] });
assert_eq(told.done, 1);
"#,
        ]
        .concat(),
    );
    let report = printed_json(&out, "REPORT ");
    let outcomes: Vec<(&str, &str)> = report["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["id"].as_str().unwrap(), i["outcome"].as_str().unwrap()))
        .collect();
    assert_eq!(
        outcomes,
        [
            ("ar.3/review", "done"),
            ("ar.2/review", "done"),
            ("ar.4/deployment", "failed"),
            ("ar.4/review", "unchanged"),
            ("ar.5/review", "skipped"),
            ("ar.19/review", "done"),
        ]
    );
    let failed = &report["items"][2]["error"];
    assert!(
        failed.as_str().unwrap().contains("not an approver"),
        "{failed}"
    );
    assert_eq!(
        (
            report["done"].as_i64(),
            report["failed"].as_i64(),
            report["ok"].as_bool()
        ),
        (Some(3), Some(1), Some(false))
    );
    assert_eq!(
        report["summary"],
        "6 sign-offs: 3 done, 1 unchanged, 1 failed, 1 skipped"
    );
    // Read back by another run: approved where done, untouched elsewhere.
    assert_statuses(
        &sandbox,
        serde_json::json!({
            "ar.3/review": "APPROVED", "ar.2/review": "APPROVED", "ar.19/review": "APPROVED",
            "ar.4/deployment": "WAITING_FOR_APPROVAL", "ar.5/review": "REJECTED",
            "ar.11/review": "APPROVED",
        }),
    );
    // The status changes it made named nobody to email, but the one told to.
    let updates = status_updates(&sandbox);
    let sent: Vec<(String, serde_json::Value)> = updates
        .iter()
        .map(|(t, b)| (signoff_of(t), b.clone()))
        .collect();
    assert_eq!(
        sent,
        [
            (
                "ar.2/review".to_string(),
                serde_json::json!({"targetStatus": "WAITING_FOR_APPROVAL", "usersToSendEmailTo": [], "reloadConfForReset": false})
            ),
            (
                "ar.11/review".to_string(),
                serde_json::json!({"targetStatus": "WAITING_FOR_APPROVAL", "usersToSendEmailTo": [{"userLogin": "carol"}], "reloadConfForReset": false})
            ),
        ]
    );
}

#[test]
fn feedback_all_reviews_in_the_callers_groups_once() {
    let (sandbox, out) = run_module(
        "signoffs",
        &[
            SIGNOFF_OF,
            r#"
let list = [s.call("ar.11", "review"), s.call("ar.2", "review"), s.call("ar.1", "review"),
            s.call("ar.4", "review"), s.call("ar.4", "deployment")];
let first = signoffs::feedback_all(list, "MINOR_ISSUE", "Document the data sources");
print(`FIRST ${to_json(first.items.map(|i| i.outcome))}`);
print(`ERROR ${first.items[4].error}`);
let again = signoffs::feedback_all(list, "MINOR_ISSUE", "Document the data sources");
print(`AGAIN ${to_json(again.items.map(|i| i.outcome))}`);
for id in ["ar.11", "ar.2", "ar.1"] {
    let mine = s.call(id, "review").get_definition().get_raw().to_map().feedbackResponses
        .filter(|f| f.author == "admin")
        .map(|f| `${f.groupId} ${f.status} ${f.comment}`);
    print(`${id} ${to_json(mine)}`);
}
"#,
        ]
        .concat(),
    );
    assert_eq!(
        printed_json(&out, "FIRST "),
        serde_json::json!(["done", "done", "done", "skipped", "failed"])
    );
    assert!(
        out.contains("ERROR the caller is in no feedback group of this sign-off"),
        "{out}"
    );
    assert_eq!(
        printed_json(&out, "AGAIN "),
        serde_json::json!(["unchanged", "unchanged", "unchanged", "skipped", "failed"])
    );
    // admin is in `business` (through governance_team), not in `technical`: one
    // feedback each, even on ar.1 where alice already gave hers for `business`.
    for id in ["ar.11", "ar.2", "ar.1"] {
        assert_eq!(
            printed_json(&out, &format!("{id} ")),
            serde_json::json!(["business MINOR_ISSUE Document the data sources"]),
            "{id}"
        );
    }
    // Only ar.2 had to be moved (NOT_STARTED → WAITING_FOR_FEEDBACK), emailing nobody.
    let updates = status_updates(&sandbox);
    assert_eq!(updates.len(), 1, "{updates:?}");
    assert_eq!(signoff_of(&updates[0].0), "ar.2/review");
    assert_eq!(updates[0].1["targetStatus"], "WAITING_FOR_FEEDBACK");
    assert_eq!(updates[0].1["usersToSendEmailTo"], serde_json::json!([]));
}

#[test]
fn reset_recurring_goes_through_abandoned_where_govern_requires_it() {
    let (sandbox, out) = run_module(
        "signoffs",
        &[
            SIGNOFF_OF,
            r#"
let report = signoffs::reset_recurring([
    s.call("ar.1", "review"),     // waiting for feedback: ABANDONED, then NOT_STARTED
    s.call("ar.999", "review"),   // no such artifact: failed, the rest goes on
    s.call("ar.4", "review"),     // approved: straight to NOT_STARTED
    s.call("ar.2", "review"),     // not started: unchanged
]);
print(`REPORT ${to_json(report.items.map(|i| i.outcome))}`);
print(`ERROR ${report.items[1].error}`);
// With recurring_only, a sign-off without an activated recurrence is skipped.
let recurrence = s.call("ar.9", "review").get_recurrence_configuration();
recurrence.raw.activated = true;
recurrence.raw.months = 6;
recurrence.save();
let only = signoffs::reset_recurring([s.call("ar.8", "review"), s.call("ar.9", "review")],
                                     #{ recurring_only: true });
print(`ONLY ${to_json(only.items.map(|i| i.outcome))}`);
"#,
        ]
        .concat(),
    );
    assert_eq!(
        printed_json(&out, "REPORT "),
        serde_json::json!(["done", "failed", "done", "unchanged"])
    );
    assert!(out.contains("ERROR ") && out.contains("ar.999"), "{out}");
    assert_eq!(
        printed_json(&out, "ONLY "),
        serde_json::json!(["skipped", "done"])
    );
    assert_statuses(
        &sandbox,
        serde_json::json!({
            "ar.1/review": "NOT_STARTED", "ar.4/review": "NOT_STARTED", "ar.2/review": "NOT_STARTED",
            "ar.8/review": "APPROVED", "ar.9/review": "NOT_STARTED",
        }),
    );
    let moves: Vec<(String, String)> = status_updates(&sandbox)
        .into_iter()
        .map(|(t, b)| {
            assert_eq!(b["usersToSendEmailTo"], serde_json::json!([]), "{t}: {b}");
            (
                signoff_of(&t),
                b["targetStatus"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    let expected: Vec<(String, String)> = [
        ("ar.1/review", "ABANDONED"),
        ("ar.1/review", "NOT_STARTED"),
        ("ar.4/review", "NOT_STARTED"),
        ("ar.9/review", "NOT_STARTED"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(moves, expected);
}
