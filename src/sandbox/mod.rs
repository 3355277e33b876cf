//! A local, persistent, Govern-compatible HTTP server.
//!
//! Layout: [`server`] (router, path normalisation, auth, recorder), [`state`] (what
//! handlers share), [`routes`] (one file per
//! endpoint family), [`artifact`] and [`signoff`] (Govern semantics), [`store`] (SQLite),
//! [`collection`] (generic document collections) and [`designer`] (the blueprint
//! designer on them), [`init`] and [`seed`] (first start), [`auth`], [`error`] and [`extract`] (Govern-style
//! errors for bad requests), [`limits`] (bounded requests), [`faults`] (fault injection),
//! [`recorder`] (`--record`), [`shape`] (document shapes a write must have), [`serve`]
//! (the accept loop: header-read timeout, connection cap, drain).
pub mod admin;
pub mod artifact;
pub mod auth;
pub mod cli;
pub mod collection;
pub mod designer;
pub mod error;
pub mod extract;
pub mod faults;
pub mod files;
pub mod futures;
pub mod init;
pub mod keys;
pub mod limits;
pub mod pages;
pub mod people;
pub mod recorder;
pub mod rights;
pub mod roles;
pub mod routes;
pub mod search;
pub mod seed;
pub mod seed_bulk;
pub mod seed_rights;
pub mod series;
pub mod serve;
pub mod server;
pub mod shape;
pub mod signoff;
pub mod state;
pub mod store;

pub use cli::SandboxArgs;
pub use faults::FaultConfig;
pub use limits::Limits;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// How long a stopping server lets in-flight requests finish before closing them.
pub const DRAIN_TIMEOUT: Duration = Duration::from_secs(5);

/// Which demo data a new database receives (`--seed`).
/// Written `demo`, `none` or `bulk:N[,rules:R]` ([`seed_bulk`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Seed {
    /// System blueprints, a custom blueprint, users, groups and ~20 artifacts.
    #[default]
    Demo,
    /// Only the admin user.
    None,
    /// The demo data plus N generated artifacts (for search at scale), and optionally
    /// R generated role-assignment rules (for rights at scale).
    Bulk(seed_bulk::BulkSeed),
}

/// Options of a sandbox server.
#[derive(Debug, Clone)]
pub struct SandboxConfig {
    /// SQLite database file (created if missing).
    pub db: PathBuf,
    /// Address to listen on (port 0 = any free port).
    pub bind: SocketAddr,
    /// An admin API key to accept (added if missing); `None` generates one on first start.
    pub admin_key: Option<String>,
    /// Data for a new database.
    pub seed: Seed,
    /// File receiving one JSON line per request (method, target, body; never headers).
    pub record: Option<PathBuf>,
    /// Fault injection and latency (off by default).
    pub faults: FaultConfig,
    /// Request size limits.
    pub limits: Limits,
    /// Log one line per request at debug level (`govscript sandbox` turns it on; the
    /// line shows with `--verbose`).
    pub log_requests: bool,
    /// How long a long task (a future: user resync, external users or groups,
    /// provisioning) runs before its result is ready; zero answers it at once.
    pub task_duration: Duration,
}

impl Default for SandboxConfig {
    /// `govern-sandbox.db`, any free loopback port, a generated key, the demo seed, no
    /// recording, no faults, default limits, no request log.
    fn default() -> Self {
        Self {
            db: PathBuf::from("govern-sandbox.db"),
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            admin_key: None,
            seed: Seed::Demo,
            record: None,
            faults: FaultConfig::default(),
            limits: Limits::default(),
            log_requests: false,
            task_duration: Duration::ZERO,
        }
    }
}

/// How the admin key in force was obtained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdminKeyOrigin {
    /// Given in the configuration.
    Provided,
    /// Generated on this (first) start: show it once.
    Generated,
    /// Already stored from a previous start; the secret is unknown (only its hash is kept).
    Existing,
}

/// A running sandbox server.
pub struct RunningSandbox {
    /// Base URL, e.g. `http://127.0.0.1:11200`.
    pub url: String,
    /// The admin key in force (empty when [`AdminKeyOrigin::Existing`]).
    pub admin_key: String,
    /// How the admin key was obtained.
    pub admin_key_origin: AdminKeyOrigin,
    shutdown: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl RunningSandbox {
    /// Stops accepting connections and lets in-flight requests finish for at most
    /// [`DRAIN_TIMEOUT`]; then stops serving (a client still sending a request is cut off,
    /// every connection is closed).
    pub async fn shutdown(self) {
        let _ = self.shutdown.send(());
        let mut task = self.task;
        if tokio::time::timeout(DRAIN_TIMEOUT, &mut task)
            .await
            .is_err()
        {
            tracing::debug!("sandbox: requests still open after the drain timeout, closing");
            task.abort();
            let _ = task.await;
        }
    }
}

/// Starts the server on the current tokio runtime and returns once it is listening.
pub async fn start(config: SandboxConfig) -> anyhow::Result<RunningSandbox> {
    let store = store::Store::open(&config.db)?;
    let (admin_key, admin_key_origin) =
        init::initialize(&store, config.admin_key.as_deref(), config.seed)?;
    let recorder = match &config.record {
        Some(path) => Some(recorder::Recorder::open(
            path,
            config.limits.record_body_bytes,
        )?),
        None => None,
    };
    let state = state::AppState(Arc::new(state::Inner {
        store,
        recorder,
        limits: config.limits.clone(),
        faults: faults::Injector::new(config.faults.clone()),
        log_requests: config.log_requests,
        task_duration: config.task_duration,
    }));
    let listener = tokio::net::TcpListener::bind(config.bind).await?;
    let local = listener.local_addr()?;
    let host = if local.ip().is_unspecified() {
        "127.0.0.1".to_string()
    } else if local.is_ipv6() {
        format!("[{}]", local.ip())
    } else {
        local.ip().to_string()
    };
    let url = format!("http://{host}:{}", local.port());
    let app = server::app(state);
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let limits = config.limits.clone();
    let task = tokio::spawn(async move {
        serve::serve(listener, app, &limits, async move {
            let _ = rx.await;
        })
        .await
    });
    Ok(RunningSandbox {
        url,
        admin_key,
        admin_key_origin,
        shutdown: tx,
        task,
    })
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}
