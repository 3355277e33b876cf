//! `govscript run` arguments.
use crate::runtime::config::ConnectionFlags;
use crate::runtime::engine::Limits;
use crate::runtime::{RunOptions, run};
use clap::Args;
use std::path::PathBuf;

/// Arguments of `govscript run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The script to run.
    pub script: PathBuf,
    /// Arguments for the script, after `--` (the script sees them as `ARGS`).
    #[arg(last = true)]
    pub args: Vec<String>,
    #[command(flatten)]
    pub connection: ConnectionArgs,
    /// Start a sandbox with demo data in this process and run against it
    /// (the connection flags and variables are then ignored).
    #[arg(long)]
    pub sandbox: bool,
    /// Stop the script after this many seconds of wall-clock time (default: no limit;
    /// `--timeout` is the per-request HTTP timeout).
    #[arg(long, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..))]
    pub script_timeout: Option<u64>,
    /// Stop the script after this many operations (0: no limit).
    #[arg(long, default_value_t = 0)]
    pub max_operations: u64,
}

/// How to reach Govern; flags win over `GOVERN_HOST` / `GOVERN_API_KEY`, which win over a profile.
#[derive(Debug, Args)]
pub struct ConnectionArgs {
    /// Govern base URL, e.g. https://govern.example.com:11200.
    // Its value stays out of --help: it may hold a key (`https://KEY@host`).
    #[arg(long, env = "GOVERN_HOST", hide_env_values = true)]
    pub host: Option<String>,
    /// API key. Prefer the environment: flags show in `ps`.
    #[arg(long, env = "GOVERN_API_KEY", hide_env_values = true)]
    pub api_key: Option<String>,
    /// Profile from the config file ($GOVSCRIPT_CONFIG or ~/.config/govscript/config.toml).
    #[arg(long, env = "GOVERN_PROFILE")]
    pub profile: Option<String>,
    /// Do not verify TLS certificates (self-signed test instances only).
    #[arg(long)]
    pub insecure: bool,
    /// Seconds allowed for each HTTP request (at least 1).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
    pub timeout: Option<u64>,
    /// Attempts per request, the first included: failed requests that are safe to
    /// repeat are retried with backoff (1: no retries).
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=20))]
    pub retries: u32,
    /// Let `save()` overwrite changes made by others since the document was read
    /// (by default it re-reads first and refuses with a conflict error).
    #[arg(long)]
    pub no_conflict_check: bool,
    /// Largest answer accepted from Govern, in MiB.
    #[arg(long, default_value_t = 64, value_parser = clap::value_parser!(u64).range(1..=4096))]
    pub max_response_mb: u64,
}

impl ConnectionArgs {
    /// The flags as the runtime takes them.
    pub fn flags(&self) -> ConnectionFlags {
        ConnectionFlags {
            host: self.host.clone(),
            api_key: self.api_key.clone(),
            profile: self.profile.clone(),
            insecure: self.insecure,
            timeout: self.timeout,
            retries: self.retries,
            max_response_mb: self.max_response_mb,
            check_conflicts: !self.no_conflict_check,
        }
    }
}

/// Runs `govscript run`.
pub fn execute(args: RunArgs, quiet: bool) -> i32 {
    run(RunOptions {
        connection: args.connection.flags(),
        script: args.script,
        args: args.args,
        sandbox: args.sandbox,
        quiet,
        limits: Limits {
            max_operations: args.max_operations,
            ..Limits::default()
        },
        time_limit: args.script_timeout.map(std::time::Duration::from_secs),
    })
}
