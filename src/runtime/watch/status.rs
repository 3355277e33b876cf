//! `govscript watch --status DIR`: counts from the journal, without starting a watcher.
use super::LOCK;
use super::detect::{eligible, unsupported};
use super::handlers::Saved;
use super::journal::{self, Stage};
use serde::Serialize;
use std::path::Path;

/// Where a watched folder stands.
#[derive(Debug, Serialize, PartialEq)]
pub struct Status {
    /// Files waiting: in the folder, not yet claimed, that a handler of the last
    /// watcher matches, plus claimed files whose script has not started.
    pub pending: u64,
    /// Scripts running now (or, with no watcher alive, interrupted runs that the next
    /// start moves to `.failed`).
    pub running: u64,
    /// Files in `.done`.
    pub done: u64,
    /// Files in `.failed`.
    pub failed: u64,
    /// Files in the folder that no handler matches (left in place, never run).
    pub unmatched: u64,
    /// Whether a watcher holds the folder's lock.
    pub watcher_alive: bool,
    /// Whether a watcher ever started on the folder (else nothing is pending).
    pub watched: bool,
}

/// Reads the status of `dir`.
pub fn status(dir: &Path) -> Result<Status, String> {
    if !dir.is_dir() {
        return Err(format!("{} is not a directory", dir.display()));
    }
    let replay = journal::replay(dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.join(journal::JOURNAL).display()))?;
    let saved = Saved::load(dir);
    let mut status = Status {
        pending: 0,
        running: 0,
        done: replay.done,
        failed: replay.failed,
        unmatched: 0,
        watcher_alive: watcher_alive(dir),
        watched: saved.is_some() || dir.join(journal::JOURNAL).exists(),
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
    if !status.watched {
        // Files in a folder no watcher ever saw are nobody's work yet.
        return Ok(status);
    }
    let saved = saved.unwrap_or_default();
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
    for e in entries.flatten() {
        let (name, path) = (e.file_name(), e.path());
        let file = e.file_type().is_ok_and(|t| t.is_file());
        if !eligible(&name) || !(file || unsupported(&path).is_some()) {
            continue;
        }
        let runs =
            unsupported(&path).is_none() && name.to_str().is_some_and(|n| saved.matches(n, &path));
        if runs {
            status.pending += 1;
        } else {
            status.unmatched += 1;
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
            let alive = match (s.watcher_alive, s.watched) {
                (true, _) => "a watcher is running",
                (false, true) => "no watcher running",
                (false, false) => "never watched: no journal",
            };
            println!(
                "{}: pending {}, running {}, done {}, failed {}, unmatched {} ({alive})",
                dir.display(),
                s.pending,
                s.running,
                s.done,
                s.failed,
                s.unmatched
            );
            0
        }
        Err(e) => {
            eprintln!("error: {e}");
            2
        }
    }
}
