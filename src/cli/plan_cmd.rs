//! `govscript run` options that plan instead of changing: `--plan FILE`, `--dry-run`,
//! `--detailed-exitcode`, `--json`.
use crate::plan::PlanOptions;
use clap::Args;
use std::path::PathBuf;

/// Plan options of `govscript run`.
#[derive(Debug, Args)]
pub struct PlanArgs {
    /// Send no change: record every change the script would make (with the state it
    /// was based on) into this plan file, print it, and let `govscript apply FILE`
    /// make exactly those changes later. Reads still reach Govern.
    #[arg(long, value_name = "FILE", conflicts_with = "dry_run")]
    pub plan: Option<PathBuf>,
    /// As --plan, but only print the plan (no file is written).
    #[arg(long)]
    pub dry_run: bool,
    /// With --plan or --dry-run: exit 0 when nothing would change, 2 when changes are
    /// planned, 1 on error.
    #[arg(long)]
    pub detailed_exitcode: bool,
    /// With --plan or --dry-run: print the plan as JSON instead of a readable diff.
    #[arg(long)]
    pub json: bool,
}

impl PlanArgs {
    /// The plan options, when the run plans; `quiet` silences notes.
    pub fn options(&self, quiet: bool) -> Option<PlanOptions> {
        (self.plan.is_some() || self.dry_run).then(|| PlanOptions {
            file: self.plan.clone(),
            json: self.json,
            detailed_exitcode: self.detailed_exitcode,
            quiet,
        })
    }

    /// `--detailed-exitcode` or `--json` without a plan is a usage error.
    pub fn check(&self) -> Result<(), String> {
        if self.plan.is_none() && !self.dry_run {
            for (given, flag) in [
                (self.detailed_exitcode, "--detailed-exitcode"),
                (self.json, "--json"),
            ] {
                if given {
                    return Err(format!(
                        "'{flag}' only applies with '--plan FILE' or '--dry-run'"
                    ));
                }
            }
        }
        Ok(())
    }
}
