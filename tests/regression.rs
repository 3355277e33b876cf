//! One test per defect found by the adversarial pass (issue 8, item 6), each named
//! after what it used to do wrong.
mod common;
use common::canned::answering;
use common::{ADMIN_KEY, EXIT_SCRIPT_ERROR, Run, Sandbox};

/// Runs `source` against `host`.
fn run_against(host: &str, source: &str) -> common::Ran {
    Run::new(source)
        .env("GOVERN_HOST", host)
        .env("GOVERN_API_KEY", "k")
        .run()
}

#[test]
fn exit_with_a_negative_fractional_text_or_too_large_code_no_longer_succeeds() {
    for (call, shown) in [
        ("exit(-1)", "-1 (i64)"),
        ("exit(\"x\")", "\"x\" (string)"),
        ("exit(2.5)", "2.5 (f64)"),
        ("exit(256)", "256 (i64)"),
    ] {
        let ran = Run::new(&format!("{call};\n")).exits(EXIT_SCRIPT_ERROR);
        assert!(
            ran.stderr.contains(&format!(
                "exit code must be an integer from 0 to 255, not {shown}"
            )),
            "{call}: {}",
            ran.stderr
        );
    }
    Run::new("exit(255);").exits(255);
    Run::new("exit();").exits(0);
}

#[test]
fn nan_or_infinity_in_a_field_is_no_longer_saved_as_null() {
    let sandbox = Sandbox::start();
    let ran = sandbox
        .script(
            "let d = govern().get_artifact(\"ar.1\").get_definition();\n\
             d.raw.fields.score = 0.0 / 0.0;\n",
        )
        .exits(EXIT_SCRIPT_ERROR);
    assert!(
        ran.stderr
            .contains("fields.score: NaN cannot be stored in JSON"),
        "{}",
        ran.stderr
    );
    let ran = sandbox
        .script("govern().create_artifact(#{ name: \"x\", fields: #{ w: [1, 1.0 / 0.0] } });\n")
        .exits(EXIT_SCRIPT_ERROR);
    assert!(
        ran.stderr
            .contains("fields.w[1]: inf cannot be stored in JSON"),
        "{}",
        ran.stderr
    );
    // Nothing was written.
    assert!(sandbox.recorded().iter().all(|r| r["method"] == "GET"));
}

#[test]
fn a_2xx_answer_of_the_wrong_shape_is_no_longer_accepted() {
    let null_artifact = answering("200 OK", "", r#"{"artifact": null}"#);
    let ran = run_against(
        &null_artifact,
        "govern().get_artifact(\"ar.1\").get_definition();",
    );
    assert_eq!(ran.code, EXIT_SCRIPT_ERROR, "{}", ran.stderr);
    assert!(
        ran.stderr.contains(
            "GovernArtifact.get_definition: expected an object under 'artifact', got null \
             (GET /dip/publicapi/artifact/ar.1)"
        ),
        "{}",
        ran.stderr
    );
    let list = answering("200 OK", "", "[1,2,3]");
    let ran = run_against(&list, "govern().get_artifact(\"ar.1\").get_definition();");
    assert!(
        ran.stderr
            .contains("expected an object under 'artifact', got an array")
            || ran.stderr.contains("expected a JSON object, got an array"),
        "{}",
        ran.stderr
    );
    let object = answering("200 OK", "", r#"{"items": []}"#);
    let ran = run_against(&object, "govern().list_blueprints();");
    assert!(
        ran.stderr
            .contains("GovernClient.list_blueprints: expected a JSON array, got an object"),
        "{}",
        ran.stderr
    );
}

#[test]
fn a_302_on_a_put_is_no_longer_followed_and_reported_as_saved() {
    let redirecting = answering(
        "302 Found",
        "Location: http://127.0.0.1:9/elsewhere\r\n",
        "",
    );
    let source = "let d = govern().get_artifact(\"ar.1\");\nd.delete();\n";
    let ran = run_against(&redirecting, source);
    assert_eq!(ran.code, EXIT_SCRIPT_ERROR, "{}", ran.stderr);
    assert!(
        ran.stderr.contains(
            "GovernArtifact.delete: HTTP 302: the server redirected the request to \
             http://127.0.0.1:9/elsewhere"
        ),
        "{}",
        ran.stderr
    );
}

#[test]
fn an_html_502_no_longer_pastes_raw_html_into_the_error() {
    let page = "<html><head><title>502 Bad Gateway</title></head><body>\
                <center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>";
    let proxy = answering("502 Bad Gateway", "Content-Type: text/html\r\n", page);
    let ran = run_against(&proxy, "govern().get_auth_info();");
    assert_eq!(ran.code, EXIT_SCRIPT_ERROR, "{}", ran.stderr);
    assert!(
        ran.stderr
            .contains("HTTP 502 Unknown error: Bad Gateway: 502 Bad Gateway 502 Bad Gateway nginx"),
        "{}",
        ran.stderr
    );
    assert!(!ran.stderr.contains("<html>"), "{}", ran.stderr);
}

#[test]
fn timeout_zero_no_longer_becomes_one_second() {
    let ran = Run::new("print(1);")
        .arg("--timeout")
        .arg("0")
        .exits(common::EXIT_USAGE);
    assert!(ran.stderr.contains("--timeout"), "{}", ran.stderr);
    let ran = Run::new("GovernClient(\"http://127.0.0.1:9\", \"k\", #{ timeout: 0 });")
        .exits(EXIT_SCRIPT_ERROR);
    assert!(
        ran.stderr
            .contains("timeout must be at least 1 second, not 0"),
        "{}",
        ran.stderr
    );
}

#[test]
fn a_method_called_on_unit_no_longer_repeats_each_signature() {
    let ran = Run::new("let x = ();\nx.get_definition();\n").exits(EXIT_SCRIPT_ERROR);
    let lines: Vec<&str> = ran
        .stderr
        .lines()
        .filter(|l| l.contains("expected: get_definition("))
        .collect();
    let mut unique = lines.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(lines.len(), unique.len(), "{}", ran.stderr);
    assert!(lines.len() >= 6, "{}", ran.stderr);
}

#[test]
fn a_600_kb_failing_line_is_no_longer_echoed_whole() {
    // Rhai's columns stop at 65535, so the error comes first on the line.
    let source = format!(
        "let x = 1; x.nope(); let y = \"{}\";\n",
        "a".repeat(600_000)
    );
    let ran = Run::new(&source).exits(EXIT_SCRIPT_ERROR);
    assert!(ran.stderr.len() < 2_000, "{} bytes", ran.stderr.len());
    assert!(ran.stderr.contains("x.nope()"), "{}", ran.stderr);
    assert!(ran.stderr.contains('…'), "{}", ran.stderr);
}

#[test]
fn log_lines_no_longer_carry_colour_when_redirected() {
    let sandbox = Sandbox::start();
    let ran = Run::new("govern().get_auth_info();")
        .arg("--verbose")
        .env("GOVERN_HOST", &sandbox.url)
        .env("GOVERN_API_KEY", ADMIN_KEY)
        .run();
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert!(
        ran.stderr.contains("GET /dip/publicapi/auth/info -> 200"),
        "{}",
        ran.stderr
    );
    assert!(!ran.stderr.contains('\u{1b}'), "{:?}", ran.stderr);
}

#[test]
fn an_answer_with_invalid_utf8_was_accepted_lossily() {
    // "café" in Latin-1: saved back, it would have become "caf\u{FFFD}".
    let host = common::canned::answering_bytes(
        "200 OK",
        b"{\"artifact\": {\"id\": \"ar.1\", \"name\": \"caf\xe9\"}}",
    );
    let ran = run_against(
        &host,
        "let e = expect_error(|| govern().get_artifact(\"ar.1\").get_definition());\n\
         print(`${e.error_type}|${e.message}`);\n",
    );
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert_eq!(
        ran.stdout.trim(),
        "InvalidResponse|the answer is not valid UTF-8 (at byte 40)"
    );
}
