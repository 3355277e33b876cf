//! `govscript sandbox` command-line arguments and entry point.
use clap::Args;
use std::path::PathBuf;

/// Arguments of `govscript sandbox`.
#[derive(Debug, Clone, Args)]
pub struct SandboxArgs {
    /// SQLite database file (created if missing).
    #[arg(long, default_value = "govern-sandbox.db")]
    pub db: PathBuf,
}

/// Runs the sandbox server until Ctrl-C.
pub fn run(_args: SandboxArgs) -> anyhow::Result<()> {
    anyhow::bail!("not implemented yet")
}
