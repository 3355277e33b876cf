//! Command-line interface: parses arguments and maps errors to exit codes.
use clap::{Parser, Subcommand};

/// govscript: automate Dataiku Govern with Rhai scripts.
#[derive(Debug, Parser)]
#[command(name = "govscript", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// The sub-commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a local Govern-compatible sandbox server.
    Sandbox(crate::sandbox::SandboxArgs),
}

/// Entry point of the binary; returns the process exit code.
pub fn main() -> i32 {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Sandbox(args) => crate::sandbox::cli::run(args),
    };
    match result {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: {e:#}");
            1
        }
    }
}
