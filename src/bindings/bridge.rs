//! Calling the async client from script threads, and turning its errors into
//! catchable Rhai errors.
use crate::bindings::error::ScriptError;
use crate::client::{ClientStats, GovernError, OperationHooks};
use rhai::{Dynamic, EvalAltResult, Position};
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use tokio::runtime::Handle;
use tokio::sync::Notify;

/// Set when the user asks to stop (Ctrl-C); checked by running requests and by the
/// engine's progress callback.
#[derive(Debug, Default)]
pub struct Cancel {
    flag: AtomicBool,
    notify: Notify,
    why: std::sync::Mutex<&'static str>,
}

impl Cancel {
    /// Asks every running request and script to stop (Ctrl-C).
    pub fn cancel(&self) {
        self.cancel_because("Ctrl-C");
    }

    /// Asks every running request and script to stop, saying why (`SIGTERM`).
    pub fn cancel_because(&self, why: &'static str) {
        *self.why.lock().unwrap_or_else(|p| p.into_inner()) = why;
        self.flag.store(true, Ordering::SeqCst);
        self.notify.notify_waiters();
    }

    /// Why a stop was asked for.
    pub fn why(&self) -> &'static str {
        *self.why.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Whether a stop was asked for.
    pub fn is_cancelled(&self) -> bool {
        self.flag.load(Ordering::SeqCst)
    }

    /// Clears a stop request, so the REPL's next entry runs after an interrupted one.
    pub fn reset(&self) {
        self.flag.store(false, Ordering::SeqCst);
    }
}

/// Runs client futures to completion from a (non-runtime) script thread.
#[derive(Clone, Debug)]
pub struct Bridge {
    runtime: Handle,
    cancel: Arc<Cancel>,
    stats: Arc<ClientStats>,
    operation_hooks: OperationHooks,
    /// `--quiet`: batch calls show no progress.
    quiet: bool,
}

/// Result type of native functions.
pub type RhaiResult<T> = Result<T, Box<EvalAltResult>>;

impl Bridge {
    /// A bridge onto `runtime`, stopped by `cancel`.
    pub fn new(runtime: Handle, cancel: Arc<Cancel>) -> Self {
        Self {
            runtime,
            cancel,
            stats: Arc::default(),
            operation_hooks: OperationHooks::default(),
            quiet: false,
        }
    }

    /// The same bridge, quiet or not (`--quiet`: batch calls show no progress).
    pub fn with_quiet(mut self, quiet: bool) -> Self {
        self.quiet = quiet;
        self
    }

    /// Whether the run is quiet (`--quiet`).
    pub fn quiet(&self) -> bool {
        self.quiet
    }

    /// The async runtime client futures run on (batch calls spawn their requests there).
    pub fn runtime(&self) -> &Handle {
        &self.runtime
    }

    /// The same bridge, with clients passing each operation through `hooks` (audit).
    pub fn with_operation_hooks(mut self, hooks: OperationHooks) -> Self {
        self.operation_hooks = hooks;
        self
    }

    /// The operation hooks of this bridge's clients.
    pub fn operation_hooks(&self) -> &OperationHooks {
        &self.operation_hooks
    }

    /// The same bridge, with clients counting their requests into `stats`.
    pub fn with_stats(mut self, stats: Arc<ClientStats>) -> Self {
        self.stats = stats;
        self
    }

    /// Where the clients of this bridge count requests and retries.
    pub fn stats(&self) -> &Arc<ClientStats> {
        &self.stats
    }

    /// The cancellation switch shared with the runtime.
    pub fn cancel(&self) -> &Arc<Cancel> {
        &self.cancel
    }

    /// Blocks the script thread on `future`, aborting it on Ctrl-C.
    pub fn block_on<T, F>(&self, call: &'static str, future: F) -> RhaiResult<T>
    where
        F: Future<Output = Result<T, GovernError>>,
    {
        let cancel = &self.cancel;
        let result = self.runtime.block_on(async {
            // `notify_waiters` keeps no permit: the waiter is registered before the flag
            // is read, so a stop asked for in between still wakes it.
            let stopped = cancel.notify.notified();
            tokio::pin!(stopped);
            stopped.as_mut().enable();
            if cancel.is_cancelled() {
                return Err(cancelled(call, cancel.why()));
            }
            tokio::select! {
                r = crate::client::operation::named(call, future) => r,
                _ = stopped => Err(cancelled(call, cancel.why())),
            }
        });
        result.map_err(to_rhai)
    }
}

fn cancelled(call: &'static str, why: &'static str) -> GovernError {
    GovernError {
        call: call.to_string(),
        request: None,
        kind: Box::new(crate::client::ErrorKind::Cancelled(why)),
    }
}

/// Wraps a client error as a Rhai runtime error carrying a [`ScriptError`] value,
/// so `catch (e)` gets `e.status`, `e.error_type`, `e.message`, `e.call`.
pub fn to_rhai(error: GovernError) -> Box<EvalAltResult> {
    let value = Dynamic::from(ScriptError::from(error));
    Box::new(EvalAltResult::ErrorRuntime(value, Position::NONE))
}

/// A Rhai runtime error for a local failure of `call` (bad argument, missing key...).
pub fn local_error(call: &str, message: impl Into<String>) -> Box<EvalAltResult> {
    to_rhai(GovernError::local(call, message))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::time::Duration;

    /// A request future that, when first polled, does what a Ctrl-C arriving once
    /// `block_on` read the flag does, then waits forever (a server that never answers).
    async fn ctrl_c_then_hang(cancel: Arc<Cancel>) -> Result<(), GovernError> {
        cancel.cancel();
        std::future::pending().await
    }

    #[test]
    fn a_stop_asked_for_as_the_request_starts_ends_it() {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("runtime");
        // `select!` polls its branches in random order: a few rounds try both.
        for _ in 0..16 {
            let cancel = Arc::new(Cancel::default());
            let bridge = Bridge::new(runtime.handle().clone(), cancel.clone());
            let (done, outcome) = mpsc::channel();
            std::thread::spawn(move || {
                let result = bridge.block_on("T.call", ctrl_c_then_hang(cancel));
                let _ = done.send(result.map_err(|e| {
                    match *e {
                        EvalAltResult::ErrorRuntime(value, _) => value
                            .read_lock::<ScriptError>()
                            .map(|e| e.to_string())
                            .unwrap_or_default(),
                        other => other.to_string(),
                    }
                }));
            });
            let result = outcome
                .recv_timeout(Duration::from_secs(30))
                .expect("the stop ends the request");
            let message = result.expect_err("the request was stopped");
            assert!(message.contains("interrupted (Ctrl-C)"), "{message}");
        }
    }
}
