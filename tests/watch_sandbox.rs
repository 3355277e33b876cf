//! `govscript watch` against a real sandbox: a CSV-driven bulk field update read back
//! from the server, and `kill -9` in the middle of a batch followed by a restart, with
//! the sandbox as an independent counter of completed runs.
mod common;

use common::Sandbox;
use common::watch::{Folder, Watcher, status};
use std::collections::BTreeMap;
use std::time::Duration;

const T: Duration = Duration::from_secs(60);

#[test]
fn a_csv_dropped_in_the_folder_updates_artifacts_in_the_sandbox() {
    let sandbox = Sandbox::start();
    let f = Folder::new();
    std::fs::create_dir(f.dir.join("handlers")).unwrap();
    std::fs::write(
        f.dir.join("handlers/update_fields.rhai"),
        r#"
let client = govern();
for row in FILE.content {
    let definition = client.get_artifact(row.id).get_definition();
    let raw = definition.get_raw();
    raw.fields.owner = row.owner;
    raw.fields.score = parse_int(row.score);
    definition.save();
    print(`${row.id}: owner=${row.owner} score=${row.score}`);
}
"#,
    )
    .unwrap();
    std::fs::write(
        f.dir.join(".govscript-watch.toml"),
        "concurrency = 2\n\n[[on]]\nglob = \"*.csv\"\nscript = \"handlers/update_fields.rhai\"\n",
    )
    .unwrap();
    let mut w = Watcher::against(&f, &[], &sandbox);
    f.write(
        "updates.csv",
        "id,owner,score\nar.1,carol,91\nar.2,dave,42\n",
    );
    f.write("missing.csv", "id,owner,score\nar.999,x,1\n");
    w.wait_finished(2, T);
    assert_eq!(f.names_in(".done"), ["updates.csv"]);
    assert_eq!(f.names_in(".failed"), ["missing.csv"]);
    assert!(
        f.log_of(".done", "updates.csv")
            .contains("ar.2: owner=dave score=42")
    );
    let failed = &w.events("failed")[0];
    assert!(
        failed["detail"].as_str().unwrap().contains("404"),
        "{failed}"
    );

    sandbox
        .script(
            r#"
let c = govern();
let one = c.get_artifact("ar.1").get_definition().get_raw();
assert_eq(one.fields.owner, "carol");
assert_eq(one.fields.score, 91);
let two = c.get_artifact("ar.2").get_definition().get_raw();
assert_eq(two.fields.owner, "dave");
assert_eq(two.fields.score, 42);
"#,
        )
        .ok();
    assert!(w.terminate().success());
}

/// Every run ends by creating an artifact named `counter <file>`: the sandbox counts
/// completed runs, independently of the watcher.
const COUNTING_HANDLER: &str = r#"
let t = timestamp();
while t.elapsed < 0.1 { }
govern().create_artifact(#{
    blueprintVersionId: GovernBlueprintVersionId("bp.model_review", "bv.v1").build(),
    name: `counter ${FILE.name}`,
    fields: #{},
});
"#;

/// Completed runs per file name, read back from the sandbox.
fn completed_runs(sandbox: &Sandbox) -> BTreeMap<String, usize> {
    let out = sandbox
        .script(
            r#"
let c = govern();
let i = 1;
let misses = 0;
while misses < 20 {
    try {
        let name = c.get_artifact(`ar.${i}`).get_definition().get_raw().name;
        if name.starts_with("counter ") { print(name.sub_string(8)); }
        misses = 0;
    } catch (e) {
        if e.status != 404 { throw e; }
        misses += 1;
    }
    i += 1;
}
"#,
        )
        .ok();
    let mut runs = BTreeMap::new();
    for name in out.lines() {
        *runs.entry(name.to_string()).or_default() += 1;
    }
    runs
}

#[test]
fn kill_9_in_the_middle_of_a_batch_then_restart_runs_no_file_twice_and_loses_none() {
    let sandbox = Sandbox::start();
    let f = Folder::new();
    let on = f.handler("*.job", "count.rhai", COUNTING_HANDLER);
    let args = ["--on", on.as_str(), "--concurrency", "3"];
    let mut w = Watcher::against(&f, &args, &sandbox);
    for i in 0..30 {
        f.write(&format!("b{i:02}.job"), "x");
    }
    w.wait_finished(8, T);
    w.kill9();

    // Dropped while no watcher runs: taken at the next start.
    for i in 0..5 {
        f.write(&format!("late{i}.job"), "x");
    }
    let mid = status(&f.dir);
    assert_eq!(mid["watcher_alive"], false);

    let mut again = Watcher::against(&f, &[&args[..], &["--once"]].concat(), &sandbox);
    again.collect_for(Duration::ZERO);
    let mut interrupted: Vec<String> = again
        .events("failed")
        .iter()
        .filter(|e| {
            e["detail"]
                .as_str()
                .is_some_and(|d| d.starts_with("interrupted"))
        })
        .map(|e| e["file"].as_str().unwrap_or_default().to_string())
        .collect();
    // Concurrent runs report in any order; `names_in` is sorted.
    interrupted.sort();
    assert!(again.wait_exit().success(), "--once exits 0 when done");

    let done = f.names_in(".done");
    let failed = f.names_in(".failed");
    let mut all: Vec<String> = done.iter().chain(&failed).cloned().collect();
    all.sort();
    let mut expected: Vec<String> = (0..30).map(|i| format!("b{i:02}.job")).collect();
    expected.extend((0..5).map(|i| format!("late{i}.job")));
    expected.sort();
    assert_eq!(
        all, expected,
        "every file in .done or .failed, exactly once"
    );
    assert!(f.names_in(".processing").is_empty() && f.left_in_place().is_empty());
    assert_eq!(failed, interrupted, "only interrupted runs failed");
    assert!(
        failed.len() <= 3,
        "at most --concurrency runs were interrupted"
    );

    let runs = completed_runs(&sandbox);
    eprintln!(
        "crash test: {} done, {} interrupted -> .failed {:?}, completed runs seen by the sandbox: {}",
        done.len(),
        failed.len(),
        failed,
        runs.len()
    );
    for (name, n) in &runs {
        assert_eq!(*n, 1, "{name} ran to completion {n} times");
    }
    for name in &done {
        assert_eq!(runs.get(name), Some(&1), "{name} is done, so it ran once");
    }
    let s = status(&f.dir);
    assert_eq!(s["done"].as_u64(), Some(done.len() as u64));
    assert_eq!(s["failed"].as_u64(), Some(failed.len() as u64));
    assert_eq!(
        (s["pending"].as_u64(), s["running"].as_u64()),
        (Some(0), Some(0))
    );
}

#[test]
fn a_rejected_api_key_stops_the_watcher_at_start() {
    let sandbox = Sandbox::start();
    let f = Folder::new();
    let out = std::process::Command::new(common::bin())
        .arg("watch")
        .arg(&f.dir)
        .env("GOVERN_HOST", &sandbox.url)
        .env("GOVERN_API_KEY", "not-a-key")
        .env("GOVSCRIPT_CONFIG", f.outside("none.toml"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("API key was rejected"), "{stderr}");
    assert!(!stderr.contains("not-a-key"), "the key is never printed");
}
