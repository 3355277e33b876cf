//! Command-line interface: parses arguments and maps outcomes to exit codes.
mod apply_cmd;
mod audit_cmd;
mod completions_cmd;
mod config_cmd;
mod definitions_cmd;
mod docs_cmd;
mod lint_cmd;
mod plan_cmd;
mod repl_cmd;
mod run_cmd;
mod watch_cmd;

use crate::client::secrets::redact;
use crate::runtime::run::{EXIT_OK, EXIT_USAGE};
use clap::error::ErrorKind;
use clap::{Args, CommandFactory, Parser, Subcommand};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

/// govscript: automate Dataiku Govern with Rhai scripts.
#[derive(Debug, Parser)]
#[command(name = "govscript", version, about, propagate_version = true)]
pub struct Cli {
    /// `-v` before the command, as earlier versions took it (hidden: it belongs to the
    /// commands that have it).
    #[arg(long, short, hide = true)]
    pub verbose: bool,
    /// `-q` before the command, as earlier versions took it (hidden, as `verbose`).
    #[arg(long, short, hide = true)]
    pub quiet: bool,
    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// Hands `-q`/`-v` given before the command to the command, which must have them.
    fn forward_output(&mut self) -> Result<(), clap::Error> {
        let (quiet, verbose) = (self.quiet, self.verbose);
        let output = match &mut self.command {
            Command::Run(args) => &mut args.output,
            Command::Watch(args) => &mut args.output,
            Command::Repl(args) => &mut args.output,
            Command::Sandbox { verbose: v, .. } if !quiet => {
                *v |= verbose;
                return Ok(());
            }
            _ if !(quiet || verbose) => return Ok(()),
            _ => {
                let (flag, of) = if quiet {
                    ("--quiet", "`run`, `watch` and `repl`")
                } else {
                    ("--verbose", "`run`, `watch`, `repl` and `sandbox`")
                };
                return Err(Cli::command().error(
                    ErrorKind::UnknownArgument,
                    format!("'{flag}' is an option of {of} only"),
                ));
            }
        };
        output.quiet |= quiet;
        output.verbose |= verbose;
        Ok(())
    }
}

/// `--quiet` and `--verbose`, for the commands that run scripts (`run`, `watch`, `repl`).
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Log every HTTP request (method and path, never credentials) to stderr.
    #[arg(long, short)]
    pub verbose: bool,
    /// Only the script's own output: no banners, no `debug` lines, no progress.
    #[arg(long, short)]
    pub quiet: bool,
}

impl OutputArgs {
    /// `-q` with `-v` is a usage error. Checked here rather than by clap's
    /// `conflicts_with`, whose usage line lists every option set through the
    /// environment (`--host <HOST> --api-key <API_KEY>`) as if it were required.
    pub(crate) fn check(&self, subcommand: &str) -> Result<(), clap::Error> {
        if !(self.quiet && self.verbose) {
            return Ok(());
        }
        Err(usage_error(
            subcommand,
            ErrorKind::ArgumentConflict,
            "the argument '--quiet' cannot be used with '--verbose'",
        ))
    }
}

/// A usage error formatted as clap formats its own (the sub-command's usage line,
/// exit code 2), for checks made after parsing.
fn usage_error(subcommand: &str, kind: ErrorKind, message: &str) -> clap::Error {
    let mut cli = Cli::command();
    cli.build();
    match cli.find_subcommand_mut(subcommand) {
        Some(command) => command.error(kind, message),
        None => cli.error(kind, message),
    }
}

/// The sub-commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a script once: `govscript run [OPTIONS] FILE|- [ARGS...]`.
    Run(run_cmd::RunArgs),
    /// Run scripts on files dropped into a folder: `govscript watch DIR [--on GLOB=SCRIPT]`.
    Watch(watch_cmd::WatchArgs),
    /// Run a local Govern-compatible sandbox server.
    Sandbox {
        #[command(flatten)]
        args: crate::sandbox::SandboxArgs,
        /// Log every request served (method, path, status, time) to stderr.
        #[arg(long, short)]
        verbose: bool,
    },
    /// Explore an instance interactively, with completion: `govscript repl [--sandbox]`.
    Repl(repl_cmd::ReplArgs),
    /// Write Rhai definition files (`.d.rhai`) for editor completion.
    Definitions(definitions_cmd::DefinitionsArgs),
    /// Print the Rhai API reference (markdown or `--json`), or with `--coverage` the
    /// Python client members it implements: `govscript docs [--coverage] [-o FILE]`.
    Docs(docs_cmd::DocsArgs),
    /// Print a shell completion script: `govscript completions bash|zsh|fish|powershell|elvish`.
    Completions(completions_cmd::CompletionsArgs),
    /// Show the effective host, profile and API key source (the key redacted).
    Config(config_cmd::ConfigArgs),
    /// Check or read an audit log: `govscript audit verify|show FILE`.
    Audit(audit_cmd::AuditArgs),
    /// Make exactly the changes of a plan (`run --plan FILE`), refusing any whose object
    /// changed since: `govscript apply PLAN.json`.
    Apply(apply_cmd::ApplyArgs),
    /// Check blueprints for dead sign-off gates, misspelled keys and other traps:
    /// `govscript lint [--blueprint ID]... [--json] [--strict]`.
    Lint(lint_cmd::LintArgs),
}

impl Command {
    /// Checks what clap cannot say well (see [`OutputArgs::check`]).
    fn check(&self) -> Result<(), clap::Error> {
        match self {
            Command::Run(args) => args.check(),
            Command::Watch(args) => args.output.check("watch"),
            Command::Repl(args) => args.output.check("repl"),
            _ => Ok(()),
        }
    }

    /// Whether `--verbose` was given (only the commands that make or serve requests have it).
    fn verbose(&self) -> bool {
        match self {
            Command::Run(args) => args.output.verbose,
            Command::Watch(args) => args.output.verbose,
            Command::Repl(args) => args.output.verbose,
            Command::Sandbox { verbose, .. } => *verbose,
            Command::Definitions(_)
            | Command::Docs(_)
            | Command::Completions(_)
            | Command::Config(_)
            | Command::Audit(_)
            | Command::Apply(_) => false,
            Command::Lint(_) => false,
        }
    }
}

/// Entry point of the binary: the one place outcomes become exit codes.
pub fn main() -> ExitCode {
    // Every script needs Rhai's standard package: built while the arguments are parsed.
    if std::env::args_os().nth(1).is_some_and(|a| a == "run") {
        crate::runtime::engine::prepare_standard_in_background();
    }
    let mut cli = parse_args();
    if let Err(e) = cli.forward_output().and_then(|()| cli.command.check()) {
        e.exit();
    }
    init_logging(cli.command.verbose());
    if matches!(cli.command, Command::Run(_) | Command::Watch(_)) {
        // They list no functions (error hints build the documented ones when needed).
        crate::runtime::engine::run_bare();
    }
    let code = match cli.command {
        Command::Run(args) => run_cmd::execute(args),
        Command::Repl(args) => repl_cmd::execute(args),
        Command::Definitions(args) => definitions_cmd::execute(args),
        Command::Docs(args) => docs_cmd::execute(args),
        Command::Completions(args) => completions_cmd::execute(args),
        Command::Config(args) => config_cmd::execute(args),
        Command::Watch(args) => watch_cmd::execute(args),
        Command::Audit(args) => audit_cmd::execute(args),
        Command::Apply(args) => apply_cmd::execute(args),
        Command::Lint(args) => lint_cmd::execute(args),
        // A sandbox that stops with an error could not start (port taken, database
        // unreadable): serving itself ends only on a signal.
        Command::Sandbox { args, .. } => match crate::sandbox::cli::run(args) {
            Ok(()) => EXIT_OK,
            Err(e) => {
                eprintln!("error: {}", redact(&format!("{e:#}")));
                EXIT_USAGE
            }
        },
    };
    ExitCode::from(u8::try_from(code).unwrap_or(u8::MAX))
}

/// Parses the command line. `govscript run ...`, whose start-up matters most, is
/// first parsed by a command holding `run` alone: building every sub-command's
/// arguments costs a one-line script a fifth of its start-up. Whatever that command
/// does not simply accept (help, `--version`, any error) is parsed again by the full
/// command, whose output is the canonical one.
fn parse_args() -> Cli {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    parse_run_alone(&args).unwrap_or_else(|| Cli::parse_from(args))
}

/// `args` parsed as `govscript run ...` by a command that knows only `run` (see
/// [`parse_args`]); `None` when they are anything else or do not parse.
fn parse_run_alone(args: &[std::ffi::OsString]) -> Option<Cli> {
    use clap::FromArgMatches;
    if args.get(1).is_none_or(|a| a != "run") {
        return None;
    }
    let run = run_cmd::RunArgs::augment_args(clap::Command::new("run"));
    // As the full command: `run --version` prints the version (`propagate_version`).
    let matches = clap::Command::new("govscript")
        .version(env!("CARGO_PKG_VERSION"))
        .propagate_version(true)
        .subcommand(run)
        .try_get_matches_from(args)
        .ok()?;
    let (_, run) = matches.subcommand()?;
    Some(Cli {
        verbose: false,
        quiet: false,
        command: Command::Run(run_cmd::RunArgs::from_arg_matches(run).ok()?),
    })
}

/// Logs to stderr: warnings by default, HTTP requests with `--verbose`,
/// or whatever `GOVSCRIPT_LOG` (an env-filter) says.
fn init_logging(verbose: bool) {
    use tracing_subscriber::filter::{EnvFilter, Targets};
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    // An env-filter only when asked for: parsing one costs a trivial `run` about a
    // tenth of its start-up, where a fixed target filter costs nothing.
    let custom = std::env::var("GOVSCRIPT_LOG")
        .ok()
        .and_then(|directives| EnvFilter::try_new(directives).ok());
    let level = if verbose {
        tracing::Level::DEBUG
    } else {
        tracing::Level::WARN
    };
    let default = custom
        .is_none()
        .then(|| Targets::new().with_target("govscript", level));
    // Colour only for a person at a terminal, and never with NO_COLOR.
    let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let output = tracing_subscriber::fmt::layer()
        .with_ansi(colour)
        .with_writer(|| Redacting(std::io::stderr()))
        .without_time()
        .with_target(false);
    let _ = tracing_subscriber::registry()
        .with(custom)
        .with(default)
        .with(output)
        .try_init();
}

/// A log writer that masks API keys (see [`redact`]) before they reach stderr.
struct Redacting<W: Write>(W);

impl<W: Write> Write for Redacting<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let text = String::from_utf8_lossy(buf);
        self.0.write_all(redact(&text).as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::{Cli, parse_run_alone};
    use clap::Parser;

    /// What the full command makes of `args`, to compare the fast path with.
    fn full(args: &[&str]) -> String {
        format!(
            "{:?}",
            Cli::try_parse_from(args).expect("the full command parses")
        )
    }

    fn fast(args: &[&str]) -> Option<String> {
        let args: Vec<std::ffi::OsString> = args.iter().map(Into::into).collect();
        parse_run_alone(&args).map(|cli| format!("{cli:?}"))
    }

    #[test]
    fn a_run_parsed_by_the_run_alone_command_equals_the_full_parse() {
        for args in [
            &["govscript", "run", "x.rhai"][..],
            &[
                "govscript",
                "run",
                "-q",
                "--host",
                "http://h:1",
                "x.rhai",
                "a",
                "--b",
            ],
            &[
                "govscript",
                "run",
                "--no-audit",
                "--retries",
                "5",
                "--max-operations",
                "9",
                "-",
                "--",
                "z",
            ],
            &[
                "govscript",
                "run",
                "--dry-run",
                "--script-timeout",
                "3",
                "x.rhai",
            ],
            &[
                "govscript",
                "run",
                "--audit-log",
                "a.jsonl",
                "--insecure",
                "--timeout",
                "4",
                "x.rhai",
            ],
        ] {
            assert_eq!(fast(args).as_deref(), Some(full(args).as_str()), "{args:?}");
        }
    }

    #[test]
    fn what_the_run_alone_command_does_not_accept_goes_to_the_full_command() {
        for args in [
            &["govscript", "run", "--help"][..],
            &["govscript", "run", "--version"],
            &["govscript", "run"],
            &["govscript", "run", "--retries", "0", "x.rhai"],
            &["govscript", "-q", "run", "x.rhai"],
            &["govscript", "docs"],
        ] {
            assert_eq!(fast(args), None, "{args:?}");
        }
    }
}
