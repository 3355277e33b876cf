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
//! Claims whose file never reached `.processing` are abandoned (the file is still in
//! the folder and is picked up by the scan that follows).
use super::claim::{self, Layout};
use super::handlers::Handlers;
use super::journal::{Journal, Record, Replay, Stage};
use super::report::{Event, Kind, Reporter, now_ms};
use super::runner::Job;
use std::io::Write;

/// The reason given to interrupted runs.
pub const INTERRUPTED: &str = "interrupted: the watcher stopped during this run; not re-run (it may have had effects), drop the file again to retry";

/// Reconciles; returns the claimed files to run, in claim order.
pub fn recover(
    layout: &Layout,
    replay: &Replay,
    journal: &mut Journal,
    handlers: &Handlers,
    reporter: &Reporter,
) -> std::io::Result<Vec<Job>> {
    let mut to_run = Vec::new();
    let present = claim::in_processing(layout)?;
    for (id, name, path) in &present {
        let (id, stage) = (*id, replay.open.get(id).map(|o| o.stage.clone()));
        match stage {
            None | Some(Stage::Claimed) => match handlers.resolve(name) {
                Some(handler) => {
                    if stage.is_none() {
                        let label = handler.label();
                        journal.append(&claimed(id, name, label), false)?;
                    }
                    to_run.push(Job {
                        id,
                        name: name.clone(),
                        log: claim::log_path(path),
                        path: path.clone(),
                        handler,
                    });
                }
                None => {
                    // No handler any more: give the file back, untouched.
                    std::fs::rename(path, layout.dir.join(name))?;
                    journal.append(&Record::Abandoned { id }, true)?;
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
                let finished = Record::Finished {
                    id,
                    ok: false,
                    reason: Some(INTERRUPTED.into()),
                    ms: 0,
                };
                journal.append(&finished, true)?;
                claim::settle(path, &layout.failed)?;
                journal.append(&Record::Settled { id }, true)?;
                let handler = replay.open.get(&id).map(|o| o.handler.as_str());
                reporter.event(&Event {
                    kind: Kind::Failed,
                    file: name,
                    handler,
                    id: Some(id),
                    duration: None,
                    detail: Some(INTERRUPTED),
                });
            }
            Some(Stage::Finished { ok }) => {
                claim::settle(path, layout.outcome_dir(ok))?;
                journal.append(&Record::Settled { id }, true)?;
            }
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
                let finished = Record::Finished {
                    id: *id,
                    ok: false,
                    reason: Some(reason),
                    ms: 0,
                };
                journal.append(&finished, false)?;
                journal.append(&Record::Settled { id: *id }, false)?;
            }
        }
    }
    Ok(to_run)
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
