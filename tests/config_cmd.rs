//! `govscript config`: where each setting comes from, the key never shown.
mod common;

use std::process::{Command, Output};

const KEY: &str = "very-secret-key-4242";

fn config(args: &[&str], envs: &[(&str, &str)], file: &std::path::Path) -> Output {
    let mut command = Command::new(common::bin());
    command
        .arg("config")
        .args(args)
        .env_remove("GOVERN_HOST")
        .env_remove("GOVERN_API_KEY")
        .env_remove("GOVERN_PROFILE")
        .env("GOVSCRIPT_CONFIG", file);
    for (k, v) in envs {
        command.env(k, v);
    }
    command.output().unwrap()
}

#[test]
fn flags_and_variables_are_named_and_the_key_redacted() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("none.toml");
    let out = config(
        &["--host", "https://gov.example"],
        &[("GOVERN_API_KEY", KEY)],
        &file,
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains("host:        https://gov.example  (from --host)"),
        "{text}"
    );
    assert!(text.contains("(from $GOVERN_API_KEY)"), "{text}");
    assert!(text.contains("<redacted, 20 characters>"), "{text}");
    assert!(text.contains("(not found)"), "{text}");
    assert!(!text.contains(KEY) && !String::from_utf8_lossy(&out.stderr).contains(KEY));
}

#[test]
fn a_profile_names_itself_as_the_source() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("config.toml");
    std::fs::write(
        &file,
        "[profiles.prod]\nhost = \"https://prod.example\"\napi_key_env = \"PROD_KEY\"\ntimeout = 9\n",
    )
    .unwrap();
    let out = config(&["--profile", "prod"], &[("PROD_KEY", KEY)], &file);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains("profile:     prod  (from --profile)"),
        "{text}"
    );
    assert!(
        text.contains("https://prod.example  (from profile 'prod')"),
        "{text}"
    );
    assert!(
        text.contains("(from profile 'prod', via $PROD_KEY)"),
        "{text}"
    );
    assert!(text.contains("9 s  (from profile 'prod')"), "{text}");
    assert!(!text.contains(KEY));
}

#[test]
fn nothing_configured_explains_how_and_fails() {
    let dir = tempfile::tempdir().unwrap();
    let out = config(&[], &[], &dir.path().join("none.toml"));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no Govern host"));
}

#[test]
fn a_key_in_the_host_is_neither_shown_nor_reported_missing() {
    let dir = tempfile::tempdir().unwrap();
    let host = format!("https://{KEY}@gov.example");
    let out = config(
        &[],
        &[("GOVERN_HOST", &host)],
        &dir.path().join("none.toml"),
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(!text.contains(KEY), "{text}");
    assert!(
        text.contains("host:        https://gov.example  (from $GOVERN_HOST)"),
        "{text}"
    );
    assert!(
        text.contains(
            "api key:     <redacted, 20 characters>  (from the user-info of the host, $GOVERN_HOST)"
        ),
        "{text}"
    );
}

#[test]
fn a_host_that_is_no_url_fails_without_showing_its_key() {
    let dir = tempfile::tempdir().unwrap();
    let host = format!("{KEY}@gov.example:11200");
    let out = config(
        &[],
        &[("GOVERN_HOST", &host)],
        &dir.path().join("none.toml"),
    );
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert_eq!(out.status.code(), Some(2), "{stdout}{stderr}");
    assert!(
        !stdout.contains(KEY) && !stderr.contains(KEY),
        "{stdout}{stderr}"
    );
    assert!(
        stderr.contains("write it as https://gov.example:11200"),
        "{stderr}"
    );
}
