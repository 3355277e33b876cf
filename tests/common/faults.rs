//! Requests that may fail at the connection level, for the fault-injection tests: a
//! the harness's client (it never retries), answering `Err` where `Sandbox::call` would panic.
use crate::common::Sandbox;
use crate::common::http::{CLIENT, RUNTIME};

/// A complete answer.
#[derive(Debug)]
pub struct Answer {
    /// Status code.
    pub status: u16,
    /// The `Retry-After` header, if any.
    pub retry_after: Option<String>,
    /// Body text.
    pub body: String,
}

impl Sandbox {
    /// Sends a request with the admin key; `Err` (the error text) when the connection
    /// fails before a complete answer is read.
    pub fn try_call(
        &self,
        method: &str,
        target: &str,
        body: Option<&str>,
    ) -> Result<Answer, String> {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("HTTP method");
        let mut req = CLIENT
            .request(method, format!("{}{target}", self.url))
            .basic_auth(&self.key, Some(""));
        if let Some(b) = body {
            req = req.body(b.to_string());
        }
        RUNTIME.block_on(async {
            // A dropped connection must fail here, before any status is seen.
            let r = req.send().await.map_err(|e| format!("no answer: {e:?}"))?;
            let status = r.status().as_u16();
            let retry_after = r
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            let body = r
                .text()
                .await
                .map_err(|e| format!("status {status} then a broken body: {e:?}"))?;
            Ok(Answer {
                status,
                retry_after,
                body,
            })
        })
    }
}
