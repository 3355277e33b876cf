//! `govscript audit verify|show FILE`: checking and reading an audit log; and the
//! audit flags of `run`, `watch` and `repl`.
use super::run_cmd::ConnectionArgs;
use crate::audit::{against, chain, show, time};
use crate::runtime::run::{EXIT_OK, EXIT_USAGE};
use clap::{Args, Subcommand};
use std::path::{Path, PathBuf};

/// Where a mode's changes are logged (flattened into `run`, `watch` and `repl`).
#[derive(Debug, Args)]
pub struct AuditFlags {
    /// Append every change made to this hash-chained audit log [default:
    /// $XDG_STATE_HOME/govscript/audit.jsonl, else ~/.local/state/govscript/audit.jsonl;
    /// none with --sandbox].
    #[arg(long, value_name = "FILE", env = "GOVSCRIPT_AUDIT_LOG")]
    pub audit_log: Option<PathBuf>,
    /// Keep no audit log of the changes made (wins over --audit-log).
    #[arg(long)]
    pub no_audit: bool,
}

impl AuditFlags {
    /// [`Self::log`], checked for `--audit-to-govern` (`to_govern`), which needs one;
    /// when it is missing, the error is printed and the exit code returned, for the
    /// command (`run`, `watch`, `repl`) to end with.
    pub fn log_for_anchoring(
        &self,
        sandbox: bool,
        to_govern: bool,
    ) -> Result<Option<PathBuf>, i32> {
        let log = self.log(sandbox);
        if to_govern && log.is_none() {
            eprintln!("error: --audit-to-govern needs an audit log (it was turned off)");
            return Err(EXIT_USAGE);
        }
        Ok(log)
    }

    /// The log to append to: none with `--no-audit`, nor by default with `--sandbox`
    /// (an ephemeral sandbox's changes vanish with it), else the one given or the
    /// default (with a warning when there is no home folder).
    pub fn log(&self, sandbox: bool) -> Option<PathBuf> {
        match (self.no_audit, &self.audit_log, sandbox) {
            (true, _, _) => None,
            (false, Some(file), _) => Some(file.clone()),
            (false, None, true) => None,
            (false, None, false) => {
                let default = crate::audit::default_path();
                if default.is_none() {
                    eprintln!(
                        "warning: no home folder: no audit log is kept (give --audit-log FILE)"
                    );
                }
                default
            }
        }
    }
}

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
        /// Also check the log against the chain heads `run --audit-to-govern` wrote
        /// into Govern's audit trail (read back with an admin key through the logs
        /// API): a tail rewritten with recomputed hashes, or cut off, is named.
        #[arg(long)]
        against_govern: bool,
        #[command(flatten)]
        connection: ConnectionArgs,
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
        AuditCommand::Verify {
            file,
            against_govern,
            connection,
        } => verify(&file, against_govern.then_some(&connection)),
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

fn verify(file: &Path, against_govern: Option<&ConnectionArgs>) -> i32 {
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
            if let Some(connection) = against_govern {
                return verify_against_govern(file, &text, intact, connection);
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

/// The second half of `verify --against-govern`: the chain holds; every head Govern
/// recorded for this log must be found in it.
fn verify_against_govern(
    file: &Path,
    text: &[u8],
    intact: chain::Intact,
    connection: &ConnectionArgs,
) -> i32 {
    let anchors = match read_anchors(connection) {
        Ok(a) => a,
        Err(e) => {
            eprintln!(
                "error: cannot read the audit heads from Govern: {}",
                crate::client::secrets::redact(&e)
            );
            return EXIT_USAGE;
        }
    };
    let mine = against::of_log(&anchors, text, file);
    if mine.is_empty() {
        println!(
            "{}: Govern holds no audit head for this log ({} records, chain intact; {} \
             heads of other logs): nothing vouches for it",
            file.display(),
            intact.records,
            anchors.len()
        );
        return EXIT_BROKEN;
    }
    match against::check(text, &mine) {
        Ok(()) => {
            println!(
                "{}: {} records, chain intact (head {}), and it holds the {} heads Govern \
                 recorded for it",
                file.display(),
                intact.records,
                intact.head,
                mine.len()
            );
            EXIT_OK
        }
        Err(broken) => {
            println!("{}: not what Govern recorded: {broken}", file.display());
            EXIT_BROKEN
        }
    }
}

/// The anchors in Govern's audit logs, read through `connection`.
fn read_anchors(connection: &ConnectionArgs) -> Result<Vec<crate::audit::anchor::Anchor>, String> {
    let flags = connection.flags();
    crate::runtime::config::check_host(&flags)?;
    let config = crate::runtime::config::resolve(&flags)?;
    let client = crate::client::GovernClient::new(config).map_err(|e| e.to_string())?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    runtime.block_on(against::fetch(&client))
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
