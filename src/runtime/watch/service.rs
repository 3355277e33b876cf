//! The event loop: file-system events in, claims, runs and moves out.
//!
//! Everything that touches the journal and the folders happens on this one thread, in
//! order; scripts run on their own threads and report back through the same channel
//! as the file-system events.
mod lifecycle;

use super::claim::Layout;
use super::detect::{self, Settling, Signal};
use super::handlers::Handlers;
use super::journal::{Journal, Record};
use super::report::{Event, Kind, Reporter};
use super::runner::{Finished, Job, RunContext, Stopper};
use std::collections::{HashMap, HashSet, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

/// The longest the loop sleeps without checking that its folder is still there.
const FOLDER_CHECK: Duration = Duration::from_secs(1);

/// What wakes the loop.
pub enum Msg {
    /// A file-system event (or a watcher error, which forces a rescan).
    Fs(notify::Result<notify::Event>),
    /// A script ended.
    Finished(Finished),
    /// SIGINT or SIGTERM: stop taking files.
    Stop,
}

/// A failure that stops the watcher (the journal cannot be written, so exactly-once
/// can no longer be promised). Everything else is reported and the loop goes on.
#[derive(Debug)]
pub struct Critical(pub String);

/// Settings of the loop.
pub struct Settings {
    /// Scripts run at once.
    pub concurrency: usize,
    /// Time running scripts get to finish after a stop signal.
    pub grace: Duration,
    /// Exit once the folder has been processed instead of watching.
    pub once: bool,
}

struct Running {
    job: Job,
    stopper: Stopper,
}

/// The watcher's state.
pub struct Service {
    layout: Layout,
    journal: Journal,
    handlers: Handlers,
    reporter: Reporter,
    context: Arc<RunContext>,
    settings: Settings,
    settling: Settling,
    ready: VecDeque<PathBuf>,
    ready_set: HashSet<PathBuf>,
    queue: VecDeque<Job>,
    running: HashMap<u64, Running>,
    unmatched: HashSet<PathBuf>,
    finished_batch: Vec<Finished>,
    next_id: u64,
    tx: Sender<Msg>,
    stop_deadline: Option<Instant>,
    cancelled_at: Option<Instant>,
    /// The watched folder's identity at start (moving or recreating it changes it).
    folder: Option<detect::FileId>,
}

/// Parts the loop is built from.
pub struct Parts {
    /// Folders.
    pub layout: Layout,
    /// Journal, recovered.
    pub journal: Journal,
    /// Handler mapping.
    pub handlers: Handlers,
    /// Event output.
    pub reporter: Reporter,
    /// Shared by runs.
    pub context: Arc<RunContext>,
    /// Settings.
    pub settings: Settings,
    /// Settle window for files written without a close.
    pub settle: Duration,
    /// Claimed files left to run by the previous watcher.
    pub queue: Vec<Job>,
    /// The next claim id.
    pub next_id: u64,
    /// Where finished runs report.
    pub tx: Sender<Msg>,
}

impl Service {
    /// A loop over `parts`; call [`Service::scan`] then [`Service::run`].
    pub fn new(parts: Parts) -> Self {
        let folder = detect::file_id(&parts.layout.dir);
        Self {
            folder,
            layout: parts.layout,
            journal: parts.journal,
            handlers: parts.handlers,
            reporter: parts.reporter,
            context: parts.context,
            settings: parts.settings,
            settling: Settling::new(parts.settle),
            ready: VecDeque::new(),
            ready_set: HashSet::new(),
            queue: parts.queue.into(),
            running: HashMap::new(),
            unmatched: HashSet::new(),
            finished_batch: Vec::new(),
            next_id: parts.next_id,
            tx: parts.tx,
            stop_deadline: None,
            cancelled_at: None,
        }
    }

    /// Looks at every file in the folder (at start, and after lost events): each is
    /// taken once stable and closed.
    pub fn scan(&mut self) {
        let entries = match std::fs::read_dir(&self.layout.dir) {
            Ok(e) => e,
            Err(e) => {
                let dir = self.layout.dir.display();
                return self.reporter.note(&format!("cannot list {dir}: {e}"));
            }
        };
        for entry in entries.flatten() {
            if !detect::eligible(&entry.file_name()) {
                continue;
            }
            let path = entry.path();
            if self.report_unsupported(&path) {
                continue;
            }
            if entry.file_type().is_ok_and(|t| t.is_file()) && !self.ready_set.contains(&path) {
                self.settling.changed(path);
            }
        }
    }

    /// Reports (once) a symbolic link or a name that is not UTF-8: they never run.
    /// Returns whether `path` is one.
    fn report_unsupported(&mut self, path: &Path) -> bool {
        let Some(why) = detect::unsupported(path) else {
            return false;
        };
        if self.unmatched.insert(path.to_path_buf()) {
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            self.report(Kind::Unmatched, &name, None, None, None, Some(why));
        }
        true
    }

    /// Runs until stopped (or, with `once`, until the folder is processed).
    pub fn run(&mut self, rx: &Receiver<Msg>) -> Result<(), Critical> {
        loop {
            self.finish_batch()?;
            self.dispatch()?;
            if !self.finished_batch.is_empty() {
                continue;
            }
            if self.finished() {
                return Ok(());
            }
            let wait = [self.settling.next_due(), self.stop_wait()]
                .into_iter()
                .flatten()
                .min()
                .unwrap_or(FOLDER_CHECK)
                .min(FOLDER_CHECK);
            match rx.recv_timeout(wait) {
                Ok(msg) => self.handle(msg)?,
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return Ok(()),
            }
            // Drain what else arrived, then act on it in one go.
            while let Ok(msg) = rx.try_recv() {
                self.handle(msg)?;
            }
            self.check_folder()?;
            for path in self.settling.poll() {
                self.make_ready(path);
            }
            self.enforce_grace();
        }
    }

    fn finished(&self) -> bool {
        let idle = self.running.is_empty();
        match self.stop_deadline {
            Some(_) => {
                idle || self
                    .cancelled_at
                    .is_some_and(|t| t.elapsed() > Duration::from_secs(2))
            }
            None => {
                self.settings.once
                    && idle
                    && self.queue.is_empty()
                    && self.ready.is_empty()
                    && self.settling.is_empty()
            }
        }
    }

    fn stop_wait(&self) -> Option<Duration> {
        let deadline = self.stop_deadline?;
        Some(
            deadline
                .saturating_duration_since(Instant::now())
                .max(Duration::from_millis(50)),
        )
    }

    /// After the grace period, running scripts are stopped at their next operation.
    fn enforce_grace(&mut self) {
        let Some(deadline) = self.stop_deadline else {
            return;
        };
        if self.cancelled_at.is_none() && Instant::now() >= deadline && !self.running.is_empty() {
            self.reporter.note(&format!(
                "grace period over: stopping {} running script(s)",
                self.running.len()
            ));
            for r in self.running.values() {
                r.stopper.stop_for_shutdown();
            }
            self.cancelled_at = Some(Instant::now());
        }
    }

    fn handle(&mut self, msg: Msg) -> Result<(), Critical> {
        match msg {
            Msg::Fs(Ok(event)) => {
                for signal in detect::classify(&event, &self.layout.dir) {
                    match signal {
                        Signal::Complete(path) => {
                            self.settling.forget(&path);
                            if !self.report_unsupported(&path) {
                                self.make_ready(path);
                            }
                        }
                        Signal::Changed(path) => {
                            let known = self.ready_set.contains(&path);
                            if !known && !self.report_unsupported(&path) {
                                self.settling.changed(path);
                            }
                        }
                        Signal::Gone(path) => {
                            self.settling.forget(&path);
                            self.unmatched.remove(&path);
                        }
                        Signal::Rescan => {
                            self.reporter
                                .note("event queue overflow: rescanning the folder");
                            self.scan();
                        }
                        Signal::FolderGone => {
                            return Err(self.folder_gone());
                        }
                    }
                }
            }
            Msg::Fs(Err(e)) => {
                self.reporter
                    .note(&format!("watch error ({e}): rescanning the folder"));
                self.scan();
            }
            Msg::Finished(f) => self.finished_batch.push(f),
            Msg::Stop => {
                if self.stop_deadline.is_none() {
                    self.stop_deadline = Some(Instant::now() + self.settings.grace);
                    self.reporter.note(&format!(
                        "stopping: no new files; waiting up to {} s for {} running script(s)",
                        self.settings.grace.as_secs(),
                        self.running.len()
                    ));
                }
            }
        }
        Ok(())
    }

    /// The folder's own `IN_DELETE_SELF` waits until the watcher closes the files it
    /// holds there (journal, lock), so the loop also checks, at each wake-up, that the
    /// folder at its path is still the one it started on.
    fn check_folder(&self) -> Result<(), Critical> {
        match self.folder {
            Some(id) if detect::file_id(&self.layout.dir) != Some(id) => Err(self.folder_gone()),
            _ => Ok(()),
        }
    }

    fn folder_gone(&self) -> Critical {
        Critical(format!(
            "the watched folder {} was moved or deleted: stopping ({} running script(s) interrupted; the next start on the folder recovers them)",
            self.layout.dir.display(),
            self.running.len()
        ))
    }

    fn make_ready(&mut self, path: PathBuf) {
        if self.ready_set.insert(path.clone()) {
            self.ready.push_back(path);
        }
    }

    fn report(
        &self,
        kind: Kind,
        file: &str,
        handler: Option<&str>,
        id: Option<u64>,
        duration: Option<Duration>,
        detail: Option<&str>,
    ) {
        self.reporter.event(&Event {
            kind,
            file,
            handler,
            id,
            duration,
            detail,
        });
    }

    fn journal_sync(&mut self) -> Result<(), Critical> {
        self.journal.sync().map_err(|e| {
            Critical(format!(
                "cannot write the journal {}: {e}",
                self.journal.path().display()
            ))
        })
    }

    fn journal_append(&mut self, record: &Record, durable: bool) -> Result<(), Critical> {
        self.journal.append(record, durable).map_err(|e| {
            Critical(format!(
                "cannot write the journal {}: {e}",
                self.journal.path().display()
            ))
        })
    }
}
