//! Telling when a dropped file is completely written.
//!
//! - A close after writing (inotify `IN_CLOSE_WRITE`) or a rename into the folder
//!   (`IN_MOVED_TO`) means complete: the file is taken at once, with no debounce wait.
//! - A file only seen created or modified (a hard link, a writer that never closes,
//!   files found by the start-up scan or by a rescan after an event-queue overflow) is
//!   complete once its size and mtime have not changed for the settle window **and**
//!   no process has it open for writing (checked in `/proc/*/fd`, Linux, by device and
//!   inode, so a hard link whose writer holds the original name open counts as open).
//!   A slow writer pausing for seconds between chunks still holds it open, so it is
//!   never taken. The same check is repeated when a queued file is claimed.
//! - A symbolic link or a name that is not UTF-8 is never run: it is reported as
//!   unmatched and left in place.
//! - The watched folder itself moved or deleted is a critical error: the watcher would
//!   otherwise live on and see nothing.
//! - Temporary and editor files are ignored: dotfiles, `*.swp`, `*.swx`, `*~`, `*.tmp`,
//!   `*.part`, `*.crdownload` and vim's `4913` probe.
use notify::event::{AccessKind, AccessMode, CreateKind, EventKind, ModifyKind, RenameMode};
use notify::{Event, event::Flag};
use std::collections::{HashMap, HashSet};
use std::os::unix::fs::MetadataExt;
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
    /// The watched folder itself was moved or deleted.
    FolderGone,
}

/// Why a file in the folder can never run (reported as unmatched), if it cannot.
pub fn unsupported(path: &Path) -> Option<&'static str> {
    // Subfolders are not watched, whatever their names.
    let kind = std::fs::symlink_metadata(path).ok()?.file_type();
    if kind.is_symlink() {
        return Some(
            "a symbolic link: left in place (links are not followed; move the file itself in)",
        );
    }
    let odd_name = path.file_name().is_some_and(|n| n.to_str().is_none());
    (kind.is_file() && odd_name)
        .then_some("the name is not UTF-8: left in place (rename it to run it)")
}

/// Whether a directory entry's name is one the watcher looks at (not a temporary,
/// editor or state file). Names that are not UTF-8 are looked at, to be reported.
pub fn eligible(name: &std::ffi::OsStr) -> bool {
    !ignored(&name.to_string_lossy())
}

/// Turns one notify event into signals about files directly inside `dir`.
pub fn classify(event: &Event, dir: &Path) -> Vec<Signal> {
    if event.flag() == Some(Flag::Rescan) {
        return vec![Signal::Rescan];
    }
    let self_event = matches!(
        event.kind,
        EventKind::Remove(_) | EventKind::Modify(ModifyKind::Name(RenameMode::From))
    );
    if self_event && event.paths.iter().any(|p| p == dir) {
        return vec![Signal::FolderGone];
    }
    let ours = |p: &&PathBuf| p.parent() == Some(dir) && p.file_name().is_some_and(eligible);
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
            } else if current != w.stamp || held_for_writing(&path, writers.as_ref()) {
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

/// A file's identity: device and inode (the same through every hard link and rename).
pub type FileId = (u64, u64);

/// The identity of the file at `path` (not following a symbolic link).
pub fn file_id(path: &Path) -> Option<FileId> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    Some((meta.dev(), meta.ino()))
}

/// Whether some process holds the file at `path` open for writing, by any of its
/// names; `writers` is [`open_for_writing`] (`None`: unknown, counted as not held).
pub fn held_for_writing(path: &Path, writers: Option<&HashSet<FileId>>) -> bool {
    writers.is_some_and(|set| file_id(path).is_some_and(|id| set.contains(&id)))
}

/// Regular files that some process (of this user) holds open for writing, by device
/// and inode, from `/proc/*/fd` and `/proc/*/fdinfo`. `None` where `/proc` is
/// unavailable: then only size/mtime stability counts.
pub fn open_for_writing() -> Option<HashSet<FileId>> {
    let procs = std::fs::read_dir("/proc").ok()?;
    let mut set = HashSet::new();
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
            // `stat` on the fd link is the open file's own (also when renamed or
            // reached through another hard link).
            let Ok(meta) = std::fs::metadata(fd.path()) else {
                continue;
            };
            let id = (meta.dev(), meta.ino());
            if !meta.is_file() || set.contains(&id) {
                continue;
            }
            let info = p.path().join("fdinfo").join(fd.file_name());
            if std::fs::read_to_string(info).is_ok_and(|t| writable(&t)) {
                set.insert(id);
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
        let link = dir.path().join("link.csv");
        std::fs::hard_link(&path, &link).unwrap();
        assert!(held_for_writing(&path, open_for_writing().as_ref()));
        assert!(held_for_writing(&link, open_for_writing().as_ref()));
        drop(f);
        let _read = std::fs::File::open(&path).unwrap();
        assert!(!held_for_writing(&link, open_for_writing().as_ref()));
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
