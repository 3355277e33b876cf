//! `govscript watch --status DIR`: counts from the journal, without starting a watcher.
use super::LOCK;
use super::detect::ignored;
use super::journal::{self, Stage};
use serde::Serialize;
use std::path::Path;

/// Where a watched folder stands.
#[derive(Debug, Serialize, PartialEq)]
pub struct Status {
    /// Files waiting: in the folder, not yet claimed (unmatched ones included), plus
    /// claimed files whose script has not started.
    pub pending: u64,
    /// Scripts running now (or, with no watcher alive, interrupted runs that the next
    /// start moves to `.failed`).
    pub running: u64,
    /// Files in `.done`.
    pub done: u64,
    /// Files in `.failed`.
    pub failed: u64,
    /// Whether a watcher holds the folder's lock.
    pub watcher_alive: bool,
}

/// Reads the status of `dir`.
pub fn status(dir: &Path) -> Result<Status, String> {
    if !dir.is_dir() {
        return Err(format!("{} is not a directory", dir.display()));
    }
    let replay = journal::replay(dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.join(journal::JOURNAL).display()))?;
    let mut status = Status {
        pending: 0,
        running: 0,
        done: replay.done,
        failed: replay.failed,
        watcher_alive: watcher_alive(dir),
    };
    for open in replay.open.values() {
        match open.stage {
            Stage::Claimed => status.pending += 1,
            Stage::Running => status.running += 1,
            // Finished but not yet moved: counted where it is going.
            Stage::Finished { ok: true } => status.done += 1,
            Stage::Finished { ok: false } => status.failed += 1,
        }
    }
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
    for e in entries.flatten() {
        let eligible = e.file_name().to_str().is_some_and(|n| !ignored(n));
        if eligible && e.file_type().is_ok_and(|t| t.is_file()) {
            status.pending += 1;
        }
    }
    Ok(status)
}

fn watcher_alive(dir: &Path) -> bool {
    let Ok(file) = std::fs::File::open(dir.join(LOCK)) else {
        return false;
    };
    match file.try_lock_shared() {
        Ok(()) => {
            let _ = file.unlock();
            false
        }
        Err(_) => true,
    }
}

/// Prints the status of `dir`; returns the exit code.
pub fn print(dir: &Path, json: bool) -> i32 {
    match status(dir) {
        Ok(s) if json => {
            println!("{}", serde_json::to_string(&s).unwrap_or_default());
            0
        }
        Ok(s) => {
            let alive = if s.watcher_alive {
                "a watcher is running"
            } else {
                "no watcher running"
            };
            println!(
                "{}: pending {}, running {}, done {}, failed {} ({alive})",
                dir.display(),
                s.pending,
                s.running,
                s.done,
                s.failed
            );
            0
        }
        Err(e) => {
            eprintln!("error: {e}");
            2
        }
    }
}
