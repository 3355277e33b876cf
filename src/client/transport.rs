//! Sending requests: authentication, encoding, timeouts and error mapping.
//!
//! [`Transport::execute`] is the one place every request goes through; mutating ones
//! are shown to the [`MutationHook`]s first.
use super::error::{ErrorKind, GovernError, Result};
use super::request::Request;
use super::{ClientConfig, pyjson};
use base64::Engine as _;
use reqwest::header::{AUTHORIZATION, CONTENT_LENGTH, HeaderValue, USER_AGENT};
use secrecy::ExposeSecret;
use serde_json::Value;
use std::sync::Arc;

/// Observes every request that may change the server, before it is sent and after.
pub trait MutationHook: Send + Sync {
    /// Called before a mutating request; an error stops the request.
    fn before(&self, request: &Request) -> Result<()> {
        let _ = request;
        Ok(())
    }

    /// Called after a mutating request with its outcome.
    fn after(&self, request: &Request, outcome: std::result::Result<&Value, &GovernError>) {
        let _ = (request, outcome);
    }
}

/// The HTTP side of a client.
pub(super) struct Transport {
    /// Reads: redirects followed (reqwest drops the key on a cross-host redirect).
    http: reqwest::Client,
    /// Writes: a redirect is an error, never a silent re-send elsewhere or as a GET.
    http_no_redirect: reqwest::Client,
    host: String,
    auth: HeaderValue,
    timeout_secs: u64,
    hooks: Vec<Arc<dyn MutationHook>>,
}

impl Transport {
    pub(super) fn new(config: ClientConfig, hooks: Vec<Arc<dyn MutationHook>>) -> Result<Self> {
        // reqwest is built without a default crypto provider; ring is ours. Installing
        // twice is harmless, hence the ignored result.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let build = |redirect: reqwest::redirect::Policy| {
            reqwest::Client::builder()
                .connect_timeout(config.connect_timeout)
                .timeout(config.timeout)
                .tls_danger_accept_invalid_certs(config.insecure)
                .redirect(redirect)
                .build()
                .map_err(|e| GovernError::local("GovernClient", format!("cannot set up HTTP: {e}")))
        };
        let http = build(reqwest::redirect::Policy::limited(10))?;
        let http_no_redirect = build(reqwest::redirect::Policy::none())?;
        let token = base64::engine::general_purpose::STANDARD
            .encode(format!("{}:", config.api_key.expose_secret()));
        let mut auth = HeaderValue::from_str(&format!("Basic {token}")).map_err(|_| {
            GovernError::local("GovernClient", "the API key contains invalid characters")
        })?;
        auth.set_sensitive(true);
        Ok(Self {
            http,
            http_no_redirect,
            host: config.host.trim_end_matches('/').to_string(),
            auth,
            timeout_secs: config.timeout.as_secs(),
            hooks,
        })
    }

    pub(super) fn host(&self) -> &str {
        &self.host
    }

    pub(super) async fn perform_json(&self, mut request: Request) -> Result<Value> {
        request.call = super::operation::current();
        let call = request.call;
        let described = request.describe();
        let body = self.execute(request).await?;
        if body.trim().is_empty() {
            return Err(GovernError {
                call: call.to_string(),
                request: Some(described),
                kind: Box::new(ErrorKind::InvalidResponse(
                    "expected JSON, got an empty body".into(),
                )),
            });
        }
        serde_json::from_str(&body).map_err(|e| GovernError {
            call: call.to_string(),
            request: Some(described),
            kind: Box::new(ErrorKind::InvalidResponse(format!("expected JSON: {e}"))),
        })
    }

    pub(super) async fn perform_empty(&self, mut request: Request) -> Result<()> {
        request.call = super::operation::current();
        self.execute(request).await.map(|_| ())
    }

    /// Sends `request`, running the mutation hooks around it when it is mutating.
    async fn execute(&self, request: Request) -> Result<String> {
        if !request.is_mutating() || self.hooks.is_empty() {
            return self.send(&request).await;
        }
        for hook in &self.hooks {
            hook.before(&request)?;
        }
        let result = self.send(&request).await;
        let outcome_value = match &result {
            Ok(text) => Ok(serde_json::from_str(text).unwrap_or(Value::Null)),
            Err(e) => Err(e),
        };
        for hook in &self.hooks {
            hook.after(&request, outcome_value.as_ref().map_err(|e| *e));
        }
        result
    }

    async fn send(&self, request: &Request) -> Result<String> {
        let url = format!("{}{}", self.host, request.target());
        let http = if request.is_mutating() {
            &self.http_no_redirect
        } else {
            &self.http
        };
        let mut builder = http
            .request(request.method.clone(), &url)
            .header(AUTHORIZATION, self.auth.clone())
            .header(USER_AGENT, concat!("govscript/", env!("CARGO_PKG_VERSION")));
        // Like the Python client: the JSON text without a Content-Type header, and an
        // explicit empty body (Content-Length: 0) on body-less non-GET requests.
        match &request.body {
            Some(body) => builder = builder.body(pyjson::to_string(body)),
            None if request.is_mutating() => builder = builder.header(CONTENT_LENGTH, "0").body(""),
            None => {}
        }
        let fail = |kind: ErrorKind| GovernError {
            call: request.call.to_string(),
            request: Some(request.describe()),
            kind: Box::new(kind),
        };
        let started = std::time::Instant::now();
        let response = builder
            .send()
            .await
            .map_err(|e| fail(self.transport_error(&e)))?;
        let status = response.status().as_u16();
        if response.status().is_redirection() {
            let location = response
                .headers()
                .get(reqwest::header::LOCATION)
                .and_then(|l| l.to_str().ok())
                .unwrap_or("nowhere")
                .to_string();
            return Err(fail(ErrorKind::Redirected { status, location }));
        }
        tracing::debug!(
            "{} -> {status} ({} ms)",
            request.describe(),
            started.elapsed().as_millis()
        );
        let text = response
            .text()
            .await
            .map_err(|e| fail(self.transport_error(&e)))?;
        if status >= 400 {
            return Err(fail(api_error(status, &text)));
        }
        Ok(text)
    }

    fn transport_error(&self, e: &reqwest::Error) -> ErrorKind {
        if e.is_timeout() {
            return ErrorKind::Timeout {
                host: self.host.clone(),
                seconds: self.timeout_secs,
            };
        }
        ErrorKind::Connect {
            host: self.host.clone(),
            reason: root_cause(e),
        }
    }
}

/// The innermost cause of an error: "Connection refused (os error 111)" rather
/// than reqwest's generic "error sending request".
fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = e;
    while let Some(source) = cause.source() {
        cause = source;
    }
    cause.to_string()
}

/// Characters of a non-JSON error body shown at most.
const EXCERPT_CHARS: usize = 200;

/// The status's reason and a short, tag-free excerpt of a non-JSON error body
/// (a proxy's HTML page, say), never the raw markup.
fn excerpt(status: u16, body: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    let mut skipping = false; // inside <script> or <style>
    let lower = body.to_ascii_lowercase();
    for (i, c) in body.char_indices() {
        match c {
            '<' => {
                in_tag = true;
                let rest = &lower[i..];
                if rest.starts_with("<script") || rest.starts_with("<style") {
                    skipping = true;
                } else if rest.starts_with("</script") || rest.starts_with("</style") {
                    skipping = false;
                }
                text.push(' ');
            }
            '>' if in_tag => in_tag = false,
            _ if in_tag || skipping => {}
            _ => text.push(c),
        }
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut short: String = words.join(" ").chars().take(EXCERPT_CHARS).collect();
    if short.chars().count() == EXCERPT_CHARS {
        short.push('…');
    }
    let reason = reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("No message");
    if short.is_empty() || short == format!("{status} {reason}") {
        reason.to_string()
    } else {
        format!("{reason}: {short}")
    }
}

/// Reads Govern's error document, with the Python client's defaults.
fn api_error(status: u16, text: &str) -> ErrorKind {
    let doc: Option<Value> = serde_json::from_str(text).ok();
    let field = |name: &str| {
        doc.as_ref()
            .and_then(|d| d.get(name))
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let message = match &doc {
        Some(Value::Object(_)) => field("message").unwrap_or_else(|| "No message".into()),
        _ => excerpt(status, text),
    };
    ErrorKind::Api {
        status,
        error_type: field("errorType").unwrap_or_else(|| "Unknown error".into()),
        message,
        detailed_message: field("detailedMessage"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_error_uses_python_defaults() {
        let ErrorKind::Api {
            error_type,
            message,
            ..
        } = api_error(400, r#"{"foo":"bar"}"#)
        else {
            panic!("not an API error")
        };
        assert_eq!(
            (error_type.as_str(), message.as_str()),
            ("Unknown error", "No message")
        );
        let ErrorKind::Api { message, .. } = api_error(500, "<html>boom</html>") else {
            panic!("not an API error")
        };
        assert_eq!(message, "Internal Server Error: boom");
    }

    #[test]
    fn an_html_error_page_becomes_reason_and_excerpt() {
        let page = "<html><head><title>502 Bad Gateway</title><style>body{x:1}</style></head>\
                    <body><h1>502 Bad Gateway</h1><hr><center>nginx/1.25</center></body></html>";
        assert_eq!(
            excerpt(502, page),
            "Bad Gateway: 502 Bad Gateway 502 Bad Gateway nginx/1.25"
        );
        assert_eq!(excerpt(502, "  "), "Bad Gateway");
        let long = format!("<p>{}</p>", "x ".repeat(1000));
        assert!(excerpt(503, &long).chars().count() < EXCERPT_CHARS + 30);
    }
}
