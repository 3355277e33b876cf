//! Plain HTTP to a sandbox through reqwest, and raw sockets for the few tests where the
//! bytes on the wire are the point.
use crate::common::{API, Sandbox};
use base64::Engine as _;
use serde_json::Value;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::LazyLock;
use std::time::Duration;

/// One runtime for every request of a test binary; callers block on it from any thread.
pub(crate) static RUNTIME: LazyLock<tokio::runtime::Runtime> = LazyLock::new(|| {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("tokio runtime for test HTTP")
});

pub(crate) static CLIENT: LazyLock<reqwest::Client> = LazyLock::new(|| {
    // govscript builds reqwest without a default TLS provider.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .expect("reqwest client")
});

/// An HTTP response: status and JSON body (`Null` when empty).
#[derive(Debug)]
pub struct Resp {
    /// Status code.
    pub status: u16,
    /// Parsed body.
    pub body: Value,
    /// Body text.
    pub raw: String,
}

impl Resp {
    fn new(status: u16, raw: String) -> Self {
        let body = if raw.trim().is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&raw).unwrap_or_else(|e| panic!("non-JSON body {raw:?}: {e}"))
        };
        Self { status, body, raw }
    }
}

impl Sandbox {
    /// Sends a request with the sandbox's admin key. Bodies go without a Content-Type,
    /// as the Python client sends them.
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
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("HTTP method");
        let mut req = CLIENT.request(method.clone(), format!("{}{target}", self.url));
        if let Some(k) = key {
            req = req.basic_auth(k, Some(""));
        }
        for (h, v) in headers {
            req = req.header(*h, *v);
        }
        if method != reqwest::Method::GET {
            req = req.body(body.unwrap_or("").to_string());
        }
        RUNTIME.block_on(async {
            let r = req.send().await.unwrap_or_else(|e| panic!("{target}: {e}"));
            let status = r.status().as_u16();
            Resp::new(status, r.text().await.expect("response body"))
        })
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

    /// Every artifact (its `artifact` document), page by page through the search API,
    /// with the admin key.
    pub fn all_artifacts(&self) -> Vec<Value> {
        let mut out = Vec::new();
        let mut last = Value::Null;
        loop {
            let body = serde_json::json!({
                "artifactSearchSource": {"type": "all"},
                "artifactFilters": [],
                "artifactSearchPagination": {"pageSize": 500, "lastArtifactId": last},
            });
            let page = self.ok(
                "POST",
                &format!("{API}/artifacts/search"),
                Some(&body.to_string()),
            );
            let hits = page["uiArtifacts"]
                .as_array()
                .unwrap_or_else(|| panic!("search answer without uiArtifacts: {page}"));
            out.extend(hits.iter().map(|h| h["artifact"].clone()));
            match hits.last() {
                Some(hit) if page["hasNextPage"] == true => last = hit["artifact"]["id"].clone(),
                _ => return out,
            }
        }
    }

    /// One artifact's `fields`, read over plain HTTP (not through govscript).
    pub fn fields(&self, artifact_id: &str) -> Value {
        self.ok("GET", &format!("{API}/artifact/{artifact_id}"), None)["artifact"]["fields"].clone()
    }

    /// Sends `target` byte for byte over a raw socket (HTTP clients normalise paths and
    /// framing; use this only where those bytes are what the test is about).
    pub fn call_raw(&self, method: &str, target: &str, body: Option<&str>) -> Resp {
        let mut s = TcpStream::connect(&self.addr).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(30))).ok();
        let token = base64::engine::general_purpose::STANDARD.encode(format!("{}:", self.key));
        let body = body.unwrap_or("");
        let mut req = format!(
            "{method} {target} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nAuthorization: Basic {token}\r\n",
            self.addr
        );
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
        Resp::new(status, if chunked { dechunk(rest) } else { rest.into() })
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
