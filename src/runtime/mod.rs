//! Engine set-up and the modes that run scripts (`run`, `watch`; `repl` to come).
pub mod builtins;
pub mod config;
pub mod diagnostics;
pub mod docs;
pub mod engine;
pub mod exit;
pub mod natives;
pub mod progress;
pub mod reach;
pub mod repl;
pub mod run;
pub mod sandbox_dir;
pub mod session;
pub mod shared_modules;
pub mod stdlib;
pub mod type_names;
pub mod watch;

pub use run::{RunOptions, run};
