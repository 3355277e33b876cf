//! The steps of one file in the loop: claim, start, finish. Journal records of files
//! started or finished together share one fsync (group commit), written before any of
//! those scripts starts or any of those files moves.
use super::{Critical, Msg, Running, Service};
use crate::runtime::watch::claim;
use crate::runtime::watch::detect::{self, FileId};
use crate::runtime::watch::journal::Record;
use crate::runtime::watch::report::{Kind, now_ms};
use crate::runtime::watch::runner::{self, Finished, Job};
use std::collections::HashSet;
use std::path::Path;
use std::time::Duration;

/// Files open for writing (`None`: unknown).
type Writers = Option<HashSet<FileId>>;

impl Service {
    /// Starts as many scripts as the concurrency allows: first claimed files left by a
    /// previous watcher, then complete files in arrival order.
    pub(super) fn dispatch(&mut self) -> Result<(), Critical> {
        let mut jobs = Vec::new();
        // Who holds files open for writing, looked up once per dispatch, when needed.
        let mut writers = None;
        while self.stop_deadline.is_none()
            && self.running.len() + jobs.len() < self.settings.concurrency
        {
            if let Some(job) = self.queue.pop_front() {
                jobs.push(job);
                continue;
            }
            let Some(path) = self.ready.pop_front() else {
                break;
            };
            self.ready_set.remove(&path);
            if let Some(job) = self.claim(&path, &mut writers)? {
                jobs.push(job);
            }
        }
        if jobs.is_empty() {
            return Ok(());
        }
        for job in &jobs {
            let record = Record::Running {
                id: job.id,
                ts: now_ms(),
            };
            self.journal_append(&record, false)?;
        }
        self.journal_sync()?;
        for job in jobs {
            self.start(job);
        }
        Ok(())
    }

    /// Moves a complete file into `.processing`; `None` if it is not to be run now. A
    /// file that some process holds open for writing again (reopened for appending
    /// while it waited its turn) goes back to settling.
    fn claim(
        &mut self,
        path: &Path,
        writers: &mut Option<Writers>,
    ) -> Result<Option<Job>, Critical> {
        let Some(name) = path
            .file_name()
            .and_then(|n| n.to_str())
            .map(str::to_string)
        else {
            return Ok(None);
        };
        let is_file = std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file());
        if !is_file || self.handlers.is_handler(path) {
            return Ok(None);
        }
        let Some(handler) = self.handlers.resolve(&name) else {
            if self.unmatched.insert(path.to_path_buf()) {
                let detail = Some("no handler matches: left in place");
                self.report(Kind::Unmatched, &name, None, None, None, detail);
            }
            return Ok(None);
        };
        let writers = writers.get_or_insert_with(detect::open_for_writing);
        if detect::held_for_writing(path, writers.as_ref()) {
            self.settling.changed(path.to_path_buf());
            return Ok(None);
        }
        let id = self.next_id;
        self.next_id += 1;
        let record = Record::Claimed {
            id,
            name: name.clone(),
            handler: handler.label(),
            ts: now_ms(),
        };
        self.journal_append(&record, false)?;
        let claimed = self.layout.claimed(id, &name);
        if let Err(e) = std::fs::rename(path, &claimed) {
            self.journal_append(&Record::Abandoned { id }, false)?;
            if e.kind() != std::io::ErrorKind::NotFound {
                let detail = format!("cannot move it to {}: {e}", claimed.display());
                self.report(Kind::Error, &name, None, None, None, Some(&detail));
            }
            return Ok(None);
        }
        Ok(Some(Job {
            id,
            name,
            log: claim::log_path(&claimed),
            path: claimed,
            handler,
        }))
    }

    /// Spawns the script of a job whose `running` record is on disk.
    fn start(&mut self, job: Job) {
        let label = job.handler.label();
        self.report(
            Kind::Started,
            &job.name,
            Some(&label),
            Some(job.id),
            None,
            None,
        );
        let tx = self.tx.clone();
        let spawned = runner::spawn(job.clone(), self.context.clone(), move |f| {
            let _ = tx.send(Msg::Finished(f));
        });
        let (id, stopper) = match spawned {
            Ok(stopper) => (job.id, stopper),
            Err(e) => {
                self.finished_batch.push(Finished {
                    id: job.id,
                    ok: false,
                    reason: Some(format!("cannot start a script thread: {e}")),
                    elapsed: Duration::ZERO,
                    log_error: None,
                    audit_error: None,
                });
                (job.id, runner::Stopper::idle())
            }
        };
        self.running.insert(id, Running { job, stopper });
    }

    /// Records the outcomes of the scripts that ended, then moves their files.
    pub(super) fn finish_batch(&mut self) -> Result<(), Critical> {
        let batch: Vec<(Finished, Job)> = std::mem::take(&mut self.finished_batch)
            .into_iter()
            .filter_map(|f| self.running.remove(&f.id).map(|r| (f, r.job)))
            .collect();
        if batch.is_empty() {
            return Ok(());
        }
        let batch: Vec<(Finished, Job)> = batch
            .into_iter()
            .map(|(f, job)| (self.rewrite_paths(f), job))
            .collect();
        for (f, _) in &batch {
            let record = Record::Finished {
                id: f.id,
                ok: f.ok,
                reason: f.reason.clone(),
                ms: f.elapsed.as_millis() as u64,
                log_error: f.log_error.clone(),
                audit_error: f.audit_error.clone(),
            };
            self.journal_append(&record, false)?;
        }
        self.journal_sync()?;
        for (f, job) in batch {
            let label = job.handler.label();
            if let Err(e) = claim::settle(&job.path, self.layout.outcome_dir(f.ok)) {
                // The journal says where it belongs; the next start completes the move.
                let detail = format!("cannot move {}: {e}", job.path.display());
                self.report(
                    Kind::Error,
                    &job.name,
                    Some(&label),
                    Some(f.id),
                    None,
                    Some(&detail),
                );
            } else {
                self.journal_append(&Record::Settled { id: f.id }, false)?;
            }
            let kind = if f.ok { Kind::Done } else { Kind::Failed };
            let warnings = [&f.log_error, &f.audit_error]
                .into_iter()
                .flatten()
                .map(|w| format!("warning: {w}"));
            let detail: Vec<String> = f.reason.clone().into_iter().chain(warnings).collect();
            let detail = (!detail.is_empty()).then(|| detail.join("; "));
            self.report(
                kind,
                &job.name,
                Some(&label),
                Some(f.id),
                Some(f.elapsed),
                detail.as_deref(),
            );
        }
        Ok(())
    }

    /// A reason names the file where it ends up, not where it was while running.
    fn rewrite_paths(&self, mut f: Finished) -> Finished {
        let from = format!("{}/", self.layout.processing.display());
        let to = format!("{}/", self.layout.outcome_dir(f.ok).display());
        if let Some(r) = &mut f.reason {
            *r = r.replace(&from, &to);
        }
        f
    }
}
