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
    /// Stop the script after this many operations (0: no limit).
    #[arg(long, default_value_t = 0)]
    pub max_operations: u64,
}

/// How to reach Govern; flags win over `GOVERN_HOST` / `GOVERN_API_KEY`, which win over a profile.
#[derive(Debug, Args)]
pub struct ConnectionArgs {
    /// Govern base URL, e.g. https://govern.example.com:11200.
    #[arg(long, env = "GOVERN_HOST")]
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
}

/// Runs `govscript run`.
pub fn execute(args: RunArgs, quiet: bool) -> i32 {
    let c = args.connection;
    run(RunOptions {
        script: args.script,
        args: args.args,
        connection: ConnectionFlags {
            host: c.host,
            api_key: c.api_key,
            profile: c.profile,
            insecure: c.insecure,
            timeout: c.timeout,
        },
        sandbox: args.sandbox,
        quiet,
        limits: Limits {
            max_operations: args.max_operations,
            ..Limits::default()
        },
    })
}
