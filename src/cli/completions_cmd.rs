//! `govscript completions SHELL`: a completion script for the shell, on stdout.
use clap::{Args, CommandFactory};
use clap_complete::Shell;

/// Arguments of `govscript completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell: bash, zsh, fish, powershell or elvish.
    pub shell: Shell,
}

/// Writes the script, e.g. `govscript completions bash > ~/.local/share/bash-completion/completions/govscript`.
pub fn execute(args: CompletionsArgs) -> i32 {
    let mut command = super::Cli::command();
    clap_complete::generate(
        args.shell,
        &mut command,
        "govscript",
        &mut std::io::stdout(),
    );
    crate::runtime::run::EXIT_OK
}
