//! The harness's own promises: `expect_error` (the engine's) cannot swallow a call
//! that should have failed, and plain and raw HTTP reach the same sandbox.
mod common;
use common::{API, EXIT_SCRIPT_ERROR, Sandbox};

#[test]
fn expect_error_returns_the_govern_error() {
    let sandbox = Sandbox::start();
    sandbox
        .script(
            r#"
let client = govern();
let e = expect_error(|| client.get_artifact("nope").get_definition());
assert_eq([e.status, e.operation], [404, "GovernArtifact.get_definition"]);
"#,
        )
        .ok();
}

#[test]
fn expect_error_fails_the_script_when_the_call_succeeds() {
    let sandbox = Sandbox::start();
    let ran = sandbox
        .script(
            "let client = govern();\nlet e = expect_error(|| client.get_artifact(\"ar.1\").get_definition(), \"ar.1 was found\");\nprint(\"unreached\");\n",
        )
        .exits(EXIT_SCRIPT_ERROR);
    assert!(
        ran.stderr.contains("expected an error, but ar.1 was found"),
        "{}",
        ran.stderr
    );
    assert!(
        ran.stderr.contains("script.rhai:2:"),
        "the caller's line is named: {}",
        ran.stderr
    );
    assert!(!ran.stdout.contains("unreached"));
    let ran = sandbox
        .script("expect_error(|| 1 + 1);\n")
        .exits(EXIT_SCRIPT_ERROR);
    assert!(
        ran.stderr
            .contains("expected an error, but the call succeeded"),
        "{}",
        ran.stderr
    );
}

#[test]
fn plain_and_raw_http_agree() {
    let sandbox = Sandbox::start();
    let target = format!("{API}/artifact/ar.1");
    let plain = sandbox.call("GET", &target, None);
    let raw = sandbox.call_raw("GET", &target, None);
    assert_eq!((plain.status, &plain.body), (raw.status, &raw.body));
    assert_eq!(plain.body["artifact"]["id"], "ar.1");
}
