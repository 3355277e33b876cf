//! Retries as one layer of the client, against a server that answers from a script of
//! canned responses and records what it was sent.
mod common;
use common::{EXIT_SCRIPT_ERROR, Run};
use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

/// One canned answer: status line, extra header lines, body. `None` drops the
/// connection after reading the request (the outcome is unknown to the client).
type Answer = Option<(&'static str, &'static str, &'static str)>;

/// Serves `answers` in order, one per request (the last one repeats); returns the URL
/// and the log of `METHOD target` received.
fn scripted(answers: Vec<Answer>) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let log: Arc<Mutex<Vec<String>>> = Arc::default();
    let seen = log.clone();
    let mut queue: VecDeque<Answer> = answers.into();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut request_line = String::new();
            if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
                continue;
            }
            let mut length = 0;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            let target: Vec<&str> = request_line.split_whitespace().take(2).collect();
            seen.lock().expect("log").push(target.join(" "));
            let answer = if queue.len() > 1 {
                queue.pop_front().flatten()
            } else {
                queue.front().cloned().flatten()
            };
            if let Some((status, headers, body)) = answer {
                let _ = stream.write_all(
                    format!(
                        "HTTP/1.1 {status}\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                        body.len()
                    )
                    .as_bytes(),
                );
            }
            // Dropping the stream closes the connection (without an answer for `None`).
        }
    });
    (url, log)
}

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
    let found = r#"{"uiArtifacts": [{"artifact": {"id": "ar.7", "name": "Model X", "createdOn": 5}}], "hasNextPage": false}"#;
    let (url, log) = scripted(vec![None, Some(("200 OK", "", found))]);
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
