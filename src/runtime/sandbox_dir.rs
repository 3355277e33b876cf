//! The temporary folder of an in-process sandbox (`--sandbox`): its database lives
//! there and goes with it.
//!
//! The folder is removed when the session ends, on Ctrl-C, SIGTERM and SIGHUP too. A
//! process stopped in a way it cannot handle (SIGKILL, SIGUSR1, SIGALRM...) leaves its
//! folder behind; each folder therefore holds a `lock` file locked for as long as its
//! process lives, and the next start removes every folder whose lock is free.
use std::fs::File;
use std::path::{Path, PathBuf};

/// Name prefix of the folders, in the system's temporary directory.
pub const PREFIX: &str = "govscript-sandbox-";

const LOCK: &str = "lock";

/// A sandbox folder, locked while this value lives and removed when it is dropped.
pub struct SandboxDir {
    // Field order matters: the lock is released after the folder is removed.
    dir: tempfile::TempDir,
    _lock: File,
}

impl SandboxDir {
    /// Removes the folders left by dead processes, then creates and locks a new one.
    pub fn create() -> std::io::Result<Self> {
        let parent = std::env::temp_dir();
        remove_stale(&parent);
        let dir = tempfile::Builder::new()
            .prefix(PREFIX)
            .tempdir_in(&parent)?;
        // Locked under another name, then renamed: a `lock` file seen by another
        // process's clean-up is always already locked. Where files cannot be locked,
        // the folder gets no `lock` and is never taken for a stale one.
        let pending = dir.path().join("lock.new");
        let lock = File::create(&pending)?;
        if lock.lock().is_ok() {
            std::fs::rename(&pending, dir.path().join(LOCK))?;
        }
        Ok(Self { dir, _lock: lock })
    }

    /// The folder's path.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }
}

/// Removes each sandbox folder of `parent` whose lock no live process holds. Folders
/// without a lock file (being created, or not ours) are left alone.
pub fn remove_stale(parent: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Vec::new();
    };
    let mut removed = Vec::new();
    for entry in entries.flatten() {
        if !entry.file_name().to_string_lossy().starts_with(PREFIX) {
            continue;
        }
        let path = entry.path();
        let Ok(lock) = File::open(path.join(LOCK)) else {
            continue;
        };
        // Held until the folder is gone, so two clean-ups do not race on it.
        if lock.try_lock().is_ok() && std::fs::remove_dir_all(&path).is_ok() {
            tracing::debug!("removed the sandbox folder a stopped process left: {path:?}");
            removed.push(path);
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_folders_whose_lock_is_free_are_removed() {
        let parent = tempfile::tempdir().expect("temp dir");
        let folder = |name: &str| {
            let path = parent.path().join(name);
            std::fs::create_dir(&path).expect("folder");
            std::fs::write(path.join("sandbox.db"), "x").expect("db");
            path
        };
        let dead = folder(&format!("{PREFIX}dead"));
        File::create(dead.join(LOCK)).expect("lock");
        let alive = folder(&format!("{PREFIX}alive"));
        let held = File::create(alive.join(LOCK)).expect("lock");
        held.lock().expect("lock held");
        let creating = folder(&format!("{PREFIX}creating"));
        let other = folder("someone-else");
        File::create(other.join(LOCK)).expect("lock");

        assert_eq!(remove_stale(parent.path()), vec![dead.clone()]);
        assert!(!dead.exists());
        assert!(alive.exists() && creating.exists() && other.exists());
    }
}
