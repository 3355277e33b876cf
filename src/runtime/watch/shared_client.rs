//! One Govern client for every run of a watcher.
//!
//! `govern()` in `run` builds a client per process; a watcher runs thousands of
//! scripts, and building a client (TLS set-up) costs about 10 ms, more than a small
//! drop's whole run. The watcher therefore builds it once, on first use, and each run's
//! `govern()` wraps it with that run's own bridge, so a time limit or a shutdown still
//! cancels only that run's requests. Connections are kept alive between runs.
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

    fn client(&self) -> Result<GovernClient, String> {
        self.client
            .get_or_init(|| {
                let config = self.connection.clone()?;
                GovernClient::new(config).map_err(|e| e.to_string())
            })
            .clone()
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
                let client = shared.client().map_err(|m| local_error("govern", m))?;
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
