//! One Govern client for every run of a watcher.
//!
//! `govern()` in `run` builds a client per process; a watcher runs thousands of
//! scripts, and building a client (TLS set-up) costs about 10 ms, more than a small
//! drop's whole run. The watcher therefore builds it once, on first use, and each run's
//! `govern()` wraps it with that run's own bridge, so a time limit or a shutdown still
//! cancels only that run's requests. Connections are kept alive between runs.
//!
//! An audited run's records name that run (its script, its file): its `govern()`
//! returns a handle onto the shared connection carrying the run's own operation
//! hooks ([`GovernClient::with_operation_hooks`]), so audited runs share the one
//! connection pool, and the acting identity read once, like unaudited ones.
use crate::bindings::bridge::{RhaiResult, local_error};
use crate::bindings::handle::{self, Api, Handle};
use crate::bindings::{Bridge, ScriptClient};
use crate::client::{ClientConfig, GovernClient};
use rhai::Engine;
use std::sync::{Arc, OnceLock};

/// The connection settings, and the client once built.
pub struct SharedClient {
    connection: Result<ClientConfig, String>,
    client: OnceLock<Result<GovernClient, String>>,
}

impl SharedClient {
    /// A client for `connection`, built on first use.
    pub fn new(connection: Result<ClientConfig, String>) -> Arc<Self> {
        Arc::new(Self {
            connection,
            client: OnceLock::new(),
        })
    }

    /// The shared client (built on first use), without operation hooks.
    pub fn client(&self) -> Result<GovernClient, String> {
        self.client
            .get_or_init(|| {
                let config = self.connection.clone()?;
                GovernClient::new(config).map_err(|e| e.to_string())
            })
            .clone()
    }

    /// Checks the API key once at start (`GET /auth/info`, kept as the acting identity
    /// audited runs record). A rejected key (HTTP 401 or 403) is critical: every run would fail, so the watcher does not start. Anything
    /// else (no connection configured, server unreachable) is only worth a warning:
    /// scripts that do not call `govern()` still work, and a server may come back.
    pub fn check(&self, runtime: &tokio::runtime::Handle) -> Result<Option<String>, String> {
        let Ok(config) = &self.connection else {
            return Ok(None);
        };
        let client = self.client()?;
        // The timer must be created inside the runtime.
        let probe = async {
            let limit = std::time::Duration::from_secs(15);
            tokio::time::timeout(limit, client.acting_identity()).await
        };
        match runtime.block_on(probe) {
            Ok(Ok(_)) => Ok(None),
            Ok(Err(e)) if matches!(e.status(), Some(401 | 403)) => {
                Err(format!("the API key was rejected by {}: {e}", config.host))
            }
            Ok(Err(e)) => Ok(Some(format!(
                "cannot check the connection to {}: {e}",
                config.host
            ))),
            Err(_) => Ok(Some(format!("no answer from {} within 15 s", config.host))),
        }
    }

    /// Replaces `govern()` on `engine` (built by `engine::build`) with one returning the
    /// shared client, its calls run through `bridge`.
    pub fn register(self: &Arc<Self>, engine: &mut Engine, bridge: &Bridge) {
        let shared = self.clone();
        let bridge = bridge.clone();
        handle::def(
            engine,
            "govern",
            &["GovernClient"],
            "The client for the instance given by --host/--api-key, GOVERN_HOST/GOVERN_API_KEY, --profile or --sandbox.",
            move || -> RhaiResult<ScriptClient> {
                let client = shared
                    .client()
                    .map_err(|m| local_error("govern", m))?
                    .with_operation_hooks(bridge.operation_hooks().clone());
                let host = shared
                    .connection
                    .as_ref()
                    .map(|c| c.host.clone())
                    .unwrap_or_default();
                let api = Api {
                    client,
                    bridge: bridge.clone(),
                };
                Ok(Handle::new(&api, host))
            },
        );
    }
}
