//! govscript: a Rhai automation runtime for Dataiku Govern.
//!
//! Layers, in the direction calls flow (see `README.md`):
//! - [`cli`]: argument parsing and exit codes;
//! - [`runtime`]: engine set-up and the run / watch / repl modes;
//! - [`bindings`]: Rhai types mirroring the Python client's handles (no HTTP);
//! - [`client`]: the async Govern HTTP client (no Rhai);
//! - [`plan`]: plan / apply of a script's changes (a hook on the client's operations);
//! - [`protocol`]: the wire protocol as data (resources, keys), shared by client and sandbox;
//! - [`sandbox`]: a local Govern-compatible server (axum + SQLite).
pub mod audit;
pub mod bindings;
pub mod cli;
pub mod client;
pub mod plan;
pub mod protocol;
pub mod runtime;
pub mod sandbox;
