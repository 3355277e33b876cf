//! A local, persistent, Govern-compatible HTTP server.
pub mod cli;

/// Options of an in-process sandbox (used by `govscript run --sandbox`).
pub use cli::SandboxArgs;
