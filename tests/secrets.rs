//! The API key never appears in output, logs or error messages, wherever it was
//! given: flag, environment, host URL, profile file, or typed into a script.
mod common;
use common::{ADMIN_KEY, EXIT_SCRIPT_ERROR, Run, Sandbox};

/// Asserts `ADMIN_KEY` is nowhere in `text`.
fn assert_no_key(what: &str, text: &str) {
    assert!(!text.contains(ADMIN_KEY), "{what} shows the key:\n{text}");
}

#[test]
fn a_verbose_session_with_the_key_in_the_host_and_in_a_failing_line_never_shows_it() {
    let sandbox = Sandbox::start();
    let host = sandbox
        .url
        .replace("http://", &format!("http://{ADMIN_KEY}@"));
    let source = format!(
        r#"let c = govern();
print(c);
print(c.get_auth_info().authIdentifier);
print("{ADMIN_KEY}");
debug("{ADMIN_KEY}");
let other = GovernClient("{host}", "{ADMIN_KEY}");
print(other.host);
c.get_artifact("{ADMIN_KEY}").get_definition();
"#
    );
    let ran = Run::new(&source)
        .arg("--verbose")
        .env("GOVERN_HOST", &host)
        .exits(EXIT_SCRIPT_ERROR);
    assert_no_key("stdout", &ran.stdout);
    assert_no_key("stderr", &ran.stderr);
    // It authenticated with the key taken out of the host, and says so without it.
    assert!(ran.stdout.contains("admin"), "{}", ran.stdout);
    assert!(
        ran.stdout
            .contains(&format!("GovernClient({})", sandbox.url)),
        "{}",
        ran.stdout
    );
    assert!(ran.stdout.contains("***"), "{}", ran.stdout);
    assert!(
        ran.stderr.contains("Artifact not found: ***"),
        "{}",
        ran.stderr
    );
    assert!(
        ran.stderr.contains("c.get_artifact(\"***\")"),
        "{}",
        ran.stderr
    );
    // The server's request log (the only file the session writes) has no key either.
    let record = std::fs::read_to_string(&sandbox.record).unwrap_or_default();
    assert!(!record.to_lowercase().contains("authorization"), "{record}");
}

#[test]
fn a_profile_file_holding_a_key_must_be_private() {
    use std::os::unix::fs::PermissionsExt;
    let sandbox = Sandbox::start();
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "[profiles.p]\nhost = \"{}\"\napi_key = \"{ADMIN_KEY}\"\n",
            sandbox.url
        ),
    )
    .expect("write config");
    let path = config.to_str().expect("UTF-8 path");
    std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let ran = Run::new("govern().get_auth_info();")
        .arg("--profile")
        .arg("p")
        .env("GOVSCRIPT_CONFIG", path)
        .exits(EXIT_SCRIPT_ERROR);
    assert!(
        ran.stderr.contains(&format!(
            "readable by others (mode 644); run: chmod 600 {path}"
        )),
        "{}",
        ran.stderr
    );
    assert_no_key("stderr", &ran.stderr);
    std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    let out = Run::new("print(govern().get_auth_info().authIdentifier);")
        .arg("--profile")
        .arg("p")
        .env("GOVSCRIPT_CONFIG", path)
        .ok();
    assert_eq!(out.trim(), "admin");
}

#[test]
fn the_key_is_not_shown_by_help() {
    let ran = Run::new("")
        .env("GOVERN_API_KEY", ADMIN_KEY)
        .arg("--help")
        .run();
    assert_no_key("help", &ran.stdout);
    assert!(ran.stdout.contains("GOVERN_API_KEY"), "{}", ran.stdout);
}
