//! `govscript audit verify|show FILE`: checking and reading an audit log.
use crate::audit::{chain, show, time};
use crate::runtime::run::{EXIT_OK, EXIT_USAGE};
use clap::{Args, Subcommand};
use std::path::{Path, PathBuf};

/// Exit code of `audit verify` when the chain is broken.
pub const EXIT_BROKEN: i32 = 1;

/// Arguments of `govscript audit`.
#[derive(Debug, Args)]
pub struct AuditArgs {
    #[command(subcommand)]
    pub command: AuditCommand,
}

/// What to do with the log.
#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check the hash chain: names the first edited, removed, inserted or moved record
    /// (exit 1). A torn last line left by a killed run is reported and ignored.
    Verify {
        /// The log (e.g. ~/.local/state/govscript/audit.jsonl).
        file: PathBuf,
    },
    /// Print the records, filtered by time, target and identity.
    Show {
        /// The log.
        file: PathBuf,
        /// Records at or after this UTC time (2026-11-30, 2026-11-30T04:30:00Z).
        #[arg(long, value_name = "TIME", value_parser = time::check_bound)]
        since: Option<String>,
        /// Records at or before this UTC time (a day includes the whole day).
        #[arg(long, value_name = "TIME", value_parser = time::check_bound)]
        until: Option<String>,
        /// Records acting on this id (ar.12, bp.x...).
        #[arg(long, value_name = "ID")]
        target: Option<String>,
        /// Records made as this Govern identity (login).
        #[arg(long, value_name = "LOGIN")]
        identity: Option<String>,
        /// The matching records as JSON lines, as stored.
        #[arg(long)]
        json: bool,
    },
}

/// Runs `govscript audit`.
pub fn execute(args: AuditArgs) -> i32 {
    match args.command {
        AuditCommand::Verify { file } => verify(&file),
        AuditCommand::Show {
            file,
            since,
            until,
            target,
            identity,
            json,
        } => {
            let filter = show::Filter {
                since,
                until,
                target,
                identity,
            };
            print_records(&file, &filter, json)
        }
    }
}

fn read(file: &Path) -> Result<Vec<u8>, i32> {
    std::fs::read(file).map_err(|e| {
        eprintln!("error: cannot read {}: {e}", file.display());
        EXIT_USAGE
    })
}

fn verify(file: &Path) -> i32 {
    let text = match read(file) {
        Ok(t) => t,
        Err(code) => return code,
    };
    match chain::verify(&text) {
        Ok(intact) => {
            if let Some(line) = intact.torn_tail {
                eprintln!(
                    "warning: {}: line {line} is a torn last record (a run was killed \
                     while writing it): ignored",
                    file.display()
                );
            }
            println!(
                "{}: {} records, chain intact (head {})",
                file.display(),
                intact.records,
                intact.head
            );
            EXIT_OK
        }
        Err(broken) => {
            println!("{}: chain broken at {broken}", file.display());
            EXIT_BROKEN
        }
    }
}

fn print_records(file: &Path, filter: &show::Filter, json: bool) -> i32 {
    let text = match read(file) {
        Ok(t) => t,
        Err(code) => return code,
    };
    for (_, line, record) in show::select(&text, filter) {
        if json {
            println!("{}", String::from_utf8_lossy(line));
        } else {
            println!("{}", show::render(&record));
        }
    }
    EXIT_OK
}
