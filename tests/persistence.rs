//! A sandbox restarted on the same database still has every object.
mod common;
use common::Sandbox;

#[test]
fn restart_keeps_artifacts_signoffs_reviews_and_recurrence() {
    let first = Sandbox::start();
    let id = first
        .script(
            r#"
let c = govern();
let a = c.create_artifact(#{
    blueprintVersionId: GovernBlueprintVersionId("bp.model_review", "bv.v1").build(),
    name: "Survives restarts", fields: #{ owner: "erin" },
});
let s = a.get_signoff("review");
s.update_status("WAITING_FOR_FEEDBACK");
s.add_feedback("business", "MINOR_ISSUE", "kept?");
let r = s.get_recurrence_configuration();
r.raw.activated = true; r.raw.months = 3;
r.save();
c.get_artifact("ar.2").delete();
print(a.artifact_id);
"#,
        )
        .ok();
    let id = id.trim().to_string();
    let dir = first.dir.clone();
    let keep = first.stop();

    let second = Sandbox::start_in(&dir);
    second
        .script(&format!(
            r#"
let c = govern();
let a = c.get_artifact("{id}");
assert_eq(a.get_definition().get_raw().fields.owner, "erin");
let s = a.get_signoff("review").get_definition().get_raw();
assert_eq(s.status, "WAITING_FOR_FEEDBACK");
assert_eq(s.feedbackResponses[0].comment, "kept?");
assert_eq(s.configuration.recurrenceConfiguration.months, 3);
assert_eq(c.get_artifact("ar.1").get_definition().get_raw().name, "Churn model");
let e = expect_error(|| c.get_artifact("ar.2").get_definition(), "deleted artifact came back");
assert_eq(e.status, 404);
"#
        ))
        .ok();
    drop(keep);
}

/// `kill -9` of the sandbox in the middle of a stream of writes: after a restart,
/// every write the client saw acknowledged is there.
#[test]
fn kill_9_during_a_write_stream_loses_no_acknowledged_write() {
    let first = Sandbox::start();
    let mut run = first
        .script(
            r#"
let c = govern();
print("started");
for i in 0..100000 {
    c.create_artifact(#{
        blueprintVersionId: #{ blueprintId: "bp.model_review", versionId: "bv.v1" },
        name: `stream ${i}`, fields: #{} });
    print(`ack ${i}`);
}
"#,
        )
        .arg("--retries")
        .arg("1")
        .spawn();
    run.wait_for_line("started");
    run.wait_for_line("ack 40");
    let dir = first.dir.clone();
    let keep = first.stop(); // SIGKILL: no shutdown, no flush
    let ran = run.wait_within(common::process::HANG);
    assert_ne!(ran.code, 0, "the stream must have failed: {ran:?}");
    // The stream broke on the lost connection, not on anything else.
    assert!(
        ran.stderr.contains("GovernClient.create_artifact"),
        "{}",
        ran.stderr
    );
    let acked: Vec<String> = ran
        .stdout
        .lines()
        .filter_map(|l| l.strip_prefix("ack "))
        .map(|i| format!("stream {i}"))
        .collect();

    let second = Sandbox::start_in(&dir);
    let names: Vec<String> = second
        .all_artifacts()
        .iter()
        .filter_map(|a| a["name"].as_str().map(str::to_string))
        .collect();
    let lost: Vec<&String> = acked.iter().filter(|n| !names.contains(n)).collect();
    assert!(lost.is_empty(), "acknowledged but lost: {lost:?}");
    drop(keep);
}
