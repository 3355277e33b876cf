//! Helpers for `govscript watch` tests: a watcher process with `--json` events read
//! from its stdout, and views of the folder's `.done` / `.failed` / `.processing`.
//!
//! ```ignore
//! let sandbox = Sandbox::start();
//! let f = Folder::new();
//! let on = f.handler("*.csv", "h.rhai", "print(FILE.content.len());");
//! let mut w = Watcher::against(&f, &["--on", &on], &sandbox);
//! f.write("a.csv", "id\nar.1\n");
//! w.wait_finished(1, T);
//! assert_eq!(f.names_in(".done"), ["a.csv"]);
//! ```
use crate::common::{Sandbox, bin};
use serde_json::Value;
use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// A folder to watch, a place for handler scripts beside it, all in a temp dir.
pub struct Folder {
    tmp: tempfile::TempDir,
    /// The watched folder.
    pub dir: PathBuf,
}

impl Folder {
    /// A new empty watched folder.
    pub fn new() -> Self {
        let tmp = tempfile::tempdir().expect("temp dir");
        let base = tmp.path().canonicalize().expect("canonical temp dir");
        let dir = base.join("drop");
        std::fs::create_dir(&dir).expect("create drop folder");
        Self { tmp, dir }
    }

    /// A file outside the watched folder (same file system).
    pub fn outside(&self, name: &str) -> PathBuf {
        self.tmp.path().join(name)
    }

    /// Writes a handler script outside the folder; returns `GLOB=PATH` for `--on`.
    pub fn handler(&self, glob: &str, name: &str, source: &str) -> String {
        let path = self.outside(name);
        std::fs::write(&path, source).expect("write handler");
        format!("{glob}={}", path.display())
    }

    /// Drops a file by writing it in place.
    pub fn write(&self, name: &str, content: &str) {
        std::fs::write(self.dir.join(name), content).expect("write drop");
    }

    /// Stored names (`<id>-<name>`) in a state folder, logs (`<stored>.log` beside
    /// their file) excluded, so that a dropped `x.log` still counts.
    pub fn stored_in(&self, state: &str) -> Vec<String> {
        let entries: HashSet<String> = std::fs::read_dir(self.dir.join(state))
            .map(|entries| {
                entries
                    .flatten()
                    .filter_map(|e| e.file_name().to_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        let mut stored: Vec<String> = entries
            .iter()
            .filter(|n| !n.strip_suffix(".log").is_some_and(|f| entries.contains(f)))
            .cloned()
            .collect();
        stored.sort();
        stored
    }

    /// Original names of the files in a state folder (`.done`, `.failed`, `.processing`).
    pub fn names_in(&self, state: &str) -> Vec<String> {
        let mut names: Vec<String> = self
            .stored_in(state)
            .into_iter()
            .map(|n| {
                n.split_once('-')
                    .map_or(n.clone(), |(_, rest)| rest.to_string())
            })
            .collect();
        names.sort();
        names
    }

    /// The log of the file dropped as `name` in a state folder.
    pub fn log_of(&self, state: &str, name: &str) -> String {
        for stored in self.stored_in(state) {
            if stored.split_once('-').is_some_and(|(_, n)| n == name) {
                let log = self.dir.join(state).join(format!("{stored}.log"));
                return std::fs::read_to_string(&log)
                    .unwrap_or_else(|e| panic!("read {}: {e}", log.display()));
            }
        }
        panic!("no log for {name} in {state}");
    }

    /// Visible (not dot) files left in the folder itself.
    pub fn left_in_place(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(&self.dir)
            .expect("list folder")
            .flatten()
            .filter_map(|e| e.file_name().to_str().map(str::to_string))
            .filter(|n| !n.starts_with('.'))
            .collect();
        names.sort();
        names
    }
}

/// A running `govscript watch --json` process.
pub struct Watcher {
    child: Child,
    events: Receiver<Value>,
    /// Every event received so far.
    pub seen: Vec<Value>,
    finished: usize,
    stderr: PathBuf,
}

impl Watcher {
    /// Starts a watcher on `folder` with `args`, and waits for its banner.
    pub fn start(folder: &Folder, args: &[&str], env: &[(&str, &str)]) -> Self {
        let stderr = folder.outside(&format!("watcher-{}.stderr", unique()));
        let mut cmd = Command::new(bin());
        cmd.arg("watch").arg(&folder.dir).arg("--json").args(args);
        for k in ["GOVERN_HOST", "GOVERN_API_KEY", "GOVERN_PROFILE"] {
            cmd.env_remove(k);
        }
        cmd.env("GOVSCRIPT_CONFIG", folder.outside("no-config.toml"));
        // The default audit log goes beside the folder, not to the user's state folder.
        cmd.env("XDG_STATE_HOME", folder.outside("state"));
        cmd.env_remove("GOVSCRIPT_AUDIT_LOG");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&stderr).expect("stderr file"))
            .spawn()
            .expect("start govscript watch");
        let stdout = child.stdout.take().expect("watcher stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Ok(v) = serde_json::from_str::<Value>(&line) {
                    let _ = tx.send(v);
                }
            }
        });
        let mut w = Self {
            child,
            events: rx,
            seen: Vec::new(),
            finished: 0,
            stderr,
        };
        w.wait_for("banner", Duration::from_secs(20), |e| {
            e["event"] == "watcher"
                && e["detail"]
                    .as_str()
                    .is_some_and(|d| d.starts_with("watching"))
        });
        w
    }

    /// Starts a watcher whose scripts' `govern()` is `sandbox`.
    pub fn against(folder: &Folder, args: &[&str], sandbox: &Sandbox) -> Self {
        let env = [
            ("GOVERN_HOST", sandbox.url.as_str()),
            ("GOVERN_API_KEY", sandbox.key.as_str()),
        ];
        Self::start(folder, args, &env)
    }

    /// The file the watcher's stderr goes to (readable after it exits).
    pub fn stderr_path(&self) -> PathBuf {
        self.stderr.clone()
    }

    /// The watcher's stderr so far.
    pub fn stderr(&self) -> String {
        std::fs::read_to_string(&self.stderr).unwrap_or_default()
    }

    /// Waits for an event matching `pred`, returning it; panics after `timeout`.
    pub fn wait_for(
        &mut self,
        what: &str,
        timeout: Duration,
        pred: impl Fn(&Value) -> bool,
    ) -> Value {
        if let Some(e) = self.seen.iter().find(|e| pred(e)) {
            return e.clone();
        }
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.events.recv_timeout(left) {
                Ok(e) => {
                    self.push(e.clone());
                    if pred(&e) {
                        return e;
                    }
                }
                Err(RecvTimeoutError::Timeout) | Err(RecvTimeoutError::Disconnected) => panic!(
                    "timed out waiting for {what}; events: {:#?}\nstderr:\n{}",
                    self.seen,
                    self.stderr()
                ),
            }
        }
    }

    /// Waits until `n` files have finished (done or failed) in total.
    pub fn wait_finished(&mut self, n: usize, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        while self.finished < n {
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(
                !left.is_zero(),
                "timed out: {} of {n} finished; events: {:#?}\nstderr:\n{}",
                self.finished,
                self.seen,
                self.stderr()
            );
            if let Ok(e) = self
                .events
                .recv_timeout(left.min(Duration::from_millis(200)))
            {
                self.push(e);
            }
        }
    }

    /// Collects events for `d` more.
    pub fn collect_for(&mut self, d: Duration) {
        let deadline = Instant::now() + d;
        while let Ok(e) = self
            .events
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
        {
            self.push(e);
        }
    }

    fn push(&mut self, e: Value) {
        if e["event"] == "done" || e["event"] == "failed" {
            self.finished += 1;
        }
        self.seen.push(e);
    }

    /// Events of a kind (`started`, `done`, `failed`, `unmatched`).
    pub fn events(&self, kind: &str) -> Vec<Value> {
        self.seen
            .iter()
            .filter(|e| e["event"] == kind)
            .cloned()
            .collect()
    }

    /// How many files finished (done or failed) so far.
    pub fn finished_count(&self) -> usize {
        self.finished
    }

    /// Done and failed events.
    pub fn finished(&self) -> Vec<Value> {
        self.seen
            .iter()
            .filter(|e| e["event"] == "done" || e["event"] == "failed")
            .cloned()
            .collect()
    }

    /// SIGTERM, then waits for the exit.
    pub fn terminate(mut self) -> ExitStatus {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        wait_with_timeout(&mut self.child, Duration::from_secs(20))
    }

    /// SIGKILL (no chance to clean up).
    pub fn kill9(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Waits for the process to exit by itself (`--once`).
    pub fn wait_exit(mut self) -> ExitStatus {
        wait_with_timeout(&mut self.child, Duration::from_secs(60))
    }

    /// The process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn wait_with_timeout(child: &mut Child, timeout: Duration) -> ExitStatus {
    let deadline = Instant::now() + timeout;
    loop {
        if let Ok(Some(status)) = child.try_wait() {
            return status;
        }
        assert!(Instant::now() < deadline, "the watcher did not exit");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A number unique within this test process.
pub fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::SeqCst)
}

/// `govscript watch --status DIR --json`.
pub fn status(dir: &Path) -> Value {
    let out = Command::new(bin())
        .args(["watch", "--status", "--json"])
        .arg(dir)
        .output()
        .expect("run --status");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("status JSON")
}
