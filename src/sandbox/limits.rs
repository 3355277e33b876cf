//! Bounded memory per request: caps on URL length, header size and body size, each
//! answered with a Govern-style JSON error, and a body read that never buffers past its cap;
//! bounded connections: a header-read timeout and a cap on open connections (enforced by
//! [`super::serve`]).
use super::error::ApiError;
use axum::body::{Body, Bytes};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use http_body_util::BodyExt;
use std::time::Duration;

/// Size and connection limits of the sandbox; the defaults suit any Govern document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Largest request body accepted (413 beyond).
    pub max_body_bytes: usize,
    /// Largest total size of the request headers, names and values (431 beyond). Keep it
    /// under hyper's own buffer (~400 KiB), past which hyper answers a bare 431.
    pub max_header_bytes: usize,
    /// Longest request target, path and query (414 beyond). Keep it under hyper's own
    /// limit (64 KiB), past which hyper answers a bare 414.
    pub max_uri_bytes: usize,
    /// Bytes of each body that `--record` keeps (the rest is cut, marked `truncated`).
    pub record_body_bytes: usize,
    /// Time a client has to send a request's line and headers, counted from the moment
    /// its connection waits for them (a new connection, or a kept-alive one after its
    /// last answer): so it is the idle keep-alive timeout as well. Past it the connection
    /// is closed without an answer.
    pub header_read_timeout: Duration,
    /// Connections served at once; past it a new connection is answered 503 (with
    /// `Retry-After`) and closed.
    pub max_connections: usize,
    /// Largest uploaded file accepted (`POST /uploaded-files`, streamed to disk: not
    /// bounded by `max_body_bytes`); 413 beyond, with nothing stored.
    pub max_upload_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_body_bytes: 16 << 20,
            max_header_bytes: 32 << 10,
            max_uri_bytes: 8 << 10,
            record_body_bytes: 64 << 10,
            header_read_timeout: Duration::from_secs(10),
            max_connections: 512,
            max_upload_bytes: 100 << 20,
        }
    }
}

impl Limits {
    /// Checks the request line and headers (before anything else is read).
    pub fn check_head(&self, parts: &Parts) -> Result<(), ApiError> {
        let target = parts
            .uri
            .path_and_query()
            .map_or(parts.uri.path().len(), |pq| pq.as_str().len());
        if target > self.max_uri_bytes {
            return Err(ApiError::too_large(
                StatusCode::URI_TOO_LONG,
                format!(
                    "Request URL too long: {target} bytes, at most {} accepted",
                    self.max_uri_bytes
                ),
            ));
        }
        let headers: usize = parts
            .headers
            .iter()
            .map(|(k, v)| k.as_str().len() + v.len() + 4)
            .sum();
        if headers > self.max_header_bytes {
            return Err(ApiError::too_large(
                StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
                format!(
                    "Request headers too large: {headers} bytes, at most {} accepted",
                    self.max_header_bytes
                ),
            ));
        }
        Ok(())
    }

    /// Reads the whole body, refusing it (without reading on) once past the cap.
    pub async fn read_body(&self, parts: &Parts, body: Body) -> Result<Bytes, ApiError> {
        let declared = parts
            .headers
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok());
        if declared.is_some_and(|n| n > self.max_body_bytes as u64) {
            return Err(self.body_too_large());
        }
        let limited = http_body_util::Limited::new(body, self.max_body_bytes);
        match limited.collect().await {
            Ok(collected) => Ok(collected.to_bytes()),
            Err(e) if e.is::<http_body_util::LengthLimitError>() => Err(self.body_too_large()),
            Err(e) => Err(ApiError::validation(format!(
                "Request body unreadable: {e}"
            ))),
        }
    }

    fn body_too_large(&self) -> ApiError {
        ApiError::too_large(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "Request body too large: at most {} bytes accepted",
                self.max_body_bytes
            ),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::Request;

    fn parts(target: &str, header_len: usize) -> Parts {
        let req = Request::builder()
            .uri(target)
            .header("x-pad", "a".repeat(header_len))
            .body(())
            .expect("request");
        req.into_parts().0
    }

    #[test]
    fn long_urls_and_headers_are_refused() {
        let l = Limits {
            max_uri_bytes: 100,
            max_header_bytes: 100,
            ..Limits::default()
        };
        assert!(l.check_head(&parts("/a?b=c", 10)).is_ok());
        let e = l
            .check_head(&parts(&format!("/a?b={}", "x".repeat(100)), 10))
            .unwrap_err();
        assert_eq!(e.status, StatusCode::URI_TOO_LONG);
        let e = l.check_head(&parts("/a", 200)).unwrap_err();
        assert_eq!(e.status, StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE);
    }

    #[tokio::test]
    async fn bodies_past_the_cap_are_refused() {
        let l = Limits {
            max_body_bytes: 10,
            ..Limits::default()
        };
        let p = parts("/", 1);
        let ok = l.read_body(&p, Body::from("0123456789")).await;
        assert_eq!(ok.expect("at the cap").len(), 10);
        let e = l
            .read_body(&p, Body::from("0123456789A"))
            .await
            .unwrap_err();
        assert_eq!(e.status, StatusCode::PAYLOAD_TOO_LARGE);
    }
}
