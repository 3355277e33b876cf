//! Typed errors of the Govern client.

/// A failed Govern call: which call failed and why.
#[derive(Debug, thiserror::Error)]
#[error("{}{kind}{}", call_prefix(call), request_suffix(request))]
pub struct GovernError {
    /// The client call that failed, named as in the Python client
    /// (e.g. `GovernArtifact.get_definition`).
    pub call: String,
    /// The HTTP request behind the call (`GET /dip/publicapi/artifact/ar.1`), when one was sent.
    pub request: Option<String>,
    /// What went wrong.
    pub kind: Box<ErrorKind>,
}

/// The kinds of failure a Govern call can have.
#[derive(Debug, thiserror::Error)]
pub enum ErrorKind {
    /// The server answered with an HTTP error status.
    #[error("HTTP {status} {error_type}: {}", detailed_message.as_deref().unwrap_or(message))]
    Api {
        /// HTTP status code (≥ 400).
        status: u16,
        /// Govern's `errorType` (a Java exception class name), or `Unknown error`.
        error_type: String,
        /// Govern's `message`, or the raw body when it was not JSON.
        message: String,
        /// Govern's `detailedMessage`, when present.
        detailed_message: Option<String>,
        /// Seconds the server asked to wait (`Retry-After`), when it did.
        retry_after: Option<u64>,
    },
    /// The host could not be reached (DNS, refused connection, TLS handshake).
    #[error("cannot connect to {host}: {reason}")]
    Connect {
        /// The host as configured.
        host: String,
        /// Root cause, without a backtrace.
        reason: String,
    },
    /// The request was sent but the connection broke before a complete answer: it
    /// may or may not have been applied.
    #[error("the connection to {host} broke before the answer: {reason}")]
    Interrupted {
        /// The host as configured.
        host: String,
        /// Root cause, without a backtrace.
        reason: String,
    },
    /// The request did not complete within the configured timeout.
    #[error("no answer from {host} within {seconds} s (see --timeout)")]
    Timeout {
        /// The host as configured.
        host: String,
        /// The timeout that fired.
        seconds: u64,
    },
    /// The server answered a write with a redirect, which is not followed: re-sending a
    /// write elsewhere (or as a GET, as HTTP clients do for 302) is never what was meant.
    #[error(
        "HTTP {status}: the server redirected the request to {location}; \
         check the host (http or https, port, path)"
    )]
    Redirected {
        /// The 3xx status.
        status: u16,
        /// Where it pointed (`Location`).
        location: String,
    },
    /// A POST's answer was lost and what the server holds cannot tell whether it was
    /// applied: it was not sent again. `found` says what was found and what to check.
    #[error("the outcome is unknown ({cause}): {found}")]
    OutcomeUnknown {
        /// Why the answer was lost.
        cause: String,
        /// What the check found, and what to check by hand.
        found: String,
    },
    /// The server answered 2xx but the body was not what the protocol promises.
    #[error("{0}")]
    InvalidResponse(String),
    /// A client-side failure that the Python client also raises locally
    /// (e.g. "Unable to find a feedback with id ...").
    #[error("{0}")]
    Local(String),
    /// Both this save and another writer changed the same paths since the document
    /// was read: nothing was sent. Holds each path with its values
    /// (`fields.owner (base "a", mine "b", theirs "c")`).
    #[error(
        "conflict: changed here and on the server since it was read: {}; nothing was \
         saved; read it again and redo the change, or save(#{{ force: true }}) to overwrite",
        .0.join("; ")
    )]
    Conflict(Vec<String>),
    /// The call was stopped before its answer; holds why (`Ctrl-C`, `SIGTERM`,
    /// `--script-timeout reached`).
    #[error("interrupted ({0})")]
    Cancelled(&'static str),
}

impl GovernError {
    /// Builds an error for `call` without an HTTP request.
    pub fn local(call: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            call: call.into(),
            request: None,
            kind: Box::new(ErrorKind::Local(message.into())),
        }
    }

    /// HTTP status of an API error, if the server answered.
    pub fn status(&self) -> Option<u16> {
        match self.kind.as_ref() {
            ErrorKind::Api { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Govern's `errorType` of an API error, or a short name of the local failure.
    pub fn error_type(&self) -> &str {
        match self.kind.as_ref() {
            ErrorKind::Api { error_type, .. } => error_type,
            ErrorKind::Connect { .. } => "ConnectionError",
            ErrorKind::Redirected { .. } => "Redirected",
            ErrorKind::Conflict(_) => "Conflict",
            ErrorKind::Interrupted { .. } => "ConnectionError",
            ErrorKind::Timeout { .. } => "Timeout",
            ErrorKind::OutcomeUnknown { .. } => "OutcomeUnknown",
            ErrorKind::InvalidResponse(_) => "InvalidResponse",
            ErrorKind::Local(_) => "ValueError",
            ErrorKind::Cancelled(_) => "Cancelled",
        }
    }

    /// Whether a POST may have been applied although it failed: the connection broke
    /// or timed out after sending, or a gateway gave up waiting for the server.
    pub fn outcome_unknown(&self) -> bool {
        let post = self
            .request
            .as_deref()
            .is_some_and(|r| r.starts_with("POST "));
        post && (super::retry::may_have_applied(self)
            || matches!(*self.kind, ErrorKind::OutcomeUnknown { .. }))
    }

    /// The most precise message: `detailedMessage` if present, as the Python client does.
    pub fn message(&self) -> String {
        match self.kind.as_ref() {
            ErrorKind::Api {
                message,
                detailed_message,
                ..
            } => detailed_message.clone().unwrap_or_else(|| message.clone()),
            other => other.to_string(),
        }
    }
}

/// `"Call.name: "`, or nothing for a request made outside a named call.
fn call_prefix(call: &str) -> String {
    if call.is_empty() {
        String::new()
    } else {
        format!("{call}: ")
    }
}

/// `" (METHOD /path)"` when a request was sent.
fn request_suffix(request: &Option<String>) -> String {
    request
        .as_ref()
        .map(|r| format!(" ({r})"))
        .unwrap_or_default()
}

/// Result of a Govern call.
pub type Result<T> = std::result::Result<T, GovernError>;
