//! `--record`: one JSON line per request (`method`, `target`, `body`; never headers, so
//! never keys, and user passwords masked), with a bounded prefix of each body.
use axum::http::Uri;
use std::io::Write;
use std::path::Path;
use std::sync::Mutex;

/// The request log file.
pub struct Recorder {
    file: Mutex<std::fs::File>,
    body_bytes: usize,
}

impl Recorder {
    /// Opens `path` for appending; bodies are cut after `body_bytes` bytes.
    pub fn open(path: &Path, body_bytes: usize) -> std::io::Result<Self> {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)?;
        Ok(Self {
            file: Mutex::new(file),
            body_bytes,
        })
    }

    /// Appends one request. A body past the cap is cut and marked `"truncated": true`
    /// with its full size in `bodyBytes`; a refused request is marked with its status.
    pub fn record(&self, method: &str, uri: &Uri, body: &[u8], refused: Option<u16>) {
        let target = uri
            .path_and_query()
            .map_or_else(|| uri.path().to_string(), |pq| pq.as_str().to_string());
        // User passwords are secrets too: never written to the log.
        let masked = super::people::docs::mask_passwords(body);
        let body = masked.as_deref().unwrap_or(body);
        let mut line = serde_json::json!({
            "method": method,
            "target": target,
            "body": String::from_utf8_lossy(&body[..body.len().min(self.body_bytes)]),
        });
        if body.len() > self.body_bytes {
            line["truncated"] = true.into();
            line["bodyBytes"] = body.len().into();
        }
        if let Some(status) = refused {
            line["refused"] = status.into();
        }
        if let Ok(mut f) = self.file.lock() {
            let _ = writeln!(f, "{line}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Recorder;

    #[test]
    fn long_bodies_keep_a_marked_prefix() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("r.jsonl");
        let rec = Recorder::open(&path, 4).expect("open");
        let uri: axum::http::Uri = "/a?b=1".parse().expect("uri");
        rec.record("PUT", &uri, b"0123456789", None);
        rec.record("GET", &uri, b"", Some(401));
        let text = std::fs::read_to_string(&path).expect("read");
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).expect("json"))
            .collect();
        assert_eq!(lines[0]["body"], "0123");
        assert_eq!(lines[0]["truncated"], true);
        assert_eq!(lines[0]["bodyBytes"], 10);
        assert_eq!(lines[0]["target"], "/a?b=1");
        assert_eq!(lines[1]["refused"], 401);
        assert!(lines[1].get("truncated").is_none());
    }
}
