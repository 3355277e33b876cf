//! Regression tests of sandbox defects from the adversarial pass, one per defect.
mod common;

use common::{ADMIN_KEY, API, Sandbox, assert_error, bin, temp_db};
use std::path::Path;
use std::process::Command;

/// A PUT of `body` on ar.1 is a 400 naming `needle`, and ar.1 is unchanged.
fn put_is_refused_and_changes_nothing(body: &str, needle: &str) {
    let sb = Sandbox::start();
    let target = format!("{API}/artifact/ar.1");
    let before = sb.ok("GET", &target, None);
    let r = sb.call("PUT", &target, Some(body));
    assert_error(&r, 400, needle);
    assert_eq!(sb.ok("GET", &target, None), before);
    assert_eq!(before["artifact"]["fields"]["owner"], "alice");
}

#[test]
fn put_with_null_fields_no_longer_wipes_every_field() {
    put_is_refused_and_changes_nothing(
        r#"{"fields": null}"#,
        "Artifact fields must be an object, got null",
    );
}

#[test]
fn put_with_a_string_workflow_is_no_longer_accepted() {
    put_is_refused_and_changes_nothing(
        r#"{"workflow": "nope"}"#,
        "Artifact workflow must be an object, got a string",
    );
}

#[test]
fn put_with_a_numeric_status_is_no_longer_accepted() {
    put_is_refused_and_changes_nothing(
        r#"{"status": 5}"#,
        "Artifact status must be an object, got a number",
    );
}

#[test]
fn put_with_a_numeric_id_is_no_longer_accepted() {
    put_is_refused_and_changes_nothing(
        r#"{"id": 42}"#,
        "Artifact id must be a string, got a number",
    );
}

/// A sandbox on `db` with its stderr in `stderr`; `key_flag` passes `--admin-key`,
/// otherwise the key comes from the environment.
fn spawn(db: &Path, extra: &[&str], key_flag: bool, stderr: &Path) -> Sandbox {
    let mut builder = Sandbox::with().db(db).stderr(stderr);
    if key_flag {
        builder = builder.key_flag();
    }
    for arg in extra {
        builder = builder.arg(arg);
    }
    let dir = db.parent().expect("the database's directory");
    builder.start_in(dir)
}

/// The status of a GET of ar.1 with `key`.
fn get(sb: &Sandbox, key: &str) -> u16 {
    sb.call_with(
        "GET",
        &format!("{API}/artifact/ar.1?x=1"),
        None,
        Some(key),
        &[],
    )
    .status
}

#[test]
fn sandbox_verbose_logs_one_line_per_request_without_keys() {
    let (dir, db) = temp_db();
    let log = dir.path().join("stderr.txt");
    let sb = spawn(&db, &["--verbose"], false, &log);
    assert_eq!(get(&sb, ADMIN_KEY), 200);
    assert_eq!(get(&sb, "wrong-key"), 401);
    sb.stop();
    let text = std::fs::read_to_string(&log).expect("stderr");
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("sandbox: GET"))
        .collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(
        lines[0].contains(&format!("GET {API}/artifact/ar.1 -> 200 OK (")),
        "{text}"
    );
    assert!(lines[0].ends_with(" ms)"), "{text}");
    assert!(lines[1].contains("-> 401 Unauthorized"), "{text}");
    assert!(
        !text.contains(ADMIN_KEY) && !text.contains("wrong-key"),
        "{text}"
    );
    assert!(!text.contains("Basic "), "{text}");

    // Without --verbose: no request lines.
    let quiet = dir.path().join("quiet.txt");
    let sb = spawn(&db, &[], false, &quiet);
    assert_eq!(get(&sb, ADMIN_KEY), 200);
    sb.stop();
    let text = std::fs::read_to_string(&quiet).expect("stderr");
    assert!(!text.contains("sandbox: GET"), "{text}");
}

#[test]
fn a_new_admin_key_on_restart_replaces_the_previous_one() {
    let (dir, db) = temp_db();
    // First start without a key: the generated one is printed once.
    let first = Sandbox::with().no_key().db(&db).start_in(dir.path());
    let generated = first
        .banner
        .iter()
        .find_map(|l| {
            l.split_once("store it now): ")
                .map(|(_, k)| k.trim().to_string())
        })
        .expect("generated key in the banner");
    first.stop();
    let a = Sandbox::with()
        .key("rotating-key-a")
        .db(&db)
        .start_in(dir.path());
    let status = |sb: &Sandbox, key: &str| {
        sb.call_with("GET", &format!("{API}/auth/info"), None, Some(key), &[])
            .status
    };
    assert_eq!(status(&a, "rotating-key-a"), 200);
    a.stop();
    let b = Sandbox::with()
        .key("rotating-key-b")
        .db(&db)
        .start_in(dir.path());
    assert_eq!(status(&b, "rotating-key-b"), 200);
    let old = b.call_with(
        "GET",
        &format!("{API}/auth/info"),
        None,
        Some("rotating-key-a"),
        &[],
    );
    assert_error(&old, 401, "Invalid API key");
    // The generated key was not given with --admin-key: it stays valid.
    assert_eq!(status(&b, &generated), 200);
    b.stop();
    // Restarting with the same key keeps it.
    let again = Sandbox::with()
        .key("rotating-key-b")
        .db(&db)
        .start_in(dir.path());
    assert_eq!(status(&again, "rotating-key-b"), 200);
}

#[test]
fn the_admin_key_can_come_from_the_environment_and_the_flag_warns_about_ps() {
    let (dir, db) = temp_db();
    let env_log = dir.path().join("env.txt");
    let sb = spawn(&db, &[], false, &env_log);
    assert_eq!(get(&sb, ADMIN_KEY), 200);
    sb.stop();
    let text = std::fs::read_to_string(&env_log).expect("stderr");
    assert!(
        !text.contains("ps"),
        "no warning with the environment: {text}"
    );

    let flag_log = dir.path().join("flag.txt");
    let sb = spawn(&db, &[], true, &flag_log);
    assert_eq!(get(&sb, ADMIN_KEY), 200);
    sb.stop();
    let text = std::fs::read_to_string(&flag_log).expect("stderr");
    assert!(
        text.contains("--admin-key is visible to other users in `ps`"),
        "{text}"
    );
    assert!(text.contains("GOVSCRIPT_SANDBOX_ADMIN_KEY"), "{text}");

    // --help names the variable but never shows its value.
    let help = Command::new(bin())
        .args(["sandbox", "--help"])
        .env("GOVSCRIPT_SANDBOX_ADMIN_KEY", "secret-in-the-env")
        .output()
        .expect("help");
    let out = String::from_utf8_lossy(&help.stdout);
    assert!(out.contains("GOVSCRIPT_SANDBOX_ADMIN_KEY"), "{out}");
    assert!(!out.contains("secret-in-the-env"), "{out}");
}

#[test]
fn a_create_with_a_status_of_the_wrong_shape_is_refused() {
    let sb = Sandbox::start();
    let body = serde_json::json!({
        "blueprintVersionId": {"blueprintId": "bp.model_review", "versionId": "bv.v1"},
        "name": "Shaped", "status": 5,
    });
    let r = sb.call("POST", &format!("{API}/artifacts"), Some(&body.to_string()));
    assert_error(&r, 400, "Artifact status must be an object");
}
