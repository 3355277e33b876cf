//! `govscript watch` arguments.
use super::run_cmd::ConnectionArgs;
use crate::runtime::watch::{self, WatchOptions};
use clap::Args;
use std::path::PathBuf;
use std::time::Duration;

/// Arguments of `govscript watch`.
#[derive(Debug, Args)]
pub struct WatchArgs {
    /// The folder to watch (created if missing and its parent exists).
    pub dir: PathBuf,
    /// Print pending, running, done, failed and unmatched counts of DIR and exit.
    #[arg(long)]
    pub status: bool,
    /// Run SCRIPT for dropped files whose name matches GLOB (repeatable, first match
    /// wins; the script gets the file as `FILE`), e.g. --on '*.csv=update.rhai'.
    #[arg(long, value_name = "GLOB=SCRIPT")]
    pub on: Vec<String>,
    /// Scripts run at once [default: 4, or `concurrency` in DIR/.govscript-watch.toml].
    #[arg(long, value_name = "N")]
    pub concurrency: Option<usize>,
    /// Seconds a script may run before it is stopped and its file fails [default: 300].
    /// (`--timeout` is the per-request HTTP timeout, as for `run`.)
    #[arg(long, value_name = "SECS")]
    pub script_timeout: Option<u64>,
    /// Stop a script after this many operations [default: no limit].
    #[arg(long, value_name = "N")]
    pub max_operations: Option<u64>,
    /// Refuse (fail, unread) a file handed to a handler that is larger than this many
    /// MB: parsed CSV/JSON takes many times its size in memory [default: 8, or
    /// `max_file_mb` in DIR/.govscript-watch.toml].
    #[arg(long, value_name = "MB")]
    pub max_file_mb: Option<u64>,
    /// Quiet period before a file written without a close (or found by a scan) is taken.
    #[arg(long, value_name = "MS", default_value_t = 300)]
    pub settle_ms: u64,
    /// Seconds running scripts get to finish after SIGINT/SIGTERM.
    #[arg(long, value_name = "SECS", default_value_t = 30)]
    pub grace: u64,
    /// Do not run dropped `*.rhai` files as scripts (only --on handlers).
    #[arg(long)]
    pub no_scripts: bool,
    /// One JSON object per line instead of text.
    #[arg(long)]
    pub json: bool,
    /// Process the files already in DIR, then exit.
    #[arg(long, conflicts_with = "status")]
    pub once: bool,
    #[command(flatten)]
    pub output: super::OutputArgs,
    #[command(flatten)]
    pub connection: ConnectionArgs,
    /// Start a sandbox with demo data in this process and run against it
    /// (the connection flags and variables are then ignored, as for `run`).
    // Not `conflicts_with` the connection flags: clap counts GOVERN_HOST in the
    // environment as `--host`, so `--sandbox` failed wherever that was exported.
    #[arg(long)]
    pub sandbox: bool,
    #[command(flatten)]
    pub audit: super::audit_cmd::AuditFlags,
    /// After each handled file whose run changed something, also write the audit log's
    /// chain head into Govern's audit trail (`log_custom_audit`, admin key), for `audit
    /// verify --against-govern`; a failure is a warning on the file's line and journal.
    #[arg(long)]
    pub audit_to_govern: bool,
}

/// Runs `govscript watch`.
pub fn execute(args: WatchArgs) -> i32 {
    if args.status {
        return watch::status::print(&args.dir, args.json);
    }
    let c = args.connection;
    let audit = match args
        .audit
        .log_for_anchoring(args.sandbox, args.audit_to_govern)
    {
        Ok(log) => log,
        Err(code) => return code,
    };
    watch::watch(WatchOptions {
        audit,
        audit_to_govern: args.audit_to_govern,
        dir: args.dir,
        on: args.on,
        concurrency: args.concurrency,
        script_timeout: args.script_timeout,
        max_operations: args.max_operations,
        max_file_mb: args.max_file_mb,
        settle: Duration::from_millis(args.settle_ms),
        grace: Duration::from_secs(args.grace),
        run_scripts: !args.no_scripts,
        json: args.json,
        once: args.once,
        connection: c.flags(),
        sandbox: args.sandbox,
        quiet: args.output.quiet,
    })
}
