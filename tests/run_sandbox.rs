//! `govscript run --sandbox`: a script runs against a throw-away in-process sandbox
//! holding the demo data, and the sandbox's database is gone once the run ends.
mod common;
use common::{EXIT_OK, Run};

/// Reads the demo data, writes to it, reads the writes back.
const SCRIPT: &str = r#"
let client = govern();
let definition = client.get_artifact("ar.1").get_definition();
let raw = definition.get_raw();
print(`${raw.name}: ${raw.fields.owner}`);
raw.fields.owner = "carol";
definition.save();
print(client.get_artifact("ar.1").get_definition().get_raw().fields.owner);
let a = client.create_artifact(#{
    blueprintVersionId: GovernBlueprintVersionId("bp.model_review", "bv.v1").build(),
    name: "Made under --sandbox",
    fields: #{ owner: "erin" },
});
print(a.get_definition().get_raw().name);
"#;

#[test]
fn a_script_run_with_sandbox_reads_and_writes_the_demo_data_and_leaves_no_database() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let ran = Run::new(SCRIPT)
        .arg("--sandbox")
        // Ignored under --sandbox: were it used, every call would fail.
        .env("GOVERN_HOST", &common::unused_url())
        .env("GOVERN_API_KEY", "not-the-sandbox-key")
        .env("TMPDIR", tmp.path().to_str().expect("utf-8 temp path"))
        .exits(EXIT_OK);
    // "Churn model" owned by alice: the demo data.
    assert_eq!(
        ran.stdout,
        "Churn model: alice\ncarol\nMade under --sandbox\n"
    );
    assert!(
        ran.stderr
            .contains("govscript: sandbox with demo data at http://127.0.0.1:"),
        "{}",
        ran.stderr
    );
    let left: Vec<_> = std::fs::read_dir(tmp.path())
        .expect("read TMPDIR")
        .map(|e| e.expect("entry").path())
        .collect();
    assert!(left.is_empty(), "left behind in TMPDIR: {left:?}");
}

/// The test above looks for leftovers in `$TMPDIR`: this one shows that is where the
/// database goes (with `$TMPDIR` unusable, `--sandbox` cannot start).
#[test]
fn the_sandbox_database_is_made_under_tmpdir() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let missing = tmp.path().join("no-such-dir");
    let ran = Run::new("print(1);")
        .arg("--sandbox")
        .env("TMPDIR", missing.to_str().expect("utf-8 temp path"))
        .run();
    assert_ne!(ran.code, EXIT_OK, "{ran:?}");
    assert!(
        ran.stderr
            .contains("cannot create a temporary directory for the sandbox"),
        "{}",
        ran.stderr
    );
    assert!(ran.stdout.is_empty(), "{}", ran.stdout);
}
