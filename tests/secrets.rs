//! The API key never appears in output, logs or error messages, wherever it was
//! given: flag, environment, host URL, profile file, or typed into a script.
mod common;
use common::{ADMIN_KEY, EXIT_SCRIPT_ERROR, EXIT_USAGE, Run, Sandbox};
use std::process::Command;

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
    // The server's request log (the only file the session writes) has no key either:
    // not as a header, and not in the artifact id the script gave.
    let record = std::fs::read_to_string(&sandbox.record).unwrap_or_default();
    assert_no_key("the request record", &record);
    assert!(!record.to_lowercase().contains("authorization"), "{record}");
}

#[test]
fn a_key_in_a_request_path_is_not_recorded() {
    let sandbox = Sandbox::start();
    // A script passing a key as an id puts it into the path.
    let ran = sandbox
        .script(&format!(
            r#"govern().get_artifact("{ADMIN_KEY}").get_definition();"#
        ))
        .exits(EXIT_SCRIPT_ERROR);
    assert!(ran.stderr.contains("not found: ***"), "{}", ran.stderr);
    // The Python client's `get_global_api_key(secret)` does so by design.
    if common::python_client_available() {
        let out = std::process::Command::new(common::python())
            .args(["-c", PY_GLOBAL_KEY, &sandbox.url, ADMIN_KEY])
            .output()
            .expect("run python");
        assert!(out.status.success(), "{out:?}");
    }
    let targets: Vec<String> = sandbox
        .recorded()
        .iter()
        .map(|r| r["target"].as_str().unwrap_or_default().to_string())
        .collect();
    assert!(
        targets.iter().any(|t| t.ends_with("/artifact/***")),
        "{targets:?}"
    );
    assert_no_key("the request record", &targets.join("\n"));
    let record = std::fs::read_to_string(&sandbox.record).expect("record");
    assert_no_key("the request record", &record);
}

/// Asks the sandbox for a global API key by its secret, as the Python client does.
const PY_GLOBAL_KEY: &str = "import sys
from dataikuapi import GovernClient
c = GovernClient(sys.argv[1], sys.argv[2])
try:
    c.get_global_api_key(sys.argv[2])
except Exception:
    pass
";

#[test]
fn help_does_not_show_a_key_written_into_govern_host() {
    for command in ["run", "repl", "watch", "config"] {
        let out = Command::new(common::bin())
            .args([command, "--help"])
            .env("GOVERN_HOST", format!("http://{ADMIN_KEY}@govern.example"))
            .output()
            .expect("help");
        let text = String::from_utf8_lossy(&out.stdout);
        assert_no_key(command, &text);
        assert!(text.contains("GOVERN_HOST"), "{text}");
    }
}

#[test]
fn an_unparsable_host_is_refused_at_start_without_its_key() {
    let host = format!("http://{ADMIN_KEY}@bad host:1");
    let ran = Run::new("print(\"started\");\ngovern().get_auth_info();")
        .arg("--verbose")
        .env("GOVERN_HOST", &host)
        .exits(EXIT_USAGE);
    assert_no_key("stderr", &ran.stderr);
    assert!(
        ran.stderr
            .contains("host 'http://bad host:1' is not a valid URL"),
        "{}",
        ran.stderr
    );
    assert!(!ran.stdout.contains("started"), "{}", ran.stdout);
    assert!(!ran.stderr.contains("retry"), "{}", ran.stderr);

    let dir = tempfile::tempdir().expect("temp dir");
    let watched = Command::new(common::bin())
        .args(["watch", "--once"])
        .arg(dir.path())
        .env("GOVERN_HOST", &host)
        .env_remove("GOVERN_API_KEY")
        .output()
        .expect("watch");
    let stderr = String::from_utf8_lossy(&watched.stderr);
    assert_eq!(watched.status.code(), Some(EXIT_USAGE), "{stderr}");
    assert_no_key("watch", &stderr);
    assert!(stderr.contains("is not a valid URL"), "{stderr}");

    let mut repl = Command::new(common::bin())
        .arg("repl")
        .env("GOVERN_HOST", &host)
        .env_remove("GOVERN_API_KEY")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("repl");
    drop(repl.stdin.take());
    let out = repl.wait_with_output().expect("repl output");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(EXIT_USAGE), "{stderr}");
    assert_no_key("repl", &stderr);
}

#[test]
fn a_short_key_is_masked_where_it_stands_alone() {
    let ran = Run::new(
        r#"let c = GovernClient("http://127.0.0.1:9", "q7");
print("q7");
print("aq7 stays");
c.get_artifact("q7").get_definition();
"#,
    )
    .arg("--retries")
    .arg("1")
    .exits(EXIT_SCRIPT_ERROR);
    assert_eq!(ran.stdout, "***\naq7 stays\n");
    assert!(!ran.stderr.contains("\"q7\""), "{}", ran.stderr);
    assert!(
        ran.stderr.contains("get_artifact(\"***\")"),
        "{}",
        ran.stderr
    );
}

#[test]
fn a_profile_host_holding_a_key_must_be_private() {
    use std::os::unix::fs::PermissionsExt;
    let sandbox = Sandbox::start();
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("config.toml");
    let host = sandbox
        .url
        .replace("http://", &format!("http://{ADMIN_KEY}@"));
    std::fs::write(&config, format!("[profiles.p]\nhost = \"{host}\"\n")).expect("write");
    std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let path = config.to_str().expect("UTF-8 path");
    let run = || {
        Run::new("print(govern().get_auth_info().authIdentifier);")
            .arg("--profile")
            .arg("p")
            .env("GOVSCRIPT_CONFIG", path)
    };
    let ran = run().exits(EXIT_SCRIPT_ERROR);
    assert!(
        ran.stderr.contains("readable by others (mode 644)"),
        "{}",
        ran.stderr
    );
    assert_no_key("stderr", &ran.stderr);
    std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    assert_eq!(run().ok().trim(), "admin");
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
