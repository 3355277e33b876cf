//! Shared helpers of the sandbox integration tests: start the real binary, raw HTTP.
#![allow(dead_code)]
use base64::Engine as _;
use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::Duration;

/// Kills and reaps the child process on drop.
struct ChildGuard(Child);

impl Drop for ChildGuard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A sandbox child process, killed on drop.
pub struct Sandbox {
    _child: ChildGuard,
    _stdout: BufReader<ChildStdout>,
    /// `127.0.0.1:PORT`.
    pub addr: String,
    /// Lines printed before the listening line.
    pub banner: Vec<String>,
    /// The admin key to use.
    pub key: String,
}

/// Starts `govscript sandbox --db DB --port 0 [extra args]`; waits for the listening line.
pub fn start(db: &Path, key: Option<&str>, extra: &[&str]) -> Sandbox {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_govscript"));
    cmd.arg("sandbox").arg("--db").arg(db).args(["--port", "0"]);
    if let Some(k) = key {
        cmd.args(["--admin-key", k]);
    }
    cmd.args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    let mut child = ChildGuard(cmd.spawn().expect("spawn govscript sandbox"));
    let stdout = child.0.stdout.take().expect("stdout");
    let mut reader = BufReader::new(stdout);
    let mut banner = Vec::new();
    let prefix = "govscript sandbox listening on http://";
    loop {
        let mut line = String::new();
        let n = reader.read_line(&mut line).expect("read stdout");
        assert!(n > 0, "sandbox exited before listening; output: {banner:?}");
        let line = line.trim_end().to_string();
        if let Some(addr) = line.strip_prefix(prefix) {
            return Sandbox {
                _child: child,
                _stdout: reader,
                addr: addr.to_string(),
                banner,
                key: key.unwrap_or("").to_string(),
            };
        }
        banner.push(line);
    }
}

/// A fresh temporary directory and a DB path inside it.
pub fn temp_db() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("x.db");
    (dir, db)
}

/// An HTTP response: status and parsed JSON body (`Null` when empty).
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub body: Value,
    pub raw: String,
}

impl Sandbox {
    /// Sends a request with the sandbox's admin key.
    pub fn call(&self, method: &str, target: &str, body: Option<&str>) -> Resp {
        self.call_with(method, target, body, Some(&self.key), &[])
    }

    /// Sends a request with an explicit key (or none) and extra headers.
    pub fn call_with(
        &self,
        method: &str,
        target: &str,
        body: Option<&str>,
        key: Option<&str>,
        headers: &[(&str, &str)],
    ) -> Resp {
        let mut s = TcpStream::connect(&self.addr).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(30))).ok();
        let mut req = format!(
            "{method} {target} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n",
            self.addr
        );
        if let Some(k) = key {
            let token = base64::engine::general_purpose::STANDARD.encode(format!("{k}:"));
            req.push_str(&format!("Authorization: Basic {token}\r\n"));
        }
        for (h, v) in headers {
            req.push_str(&format!("{h}: {v}\r\n"));
        }
        let body = body.unwrap_or("");
        if method != "GET" {
            req.push_str(&format!("Content-Length: {}\r\n", body.len()));
        }
        req.push_str("\r\n");
        req.push_str(body);
        s.write_all(req.as_bytes()).expect("write");
        let mut buf = Vec::new();
        s.read_to_end(&mut buf).expect("read");
        let text = String::from_utf8_lossy(&buf).to_string();
        let (head, rest) = text.split_once("\r\n\r\n").expect("http response");
        let status: u16 = head
            .split_whitespace()
            .nth(1)
            .and_then(|c| c.parse().ok())
            .expect("status");
        let chunked = head
            .to_ascii_lowercase()
            .contains("transfer-encoding: chunked");
        let raw = if chunked {
            dechunk(rest)
        } else {
            rest.to_string()
        };
        let body = if raw.trim().is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&raw).unwrap_or_else(|e| panic!("non-JSON body {raw:?}: {e}"))
        };
        Resp { status, body, raw }
    }

    /// Calls and asserts a 2xx status; returns the JSON body.
    pub fn ok(&self, method: &str, target: &str, body: Option<&str>) -> Value {
        let r = self.call(method, target, body);
        assert!(
            (200..300).contains(&r.status),
            "{method} {target} -> {} {}",
            r.status,
            r.raw
        );
        r.body
    }
}

fn dechunk(mut s: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = s.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        s = rest[n..].trim_start_matches("\r\n");
    }
    out
}

/// Asserts a Govern-style error with the given status whose detailed message contains `needle`.
pub fn assert_error(r: &Resp, status: u16, needle: &str) {
    assert_eq!(r.status, status, "unexpected status; body {}", r.raw);
    for k in ["errorType", "message", "detailedMessage"] {
        assert!(r.body[k].is_string(), "missing {k} in {}", r.raw);
    }
    let d = r.body["detailedMessage"].as_str().unwrap_or("");
    assert!(d.contains(needle), "{d:?} does not contain {needle:?}");
}
