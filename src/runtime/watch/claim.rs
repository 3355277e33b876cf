//! Moving dropped files through `DIR/.processing/`, `DIR/.done/` and `DIR/.failed/`.
//!
//! A claimed file is renamed to `<id>-<name>` (ids never repeat, so a file dropped
//! again under the same name never overwrites an earlier one); its log is
//! `<id>-<name>.log` beside it. Renames stay inside one file system, so each move is
//! atomic: a file is in exactly one place at any moment. A name too long for that
//! (file names have at most 255 bytes) is shortened in the stored name only; the
//! journal, events and `FILE.name` keep the name it was dropped as.
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

/// The longest file name most Linux file systems take, in bytes.
const NAME_MAX: usize = 255;

/// The suffix of a claimed file's log.
const LOG: &str = ".log";

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

/// `<id>-<name>`, ids zero-padded so listings sort in claim order. A name too long
/// to have its log beside it loses bytes from the end of its stem (the extension is
/// kept) and gets a `~` where they were cut.
pub fn claimed_name(id: u64, name: &str) -> String {
    let full = format!("{id:06}-{name}");
    if full.len() + LOG.len() <= NAME_MAX {
        return full;
    }
    let prefix = format!("{id:06}-");
    let ext = Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .filter(|e| e.len() <= 16)
        .map(|e| format!(".{e}"))
        .unwrap_or_default();
    let stem = &name[..name.len() - ext.len()];
    let room = NAME_MAX - LOG.len() - prefix.len() - ext.len() - '~'.len_utf8();
    let mut cut = room.min(stem.len());
    while !stem.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{prefix}{}~{ext}", &stem[..cut])
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
        // A log name too long to exist (a file stored by an older version under its
        // full long name) is absent.
        Err(e) if e.kind() == std::io::ErrorKind::InvalidFilename => Ok(()),
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

/// Whether `file_name` in a state folder is the watcher's log of another entry there:
/// `<id>-<name>.log` beside `<id>-<name>`, or, when that file is gone, a log whose id
/// the journal gave to a name not ending in `.log` (`names`: journal name by id). A
/// dropped `app.log` is therefore a claimed file, never taken for a sidecar.
pub fn is_sidecar(
    file_name: &str,
    entries: &HashSet<String>,
    names: &BTreeMap<u64, String>,
) -> bool {
    let Some(stem) = file_name.strip_suffix(LOG) else {
        return false;
    };
    if entries.contains(stem) {
        return true;
    }
    if entries.contains(&format!("{file_name}{LOG}")) {
        // It has a log of its own, so it is a claimed file.
        return false;
    }
    match parse_claimed(file_name).and_then(|(id, _)| names.get(&id)) {
        Some(name) => !name.ends_with(LOG),
        // No journal record: a log whose file is gone was more likely written by us
        // than a dropped log claimed and then removed.
        None => true,
    }
}

/// Files in `.processing` (their logs excluded), as (id, stored name, path); `names`
/// gives the journal's name of each open claim.
pub fn in_processing(
    layout: &Layout,
    names: &BTreeMap<u64, String>,
) -> std::io::Result<Vec<(u64, String, PathBuf)>> {
    let mut entries = HashSet::new();
    for e in std::fs::read_dir(&layout.processing)?.flatten() {
        if let Some(s) = e.file_name().to_str() {
            entries.insert(s.to_string());
        }
    }
    let mut out = Vec::new();
    for s in &entries {
        if is_sidecar(s, &entries, names) {
            continue;
        }
        if let Some((id, name)) = parse_claimed(s) {
            out.push((id, name.to_string(), layout.processing.join(s)));
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
        assert!(in_processing(&layout, &BTreeMap::new()).unwrap().is_empty());
    }

    #[test]
    fn long_names_are_shortened_to_leave_room_for_the_log() {
        let long = format!("{}.csv", "é".repeat(150));
        let stored = claimed_name(3, &long);
        assert!(stored.len() + LOG.len() <= NAME_MAX, "{}", stored.len());
        assert!(stored.starts_with("000003-é") && stored.ends_with("~.csv"));
        assert_eq!(claimed_name(3, "a.csv"), "000003-a.csv");
    }

    #[test]
    fn a_dropped_log_is_a_claimed_file_not_a_sidecar() {
        let tmp = tempfile::tempdir().unwrap();
        let layout = Layout::new(tmp.path());
        layout.create().unwrap();
        for n in [
            "000001-app.log",
            "000001-app.log.log",
            "000002-x.csv",
            "000002-x.csv.log",
        ] {
            std::fs::write(layout.processing.join(n), "").unwrap();
        }
        // A log left alone: its claim's name says whether it is ours.
        std::fs::write(layout.processing.join("000003-y.csv.log"), "").unwrap();
        std::fs::write(layout.processing.join("000004-z.log"), "").unwrap();
        let names = BTreeMap::from([(3, "y.csv".to_string()), (4, "z.log".to_string())]);
        let found: Vec<(u64, String)> = in_processing(&layout, &names)
            .unwrap()
            .into_iter()
            .map(|(id, n, _)| (id, n))
            .collect();
        let expected =
            [(1, "app.log"), (2, "x.csv"), (4, "z.log")].map(|(i, n)| (i, n.to_string()));
        assert_eq!(found, expected);
    }
}
