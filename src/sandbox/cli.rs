//! `govscript sandbox` command-line arguments and entry point.
use super::{AdminKeyOrigin, SandboxConfig, Seed};
use clap::Args;
use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

/// Arguments of `govscript sandbox`.
#[derive(Debug, Clone, Args)]
pub struct SandboxArgs {
    /// SQLite database file (created if missing).
    #[arg(long, default_value = "govern-sandbox.db")]
    pub db: PathBuf,
    /// TCP port (0 = any free port).
    #[arg(long, default_value_t = 11200)]
    pub port: u16,
    /// Address to bind.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: IpAddr,
    /// Accept this admin API key (added if missing). Otherwise one is generated on the
    /// first start and printed once.
    #[arg(long)]
    pub admin_key: Option<String>,
    /// Data for a new database.
    #[arg(long, value_enum, default_value_t = Seed::Demo)]
    pub seed: Seed,
    /// Append one JSON line per request (method, target, body; never headers) to FILE.
    #[arg(long, value_name = "FILE")]
    pub record: Option<PathBuf>,
}

impl SandboxArgs {
    /// The server configuration these arguments describe.
    pub fn config(&self) -> SandboxConfig {
        SandboxConfig {
            db: self.db.clone(),
            bind: SocketAddr::new(self.bind, self.port),
            admin_key: self.admin_key.clone(),
            seed: self.seed,
            record: self.record.clone(),
        }
    }
}

/// Runs the sandbox server until Ctrl-C or SIGTERM.
pub fn run(args: SandboxArgs) -> anyhow::Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let running = super::start(args.config()).await?;
        let mut out = std::io::stdout().lock();
        match running.admin_key_origin {
            AdminKeyOrigin::Generated => writeln!(
                out,
                "generated admin API key (shown only once, store it now): {}",
                running.admin_key
            )?,
            AdminKeyOrigin::Existing => writeln!(
                out,
                "using the admin API key stored in the database (not shown; pass --admin-key to add one)"
            )?,
            AdminKeyOrigin::Provided => {}
        }
        writeln!(out, "govscript sandbox listening on {}", running.url)?;
        out.flush()?;
        drop(out);
        wait_for_stop().await;
        running.shutdown().await;
        Ok(())
    })
}

async fn wait_for_stop() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
