//! Start-up reconciliation of the journal with the state folders, after a clean stop
//! or a crash (`kill -9`, power loss).
//!
//! The rule for each file in `.processing`, by the last journal stage of its claim:
//! - **claimed, never started** (or no record at all: `running` is always fsynced
//!   before a script starts, so no record means no start): run it now;
//! - **running** (the watcher died during the run): **not re-run**. The script may have
//!   had effects, or even completed, before the crash; running it again could apply
//!   them twice. The file goes to `.failed` with the reason `interrupted`, its log
//!   keeps the partial output; drop it again to retry;
//! - **finished**: finish the move to `.done` or `.failed` as recorded.
//!
//! A file that cannot be recovered (it cannot be moved, its stored name is too long)
//! goes to `.failed` with the reason: no single file stops a start.
//!
//! Claims whose file never reached `.processing` are abandoned (the file is still in
//! the folder and is picked up by the scan that follows).
use super::claim::{self, Layout};
use super::handlers::Handlers;
use super::journal::{Journal, Record, Replay, Stage};
use super::report::{Event, Kind, Reporter, now_ms};
use super::runner::Job;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The reason given to interrupted runs.
pub const INTERRUPTED: &str = "interrupted: the watcher stopped during this run; not re-run (it may have had effects), drop the file again to retry";

/// A problem recovering one file: a journal that cannot be written stops the start;
/// anything else about one file sends that file to `.failed` and recovery goes on.
enum Trouble {
    Journal(std::io::Error),
    File(String),
}

impl From<std::io::Error> for Trouble {
    fn from(e: std::io::Error) -> Self {
        Trouble::Journal(e)
    }
}

/// What recovery works with.
struct Ctx<'a> {
    layout: &'a Layout,
    replay: &'a Replay,
    handlers: &'a Handlers,
    reporter: &'a Reporter,
}

/// Reconciles; returns the claimed files to run, in claim order. No single file can
/// stop it: a file that cannot be recovered goes to `.failed` with the reason.
pub fn recover(
    layout: &Layout,
    replay: &Replay,
    journal: &mut Journal,
    handlers: &Handlers,
    reporter: &Reporter,
) -> std::io::Result<Vec<Job>> {
    let ctx = Ctx {
        layout,
        replay,
        handlers,
        reporter,
    };
    let names: BTreeMap<u64, String> = replay
        .open
        .iter()
        .map(|(id, o)| (*id, o.name.clone()))
        .collect();
    let mut to_run = Vec::new();
    let present = claim::in_processing(layout, &names)?;
    for (id, stored, path) in &present {
        // The journal keeps the name as dropped; the stored one may be shortened.
        let name = names.get(id).unwrap_or(stored);
        match ctx.one(journal, *id, name, path) {
            Ok(job) => to_run.extend(job),
            Err(Trouble::Journal(e)) => return Err(e),
            Err(Trouble::File(why)) => ctx.quarantine(journal, *id, name, path, &why)?,
        }
    }
    // Claims with no file in .processing.
    for (id, open) in &replay.open {
        if present.iter().any(|(p, _, _)| p == id) {
            continue;
        }
        match open.stage {
            Stage::Claimed => journal.append(&Record::Abandoned { id: *id }, false)?,
            Stage::Finished { .. } => journal.append(&Record::Settled { id: *id }, false)?,
            Stage::Running => {
                let reason = format!("{INTERRUPTED} (the file was no longer in .processing)");
                journal.append(&failed(*id, reason), false)?;
                journal.append(&Record::Settled { id: *id }, false)?;
            }
        }
    }
    Ok(to_run)
}

fn file_error(what: &str, path: &Path) -> impl Fn(std::io::Error) -> Trouble {
    let path = path.display().to_string();
    let what = what.to_string();
    move |e| Trouble::File(format!("cannot {what} {path}: {e}"))
}

fn failed(id: u64, reason: String) -> Record {
    Record::Finished {
        id,
        ok: false,
        reason: Some(reason),
        ms: 0,
        log_error: None,
        audit_error: None,
    }
}

impl Ctx<'_> {
    /// Applies the rule of the module docs to one file in `.processing`.
    fn one(
        &self,
        journal: &mut Journal,
        id: u64,
        name: &str,
        path: &Path,
    ) -> Result<Option<Job>, Trouble> {
        let path = &self.shorten(id, name, path)?;
        let stage = self.replay.open.get(&id).map(|o| o.stage.clone());
        match stage {
            None | Some(Stage::Claimed) => match self.handlers.resolve(name) {
                Some(handler) => {
                    if stage.is_none() {
                        journal.append(&claimed(id, name, handler.label()), false)?;
                    }
                    Ok(Some(Job {
                        id,
                        name: name.to_string(),
                        log: claim::log_path(path),
                        path: path.clone(),
                        handler,
                    }))
                }
                None => {
                    // No handler any more: give the file back, untouched (never over
                    // a file dropped since under the same name).
                    let back = self.layout.dir.join(name);
                    if back.exists() {
                        let why = format!(
                            "no handler matches it any more, and {} exists",
                            back.display()
                        );
                        return Err(Trouble::File(why));
                    }
                    std::fs::rename(path, &back).map_err(file_error("move back", path))?;
                    journal.append(&Record::Abandoned { id }, true)?;
                    Ok(None)
                }
            },
            Some(Stage::Running) => {
                let log = claim::log_path(path);
                if let Ok(mut f) = std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(&log)
                {
                    let _ = writeln!(f, "--- {INTERRUPTED} ---");
                    let _ = f.sync_data();
                }
                journal.append(&failed(id, INTERRUPTED.into()), true)?;
                claim::settle(path, &self.layout.failed).map_err(file_error("move", path))?;
                journal.append(&Record::Settled { id }, true)?;
                self.report_failed(id, name, INTERRUPTED);
                Ok(None)
            }
            Some(Stage::Finished { ok }) => {
                let to = self.layout.outcome_dir(ok);
                claim::settle(path, to).map_err(file_error("move", path))?;
                journal.append(&Record::Settled { id }, true)?;
                Ok(None)
            }
        }
    }

    /// Renames a file stored under a name too long for its log (by an older version)
    /// to its shortened stored name.
    fn shorten(&self, id: u64, name: &str, path: &Path) -> Result<PathBuf, Trouble> {
        let short = self.layout.claimed(id, name);
        if short == path {
            return Ok(short);
        }
        std::fs::rename(path, &short).map_err(file_error("shorten the name of", path))?;
        Ok(short)
    }

    /// Sends a file that could not be recovered to `.failed` with the reason (or, if
    /// even that fails, reports it and leaves it for the next start).
    fn quarantine(
        &self,
        journal: &mut Journal,
        id: u64,
        name: &str,
        path: &Path,
        why: &str,
    ) -> std::io::Result<()> {
        let reason = format!("not recovered: {why}");
        journal.append(&failed(id, reason.clone()), true)?;
        // It may have been renamed to its shortened name before the step that failed.
        let short = self.layout.claimed(id, name);
        let path = if std::fs::symlink_metadata(path).is_ok() {
            path
        } else {
            &short
        };
        let to = self.layout.failed.join(claim::claimed_name(id, name));
        match std::fs::rename(path, &to) {
            Ok(()) => {
                let _ = std::fs::rename(claim::log_path(path), claim::log_path(&to));
                journal.append(&Record::Settled { id }, true)?;
                self.report_failed(id, name, &reason);
            }
            Err(e) => {
                let detail = format!("{reason}; cannot move it to {}: {e}", to.display());
                self.reporter.event(&Event {
                    kind: Kind::Error,
                    file: name,
                    handler: None,
                    id: Some(id),
                    duration: None,
                    detail: Some(&detail),
                });
            }
        }
        Ok(())
    }

    fn report_failed(&self, id: u64, name: &str, reason: &str) {
        let handler = self.replay.open.get(&id).map(|o| o.handler.as_str());
        self.reporter.event(&Event {
            kind: Kind::Failed,
            file: name,
            handler,
            id: Some(id),
            duration: None,
            detail: Some(reason),
        });
    }
}

fn claimed(id: u64, name: &str, handler: String) -> Record {
    Record::Claimed {
        id,
        name: name.to_string(),
        handler,
        ts: now_ms(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::watch::journal;

    #[test]
    fn each_journal_stage_gets_its_documented_rule() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().canonicalize().unwrap();
        let layout = Layout::new(&dir);
        layout.create().unwrap();
        let handlers = Handlers::new(&[], &[], &dir, true).unwrap();
        let mut j = Journal::open(&dir, &journal::replay(&dir).unwrap()).unwrap();
        let put = |id: u64, name: &str| std::fs::write(layout.claimed(id, name), "x").unwrap();
        // 1: never started; 2: interrupted; 3: finished ok, move cut short;
        // 4: no record at all; 5: claimed but the rename never happened.
        for (id, name) in [(1, "a.rhai"), (2, "b.rhai"), (3, "c.rhai"), (5, "e.rhai")] {
            j.append(&claimed(id, name, "(script)".into()), false)
                .unwrap();
        }
        for id in [2, 3] {
            j.append(&Record::Running { id, ts: 0 }, true).unwrap();
        }
        let fin = Record::Finished {
            id: 3,
            ok: true,
            reason: None,
            ms: 1,
            log_error: None,
            audit_error: None,
        };
        j.append(&fin, true).unwrap();
        for (id, name) in [(1, "a.rhai"), (2, "b.rhai"), (3, "c.rhai"), (4, "d.rhai")] {
            put(id, name);
        }
        drop(j);

        let replay = journal::replay(&dir).unwrap();
        let mut j = Journal::open(&dir, &replay).unwrap();
        let reporter = Reporter { json: true };
        let jobs = recover(&layout, &replay, &mut j, &handlers, &reporter).unwrap();
        let ids: Vec<u64> = jobs.iter().map(|j| j.id).collect();
        assert_eq!(ids, [1, 4], "never-started claims run");
        assert!(layout.failed.join("000002-b.rhai").exists());
        let log = std::fs::read_to_string(layout.failed.join("000002-b.rhai.log")).unwrap();
        assert!(log.contains("interrupted"));
        assert!(layout.done.join("000003-c.rhai").exists());

        let after = journal::replay(&dir).unwrap();
        assert_eq!((after.done, after.failed), (1, 1));
        let open: Vec<u64> = after.open.keys().copied().collect();
        assert_eq!(open, [1, 4], "claim 5 abandoned, 2 and 3 settled");
    }
}
