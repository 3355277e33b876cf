//! Retries as one layer of the client, against a server that answers from a script of
//! canned responses and records what it was sent.
mod common;
use common::canned::{Answer, scripted};
use common::{EXIT_SCRIPT_ERROR, Run};

const OK_AUTH: Answer = Some(("200 OK", "", r#"{"authIdentifier": "admin"}"#));
const UNAVAILABLE: Answer = Some(("503 Service Unavailable", "Retry-After: 0\r\n", "{}"));

fn run(url: &str, source: &str, extra: &[&str]) -> common::Ran {
    let mut run = Run::new(source)
        .env("GOVERN_HOST", url)
        .env("GOVERN_API_KEY", "k");
    for a in extra {
        run = run.arg(a);
    }
    run.run()
}

#[test]
fn a_503_is_retried_after_retry_after_and_the_summary_counts_it() {
    let (url, log) = scripted(vec![UNAVAILABLE, UNAVAILABLE, OK_AUTH]);
    let ran = run(
        &url,
        "print(govern().get_auth_info().authIdentifier);",
        &["--verbose"],
    );
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert_eq!(ran.stdout.trim(), "admin");
    assert_eq!(log.lock().expect("log").len(), 3);
    assert!(
        ran.stderr.contains("govscript: 3 requests, 2 retries"),
        "{}",
        ran.stderr
    );
    assert!(
        ran.stderr.contains("retrying GET /dip/publicapi/auth/info"),
        "{}",
        ran.stderr
    );
}

#[test]
fn attempts_stop_at_the_retries_flag() {
    let (url, log) = scripted(vec![UNAVAILABLE]);
    let ran = run(&url, "govern().get_auth_info();", &["--retries", "2"]);
    assert_eq!(ran.code, EXIT_SCRIPT_ERROR, "{}", ran.stderr);
    assert!(ran.stderr.contains("HTTP 503"), "{}", ran.stderr);
    assert_eq!(log.lock().expect("log").len(), 2);
    let (url, log) = scripted(vec![UNAVAILABLE]);
    run(&url, "govern().get_auth_info();", &["--retries", "1"]);
    assert_eq!(log.lock().expect("log").len(), 1);
}

#[test]
fn a_dropped_read_is_retried_but_a_4xx_is_not() {
    let (url, log) = scripted(vec![None, OK_AUTH]);
    let ran = run(&url, "print(govern().get_auth_info().authIdentifier);", &[]);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert_eq!(log.lock().expect("log").len(), 2);
    let (url, log) = scripted(vec![Some((
        "404 Not Found",
        "",
        r#"{"errorType": "NotFound", "message": "no"}"#,
    ))]);
    let ran = run(&url, "govern().get_auth_info();", &[]);
    assert_eq!(ran.code, EXIT_SCRIPT_ERROR);
    assert_eq!(log.lock().expect("log").len(), 1);
}

#[test]
fn a_create_whose_answer_was_lost_is_looked_up_not_sent_twice() {
    // Stamped after the create left, by the server's clock (its `Date`): the created one.
    let found = r#"{"uiArtifacts": [{"artifact": {"id": "ar.7", "name": "Model X", "createdOn": 10000}}], "hasNextPage": false}"#;
    let date = "Date: Thu, 01 Jan 1970 00:00:10 GMT\r\n";
    let (url, log) = scripted(vec![None, Some(("200 OK", date, found))]);
    let source = r#"
let a = govern().create_artifact(#{
    blueprintVersionId: #{ blueprintId: "bp.model_review", versionId: "bv.v1" },
    name: "Model X", fields: #{} });
print(a.artifact_id);
"#;
    let ran = run(&url, source, &[]);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert_eq!(ran.stdout.trim(), "ar.7");
    assert_eq!(
        *log.lock().expect("log"),
        [
            "POST /dip/publicapi/artifacts",
            "POST /dip/publicapi/artifacts/search"
        ]
    );
}

#[test]
fn a_create_whose_answer_was_lost_and_not_applied_is_sent_once_more() {
    let none = r#"{"uiArtifacts": [], "hasNextPage": false}"#;
    let created = r#"{"artifactId": "ar.8"}"#;
    let (url, log) = scripted(vec![
        None,
        Some(("200 OK", "", none)),
        Some(("200 OK", "", created)),
    ]);
    let source = r#"
let a = govern().create_artifact(#{
    blueprintVersionId: #{ blueprintId: "bp.model_review", versionId: "bv.v1" },
    name: "Model Y", fields: #{} });
print(a.artifact_id);
"#;
    let ran = run(&url, source, &[]);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert_eq!(ran.stdout.trim(), "ar.8");
    assert_eq!(
        *log.lock().expect("log"),
        [
            "POST /dip/publicapi/artifacts",
            "POST /dip/publicapi/artifacts/search",
            "POST /dip/publicapi/artifacts"
        ]
    );
}

#[test]
fn a_server_that_stays_down_is_not_retried_forever() {
    // Connection refused on every attempt: three attempts, then the error.
    let ran = run("http://127.0.0.1:9", "govern().get_auth_info();", &[]);
    assert_eq!(ran.code, EXIT_SCRIPT_ERROR);
    assert!(ran.stderr.contains("cannot connect"), "{}", ran.stderr);
    assert!(
        ran.stderr.contains("govscript: 3 requests, 2 retries"),
        "{}",
        ran.stderr
    );
}
