//! `govscript apply PLAN.json`: makes exactly the changes of a plan.
use super::audit_cmd::AuditFlags;
use super::run_cmd::ConnectionArgs;
use crate::client::GovernClient;
use crate::plan::{EXIT_ERROR, apply, file::Plan, render, report};
use crate::runtime::session::Session;
use clap::Args;
use std::path::PathBuf;

/// Arguments of `govscript apply`.
#[derive(Debug, Args)]
pub struct ApplyArgs {
    /// The plan file `govscript run --plan FILE` wrote.
    pub plan: PathBuf,
    #[command(flatten)]
    pub connection: ConnectionArgs,
    /// How many objects are changed at once (each object's changes stay in order).
    #[arg(long, default_value_t = crate::client::batch::DEFAULT_CONCURRENCY as u16, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub concurrency: u16,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub audit: AuditFlags,
    /// Only the report: no notes on stderr.
    #[arg(long, short)]
    pub quiet: bool,
}

/// A host as compared: without a trailing `/`.
fn same_host(a: &str, b: &str) -> bool {
    a.trim_end_matches('/') == b.trim_end_matches('/')
}

/// Runs `govscript apply`: 0 when every change applied, 1 otherwise.
pub fn execute(args: ApplyArgs) -> i32 {
    match apply_plan(&args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {}", crate::client::secrets::redact(&e));
            EXIT_ERROR
        }
    }
}

fn apply_plan(args: &ApplyArgs) -> Result<i32, String> {
    let shown = args.plan.display().to_string();
    let text =
        std::fs::read_to_string(&args.plan).map_err(|e| format!("cannot read {shown}: {e}"))?;
    let plan = Plan::parse(&text).map_err(|e| format!("{shown}: {e}"))?;
    let flags = args.connection.flags();
    crate::runtime::config::check_host(&flags)?;
    let mut config = crate::runtime::config::resolve(&flags)?;
    // The pre-images come from the plan's host: against another, every check would be
    // meaningless. Plan again against the instance to change.
    if !same_host(&config.host, &plan.host) {
        return Err(format!(
            "{shown} was planned against {}, not {}: make the plan against the instance to change",
            plan.host, config.host
        ));
    }
    if let Some(log) = args.audit.log(false) {
        let hook = crate::runtime::run::audit_hook(&log, &args.plan, &shown, &text);
        config.operation_hooks = crate::client::OperationHooks(vec![hook]);
    }
    let session = Session::start(false, args.quiet).map_err(|e| format!("{e:#}"))?;
    let client = GovernClient::new(config).map_err(|e| e.to_string())?;
    if !args.quiet && !args.json {
        eprintln!(
            "govscript: applying {} change(s) of {shown} to {}",
            plan.changes.len(),
            plan.host
        );
    }
    let concurrency = usize::from(args.concurrency);
    let items = session
        .runtime_handle()
        .block_on(apply::apply(&client, plan, concurrency));
    if args.json {
        println!("{}", report::json(&items));
    } else {
        print!(
            "{}",
            report::text(&items, render::Paint(render::colour_for_stdout()))
        );
    }
    std::mem::forget(session);
    Ok(if report::all_applied(&items) {
        0
    } else {
        EXIT_ERROR
    })
}
