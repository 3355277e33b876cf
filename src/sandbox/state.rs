//! The state every handler and middleware shares ([`AppState`]): kept apart from the
//! router (`server.rs`) so that routes depend on it without depending on the server.
use super::faults::Injector;
use super::limits::Limits;
use super::recorder::Recorder;
use super::store::Store;
use std::sync::Arc;

/// Shared server state.
pub struct Inner {
    /// The database.
    pub store: Store,
    /// Request recorder (`--record`).
    pub recorder: Option<Recorder>,
    /// Size limits.
    pub limits: Limits,
    /// Fault injection and latency.
    pub faults: Injector,
    /// Whether each request is logged (at debug level, shown with `--verbose`).
    pub log_requests: bool,
    /// How long a long task (future) runs before its result is ready (`--task-duration`).
    pub task_duration: std::time::Duration,
}

/// Cheaply clonable handle on [`Inner`].
#[derive(Clone)]
pub struct AppState(pub Arc<Inner>);

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}
