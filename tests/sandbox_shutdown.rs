//! Clean shutdown: SIGTERM or Ctrl-C stops `govscript sandbox`, even while a client holds
//! a half-sent request (drain for 5 s, then close). The bounds only catch a hang.
#![cfg(unix)]
mod common;

use common::{ADMIN_KEY, API, Sandbox, temp_db};
use govscript::sandbox::{SandboxConfig, start};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// Longest wait for an exit: only catches a hang (a request held open forever).
const HANG: Duration = Duration::from_secs(30);

/// A connection whose request body is half sent, once the server is reading it (it has
/// answered `100 Continue`).
fn half_sent_body(addr: &str) -> TcpStream {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(HANG)).expect("read timeout");
    write!(
        s,
        "PUT {API}/artifact/ar.1 HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Basic {}\r\nContent-Length: 1000\r\nExpect: 100-continue\r\n\r\n",
        base64_key()
    )
    .expect("write head");
    let mut seen = Vec::new();
    let mut byte = [0u8; 1];
    while !String::from_utf8_lossy(&seen).contains("100 Continue\r\n\r\n") {
        let n = s.read(&mut byte).expect("the server asks for the body");
        assert!(n > 0, "closed before asking for the body");
        seen.push(byte[0]);
    }
    s.write_all(b"{\"name\": ").expect("write half a body");
    s
}

/// A connection with half its request head sent, once the server has accepted it
/// (a request on a later connection has been answered).
fn half_sent_head(sb: &Sandbox) -> TcpStream {
    let mut s = TcpStream::connect(&sb.addr).expect("connect");
    write!(
        s,
        "PUT {API}/artifact/ar.1 HTTP/1.1\r\nHost: x\r\nContent-Le"
    )
    .expect("write");
    sb.ok("GET", &format!("{API}/instance-info"), None);
    s
}

fn base64_key() -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(format!("{ADMIN_KEY}:"))
}

/// A sandbox without demo data (its stderr kept out of the test's output).
fn spawn() -> (Sandbox, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let sb = Sandbox::with()
        .seed("none")
        .stderr(&dir.path().join("stderr.txt"))
        .start_in(dir.path());
    (sb, dir)
}

#[test]
fn sigterm_stops_the_sandbox_despite_a_half_sent_body() {
    let (mut sb, _dir) = spawn();
    let _held = half_sent_body(&sb.addr);
    sb.signal("-TERM");
    assert_eq!(sb.wait_exit(HANG), Some(0));
}

#[test]
fn ctrl_c_stops_the_sandbox_despite_half_sent_headers() {
    let (mut sb, _dir) = spawn();
    let _held = half_sent_head(&sb);
    sb.signal("-INT");
    assert_eq!(sb.wait_exit(HANG), Some(0));
}

#[test]
fn an_idle_sandbox_stops_on_sigterm() {
    let (mut sb, _dir) = spawn();
    sb.signal("-TERM");
    assert_eq!(sb.wait_exit(HANG), Some(0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_process_shutdown_is_bounded_too() {
    let (_d, db) = temp_db();
    let sb = start(SandboxConfig {
        db,
        admin_key: Some(ADMIN_KEY.into()),
        ..SandboxConfig::default()
    })
    .await
    .expect("start");
    let addr = sb.url.trim_start_matches("http://").to_string();
    let held = tokio::task::spawn_blocking(move || half_sent_body(&addr))
        .await
        .expect("half-sent request");
    tokio::time::timeout(HANG, sb.shutdown())
        .await
        .expect("the shutdown ends despite the half-sent request");
    drop(held);
}
