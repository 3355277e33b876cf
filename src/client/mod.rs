//! The async Govern client: HTTP and JSON, no Rhai.
//!
//! One file per Govern area, each adding methods to [`GovernClient`]. Every method
//! builds a [`Request`] and hands it to the transport ([`transport`]), which is the
//! single place requests are sent. Each request is one operation of the Python call the
//! client serves ([`operation`]): [`OperationHook`]s see it once, whatever its retries;
//! [`MutationHook`]s see each HTTP attempt of a mutating one.
mod admin;
mod artifacts;
pub mod batch;
mod blueprints;
mod clock;
mod designer;
pub mod error;
mod error_body;
pub mod files;
pub mod futures;
mod identity;
mod instance;
mod keys;
pub mod operation;
mod pages;
pub mod people;
pub mod pyjson;
pub mod request;
pub mod resource;
pub mod retry;
mod roles;
mod search;
pub mod secrets;
mod series;
pub mod shape;
mod sightings;
pub mod signoffs;
mod tls;
mod transport;
mod verify;

pub use admin::Iam;
pub use error::{ErrorKind, GovernError, Result};
pub use operation::{Operation, OperationHook, OperationHooks};
pub use request::{Method, Request};
pub use retry::{ClientStats, RetryPolicy};
pub use transport::MutationHook;

use secrecy::SecretString;
use std::sync::Arc;
use std::time::Duration;

/// Default time allowed to open a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default largest answer accepted (64 MiB).
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 64 << 20;
/// Default time allowed for a whole request (the Python client has none).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(120);

/// How to reach a Govern instance.
#[derive(Clone)]
pub struct ClientConfig {
    /// Base URL, e.g. `https://govern.example.com:11200` (no `/dip/publicapi`).
    pub host: String,
    /// API key, sent as the HTTP basic user name. Never printed.
    pub api_key: SecretString,
    /// Skip TLS certificate verification (`--insecure`).
    pub insecure: bool,
    /// Time allowed to connect.
    pub connect_timeout: Duration,
    /// Time allowed for a whole request.
    pub timeout: Duration,
    /// Largest answer accepted.
    pub max_response_bytes: usize,
    /// Retries of failed requests.
    pub retry: RetryPolicy,
    /// Where the client counts requests and retries (shared with whoever reports them).
    pub stats: Arc<ClientStats>,
    /// Whether `save()` first checks that nobody else changed the document.
    pub check_conflicts: bool,
    /// The user every request acts as (`X-DKU-ProxyUser`, admin keys only), as
    /// Python's `GovernUser.get_client_as()` sets it.
    pub proxy_user: Option<String>,
    /// Hooks that see each operation once (audit, plan, progress), in order: those of
    /// the client built from this configuration. A handle onto the same connection
    /// can carry others ([`GovernClient::with_operation_hooks`]).
    pub operation_hooks: OperationHooks,
    /// Python's `internal_ticket`: sent as `X-DKU-APITicket` instead of the key (no
    /// `Authorization` header). Never printed.
    pub internal_ticket: Option<SecretString>,
    /// Python's `extra_headers`: added to every request.
    pub extra_headers: Vec<(String, String)>,
}

impl ClientConfig {
    /// A configuration with default timeouts and TLS verification on.
    /// A key written into the host (`https://KEY@host`) is taken out of it and used
    /// when `api_key` is empty; every key is remembered for [`secrets::redact`].
    pub fn new(host: impl Into<String>, api_key: impl Into<String>) -> Self {
        let (host, embedded) = secrets::split_userinfo(&host.into());
        let mut api_key: String = api_key.into();
        if let Some(embedded) = embedded {
            secrets::remember(&embedded);
            if api_key.is_empty() {
                api_key = embedded;
            }
        }
        secrets::remember(&api_key);
        Self {
            host,
            api_key: SecretString::from(api_key),
            insecure: false,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            retry: RetryPolicy::default(),
            stats: Arc::default(),
            check_conflicts: true,
            proxy_user: None,
            operation_hooks: OperationHooks::default(),
            internal_ticket: None,
            extra_headers: Vec::new(),
        }
    }
}

impl std::fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientConfig")
            .field("host", &self.host)
            .field("api_key", &"<redacted>")
            .field("insecure", &self.insecure)
            .field("proxy_user", &self.proxy_user)
            .field(
                "internal_ticket",
                &self.internal_ticket.as_ref().map(|_| "<redacted>"),
            )
            .field("extra_headers", &self.extra_headers)
            .finish()
    }
}

/// A handle onto a connection to one Govern instance. Cheap to clone: handles share
/// the connection (its pool, statistics and acting identity); each carries its own
/// operation hooks and the Python call it serves.
#[derive(Clone)]
pub struct GovernClient {
    inner: Arc<transport::Transport>,
    /// The Python call this client serves, when a binding named one.
    op: Option<Arc<Operation>>,
    /// The hooks every operation of this handle passes through.
    hooks: OperationHooks,
}

impl std::fmt::Debug for GovernClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "GovernClient({})", self.host())
    }
}

impl GovernClient {
    /// Builds a client; fails only if the TLS stack cannot be set up.
    pub fn new(config: ClientConfig) -> Result<Self> {
        Self::with_hooks(config, Vec::new())
    }

    /// Builds a client each HTTP attempt of whose mutating requests passes through
    /// `hooks`, in order (operation hooks come from `config`).
    pub fn with_hooks(config: ClientConfig, hooks: Vec<Arc<dyn MutationHook>>) -> Result<Self> {
        let operation_hooks = config.operation_hooks.clone();
        Ok(Self {
            inner: Arc::new(transport::Transport::new(config, hooks)?),
            op: None,
            hooks: operation_hooks,
        })
    }

    /// A handle onto this client's connection whose operations pass through `hooks`
    /// instead of this handle's: an audited watch run gets its own records on the
    /// watcher's one connection pool. Costs a clone of `hooks`, nothing else.
    pub fn with_operation_hooks(&self, hooks: OperationHooks) -> Self {
        Self {
            inner: self.inner.clone(),
            op: self.op.clone(),
            hooks,
        }
    }

    /// The same connection acting as the user `login` (every request carries
    /// `X-DKU-ProxyUser: login`), sharing this handle's hooks and the statistics.
    pub fn impersonating(&self, login: &str) -> Result<Self> {
        let mut config = self.inner.config.clone();
        config.proxy_user = Some(login.to_string());
        config.operation_hooks = self.hooks.clone();
        Self::with_hooks(config, self.inner.hooks.clone())
    }

    /// The user this client impersonates, if any.
    pub fn proxy_user(&self) -> Option<&str> {
        self.inner.config.proxy_user.as_deref()
    }

    /// Whether saves check for another writer's change first (`--no-conflict-check`).
    pub fn checks_conflicts(&self) -> bool {
        self.inner.check_conflicts
    }

    /// How failed requests are retried.
    pub fn retry_policy(&self) -> &RetryPolicy {
        self.inner.retry_policy()
    }

    /// What this client has sent so far.
    pub fn stats(&self) -> &Arc<ClientStats> {
        self.inner.stats()
    }

    /// The host this client talks to.
    pub fn host(&self) -> &str {
        self.inner.host()
    }

    /// Who this client acts as (`authIdentifier` of `GET /auth/info`), read once per
    /// host, credentials and impersonated user in this process, and kept
    /// ([`identity`]).
    pub async fn acting_identity(&self) -> Result<String> {
        self.inner
            .identity
            .get_or_try_init(|| async {
                let info = self.get_auth_info().await?;
                Ok(info
                    .get("authIdentifier")
                    .and_then(|v| v.as_str())
                    .unwrap_or("")
                    .to_string())
            })
            .await
            .cloned()
    }

    /// Sends a request whose answer is JSON (the Python client's `_perform_json`), as
    /// one operation.
    pub async fn perform_json(&self, request: Request) -> Result<serde_json::Value> {
        self.operate(request, |r| self.inner.perform_json(r)).await
    }

    /// Sends a request whose answer body is ignored (`_perform_empty`), as one
    /// operation.
    pub async fn perform_empty(&self, request: Request) -> Result<()> {
        self.operate(request, |r| async move {
            self.inner
                .perform_empty(r)
                .await
                .map(|()| serde_json::Value::Null)
        })
        .await
        .map(|_| ())
    }
}
