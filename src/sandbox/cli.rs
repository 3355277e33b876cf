//! `govscript sandbox` command-line arguments and entry point.
use super::{AdminKeyOrigin, FaultConfig, Limits, SandboxConfig, Seed};
use clap::Args;
use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

/// Environment variable holding the admin key (preferred to `--admin-key`).
pub const ADMIN_KEY_ENV: &str = "GOVSCRIPT_SANDBOX_ADMIN_KEY";

/// Arguments of `govscript sandbox`.
#[derive(Debug, Clone, Args)]
pub struct SandboxArgs {
    /// SQLite database file, created if missing (the default is in the current folder).
    #[arg(long, default_value = "govern-sandbox.db")]
    pub db: PathBuf,
    /// TCP port (0 = any free port).
    #[arg(long, default_value_t = 11200)]
    pub port: u16,
    /// Address to listen on: the default serves this machine only; 0.0.0.0 (or ::)
    /// serves the network, where anyone with a key can change the data.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: IpAddr,
    /// Accept this admin API key (added if missing; it replaces the key given this way
    /// on an earlier start). Otherwise one is generated on the first start and printed
    /// once. Prefer the environment: flags show in `ps`. Printable ASCII, no `:`.
    #[arg(long, env = ADMIN_KEY_ENV, hide_env_values = true, value_parser = AdminKey)]
    pub admin_key: Option<String>,
    /// Data for a new database: `demo`, `none` (only the admin user) or
    /// `bulk:N[,rules:R]` (the demo data plus N generated `bp.model_review` artifacts,
    /// e.g. `bulk:100000`, to try searches at scale, and R generated role-assignment
    /// rules on that blueprint, e.g. `bulk:10000,rules:50`; written in one transaction).
    #[arg(long, default_value_t = Seed::Demo, value_parser = Seed::parse)]
    pub seed: Seed,
    /// Append one JSON line per request (method, target with API keys masked, body;
    /// never headers) to FILE.
    #[arg(long, value_name = "FILE")]
    pub record: Option<PathBuf>,
    /// Refuse request bodies larger than this (413).
    #[arg(long, value_name = "BYTES", default_value_t = Limits::default().max_body_bytes)]
    pub max_body_bytes: usize,
    /// Refuse uploaded files larger than this many MiB (413, nothing stored).
    #[arg(long, value_name = "MIB", default_value_t = Limits::default().max_upload_bytes >> 20)]
    pub max_upload_mb: u64,
    /// Inject faults into this fraction (0.0-1.0) of mutating requests: a 503 with
    /// Retry-After, a connection dropped before the change is applied, or one dropped
    /// after it is applied and before the answer. For testing scripts' robustness.
    #[arg(long, value_name = "P", default_value_t = 0.0, value_parser = parse_rate)]
    pub fault_rate: f64,
    /// Seed of the fault generator: the same seed and requests give the same faults.
    #[arg(long, value_name = "N")]
    pub fault_seed: Option<u64>,
    /// Inject faults into reads (GET, search) as well.
    #[arg(long)]
    pub fault_reads: bool,
    /// Seconds a faulted 503 asks clients to wait (`Retry-After`).
    #[arg(long, value_name = "SECS", default_value_t = 1)]
    pub fault_retry_after: u64,
    /// Delay every request by this many milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 0)]
    pub latency: u64,
    /// Long tasks (futures: user resync, external users and groups, provisioning)
    /// run this many milliseconds before their result is ready (0: answered at once).
    #[arg(long, value_name = "MS", default_value_t = 0)]
    pub task_duration: u64,
    /// Seconds a client has to send a request's headers, also how long a kept-alive
    /// connection may wait for its next request; the connection is closed past it.
    #[arg(long, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..),
          default_value_t = Limits::default().header_read_timeout.as_secs())]
    pub header_timeout: u64,
    /// Connections served at once; past it a new one is answered 503 and closed.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..),
          default_value_t = Limits::default().max_connections as u64)]
    pub max_connections: u64,
}

fn parse_rate(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(p) if (0.0..=1.0).contains(&p) => Ok(p),
        _ => Err(format!("expected a number from 0.0 to 1.0, got {s:?}")),
    }
}

/// Parses an admin key, refusing one clients cannot send ([`super::auth::check_key`])
/// with an error that does not repeat it (clap's own would).
#[derive(Debug, Clone, Copy)]
struct AdminKey;

impl clap::builder::TypedValueParser for AdminKey {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        _arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        let refuse = |message: String| {
            clap::Error::raw(clap::error::ErrorKind::ValueValidation, message + "\n").with_cmd(cmd)
        };
        let key = value
            .to_str()
            .ok_or_else(|| refuse("the admin API key is not valid UTF-8".into()))?;
        super::auth::check_key(key).map_err(refuse)?;
        Ok(key.to_string())
    }
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
            faults: FaultConfig {
                rate: self.fault_rate,
                seed: self.fault_seed,
                include_reads: self.fault_reads,
                latency: Duration::from_millis(self.latency),
                retry_after_secs: self.fault_retry_after,
            },
            limits: Limits {
                max_body_bytes: self.max_body_bytes,
                header_read_timeout: Duration::from_secs(self.header_timeout),
                max_connections: usize::try_from(self.max_connections).unwrap_or(usize::MAX),
                max_upload_bytes: self.max_upload_mb.saturating_mul(1 << 20),
                ..Limits::default()
            },
            log_requests: true,
            task_duration: Duration::from_millis(self.task_duration),
        }
    }

    /// Whether the admin key was given on the command line rather than in the
    /// environment (clap fills the field from either).
    fn admin_key_from_flag(&self) -> bool {
        self.admin_key
            .as_deref()
            .is_some_and(|k| std::env::var(ADMIN_KEY_ENV).ok().as_deref() != Some(k))
    }
}

/// Runs the sandbox server until Ctrl-C or SIGTERM.
pub fn run(args: SandboxArgs) -> anyhow::Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    if args.admin_key_from_flag() {
        eprintln!(
            "warning: --admin-key is visible to other users in `ps`; set {ADMIN_KEY_ENV} instead"
        );
    }
    rt.block_on(async move {
        let stop = stop_signal()?;
        let running = super::start(args.config())
            .await
            .map_err(|e| explain_bind_error(e, &args))?;
        let mut out = std::io::stdout().lock();
        match running.admin_key_origin {
            AdminKeyOrigin::Generated => writeln!(
                out,
                "generated admin API key (shown only once, store it now): {}",
                running.admin_key
            )?,
            AdminKeyOrigin::Existing => writeln!(
                out,
                "using the admin API key stored in the database (not shown; set {ADMIN_KEY_ENV} to add one)"
            )?,
            AdminKeyOrigin::Provided => {}
        }
        writeln!(out, "govscript sandbox listening on {}", running.url)?;
        out.flush()?;
        drop(out);
        stop.await;
        running.shutdown().await;
        Ok(())
    })
}

/// A start error, saying which address is taken when the port is in use.
fn explain_bind_error(error: anyhow::Error, args: &SandboxArgs) -> anyhow::Error {
    let in_use = error
        .chain()
        .filter_map(|e| e.downcast_ref::<std::io::Error>())
        .any(|e| e.kind() == std::io::ErrorKind::AddrInUse);
    if !in_use {
        return error;
    }
    anyhow::anyhow!(
        "port {} on {} is already in use (another sandbox?): stop that process, choose \
         another --port, or give --port 0 to take any free port",
        args.port,
        args.bind
    )
}

/// Installs the Ctrl-C and SIGTERM handlers now (before "listening" is printed, so a
/// signal sent as soon as the line appears is never the default, abrupt one) and returns
/// a future that ends on the first of them.
fn stop_signal() -> std::io::Result<impl Future<Output = ()>> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut int = signal(SignalKind::interrupt())?;
        let mut term = signal(SignalKind::terminate())?;
        Ok(async move {
            tokio::select! {
                _ = int.recv() => {}
                _ = term.recv() => {}
            }
        })
    }
    #[cfg(not(unix))]
    {
        Ok(async {
            let _ = tokio::signal::ctrl_c().await;
        })
    }
}
