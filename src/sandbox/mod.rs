//! A local, persistent, Govern-compatible HTTP server.
pub mod cli;

/// Options of an in-process sandbox (used by `govscript run --sandbox`).
pub use cli::SandboxArgs;

use std::net::SocketAddr;
use std::path::PathBuf;

/// Which data a new sandbox database starts with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seed {
    /// Demo blueprints, users and artifacts.
    Demo,
    /// Only the admin user.
    None,
}

/// Configuration of a sandbox server.
#[derive(Debug, Clone)]
pub struct SandboxConfig {
    /// SQLite file.
    pub db: PathBuf,
    /// Address to listen on (port 0: any free port).
    pub bind: SocketAddr,
    /// Admin API key to accept (generated when `None`).
    pub admin_key: Option<String>,
    /// Seed of a new database.
    pub seed: Seed,
    /// Where to append a JSON line per request received.
    pub record: Option<PathBuf>,
}

/// A sandbox running in this process.
pub struct RunningSandbox {
    /// Base URL, e.g. `http://127.0.0.1:40123`.
    pub url: String,
    /// The admin API key in force.
    pub admin_key: String,
}

impl RunningSandbox {
    /// Stops the server.
    pub async fn shutdown(self) {}
}

/// Starts a sandbox on the current runtime (stub until the server lands).
pub async fn start(_config: SandboxConfig) -> anyhow::Result<RunningSandbox> {
    anyhow::bail!("the sandbox server is not built yet")
}
