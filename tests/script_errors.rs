//! Bad input gets a clear error: position, source line, call, status, Govern's message.
mod common;
use common::{ADMIN_KEY, EXIT_OK, EXIT_SCRIPT_ERROR, EXIT_USAGE, Run, Sandbox, bin};

#[test]
fn syntax_error_shows_file_line_column_and_source() {
    // Nothing of the script ran: exit 2, as for any script that cannot start.
    let ran = Run::new("let a = 1;\nlet b = [1, 2\nprint(b);\n").exits(EXIT_USAGE);
    assert!(ran.stderr.contains("error: syntax error"), "{}", ran.stderr);
    assert!(ran.stderr.contains("script.rhai:3:1"), "{}", ran.stderr);
    assert!(ran.stderr.contains("3 | print(b);"), "{}", ran.stderr);
    assert!(ran.stderr.contains("  | ^"), "{}", ran.stderr);
}

#[test]
fn missing_artifact_names_call_status_message_and_line() {
    let sandbox = Sandbox::start();
    let ran = sandbox
        .script("let c = govern();\nlet d = c.get_artifact(\"ar.999\").get_definition();\n")
        .exits(EXIT_SCRIPT_ERROR);
    let e = &ran.stderr;
    assert!(e.contains("GovernArtifact.get_definition: HTTP 404"), "{e}");
    assert!(
        e.contains("NotFoundException: Artifact not found: ar.999"),
        "{e}"
    );
    assert!(e.contains("(GET /dip/publicapi/artifact/ar.999)"), "{e}");
    assert!(e.contains("script.rhai:2:"), "{e}");
    assert!(e.contains("2 | let d = c.get_artifact"), "{e}");
}

#[test]
fn errors_are_catchable_with_status_and_type() {
    let sandbox = Sandbox::start();
    let out = sandbox
        .script(
            r#"
try { govern().get_artifact("ar.999").get_definition(); }
catch (e) {
    print(`${type_of(e)} ${e.status} ${e.error_type} ${e.operation} | ${e.message} | ${e.request}`);
}
"#,
        )
        .ok();
    assert_eq!(
        out.trim(),
        "GovernError 404 com.dataiku.dip.exceptions.NotFoundException GovernArtifact.get_definition | Artifact not found: ar.999 | GET /dip/publicapi/artifact/ar.999"
    );
}

#[test]
fn wrong_argument_type_lists_the_expected_signature() {
    let ran =
        Run::new("let c = GovernClient(\"http://127.0.0.1:9\", \"k\");\nc.get_artifact(42);\n")
            .exits(EXIT_SCRIPT_ERROR);
    assert!(
        ran.stderr
            .contains("wrong arguments: get_artifact (GovernClient, int)"),
        "{}",
        ran.stderr
    );
    assert!(
        ran.stderr.contains(
            "expected: get_artifact(self: GovernClient, artifact_id: String) -> GovernArtifact"
        ),
        "{}",
        ran.stderr
    );
    assert!(ran.stderr.contains("script.rhai:2:3"), "{}", ran.stderr);
}

#[test]
fn missing_host_or_key_says_how_to_set_them() {
    let ran = Run::new("govern().get_auth_info();").exits(EXIT_SCRIPT_ERROR);
    assert!(ran.stderr.contains("no Govern host"), "{}", ran.stderr);
    assert!(ran.stderr.contains("GOVERN_HOST"), "{}", ran.stderr);
    let ran = Run::new("govern().get_auth_info();")
        .env("GOVERN_HOST", "http://127.0.0.1:9")
        .exits(EXIT_SCRIPT_ERROR);
    assert!(ran.stderr.contains("no API key"), "{}", ran.stderr);
    assert!(ran.stderr.contains("--api-key"), "{}", ran.stderr);
}

#[test]
fn unreachable_host_is_named_without_backtrace() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("local addr").port();
    drop(listener);
    let host = format!("http://127.0.0.1:{port}");
    let ran = Run::new("govern().get_auth_info();")
        .env("GOVERN_HOST", &host)
        .env("GOVERN_API_KEY", "secret-key-value")
        .env("RUST_BACKTRACE", "1")
        .exits(EXIT_SCRIPT_ERROR);
    assert!(
        ran.stderr.contains(&format!("cannot connect to {host}")),
        "{}",
        ran.stderr
    );
    assert!(ran.stderr.contains("Connection refused"), "{}", ran.stderr);
    assert!(
        !ran.stderr.contains("backtrace") && !ran.stderr.contains("panicked"),
        "{}",
        ran.stderr
    );
    assert!(
        !ran.stderr.contains("secret-key-value"),
        "key leaked: {}",
        ran.stderr
    );
}

#[test]
fn bad_key_gets_401_and_the_key_is_never_shown() {
    let sandbox = Sandbox::start();
    let ran = Run::new("govern().get_auth_info();")
        .env("GOVERN_HOST", &sandbox.url)
        .env("GOVERN_API_KEY", "wrong-key-123456")
        .arg("--verbose")
        .exits(EXIT_SCRIPT_ERROR);
    assert!(ran.stderr.contains("HTTP 401"), "{}", ran.stderr);
    assert!(
        ran.stderr.contains("GET /dip/publicapi/auth/info"),
        "verbose logs the request: {}",
        ran.stderr
    );
    for text in [&ran.stdout, &ran.stderr] {
        assert!(!text.contains("wrong-key-123456"), "key leaked: {text}");
        assert!(!text.contains(ADMIN_KEY));
    }
}

#[test]
fn runaway_script_is_stopped_by_the_operation_limit() {
    let ran = Run::new("let i = 0;\nloop { i += 1; }\n")
        .arg("--max-operations")
        .arg("10000")
        .exits(EXIT_SCRIPT_ERROR);
    assert!(
        ran.stderr
            .contains("interrupted (--max-operations reached)"),
        "{}",
        ran.stderr
    );
    let ran = Run::new("fn f(n) { f(n + 1) }\nf(0);\n").exits(EXIT_SCRIPT_ERROR);
    assert!(
        ran.stderr.contains("Stack overflow"),
        "deep recursion is a script error, not a crash: {}",
        ran.stderr
    );
}

#[test]
fn script_arguments_and_exit_codes() {
    let ran = Run::new("print(ARGS.len()); print(ARGS[1]); exit(3);")
        .script_arg("a")
        .script_arg("b c")
        .run();
    assert_eq!(ran.code, 3, "exit(3) sets the code: {}", ran.stderr);
    assert_eq!(ran.stdout, "2\nb c\n");
    let ran = Run::new("debug(\"noise\"); print(\"out\");")
        .arg("--quiet")
        .run();
    assert_eq!(
        (ran.code, ran.stdout.as_str(), ran.stderr.as_str()),
        (0, "out\n", "")
    );
    let ran = Run::new("throw \"boom\";").exits(EXIT_SCRIPT_ERROR);
    assert!(ran.stderr.contains("boom"), "{}", ran.stderr);
    // Unused connection flags are fine (a host that is no URL is refused at start:
    // tests/connecting.rs).
    Run::new("").arg("--host").arg("http://x").exits(EXIT_OK);
}

#[test]
fn connection_from_a_profile() {
    let sandbox = Sandbox::start();
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "[profiles.local]\nhost = \"{}\"\napi_key_env = \"MY_LOCAL_KEY\"\n",
            sandbox.url
        ),
    )
    .expect("write config");
    let out = Run::new("print(govern().get_auth_info().authIdentifier);")
        .arg("--profile")
        .arg("local")
        .env(
            "GOVSCRIPT_CONFIG",
            config.to_str().expect("UTF-8 temp path"),
        )
        .env("MY_LOCAL_KEY", ADMIN_KEY)
        .ok();
    assert_eq!(out, "admin\n");
    let ran = Run::new("govern();")
        .arg("--profile")
        .arg("nope")
        .env(
            "GOVSCRIPT_CONFIG",
            config.to_str().expect("UTF-8 temp path"),
        )
        .exits(EXIT_SCRIPT_ERROR);
    assert!(
        ran.stderr.contains("profile 'nope' is not defined"),
        "{}",
        ran.stderr
    );
}

#[test]
fn unreadable_script_file_is_a_usage_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = dir.path().join("missing.rhai");
    let out = std::process::Command::new(bin())
        .arg("run")
        .arg(&missing)
        .output()
        .expect("run govscript");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(EXIT_USAGE), "{stderr}");
    assert!(stderr.contains("cannot read"), "{stderr}");
    assert!(stderr.contains("missing.rhai"), "{stderr}");
}
