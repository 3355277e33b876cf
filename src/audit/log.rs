//! Appending to an audit log file, safely across crashes and concurrent runs.
//!
//! Each append takes an exclusive lock on the file (so runs appending to the same log
//! at once keep one chain), reads the hash of its last record, writes the new record
//! and its newline with `O_APPEND` in one `write_all`, then `fdatasync`s the file
//! before the lock is released: a record that was appended survives a killed process
//! and a power cut alike. A run killed mid-write can leave only a last line without
//! its newline: the next append removes that torn line (it was never a complete
//! record) and says so on stderr, and `audit verify` reports it as a torn tail.
use super::chain;
use super::record::{GENESIS, seal};
use serde_json::{Map, Value};
use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// A record just appended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Appended {
    /// Its hash.
    pub hash: String,
    /// The byte offset its line starts at.
    pub offset: u64,
}

/// An audit log file, opened on first append.
#[derive(Debug)]
pub struct AuditLog {
    path: PathBuf,
    file: Mutex<Option<File>>,
}

impl AuditLog {
    /// The log at `path` (not opened yet).
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self {
            path: path.into(),
            file: Mutex::new(None),
        }
    }

    /// Where the log is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Opens the log (creating it and its folder), if not open yet.
    pub fn open(&self) -> io::Result<()> {
        let mut file = self.file.lock().unwrap_or_else(|p| p.into_inner());
        if file.is_none() {
            if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)?;
            }
            *file = Some(
                OpenOptions::new()
                    .read(true)
                    .append(true)
                    .create(true)
                    .open(&self.path)?,
            );
        }
        Ok(())
    }

    /// Appends `record`, chained onto the file's last record; returns its hash and
    /// where its line starts.
    pub fn append(&self, record: Map<String, Value>) -> io::Result<Appended> {
        self.open()?;
        let guard = self.file.lock().unwrap_or_else(|p| p.into_inner());
        let Some(file) = guard.as_ref() else {
            return Err(io::Error::other("the audit log is not open"));
        };
        file.lock()?;
        let appended = (|| -> io::Result<Appended> {
            let prev = self.tail_hash(file)?;
            // Under the lock, with `O_APPEND`: the line goes where the file ends now.
            let offset = file.metadata()?.len();
            let (line, hash) = seal(record, &prev);
            let mut writer: &File = file;
            writer.write_all(line.as_bytes())?;
            file.sync_data()?;
            Ok(Appended { hash, offset })
        })();
        file.unlock()?;
        appended
    }

    /// The hash of the file's last complete record ([`GENESIS`] for an empty file),
    /// after removing a torn last line.
    fn tail_hash(&self, file: &File) -> io::Result<String> {
        let len = file.metadata()?.len();
        if len == 0 {
            return Ok(GENESIS.to_string());
        }
        let (start, line, complete) = last_line(file, len)?;
        if !complete {
            eprintln!(
                "govscript: audit log {}: removed a torn last line ({} bytes) left by an \
                 interrupted run",
                self.path.display(),
                len - start
            );
            file.set_len(start)?;
            return match start {
                0 => Ok(GENESIS.to_string()),
                _ => self.tail_hash(file),
            };
        }
        let record = chain::parse(&line).map_err(|why| self.unreadable(&why))?;
        record
            .get("hash")
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| self.unreadable("it has no hash"))
    }

    fn unreadable(&self, why: &str) -> io::Error {
        io::Error::other(format!(
            "its last record is unreadable ({why}); check it with `govscript audit verify {}`",
            self.path.display()
        ))
    }
}

/// The 1-based number of the line starting at byte `offset` of the file at `path`
/// (the newlines before it, plus one).
pub fn line_number(path: &Path, offset: u64) -> io::Result<usize> {
    use std::io::Read;
    let mut file = File::open(path)?.take(offset);
    let mut buf = vec![0u8; 256 * 1024];
    let mut newlines = 0;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            return Ok(newlines + 1);
        }
        newlines += buf[..n].iter().filter(|&&b| b == b'\n').count();
    }
}

/// The last line of a file of `len` bytes: its offset, its bytes (without newline) and
/// whether it ends with a newline.
fn last_line(file: &File, len: u64) -> io::Result<(u64, Vec<u8>, bool)> {
    let mut last = [0u8; 1];
    file.read_exact_at(&mut last, len - 1)?;
    let complete = last[0] == b'\n';
    let end = if complete { len - 1 } else { len };
    // Read backwards, chunk by chunk, to the newline before it.
    const CHUNK: u64 = 64 * 1024;
    let mut line = Vec::new();
    let mut pos = end;
    while pos > 0 {
        let from = pos.saturating_sub(CHUNK);
        let mut buf = vec![0u8; (pos - from) as usize];
        file.read_exact_at(&mut buf, from)?;
        if let Some(nl) = buf.iter().rposition(|&b| b == b'\n') {
            buf.drain(..=nl);
            buf.extend_from_slice(&line);
            return Ok((from + nl as u64 + 1, buf, complete));
        }
        buf.extend_from_slice(&line);
        line = buf;
        pos = from;
    }
    Ok((0, line, complete))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn record(i: usize) -> Map<String, Value> {
        json!({"n": i, "pad": "x".repeat(i * 40_000)})
            .as_object()
            .cloned()
            .expect("object")
    }

    #[test]
    fn appends_chain_across_reopenings_and_long_records() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("sub/audit.jsonl");
        let first = AuditLog::new(&path);
        for i in 0..3 {
            first.append(record(i)).expect("append");
        }
        let head = AuditLog::new(&path).append(record(3)).expect("append");
        let text = std::fs::read(&path).expect("read");
        let intact = chain::verify(&text).expect("intact");
        assert_eq!((intact.records, intact.head), (4, head.hash));
        assert_eq!(line_number(&path, head.offset).expect("line"), 4);
    }

    #[test]
    fn a_torn_tail_is_removed_before_the_next_append() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("audit.jsonl");
        let log = AuditLog::new(&path);
        log.append(record(0)).expect("append");
        log.append(record(1)).expect("append");
        let mut file = OpenOptions::new().append(true).open(&path).expect("open");
        file.write_all(b"{\"n\":2,\"pa").expect("tear");
        let torn = chain::verify(&std::fs::read(&path).expect("read")).expect("intact");
        assert_eq!(torn.torn_tail, Some(3));
        AuditLog::new(&path).append(record(2)).expect("append");
        let intact = chain::verify(&std::fs::read(&path).expect("read")).expect("intact");
        assert_eq!((intact.records, intact.torn_tail), (3, None));
    }
}
