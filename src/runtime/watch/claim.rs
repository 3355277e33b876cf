//! Moving dropped files through `DIR/.processing/`, `DIR/.done/` and `DIR/.failed/`.
//!
//! A claimed file is renamed to `<id>-<name>` (ids never repeat, so a file dropped
//! again under the same name never overwrites an earlier one); its log is
//! `<id>-<name>.log` beside it. Renames stay inside one file system, so each move is
//! atomic: a file is in exactly one place at any moment.
use std::path::{Path, PathBuf};

/// The folders of a watched directory.
#[derive(Debug, Clone)]
pub struct Layout {
    /// The watched folder.
    pub dir: PathBuf,
    /// Claimed files, running or waiting to run.
    pub processing: PathBuf,
    /// Files whose script succeeded.
    pub done: PathBuf,
    /// Files whose script failed or was interrupted.
    pub failed: PathBuf,
}

impl Layout {
    /// The layout of `dir` (nothing is created).
    pub fn new(dir: &Path) -> Self {
        Self {
            dir: dir.to_path_buf(),
            processing: dir.join(".processing"),
            done: dir.join(".done"),
            failed: dir.join(".failed"),
        }
    }

    /// Creates the three state folders.
    pub fn create(&self) -> std::io::Result<()> {
        for d in [&self.processing, &self.done, &self.failed] {
            std::fs::create_dir_all(d)?;
        }
        Ok(())
    }

    /// Where the claimed file `id`/`name` sits while processing.
    pub fn claimed(&self, id: u64, name: &str) -> PathBuf {
        self.processing.join(claimed_name(id, name))
    }

    /// The folder a finished file goes to.
    pub fn outcome_dir(&self, ok: bool) -> &Path {
        if ok { &self.done } else { &self.failed }
    }
}

/// `<id>-<name>`, ids zero-padded so listings sort in claim order.
pub fn claimed_name(id: u64, name: &str) -> String {
    format!("{id:06}-{name}")
}

/// The claim id and original name in a claimed file name, if it is one.
pub fn parse_claimed(file_name: &str) -> Option<(u64, &str)> {
    let (id, name) = file_name.split_once('-')?;
    Some((id.parse().ok()?, name))
}

/// The log beside a claimed file.
pub fn log_path(claimed: &Path) -> PathBuf {
    let mut name = claimed.as_os_str().to_os_string();
    name.push(".log");
    PathBuf::from(name)
}

/// Moves `from` (and its log, if any) into `to_dir`. Parts already moved by an
/// earlier, interrupted call are skipped, so this can be repeated after a crash.
pub fn settle(from: &Path, to_dir: &Path) -> std::io::Result<()> {
    let Some(name) = from.file_name() else {
        return Err(std::io::Error::other(format!(
            "{} has no file name",
            from.display()
        )));
    };
    let to = to_dir.join(name);
    // The log first: a file seen in .done/.failed always has its log there.
    move_if_present(&log_path(from), &log_path(&to))?;
    move_if_present(from, &to)
}

fn move_if_present(from: &Path, to: &Path) -> std::io::Result<()> {
    match std::fs::rename(from, to) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        other => other,
    }
}

/// Claim ids found in file names of the state folders (so that ids stay unique even
/// if the journal was removed).
pub fn highest_id(layout: &Layout) -> u64 {
    let mut max = 0;
    for d in [&layout.processing, &layout.done, &layout.failed] {
        let Ok(entries) = std::fs::read_dir(d) else {
            continue;
        };
        for e in entries.flatten() {
            if let Some((id, _)) = e.file_name().to_str().and_then(parse_claimed) {
                max = max.max(id);
            }
        }
    }
    max
}

/// Files in `.processing` (logs excluded), as (id, original name, path).
pub fn in_processing(layout: &Layout) -> std::io::Result<Vec<(u64, String, PathBuf)>> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(&layout.processing)?.flatten() {
        let file_name = e.file_name();
        let Some(s) = file_name.to_str() else {
            continue;
        };
        if s.ends_with(".log") {
            continue;
        }
        if let Some((id, name)) = parse_claimed(s) {
            out.push((id, name.to_string(), e.path()));
        }
    }
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_settle_is_repeatable() {
        assert_eq!(claimed_name(42, "a-b.csv"), "000042-a-b.csv");
        assert_eq!(parse_claimed("000042-a-b.csv"), Some((42, "a-b.csv")));
        assert_eq!(parse_claimed("notes.txt"), None);

        let tmp = tempfile::tempdir().unwrap();
        let layout = Layout::new(tmp.path());
        layout.create().unwrap();
        let claimed = layout.claimed(7, "x.csv");
        std::fs::write(&claimed, "a").unwrap();
        std::fs::write(log_path(&claimed), "log").unwrap();
        settle(&claimed, &layout.done).unwrap();
        settle(&claimed, &layout.done).unwrap();
        assert!(layout.done.join("000007-x.csv").exists());
        assert!(layout.done.join("000007-x.csv.log").exists());
        assert_eq!(highest_id(&layout), 7);
        assert!(in_processing(&layout).unwrap().is_empty());
    }
}
