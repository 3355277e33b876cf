//! Sending requests: authentication, encoding, timeouts and error mapping.
//!
//! [`Transport::send_with_retries`] is the one place every request goes through; each
//! HTTP attempt of a mutating one is shown to the [`MutationHook`]s first. Operation
//! hooks run one level up, around the whole operation ([`super::operation`]).
use super::error::{ErrorKind, GovernError, Result};
use super::error_body::{api_error, root_cause};
use super::request::Request;
use super::retry::{self, ClientStats, RetryBudget, RetryPolicy};
use super::{ClientConfig, pyjson};
use base64::Engine as _;
use reqwest::header::{AUTHORIZATION, CONTENT_LENGTH, HeaderName, HeaderValue, USER_AGENT};
use secrecy::ExposeSecret;
use serde_json::Value;
use std::sync::Arc;
use std::sync::atomic::Ordering;

/// Observes each HTTP attempt of a request that may change the server, before it is
/// sent and after (a retried request is seen once per attempt; to see each Python
/// call once, use an [`super::OperationHook`]).
pub trait MutationHook: Send + Sync {
    /// Called before each attempt of a mutating request; an error stops the request.
    fn before(&self, request: &Request) -> Result<()> {
        let _ = request;
        Ok(())
    }

    /// Called after each attempt of a mutating request with its outcome.
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
    /// `Authorization` (the key), or `X-DKU-APITicket` (an internal ticket).
    auth: (HeaderName, HeaderValue),
    /// Python's `extra_headers`, sent with every request.
    extra_headers: Vec<(HeaderName, HeaderValue)>,
    timeout_secs: u64,
    max_response_bytes: usize,
    retry: RetryPolicy,
    budget: RetryBudget,
    stats: Arc<ClientStats>,
    pub(super) check_conflicts: bool,
    pub(super) hooks: Vec<Arc<dyn MutationHook>>,
    /// Who the key acts as, once read in this process
    /// ([`super::GovernClient::acting_identity`]).
    pub(super) identity: Arc<tokio::sync::OnceCell<String>>,
    /// The configuration it was built from (to build an impersonating copy).
    pub(super) config: ClientConfig,
    /// `X-DKU-ProxyUser`, when the client impersonates a user.
    proxy_user: Option<HeaderValue>,
    /// The server's clock, from the `Date` of its answers.
    pub(super) clock: super::clock::ServerClock,
    /// What exists, for POSTs whose outcome is unknown.
    pub(super) sightings: super::sightings::Sightings,
}

/// The authentication header: `X-DKU-APITicket` when the configuration has an internal
/// ticket (and no key), as Python sends it, else HTTP Basic with the key.
fn credentials(config: &ClientConfig) -> Result<(HeaderName, HeaderValue)> {
    let invalid = |what: &str| {
        GovernError::local(
            "GovernClient",
            format!("the {what} contains invalid characters"),
        )
    };
    let key = config.api_key.expose_secret();
    let (name, mut value) = match &config.internal_ticket {
        Some(ticket) if key.is_empty() => (
            HeaderName::from_static("x-dku-apiticket"),
            HeaderValue::from_str(ticket.expose_secret())
                .map_err(|_| invalid("internal ticket"))?,
        ),
        _ => {
            let token = base64::engine::general_purpose::STANDARD.encode(format!("{key}:"));
            let value =
                HeaderValue::from_str(&format!("Basic {token}")).map_err(|_| invalid("API key"))?;
            (AUTHORIZATION, value)
        }
    };
    value.set_sensitive(true);
    Ok((name, value))
}

impl Transport {
    pub(super) fn new(config: ClientConfig, hooks: Vec<Arc<dyn MutationHook>>) -> Result<Self> {
        // reqwest is built without a default crypto provider; ring is ours. Installing
        // twice is harmless, hence the ignored result.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let build = |redirect: reqwest::redirect::Policy| {
            let builder = reqwest::Client::builder()
                .connect_timeout(config.connect_timeout)
                .timeout(config.timeout)
                .redirect(redirect);
            // Verifying clients share one configuration that reads the system's roots
            // at the first handshake (see `tls`), not at every client built.
            let builder = if config.insecure {
                builder.tls_danger_accept_invalid_certs(true)
            } else {
                builder.use_preconfigured_tls(super::tls::verifying_config())
            };
            builder
                .build()
                .map_err(|e| GovernError::local("GovernClient", format!("cannot set up HTTP: {e}")))
        };
        let http = build(reqwest::redirect::Policy::limited(10))?;
        let http_no_redirect = build(reqwest::redirect::Policy::none())?;
        let auth = credentials(&config)?;
        let host = config.host.trim_end_matches('/').to_string();
        let identity = super::identity::cell(&host, &auth, config.proxy_user.as_deref());
        let extra_headers = config
            .extra_headers
            .iter()
            .map(|(name, value)| {
                let bad = || {
                    GovernError::local(
                        "GovernClient",
                        format!("the extra header {name:?} cannot be sent in HTTP"),
                    )
                };
                let name = HeaderName::try_from(name.as_str()).map_err(|_| bad())?;
                let value = HeaderValue::from_str(value).map_err(|_| bad())?;
                Ok((name, value))
            })
            .collect::<Result<Vec<_>>>()?;
        let proxy_user = match &config.proxy_user {
            Some(login) => Some(HeaderValue::from_str(login).map_err(|_| {
                GovernError::local(
                    "GovernUser.get_client_as",
                    format!("the login {login:?} cannot be sent in an HTTP header"),
                )
            })?),
            None => None,
        };
        Ok(Self {
            http,
            http_no_redirect,
            host,
            auth,
            extra_headers,
            timeout_secs: config.timeout.as_secs(),
            max_response_bytes: config.max_response_bytes,
            retry: config.retry,
            budget: RetryBudget::default(),
            stats: config.stats.clone(),
            check_conflicts: config.check_conflicts,
            hooks,
            identity,
            config,
            proxy_user,
            clock: Default::default(),
            sightings: Default::default(),
        })
    }

    pub(super) fn host(&self) -> &str {
        &self.host
    }

    pub(super) fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }

    pub(super) fn stats(&self) -> &Arc<ClientStats> {
        &self.stats
    }

    /// Sends `request` (its `call` already stamped) and parses its JSON answer.
    pub(super) async fn perform_json(&self, request: Request) -> Result<Value> {
        let call = request.call;
        let described = request.describe();
        let body = self.send_with_retries(&request).await?;
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

    /// Sends `request` (its `call` already stamped), ignoring its answer's body.
    pub(super) async fn perform_empty(&self, request: Request) -> Result<()> {
        self.send_with_retries(&request).await.map(|_| ())
    }

    /// Sends one attempt of `request`, running the mutation hooks around it when it is
    /// mutating.
    async fn attempt(&self, request: &Request) -> Result<String> {
        if !request.is_mutating() || self.hooks.is_empty() {
            return self.send(request).await;
        }
        for hook in &self.hooks {
            hook.before(request)?;
        }
        let result = self.send(request).await;
        let outcome_value = match &result {
            Ok(text) => Ok(serde_json::from_str(text).unwrap_or(Value::Null)),
            Err(e) => Err(e),
        };
        for hook in &self.hooks {
            hook.after(request, outcome_value.as_ref().map_err(|e| *e));
        }
        result
    }

    /// Sends `request`, retrying what [`retry::retryable`] allows within the policy
    /// and the budget.
    async fn send_with_retries(&self, request: &Request) -> Result<String> {
        let mut attempt = 1;
        let mut spent = 0;
        let mut maybe_applied = false;
        loop {
            self.stats.requests.fetch_add(1, Ordering::Relaxed);
            let error = match self.attempt(request).await {
                Ok(text) => {
                    self.budget.refund(spent);
                    return Ok(text);
                }
                Err(e) => e,
            };
            if maybe_applied && retry::already_deleted(request, &error) {
                tracing::debug!(
                    "{}: 404 after an attempt that may have deleted it: done",
                    request.describe()
                );
                self.budget.refund(spent);
                return Ok(String::new());
            }
            maybe_applied |= retry::may_have_applied(&error);
            if attempt >= self.retry.max_attempts || !retry::retryable(request, &error) {
                return Err(error);
            }
            let Some(wait) = retry::delay(&self.retry, attempt, &error) else {
                return Err(error);
            };
            let Some(cost) = self.budget.take(&error) else {
                tracing::warn!("retry budget spent: not retrying {}", request.describe());
                return Err(error);
            };
            spent += cost;
            attempt += 1;
            self.stats.retries.fetch_add(1, Ordering::Relaxed);
            tracing::debug!(
                "retrying {} in {} ms (attempt {attempt} of {}) after: {}",
                request.describe(),
                wait.as_millis(),
                self.retry.max_attempts,
                error.kind
            );
            tokio::time::sleep(wait).await;
        }
    }

    async fn send(&self, request: &Request) -> Result<String> {
        let mut builder = self.builder(request);
        // Like the Python client: the JSON text without a Content-Type header, and an
        // explicit empty body (Content-Length: 0) on body-less non-GET requests.
        match &request.body {
            Some(body) => builder = builder.body(pyjson::to_string(body)),
            None if request.is_mutating() => builder = builder.header(CONTENT_LENGTH, "0").body(""),
            None => {}
        }
        let response = self.dispatch(request, builder).await?;
        let body = self
            .read_capped(request, response, self.max_response_bytes)
            .await?;
        // JSON is UTF-8: bytes that are not would be saved back altered, so the answer
        // is refused rather than repaired (as a NaN is).
        String::from_utf8(body).map_err(|e| {
            fail(
                request,
                ErrorKind::InvalidResponse(format!(
                    "the answer is not valid UTF-8 (at byte {})",
                    e.utf8_error().valid_up_to()
                )),
            )
        })
    }

    /// A request to `request`'s URL with the headers every request carries
    /// (credentials, user agent, impersonation), and no body yet.
    fn builder(&self, request: &Request) -> reqwest::RequestBuilder {
        let url = format!("{}{}", self.host, request.target());
        let http = if request.method != reqwest::Method::GET {
            &self.http_no_redirect
        } else {
            &self.http
        };
        let mut builder = http
            .request(request.method.clone(), &url)
            .header(self.auth.0.clone(), self.auth.1.clone())
            .header(USER_AGENT, concat!("govscript/", env!("CARGO_PKG_VERSION")));
        for (name, value) in &self.extra_headers {
            builder = builder.header(name.clone(), value.clone());
        }
        if let Some(login) = &self.proxy_user {
            builder = builder.header("X-DKU-ProxyUser", login.clone());
        }
        builder
    }

    /// Sends `builder` and returns the response of a successful status, its body not
    /// read; a redirect of a write and an HTTP error status are errors (the error's
    /// body read within the answer cap).
    async fn dispatch(
        &self,
        request: &Request,
        builder: reqwest::RequestBuilder,
    ) -> Result<reqwest::Response> {
        let started = std::time::Instant::now();
        let response = builder
            .send()
            .await
            .map_err(|e| fail(request, self.transport_error(&e)))?;
        if let Some(date) = response
            .headers()
            .get(reqwest::header::DATE)
            .and_then(|d| d.to_str().ok())
        {
            self.clock.observe(date, std::time::SystemTime::now());
        }
        let status = response.status().as_u16();
        if response.status().is_redirection() {
            let location = response
                .headers()
                .get(reqwest::header::LOCATION)
                .and_then(|l| l.to_str().ok())
                .unwrap_or("nowhere")
                .to_string();
            return Err(fail(request, ErrorKind::Redirected { status, location }));
        }
        tracing::debug!(
            "{} -> {status} ({} ms)",
            request.describe(),
            started.elapsed().as_millis()
        );
        if status < 400 {
            return Ok(response);
        }
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse().ok());
        let body = self
            .read_capped(request, response, self.max_response_bytes)
            .await?;
        // Only shown to explain the failure: a stray byte should not hide the status.
        let text = String::from_utf8_lossy(&body);
        Err(fail(request, api_error(status, &text, retry_after)))
    }

    /// Reads the answer chunk by chunk, so that one larger than `cap` is refused, not held.
    async fn read_capped(
        &self,
        request: &Request,
        mut response: reqwest::Response,
        cap: usize,
    ) -> Result<Vec<u8>> {
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| fail(request, self.transport_error(&e)))?
        {
            if body.len() + chunk.len() > cap {
                return Err(fail(
                    request,
                    ErrorKind::InvalidResponse(format!(
                        "the answer is larger than {} MB (see --max-response-mb)",
                        cap >> 20
                    )),
                ));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }

    /// Sends `request` once (a streamed body cannot be replayed) with `body` instead of
    /// JSON, typed `content_type`, and returns the response of a successful status, its
    /// body for the caller to stream. A mutating request passes the hooks' `before`
    /// (their `after` is [`Transport::after_raw`], once the caller read the answer).
    pub(super) async fn open_raw(
        &self,
        request: Request,
        body: Option<super::files::RawBody>,
    ) -> Result<(Request, reqwest::Response)> {
        if request.is_mutating() {
            for hook in &self.hooks {
                hook.before(&request)?;
            }
        }
        self.stats.requests.fetch_add(1, Ordering::Relaxed);
        let mut builder = self.builder(&request);
        match body {
            Some(raw) => {
                builder = builder
                    .header(reqwest::header::CONTENT_TYPE, raw.content_type)
                    .header(CONTENT_LENGTH, raw.length)
                    .body(raw.body);
            }
            None if request.is_mutating() => builder = builder.header(CONTENT_LENGTH, "0").body(""),
            None => {}
        }
        let outcome = self.dispatch(&request, builder).await;
        match outcome {
            Ok(response) => Ok((request, response)),
            Err(e) => {
                self.after_raw(&request, Err(&e));
                Err(e)
            }
        }
    }

    /// Reads the whole answer of an [`Transport::open_raw`] request as JSON, within the
    /// answer cap, and shows the outcome to the hooks.
    pub(super) async fn json_raw(
        &self,
        request: &Request,
        response: reqwest::Response,
    ) -> Result<Value> {
        let parsed = match self
            .read_capped(request, response, self.max_response_bytes)
            .await
        {
            Ok(body) => serde_json::from_slice(&body).map_err(|e| {
                fail(
                    request,
                    ErrorKind::InvalidResponse(format!("expected JSON: {e}")),
                )
            }),
            Err(e) => Err(e),
        };
        self.after_raw(request, parsed.as_ref());
        parsed
    }

    /// Shows the outcome of a raw mutating request to the hooks.
    fn after_raw(&self, request: &Request, outcome: std::result::Result<&Value, &GovernError>) {
        if request.is_mutating() {
            for hook in &self.hooks {
                hook.after(request, outcome);
            }
        }
    }

    /// The error of a raw answer's body read (a broken stream while downloading).
    pub(super) fn stream_error(&self, request: &Request, e: &reqwest::Error) -> GovernError {
        fail(request, self.transport_error(e))
    }

    /// Classifies a transport failure: never connected (safe to retry anything), timed
    /// out, or broken after sending (the outcome of a write is unknown).
    fn transport_error(&self, e: &reqwest::Error) -> ErrorKind {
        let host = self.host.clone();
        if e.is_timeout() {
            ErrorKind::Timeout {
                host,
                seconds: self.timeout_secs,
            }
        } else if e.is_connect() {
            ErrorKind::Connect {
                host,
                reason: root_cause(e),
            }
        } else {
            ErrorKind::Interrupted {
                host,
                reason: root_cause(e),
            }
        }
    }
}

/// An error of `request`.
fn fail(request: &Request, kind: ErrorKind) -> GovernError {
    GovernError {
        call: request.call.to_string(),
        request: Some(request.describe()),
        kind: Box::new(kind),
    }
}
