//! Bounded connections (issue 11 §5): request heads must arrive within the header-read
//! timeout, idle keep-alive connections are closed, connections past the cap get a clear
//! 503 instead of a hang, and a request waiting on the database holds no async worker.
mod common;

use common::{API, Sandbox, assert_error};
use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Longest a test waits for the sandbox to close a connection: only catches a hang.
const HANG: Duration = Duration::from_secs(30);

fn connect(sb: &Sandbox) -> TcpStream {
    let s = TcpStream::connect(&sb.addr).expect("connect");
    s.set_read_timeout(Some(HANG)).expect("read timeout");
    s
}

/// Reads until the server closes `s` (EOF or reset) and returns what it sent; panics if
/// it is still open after [`HANG`].
fn read_until_closed(s: &mut TcpStream) -> String {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        match s.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == ErrorKind::ConnectionReset => break,
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                panic!("the sandbox kept the connection open for {HANG:?}")
            }
            Err(e) => panic!("read: {e}"),
        }
    }
    String::from_utf8_lossy(&buf).into_owned()
}

#[test]
fn slow_header_connections_are_no_longer_held_open() {
    let sb = Sandbox::with().arg("--header-timeout").arg("1").start();
    // Half a head, then nothing more.
    let mut held: Vec<TcpStream> = (0..20)
        .map(|_| {
            let mut s = connect(&sb);
            write!(s, "GET {API}/blueprints HTTP/1.1\r\nHost: x\r\nX-Sl").expect("write");
            s
        })
        .collect();
    // A head sent a byte at a time: bytes keep coming, yet the head never completes.
    let mut trickle = connect(&sb);
    let started = Instant::now();
    let closed = loop {
        if trickle.write_all(b"X").is_err() {
            break true;
        }
        let mut probe = [0u8; 1];
        trickle
            .set_read_timeout(Some(Duration::from_millis(100)))
            .expect("read timeout");
        match trickle.read(&mut probe) {
            Ok(0) => break true,
            Err(e) if e.kind() == ErrorKind::ConnectionReset => break true,
            _ if started.elapsed() > HANG => break false,
            _ => {}
        }
    };
    assert!(
        closed,
        "a trickled head kept its connection open for {HANG:?}"
    );
    for s in &mut held {
        // Closed without an answer.
        assert_eq!(read_until_closed(s), "");
    }
    // Still serving.
    sb.ok("GET", &format!("{API}/blueprints"), None);
}

#[test]
fn an_idle_keep_alive_connection_is_no_longer_held_open() {
    let sb = Sandbox::with().arg("--header-timeout").arg("1").start();
    let mut s = connect(&sb);
    write!(
        s,
        "GET {API}/instance-info HTTP/1.1\r\nHost: x\r\nAuthorization: Basic {}\r\n\r\n",
        basic(&sb.key)
    )
    .expect("write");
    // The answer, then the close once the connection has idled past the timeout.
    let answer = read_until_closed(&mut s);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("GOVERN"), "{answer}");
}

#[test]
fn idle_connections_past_the_fd_limit_no_longer_make_the_sandbox_unreachable() {
    // 64 descriptors: before the cap, ~50 idle connections left the sandbox unable to
    // accept another one, and a real request hung.
    let sb = Sandbox::with()
        .fd_limit(64)
        .arg("--max-connections")
        .arg("16")
        .arg("--header-timeout")
        .arg("120")
        .start();
    let idle: Vec<TcpStream> = (0..100).map(|_| connect(&sb)).collect();
    let r = sb.call("GET", &format!("{API}/blueprints"), None);
    assert_error(
        &r,
        503,
        "Too many open connections to the sandbox (at most 16)",
    );
    drop(idle);
    // Once they are closed, requests are served again (slots free as the server sees
    // each close; the answer is either a 503 or the blueprints, never a hang).
    let deadline = Instant::now() + HANG;
    loop {
        let r = sb.call("GET", &format!("{API}/blueprints"), None);
        if r.status == 200 {
            assert!(
                r.body.as_array().is_some_and(|a| !a.is_empty()),
                "{}",
                r.raw
            );
            break;
        }
        assert_error(&r, 503, "Too many open connections");
        assert!(Instant::now() < deadline, "still refused after {HANG:?}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_connection_past_the_cap_gets_a_503_with_retry_after() {
    let sb = Sandbox::with()
        .arg("--max-connections")
        .arg("2")
        .arg("--header-timeout")
        .arg("120")
        .start();
    let _idle: Vec<TcpStream> = (0..2).map(|_| connect(&sb)).collect();
    let mut s = connect(&sb);
    write!(s, "GET {API}/blueprints HTTP/1.1\r\nHost: x\r\n\r\n").expect("write");
    let answer = read_until_closed(&mut s);
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
    let lower = answer.to_ascii_lowercase();
    assert!(lower.contains("retry-after: 1"), "{answer}");
    assert!(lower.contains("connection: close"), "{answer}");
    assert!(
        answer.contains("com.dataiku.dip.exceptions.ServiceUnavailableException"),
        "{answer}"
    );
}

#[test]
fn a_write_meeting_a_locked_database_waits_for_it_without_blocking_reads() {
    let sb = Sandbox::start();
    // Another process holds SQLite's write lock. The sandbox's next write used to fail at
    // once ("database is locked"); it waits for the lock, and meanwhile (it used to hold
    // the one connection's mutex on an async worker) reads are answered.
    let lock = rusqlite::Connection::open(&sb.db).expect("open the sandbox database");
    lock.execute_batch("BEGIN IMMEDIATE")
        .expect("take the write lock");
    let put_done = AtomicBool::new(false);
    let (read, put_finished_first, put) = std::thread::scope(|scope| {
        let writer = scope.spawn(|| {
            let body = r#"{"name": "Renamed while locked"}"#;
            let r = sb.call("PUT", &format!("{API}/artifact/ar.1"), Some(body));
            put_done.store(true, Ordering::SeqCst);
            r
        });
        // The PUT has reached its handler once it is recorded.
        let deadline = Instant::now() + HANG;
        while !sb.recorded().iter().any(|r| r["method"] == "PUT") {
            assert!(
                Instant::now() < deadline,
                "the PUT never reached the sandbox"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
        // While the PUT waits on the lock, a read is answered.
        let read = sb.ok("GET", &format!("{API}/artifact/ar.1"), None);
        let put_finished_first = put_done.load(Ordering::SeqCst);
        lock.execute_batch("ROLLBACK").expect("release the lock");
        (
            read,
            put_finished_first,
            writer.join().expect("writer thread"),
        )
    });
    assert!(
        !put_finished_first,
        "the read waited for the write to give up: {}",
        put.raw
    );
    assert_eq!(read["artifact"]["id"], "ar.1");
    assert_eq!(put.status, 200, "{}", put.raw);
    assert_eq!(
        sb.ok("GET", &format!("{API}/artifact/ar.1"), None)["artifact"]["name"],
        "Renamed while locked"
    );
}

fn basic(key: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(format!("{key}:"))
}
