//! Bounded memory and time per request: authentication before any body is read, body,
//! header and URL caps answered with Govern-style JSON errors, bounded `--record` lines.
mod common;

use base64::Engine as _;
use common::{ADMIN_KEY, API, Resp, Sandbox, assert_error};
use serde_json::{Value, json};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// Sends `head` (request line and headers, without the blank line) and `body` over a raw
/// socket without closing it, then reads the answer's status line and JSON body. An answer
/// that needs the rest of an announced body never comes: the read times out (a bound that
/// only catches that hang) and the test fails.
fn raw(sb: &Sandbox, head: &str, body: &[u8]) -> Resp {
    let mut s = TcpStream::connect(&sb.addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(30))).ok();
    s.write_all(format!("{head}\r\nHost: {}\r\n\r\n", sb.addr).as_bytes())
        .expect("write head");
    s.write_all(body).expect("write body");
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    // Read until the JSON body is complete (the connection may stay open).
    loop {
        match s.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
        let text = String::from_utf8_lossy(&buf);
        if text
            .split_once("\r\n\r\n")
            .is_some_and(|(_, b)| b.trim_end().ends_with('}'))
        {
            break;
        }
    }
    let text = String::from_utf8_lossy(&buf).to_string();
    let (status_head, rest) = text.split_once("\r\n\r\n").expect("an HTTP answer");
    let status = status_head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .expect("status");
    let body: Value = serde_json::from_str(rest.trim()).unwrap_or(Value::Null);
    Resp {
        status,
        body,
        raw: rest.to_string(),
    }
}

fn auth_header() -> String {
    let token = base64::engine::general_purpose::STANDARD.encode(format!("{ADMIN_KEY}:"));
    format!("Authorization: Basic {token}")
}

#[test]
fn a_request_without_a_key_is_refused_before_its_body_is_read() {
    let sb = Sandbox::start();
    // 8 MiB announced (under the cap), 1 KiB sent: answering at all proves the body
    // was not awaited.
    let head = format!(
        "PUT {API}/artifact/ar.1 HTTP/1.1\r\nContent-Length: {}",
        8 << 20
    );
    let r = raw(&sb, &head, &[b' '; 1024]);
    assert_error(&r, 401, "No API key provided");
    let rec = sb.recorded();
    let last = rec.last().expect("recorded");
    assert_eq!(last["refused"], 401);
    assert_eq!(last["body"], "");
}

#[test]
fn a_body_over_the_cap_is_a_govern_413() {
    let sb = Sandbox::with().arg("--max-body-bytes").arg("1024").start();
    let big = json!({ "name": "x".repeat(2000) }).to_string();
    let r = sb.call("PUT", &format!("{API}/artifact/ar.1"), Some(&big));
    assert_error(
        &r,
        413,
        "Request body too large: at most 1024 bytes accepted",
    );
    // Chunked, with no length announced: refused once the cap is passed.
    let chunk = "y".repeat(600);
    let chunked = format!("258\r\n{chunk}\r\n258\r\n{chunk}\r\n0\r\n\r\n");
    let head = format!(
        "PUT {API}/artifact/ar.1 HTTP/1.1\r\n{}\r\nTransfer-Encoding: chunked",
        auth_header()
    );
    let r = raw(&sb, &head, chunked.as_bytes());
    assert_error(&r, 413, "Request body too large");
    assert_eq!(
        sb.ok("GET", &format!("{API}/artifact/ar.1"), None)["artifact"]["name"],
        "Churn model"
    );
}

#[test]
fn the_default_cap_refuses_an_announced_17_mib_body_at_once() {
    let sb = Sandbox::start();
    let head = format!(
        "PUT {API}/artifact/ar.1 HTTP/1.1\r\n{}\r\nContent-Length: {}",
        auth_header(),
        17 << 20
    );
    // Not one body byte sent: answering at all proves none was awaited.
    let r = raw(&sb, &head, b"");
    assert_error(&r, 413, "at most 16777216 bytes accepted");
}

#[test]
fn bodies_above_axums_2_mib_default_but_under_the_cap_are_accepted() {
    let sb = Sandbox::start();
    let name = "n".repeat(3 << 20);
    let body = json!({ "name": name }).to_string();
    let saved = sb.ok("PUT", &format!("{API}/artifact/ar.1"), Some(&body));
    assert_eq!(
        saved["artifact"]["name"].as_str().map(str::len),
        Some(3 << 20)
    );
    // --record keeps a 64 KiB prefix, marked as cut.
    let rec = sb.recorded();
    let put = rec
        .iter()
        .rfind(|r| r["method"] == "PUT")
        .expect("recorded PUT");
    assert_eq!(put["body"].as_str().map(str::len), Some(64 << 10));
    assert_eq!(put["truncated"], true);
    assert_eq!(put["bodyBytes"], body.len());
}

#[test]
fn an_overlong_url_is_a_json_414() {
    let sb = Sandbox::start();
    let r = sb.call("GET", &format!("{API}/artifact/{}", "a".repeat(9000)), None);
    assert_error(&r, 414, "Request URL too long");
    let r = sb.call(
        "GET",
        &format!("{API}/blueprints?x={}", "q".repeat(9000)),
        None,
    );
    assert_error(&r, 414, "at most 8192 accepted");
}

#[test]
fn oversized_headers_are_a_json_431() {
    let sb = Sandbox::start();
    let pad = "p".repeat(40 << 10);
    let r = sb.call_with(
        "GET",
        &format!("{API}/blueprints"),
        None,
        Some(ADMIN_KEY),
        &[("X-Pad", &pad)],
    );
    assert_error(&r, 431, "Request headers too large");
    // Still serving.
    sb.ok("GET", &format!("{API}/blueprints"), None);
}
