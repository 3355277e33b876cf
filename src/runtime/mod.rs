//! Engine set-up and the modes that run scripts (`run`; `watch` and `repl` to come).
pub mod builtins;
pub mod config;
pub mod diagnostics;
pub mod engine;
pub mod repl;
pub mod run;
pub mod session;

pub use run::{RunOptions, run};
