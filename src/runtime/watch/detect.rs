//! Telling when a dropped file is completely written.
//!
//! - A close after writing (inotify `IN_CLOSE_WRITE`) or a rename into the folder
//!   (`IN_MOVED_TO`) means complete: the file is taken at once, with no debounce wait.
//! - A file only seen created or modified (a hard link, a writer that never closes,
//!   files found by the start-up scan or by a rescan after an event-queue overflow) is
//!   complete once its size and mtime have not changed for the settle window **and**
//!   no process has it open for writing (checked in `/proc/*/fd`, Linux). A slow writer
//!   pausing for seconds between chunks still holds it open, so it is never taken.
//! - Temporary and editor files are ignored: dotfiles, `*.swp`, `*.swx`, `*~`, `*.tmp`,
//!   `*.part`, `*.crdownload` and vim's `4913` probe.
use notify::event::{AccessKind, AccessMode, CreateKind, EventKind, ModifyKind, RenameMode};
use notify::{Event, event::Flag};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

/// Whether a file name is a temporary or editor file that never triggers a script.
pub fn ignored(name: &str) -> bool {
    name.starts_with('.')
        || name == "4913"
        || name.ends_with('~')
        || [".swp", ".swx", ".tmp", ".part", ".crdownload"]
            .iter()
            .any(|ext| name.ends_with(ext))
}

/// What an event says about the folder.
#[derive(Debug, PartialEq)]
pub enum Signal {
    /// This file is complete: take it now.
    Complete(PathBuf),
    /// This file changed: take it once it is stable and closed.
    Changed(PathBuf),
    /// This file left the folder.
    Gone(PathBuf),
    /// Events were lost: rescan the folder.
    Rescan,
}

/// Turns one notify event into signals about files directly inside `dir`.
pub fn classify(event: &Event, dir: &Path) -> Vec<Signal> {
    if event.flag() == Some(Flag::Rescan) {
        return vec![Signal::Rescan];
    }
    let ours = |p: &&PathBuf| {
        p.parent() == Some(dir)
            && p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| !ignored(n))
    };
    let to_signal = |make: fn(PathBuf) -> Signal| -> Vec<Signal> {
        event.paths.iter().filter(ours).cloned().map(make).collect()
    };
    match event.kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => to_signal(Signal::Complete),
        EventKind::Modify(ModifyKind::Name(RenameMode::To)) => to_signal(Signal::Complete),
        // A rename inside the folder (`x.part` → `x.csv`): the destination is last.
        EventKind::Modify(ModifyKind::Name(RenameMode::Both)) => {
            let mut out: Vec<Signal> = event
                .paths
                .first()
                .map(|p| Signal::Gone(p.clone()))
                .into_iter()
                .collect();
            out.extend(
                event
                    .paths
                    .get(1)
                    .filter(|p| ours(p))
                    .cloned()
                    .map(Signal::Complete),
            );
            out
        }
        EventKind::Modify(ModifyKind::Name(RenameMode::From)) | EventKind::Remove(_) => {
            event.paths.iter().cloned().map(Signal::Gone).collect()
        }
        EventKind::Create(CreateKind::Folder) => Vec::new(),
        EventKind::Create(_) | EventKind::Modify(_) => to_signal(Signal::Changed),
        _ => Vec::new(),
    }
}

/// Size and modification time: a file is stable while these stay the same.
type Stamp = (u64, Option<SystemTime>);

fn stamp(path: &Path) -> Option<Stamp> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    meta.is_file().then(|| (meta.len(), meta.modified().ok()))
}

struct Watched {
    stamp: Option<Stamp>,
    due: Instant,
}

/// Files seen changing, waiting to be stable and closed.
pub struct Settling {
    window: Duration,
    files: HashMap<PathBuf, Watched>,
}

impl Settling {
    /// A tracker with the given settle window.
    pub fn new(window: Duration) -> Self {
        Self {
            window,
            files: HashMap::new(),
        }
    }

    /// Starts (or restarts) the settle window of `path`.
    pub fn changed(&mut self, path: PathBuf) {
        let Some(stamp) = stamp(&path).map(Some) else {
            // Gone already (a late event for a file since claimed or removed).
            self.files.remove(&path);
            return;
        };
        self.files.insert(
            path,
            Watched {
                stamp,
                due: Instant::now() + self.window,
            },
        );
    }

    /// Forgets `path` (taken or gone).
    pub fn forget(&mut self, path: &Path) {
        self.files.remove(path);
    }

    /// How long until the next check is due, if any file is waiting.
    pub fn next_due(&self) -> Option<Duration> {
        let now = Instant::now();
        self.files
            .values()
            .map(|w| w.due.saturating_duration_since(now))
            .min()
    }

    /// Whether nothing is waiting.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Checks the files that are due; returns those now complete. A file that changed,
    /// or that a process still holds open for writing, waits another window.
    pub fn poll(&mut self) -> Vec<PathBuf> {
        let now = Instant::now();
        let due: Vec<PathBuf> = self
            .files
            .iter()
            .filter(|(_, w)| w.due <= now)
            .map(|(p, _)| p.clone())
            .collect();
        if due.is_empty() {
            return Vec::new();
        }
        let writers = open_for_writing();
        let mut complete = Vec::new();
        for path in due {
            let current = stamp(&path);
            let Some(w) = self.files.get_mut(&path) else {
                continue;
            };
            if current.is_none() {
                self.files.remove(&path);
            } else if current != w.stamp || writers.as_ref().is_some_and(|set| set.contains(&path))
            {
                w.stamp = current;
                w.due = now + self.window;
            } else {
                self.files.remove(&path);
                complete.push(path);
            }
        }
        complete
    }
}

/// Paths that some process (of this user) holds open for writing, from
/// `/proc/*/fd` and `/proc/*/fdinfo`. `None` where `/proc` is unavailable: then
/// only size/mtime stability counts.
pub fn open_for_writing() -> Option<std::collections::HashSet<PathBuf>> {
    let procs = std::fs::read_dir("/proc").ok()?;
    let mut set = std::collections::HashSet::new();
    for p in procs.flatten() {
        let pid = p.file_name();
        if !pid
            .to_str()
            .is_some_and(|s| s.bytes().all(|b| b.is_ascii_digit()))
        {
            continue;
        }
        let Ok(fds) = std::fs::read_dir(p.path().join("fd")) else {
            continue;
        };
        for fd in fds.flatten() {
            let Ok(target) = std::fs::read_link(fd.path()) else {
                continue;
            };
            if !target.is_absolute() || set.contains(&target) {
                continue;
            }
            let info = p.path().join("fdinfo").join(fd.file_name());
            if std::fs::read_to_string(info).is_ok_and(|t| writable(&t)) {
                set.insert(target);
            }
        }
    }
    Some(set)
}

/// Whether an fdinfo text's `flags:` (octal) include O_WRONLY or O_RDWR.
fn writable(fdinfo: &str) -> bool {
    fdinfo
        .lines()
        .find_map(|l| l.strip_prefix("flags:"))
        .and_then(|f| u32::from_str_radix(f.trim(), 8).ok())
        .is_some_and(|flags| flags & 0o3 != 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn editor_and_temp_files_are_ignored() {
        for n in [".x.csv", "a.swp", "a.swx", "a~", "a.tmp", "a.part", "4913"] {
            assert!(ignored(n), "{n}");
        }
        for n in ["a.csv", "run.rhai", "4914", "tmp.csv"] {
            assert!(!ignored(n), "{n}");
        }
    }

    #[test]
    fn a_file_open_for_writing_is_seen_and_not_after_close() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().canonicalize().unwrap().join("w.csv");
        let mut f = std::fs::File::create(&path).unwrap();
        f.write_all(b"a").unwrap();
        assert!(open_for_writing().unwrap().contains(&path));
        drop(f);
        let _read = std::fs::File::open(&path).unwrap();
        assert!(!open_for_writing().unwrap().contains(&path));
    }

    #[test]
    fn settling_waits_for_stability_and_close() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().canonicalize().unwrap().join("s.csv");
        let mut f = std::fs::File::create(&path).unwrap();
        let mut s = Settling::new(Duration::from_millis(30));
        s.changed(path.clone());
        std::thread::sleep(Duration::from_millis(60));
        assert!(s.poll().is_empty(), "still open for writing");
        f.write_all(b"more").unwrap();
        drop(f);
        std::thread::sleep(Duration::from_millis(60));
        assert!(s.poll().is_empty(), "changed since last look");
        std::thread::sleep(Duration::from_millis(60));
        assert_eq!(s.poll(), vec![path]);
        assert!(s.is_empty());
    }
}
