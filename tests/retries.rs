//! Retries as one layer of the client, against a server that answers from a script of
//! canned responses and records what it was sent.
mod common;
use common::canned::{Answer, scripted, scripted_at};
use common::{EXIT_SCRIPT_ERROR, Run};
use std::time::Duration;

const OK_AUTH: Answer = Some(("200 OK", "", r#"{"authIdentifier": "admin"}"#));
/// A 503 asking for no wait (for tests about the number of attempts).
const UNAVAILABLE: Answer = Some(("503 Service Unavailable", "Retry-After: 0\r\n", "{}"));
/// A 503 asking for one second: ten times the longest backoff of a first retry
/// (100 ms), so a retry sooner than that did not follow the header.
const UNAVAILABLE_1S: Answer = Some(("503 Service Unavailable", "Retry-After: 1\r\n", "{}"));

fn run(url: &str, source: &str, extra: &[&str]) -> common::Ran {
    let mut run = Run::new(source)
        .env("GOVERN_HOST", url)
        .env("GOVERN_API_KEY", "k");
    for a in extra {
        run = run.arg(a);
    }
    run.run()
}

/// This test used `Retry-After: 0`, which a client ignoring the header passes as
/// well. Now the server asks for one second, and the retry must arrive no sooner (a
/// lower bound only: a slow machine cannot make it fail).
#[test]
fn a_503_is_retried_after_the_retry_after_it_names_and_the_summary_counts_it() {
    let (url, log) = scripted_at(vec![UNAVAILABLE_1S, UNAVAILABLE, OK_AUTH]);
    let ran = run(
        &url,
        "print(govern().get_auth_info().authIdentifier);",
        &["--verbose"],
    );
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert_eq!(ran.stdout.trim(), "admin");
    let log = log.lock().expect("log").clone();
    assert_eq!(log.len(), 3, "{log:?}");
    let waited = log[1].0 - log[0].0;
    assert!(
        waited >= Duration::from_millis(1000),
        "retried {waited:?} after a 503 with Retry-After: 1"
    );
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

/// Used `http://127.0.0.1:9`, assuming nothing listens on port 9; now a port bound and
/// released.
#[test]
fn a_server_that_stays_down_is_not_retried_forever() {
    // Connection refused on every attempt: three attempts, then the error.
    let ran = run(&common::unused_url(), "govern().get_auth_info();", &[]);
    assert_eq!(ran.code, EXIT_SCRIPT_ERROR);
    assert!(ran.stderr.contains("cannot connect"), "{}", ran.stderr);
    assert!(
        ran.stderr.contains("govscript: 3 requests, 2 retries"),
        "{}",
        ran.stderr
    );
}
