//! Clean shutdown: SIGTERM or Ctrl-C stops `govscript sandbox` within a bounded time,
//! even while a client holds a half-sent request (drain for 5 s, then close).
#![cfg(unix)]
mod common;

use common::{ADMIN_KEY, API, bin, temp_db};
use govscript::sandbox::{DRAIN_TIMEOUT, SandboxConfig, start};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A sandbox process and its address (the harness's `Sandbox` hides the child's pid).
fn spawn(db: &std::path::Path) -> (Child, String) {
    let mut child = Command::new(bin())
        .args(["sandbox", "--port", "0", "--seed", "none"])
        .arg("--db")
        .arg(db)
        .env("GOVSCRIPT_SANDBOX_ADMIN_KEY", ADMIN_KEY)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start sandbox");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let addr = loop {
        let line = lines.next().expect("listening line").expect("read");
        if let Some((_, url)) = line.split_once("listening on http://") {
            break url.trim().to_string();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    (child, addr)
}

fn signal(child: &Child, sig: &str) {
    let ok = Command::new("kill")
        .args([sig, &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(ok.success());
}

/// Waits for the exit; returns its code and how long it took.
fn wait_exit(child: &mut Child, limit: Duration) -> (Option<i32>, Duration) {
    let t = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("try_wait") {
            return (status.code(), t.elapsed());
        }
        if t.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the sandbox did not exit within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn half_sent(addr: &str, head_only: bool) -> TcpStream {
    let mut s = TcpStream::connect(addr).expect("connect");
    let text = if head_only {
        format!("PUT {API}/artifact/ar.1 HTTP/1.1\r\nHost: {addr}\r\nContent-Le")
    } else {
        format!(
            "PUT {API}/artifact/ar.1 HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Basic {}\r\nContent-Length: 1000\r\n\r\n{{\"name\": ",
            base64_key()
        )
    };
    s.write_all(text.as_bytes()).expect("write");
    std::thread::sleep(Duration::from_millis(300));
    s
}

fn base64_key() -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(format!("{ADMIN_KEY}:"))
}

#[test]
fn sigterm_stops_the_sandbox_within_the_drain_timeout_despite_a_half_sent_body() {
    let (_d, db) = temp_db();
    let (mut child, addr) = spawn(&db);
    let _held = half_sent(&addr, false);
    signal(&child, "-TERM");
    let (code, took) = wait_exit(&mut child, Duration::from_secs(8));
    assert_eq!(code, Some(0));
    assert!(took < DRAIN_TIMEOUT + Duration::from_secs(1), "{took:?}");
}

#[test]
fn ctrl_c_stops_the_sandbox_despite_half_sent_headers() {
    let (_d, db) = temp_db();
    let (mut child, addr) = spawn(&db);
    let _held = half_sent(&addr, true);
    signal(&child, "-INT");
    let (code, took) = wait_exit(&mut child, Duration::from_secs(8));
    assert_eq!(code, Some(0));
    assert!(took < DRAIN_TIMEOUT + Duration::from_secs(1), "{took:?}");
}

#[test]
fn an_idle_sandbox_stops_at_once() {
    let (_d, db) = temp_db();
    let (mut child, _addr) = spawn(&db);
    signal(&child, "-TERM");
    let (code, took) = wait_exit(&mut child, Duration::from_secs(8));
    assert_eq!(code, Some(0));
    assert!(took < Duration::from_secs(2), "{took:?}");
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
    let held = tokio::task::spawn_blocking(move || half_sent(&addr, false))
        .await
        .expect("half-sent request");
    let t = Instant::now();
    sb.shutdown().await;
    assert!(
        t.elapsed() < DRAIN_TIMEOUT + Duration::from_secs(1),
        "{:?}",
        t.elapsed()
    );
    drop(held);
}
