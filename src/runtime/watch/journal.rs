//! The append-only journal `DIR/.govscript-journal.jsonl`: one JSON line per state
//! change of a dropped file, replayed at start to recover from a crash.
//!
//! A file goes `claimed` → `running` → `finished` → `settled`. `running` is on disk
//! before the script starts and `finished` before the file moves (they decide, after a
//! crash, whether a run may have happened); records of files dispatched or finished
//! together share one fsync (group commit). `claimed` and `settled` are plain appends,
//! made durable by the next fsync, and recovery copes with either being lost.
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

/// The journal's file name inside the watched folder.
pub const JOURNAL: &str = ".govscript-journal.jsonl";

/// Replays longer than this many lines are compacted at start.
const COMPACT_AFTER: usize = 20_000;

/// One state change.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(tag = "ev", rename_all = "snake_case")]
pub enum Record {
    /// The file `name` is being moved into `.processing` as `<id>-<name>`.
    Claimed {
        /// Claim id.
        id: u64,
        /// Original file name.
        name: String,
        /// Handler script, or `(script)` for a dropped `.rhai`.
        handler: String,
        /// Milliseconds since the epoch.
        ts: u64,
    },
    /// The claim did not happen (the file vanished first).
    Abandoned {
        /// Claim id.
        id: u64,
    },
    /// The script is about to start.
    Running {
        /// Claim id.
        id: u64,
        /// Milliseconds since the epoch.
        ts: u64,
    },
    /// The script ended (or was declared interrupted at recovery).
    Finished {
        /// Claim id.
        id: u64,
        /// Success: the file goes to `.done`, else `.failed`.
        ok: bool,
        /// Why it failed.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
        /// Run time in milliseconds.
        ms: u64,
        /// Why the log is incomplete (a full disk), if it is.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        log_error: Option<String>,
        /// Why the run's audit head was not recorded in Govern, if it was not.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        audit_error: Option<String>,
    },
    /// The file and its log are in `.done` or `.failed`.
    Settled {
        /// Claim id.
        id: u64,
    },
    /// Counts carried over by a compaction.
    Summary {
        /// Files settled in `.done`.
        done: u64,
        /// Files settled in `.failed`.
        failed: u64,
        /// The next claim id.
        next_id: u64,
    },
}

/// Where an unsettled claim stands, from the journal alone.
#[derive(Debug, Clone, PartialEq)]
pub enum Stage {
    /// Claimed; the script has not started.
    Claimed,
    /// Started, not finished: interrupted if the watcher is gone.
    Running,
    /// Finished; the move to `.done`/`.failed` may be incomplete.
    Finished {
        /// Outcome.
        ok: bool,
    },
}

/// An unsettled claim.
#[derive(Debug, Clone)]
pub struct Open {
    /// Original file name.
    pub name: String,
    /// Handler shown in logs.
    pub handler: String,
    /// Stage reached.
    pub stage: Stage,
}

/// The journal replayed.
#[derive(Debug, Default)]
pub struct Replay {
    /// Claims not yet settled, by id.
    pub open: BTreeMap<u64, Open>,
    /// Settled in `.done`.
    pub done: u64,
    /// Settled in `.failed`.
    pub failed: u64,
    /// One above the highest id seen.
    pub next_id: u64,
    /// Lines read (compaction trigger).
    pub lines: usize,
    /// Unreadable lines skipped (a torn last line after a crash).
    pub skipped: usize,
    /// Outcomes of finished-but-unsettled claims (for counting at settle time).
    outcomes: BTreeMap<u64, bool>,
}

impl Replay {
    fn apply(&mut self, record: Record) {
        self.lines += 1;
        match record {
            Record::Claimed {
                id, name, handler, ..
            } => {
                self.next_id = self.next_id.max(id + 1);
                let stage = Stage::Claimed;
                self.open.insert(
                    id,
                    Open {
                        name,
                        handler,
                        stage,
                    },
                );
            }
            Record::Abandoned { id } => {
                self.open.remove(&id);
            }
            Record::Running { id, .. } => {
                self.next_id = self.next_id.max(id + 1);
                if let Some(o) = self.open.get_mut(&id) {
                    o.stage = Stage::Running;
                }
            }
            Record::Finished { id, ok, .. } => {
                self.outcomes.insert(id, ok);
                if let Some(o) = self.open.get_mut(&id) {
                    o.stage = Stage::Finished { ok };
                }
            }
            Record::Settled { id } => {
                self.open.remove(&id);
                match self.outcomes.remove(&id) {
                    Some(true) => self.done += 1,
                    Some(false) => self.failed += 1,
                    None => {}
                }
            }
            Record::Summary {
                done,
                failed,
                next_id,
            } => {
                self.done += done;
                self.failed += failed;
                self.next_id = self.next_id.max(next_id);
            }
        }
    }
}

/// Reads the journal of `dir` (an absent journal is empty).
pub fn replay(dir: &Path) -> std::io::Result<Replay> {
    let path = dir.join(JOURNAL);
    let mut replay = Replay::default();
    let file = match File::open(&path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(replay),
        Err(e) => return Err(e),
    };
    for line in BufReader::new(file).lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Record>(&line) {
            Ok(r) => replay.apply(r),
            Err(_) => replay.skipped += 1,
        }
    }
    Ok(replay)
}

/// The journal open for appending.
pub struct Journal {
    file: File,
    path: PathBuf,
}

impl Journal {
    /// Opens (creating) the journal of `dir`, ending any torn last line, and compacts
    /// it when `replay` is long, keeping counts and unsettled claims.
    pub fn open(dir: &Path, replay: &Replay) -> std::io::Result<Self> {
        let path = dir.join(JOURNAL);
        if replay.lines > COMPACT_AFTER {
            compact(&path, replay)?;
        }
        let mut file = OpenOptions::new().create(true).append(true).open(&path)?;
        let len = file.metadata()?.len();
        if len > 0 && !ends_with_newline(&path)? {
            file.write_all(b"\n")?;
        }
        Ok(Self { file, path })
    }

    /// Appends a record; with `durable`, waits until it is on disk.
    pub fn append(&mut self, record: &Record, durable: bool) -> std::io::Result<()> {
        let mut line = serde_json::to_vec(record).map_err(std::io::Error::other)?;
        line.push(b'\n');
        // One write per line: a kill can cut the process between lines, not inside one.
        self.file.write_all(&line)?;
        if durable {
            self.file.sync_data()?;
        }
        Ok(())
    }

    /// Waits until everything appended so far is on disk (one fsync for a batch).
    pub fn sync(&mut self) -> std::io::Result<()> {
        self.file.sync_data()
    }

    /// The journal's path (for error messages).
    pub fn path(&self) -> &Path {
        &self.path
    }
}

fn ends_with_newline(path: &Path) -> std::io::Result<bool> {
    use std::io::{Read, Seek, SeekFrom};
    let mut f = File::open(path)?;
    f.seek(SeekFrom::End(-1))?;
    let mut last = [0u8; 1];
    f.read_exact(&mut last)?;
    Ok(last[0] == b'\n')
}

/// Rewrites the journal as a summary plus the unsettled claims, atomically.
fn compact(path: &Path, replay: &Replay) -> std::io::Result<()> {
    let tmp = path.with_extension("jsonl.compacting");
    let mut out = File::create(&tmp)?;
    let mut write = |r: &Record| -> std::io::Result<()> {
        let mut line = serde_json::to_vec(r).map_err(std::io::Error::other)?;
        line.push(b'\n');
        out.write_all(&line)
    };
    write(&Record::Summary {
        done: replay.done,
        failed: replay.failed,
        next_id: replay.next_id,
    })?;
    for (id, open) in &replay.open {
        write(&Record::Claimed {
            id: *id,
            name: open.name.clone(),
            handler: open.handler.clone(),
            ts: 0,
        })?;
        match open.stage {
            Stage::Claimed => {}
            Stage::Running => write(&Record::Running { id: *id, ts: 0 })?,
            Stage::Finished { ok } => {
                write(&Record::Running { id: *id, ts: 0 })?;
                write(&Record::Finished {
                    id: *id,
                    ok,
                    reason: None,
                    ms: 0,
                    log_error: None,
                    audit_error: None,
                })?;
            }
        }
    }
    out.sync_all()?;
    std::fs::rename(&tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replay_tracks_stages_counts_and_torn_lines() {
        let dir = tempfile::tempdir().unwrap();
        let replay0 = replay(dir.path()).unwrap();
        let mut j = Journal::open(dir.path(), &replay0).unwrap();
        let claimed = |id| Record::Claimed {
            id,
            name: format!("f{id}.csv"),
            handler: "h.rhai".into(),
            ts: 1,
        };
        for id in 1..=4 {
            j.append(&claimed(id), false).unwrap();
        }
        j.append(&Record::Running { id: 1, ts: 2 }, true).unwrap();
        j.append(&Record::Running { id: 2, ts: 2 }, true).unwrap();
        let fin = |id, ok| Record::Finished {
            id,
            ok,
            reason: None,
            ms: 3,
            log_error: None,
            audit_error: None,
        };
        j.append(&fin(1, true), true).unwrap();
        j.append(&Record::Settled { id: 1 }, false).unwrap();
        j.append(&fin(2, false), true).unwrap();
        j.append(&Record::Abandoned { id: 4 }, false).unwrap();
        drop(j);
        // A torn line, as a kill in the middle of a write would leave.
        let mut f = OpenOptions::new()
            .append(true)
            .open(dir.path().join(JOURNAL))
            .unwrap();
        f.write_all(b"{\"ev\":\"runn").unwrap();
        drop(f);

        let r = replay(dir.path()).unwrap();
        assert_eq!((r.done, r.failed, r.next_id, r.skipped), (1, 0, 5, 1));
        assert_eq!(r.open[&2].stage, Stage::Finished { ok: false });
        assert_eq!(r.open[&3].stage, Stage::Claimed);
        assert!(!r.open.contains_key(&4));

        let mut j = Journal::open(dir.path(), &r).unwrap();
        j.append(&Record::Settled { id: 2 }, true).unwrap();
        let r = replay(dir.path()).unwrap();
        assert_eq!((r.done, r.failed, r.skipped), (1, 1, 1));

        compact(&dir.path().join(JOURNAL), &r).unwrap();
        let c = replay(dir.path()).unwrap();
        assert_eq!((c.done, c.failed, c.next_id, c.skipped), (1, 1, 5, 0));
        assert_eq!(c.open.len(), 1);
        assert_eq!(c.open[&3].stage, Stage::Claimed);
    }
}
