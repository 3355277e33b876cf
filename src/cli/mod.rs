//! Command-line interface: parses arguments and maps outcomes to exit codes.
mod run_cmd;
mod watch_cmd;

use clap::{Parser, Subcommand};

/// govscript: automate Dataiku Govern with Rhai scripts.
#[derive(Debug, Parser)]
#[command(name = "govscript", version, about, propagate_version = true)]
pub struct Cli {
    /// Log every HTTP request (method and path, never credentials) to stderr.
    #[arg(long, short, global = true)]
    pub verbose: bool,
    /// Only the script's own output: no banners, no `debug` lines.
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    #[command(subcommand)]
    pub command: Command,
}

/// The sub-commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a script once: `govscript run FILE [-- ARGS...]`.
    Run(run_cmd::RunArgs),
    /// Run scripts on files dropped into a folder: `govscript watch DIR [--on GLOB=SCRIPT]`.
    Watch(watch_cmd::WatchArgs),
    /// Run a local Govern-compatible sandbox server.
    Sandbox(crate::sandbox::SandboxArgs),
}

/// Entry point of the binary; returns the process exit code.
pub fn main() -> i32 {
    let cli = Cli::parse();
    init_logging(cli.verbose);
    match cli.command {
        Command::Run(args) => run_cmd::execute(args, cli.quiet),
        Command::Watch(args) => watch_cmd::execute(args, cli.quiet),
        Command::Sandbox(args) => match crate::sandbox::cli::run(args) {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("error: {e:#}");
                1
            }
        },
    }
}

/// Logs to stderr: warnings by default, HTTP requests with `--verbose`,
/// or whatever `GOVSCRIPT_LOG` (an env-filter) says.
fn init_logging(verbose: bool) {
    use tracing_subscriber::EnvFilter;
    let default = if verbose {
        "govscript=debug"
    } else {
        "govscript=warn"
    };
    let filter =
        EnvFilter::try_from_env("GOVSCRIPT_LOG").unwrap_or_else(|_| EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .without_time()
        .with_target(false)
        .try_init();
}
