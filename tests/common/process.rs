//! Waiting with a deadline and stopping child processes: the one way the tests do
//! either. A deadline here only catches a hang (tens of seconds); it never measures speed.
use std::process::{Child, ExitStatus};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// How long a test waits for something that should happen at once before calling it a
/// hang.
pub const HANG: Duration = Duration::from_secs(30);

/// Polls `check` until it returns `Some`, or `None` once `limit` has passed.
pub fn poll_until<T>(limit: Duration, mut check: impl FnMut() -> Option<T>) -> Option<T> {
    let every = Duration::from_micros(POLL_MICROS.load(Ordering::Relaxed));
    let start = Instant::now();
    loop {
        if let Some(found) = check() {
            return Some(found);
        }
        if start.elapsed() > limit {
            return None;
        }
        std::thread::sleep(every);
    }
}

/// How often [`poll_until`] checks, in microseconds: 5 ms, which is plenty for tests.
static POLL_MICROS: AtomicU64 = AtomicU64::new(5_000);

/// Makes this process poll every 0.1 ms: for benchmarks that time what they wait for
/// (at 5 ms the poll interval would be the measurement's resolution).
pub fn poll_finely() {
    POLL_MICROS.store(100, Ordering::Relaxed);
}

/// Polls `check` until it returns `Some`; after `limit`, panics with `waiting_for()`
/// (called only then, so it can show the latest state).
pub fn wait_until<T>(
    limit: Duration,
    check: impl FnMut() -> Option<T>,
    waiting_for: impl FnOnce() -> String,
) -> T {
    poll_until(limit, check)
        .unwrap_or_else(|| panic!("timed out after {limit:?} waiting for {}", waiting_for()))
}

/// Waits up to `limit` for `child` to exit; kills it and panics (naming `what`) if it
/// does not.
pub fn exit_within(child: &mut Child, limit: Duration, what: &str) -> ExitStatus {
    let status = poll_until(limit, || match child.try_wait() {
        Ok(status) => status,
        Err(e) => panic!("{what}: cannot poll the process: {e}"),
    });
    status.unwrap_or_else(|| {
        kill(child);
        panic!("{what} still running after {limit:?}; killed")
    })
}

/// Kills `child` (SIGKILL) if it still runs, and reaps it.
pub fn kill(child: &mut Child) {
    let _ = child.kill();
    let _ = child.wait();
}
