//! The `govscript` binary: everything is in the library; see `cli::main`.
fn main() -> std::process::ExitCode {
    govscript::cli::main()
}
