//! `govscript repl` arguments.
use super::run_cmd::ConnectionArgs;
use crate::runtime::engine::Limits;
use crate::runtime::repl::{ReplOptions, repl};
use clap::Args;

/// Arguments of `govscript repl`.
#[derive(Debug, Args)]
pub struct ReplArgs {
    #[command(flatten)]
    pub output: super::OutputArgs,
    #[command(flatten)]
    pub connection: ConnectionArgs,
    /// Start a sandbox with demo data in this process and connect `client` to it
    /// (the connection flags and variables are then ignored).
    #[arg(long)]
    pub sandbox: bool,
    /// Stop an entry after this many operations (0: no limit).
    #[arg(long, default_value_t = 0)]
    pub max_operations: u64,
    #[command(flatten)]
    pub audit: super::audit_cmd::AuditFlags,
    /// At exit, if the session changed something, also write the audit log's chain head
    /// into Govern's audit trail (`log_custom_audit`, admin key), for `audit verify
    /// --against-govern`; exit 3 when that fails after a successful session.
    #[arg(long)]
    pub audit_to_govern: bool,
}

/// Runs `govscript repl`.
pub fn execute(args: ReplArgs) -> i32 {
    let audit = match args
        .audit
        .log_for_anchoring(args.sandbox, args.audit_to_govern)
    {
        Ok(log) => log,
        Err(code) => return code,
    };
    repl(ReplOptions {
        audit,
        audit_to_govern: args.audit_to_govern,
        connection: args.connection.flags(),
        sandbox: args.sandbox,
        quiet: args.output.quiet,
        limits: Limits {
            max_operations: args.max_operations,
            ..Limits::default()
        },
    })
}
