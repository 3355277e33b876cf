//! A `govscript sandbox` child process on a free loopback port, killed on drop.
use crate::common::{ADMIN_KEY, bin, process, script::Run};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The line the sandbox prints once it accepts connections.
const LISTENING: &str = "govscript sandbox listening on ";

/// A running sandbox process; killed on drop.
pub struct Sandbox {
    child: Child,
    /// Base URL (`http://127.0.0.1:PORT`).
    pub url: String,
    /// `127.0.0.1:PORT`, for raw sockets.
    pub addr: String,
    /// The directory holding the database and the request log (kept for restarts).
    pub dir: PathBuf,
    /// The database file.
    pub db: PathBuf,
    /// Request log written by `--record`.
    pub record: PathBuf,
    /// Lines printed before the listening line (e.g. a generated admin key).
    pub banner: Vec<String>,
    /// The admin key calls authenticate with (empty when the sandbox generated one).
    pub key: String,
    _tmp: Option<tempfile::TempDir>,
}

/// Options of a sandbox start; [`Sandbox::with`] makes one.
#[derive(Debug, Clone)]
pub struct SandboxBuilder {
    key: Option<String>,
    seed: String,
    db: Option<PathBuf>,
    record: Option<PathBuf>,
    args: Vec<String>,
    key_flag: bool,
    stderr: Option<PathBuf>,
    fd_limit: Option<u64>,
}

impl SandboxBuilder {
    /// Uses `key` as the admin key (default [`ADMIN_KEY`]).
    pub fn key(mut self, key: &str) -> Self {
        self.key = Some(key.to_string());
        self
    }

    /// Gives no `--admin-key`: the sandbox generates one on a new database.
    pub fn no_key(mut self) -> Self {
        self.key = None;
        self
    }

    /// `--seed demo|none` (default `demo`).
    pub fn seed(mut self, seed: &str) -> Self {
        self.seed = seed.to_string();
        self
    }

    /// Uses this database file instead of `DIR/govern.db`.
    pub fn db(mut self, db: &Path) -> Self {
        self.db = Some(db.to_path_buf());
        self
    }

    /// Records requests to this file instead of `DIR/requests.jsonl`.
    pub fn record(mut self, file: &Path) -> Self {
        self.record = Some(file.to_path_buf());
        self
    }

    /// Adds a flag of `govscript sandbox`.
    pub fn arg(mut self, arg: &str) -> Self {
        self.args.push(arg.to_string());
        self
    }

    /// Passes the key with `--admin-key` (which warns) instead of the environment.
    pub fn key_flag(mut self) -> Self {
        self.key_flag = true;
        self
    }

    /// Writes the sandbox's stderr to `file` instead of the test's.
    pub fn stderr(mut self, file: &Path) -> Self {
        self.stderr = Some(file.to_path_buf());
        self
    }

    /// Limits the process to `n` open file descriptors (`RLIMIT_NOFILE`), to reach the
    /// limit with few connections.
    pub fn fd_limit(mut self, n: u64) -> Self {
        self.fd_limit = Some(n);
        self
    }

    /// Starts in a new temp dir, deleted when the sandbox is dropped.
    pub fn start(self) -> Sandbox {
        let tmp = tempfile::tempdir().expect("temp dir for the sandbox");
        let mut sandbox = self.start_in(tmp.path());
        sandbox._tmp = Some(tmp);
        sandbox
    }

    /// Starts with its files in `dir` (the database is created if new).
    pub fn start_in(self, dir: &Path) -> Sandbox {
        let db = self.db.unwrap_or_else(|| dir.join("govern.db"));
        let record = self.record.unwrap_or_else(|| dir.join("requests.jsonl"));
        let mut cmd = Command::new(bin());
        cmd.args(["sandbox", "--port", "0", "--seed", &self.seed])
            .arg("--db")
            .arg(&db)
            .arg("--record")
            .arg(&record);
        // The key through the environment unless asked: `--admin-key` warns that flags
        // show in `ps`.
        cmd.env_remove("GOVSCRIPT_SANDBOX_ADMIN_KEY");
        match &self.key {
            Some(k) if self.key_flag => cmd.args(["--admin-key", k]),
            Some(k) => cmd.env("GOVSCRIPT_SANDBOX_ADMIN_KEY", k),
            None => &mut cmd,
        };
        let stderr = match &self.stderr {
            Some(file) => Stdio::from(std::fs::File::create(file).expect("sandbox stderr file")),
            None => Stdio::inherit(),
        };
        if let Some(n) = self.fd_limit {
            limit_fds(&mut cmd, n);
        }
        let mut child = cmd
            .args(&self.args)
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .expect("start govscript sandbox");
        let stdout = child.stdout.take().expect("sandbox stdout");
        let mut lines = BufReader::new(stdout).lines();
        let mut banner = Vec::new();
        let url = loop {
            let line = lines
                .next()
                .unwrap_or_else(|| panic!("sandbox exited before listening; output: {banner:?}"))
                .expect("read sandbox stdout");
            match line.split_once(LISTENING) {
                Some((_, url)) => break url.trim().to_string(),
                None => banner.push(line),
            }
        };
        // Keep draining stdout so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Sandbox {
            child,
            addr: url.trim_start_matches("http://").to_string(),
            url,
            dir: dir.to_path_buf(),
            db,
            record,
            banner,
            key: self.key.unwrap_or_default(),
            _tmp: None,
        }
    }
}

impl Sandbox {
    /// Options for a start: `Sandbox::with().seed("none").no_key().start()`.
    pub fn with() -> SandboxBuilder {
        SandboxBuilder {
            key: Some(ADMIN_KEY.to_string()),
            seed: "demo".to_string(),
            db: None,
            record: None,
            args: Vec::new(),
            key_flag: false,
            stderr: None,
            fd_limit: None,
        }
    }

    /// Starts a sandbox with the demo seed and [`ADMIN_KEY`] on a new database.
    pub fn start() -> Self {
        Self::with().start()
    }

    /// Starts a sandbox on the database in `dir` (created with the demo seed if new).
    pub fn start_in(dir: &Path) -> Self {
        Self::with().start_in(dir)
    }

    /// Stops the process, keeping the database (for restart tests).
    pub fn stop(mut self) -> Option<tempfile::TempDir> {
        process::kill(&mut self.child);
        self._tmp.take()
    }

    /// Sends `signal` (`"-TERM"`, `"-INT"`) to the process.
    pub fn signal(&self, signal: &str) {
        let ok = Command::new("kill")
            .args([signal, &self.child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(ok.success(), "kill {signal} failed");
    }

    /// Waits for the process to exit and returns its exit code; panics (killing it)
    /// if it is still running after `limit`.
    pub fn wait_exit(&mut self, limit: Duration) -> Option<i32> {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                return status.code();
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                let _ = self.child.wait();
                panic!("the sandbox did not exit within {limit:?}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// A `govscript run` against this sandbox.
    pub fn script(&self, source: &str) -> Run {
        Run::new(source)
            .env("GOVERN_HOST", &self.url)
            .env("GOVERN_API_KEY", &self.key)
    }

    /// The requests recorded so far, one JSON object each (`method`, `target`, `body`).
    /// The sandbox creates its log before it listens, so a missing or unreadable log
    /// fails the test rather than reading as "no requests". A last line still being
    /// written (no newline yet) is left for the next call.
    pub fn recorded(&self) -> Vec<serde_json::Value> {
        let text = std::fs::read_to_string(&self.record)
            .unwrap_or_else(|e| panic!("request log {}: {e}", self.record.display()));
        text.split_inclusive('\n')
            .filter(|l| l.ends_with('\n'))
            .map(|l| {
                serde_json::from_str(l).unwrap_or_else(|e| panic!("request log line {l:?}: {e}"))
            })
            .collect()
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        process::kill(&mut self.child);
    }
}

/// Sets the child's `RLIMIT_NOFILE` before it runs.
#[cfg(unix)]
fn limit_fds(cmd: &mut Command, n: u64) {
    use std::os::unix::process::CommandExt as _;
    let limit = libc::rlimit {
        rlim_cur: n as libc::rlim_t,
        rlim_max: n as libc::rlim_t,
    };
    // SAFETY: setrlimit is async-signal-safe and touches no memory of the parent.
    unsafe {
        cmd.pre_exec(move || {
            if libc::setrlimit(libc::RLIMIT_NOFILE, &limit) == 0 {
                Ok(())
            } else {
                Err(std::io::Error::last_os_error())
            }
        });
    }
}

#[cfg(not(unix))]
fn limit_fds(_cmd: &mut Command, _n: u64) {}

/// A fresh temporary directory and a database path inside it.
pub fn temp_db() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("x.db");
    (dir, db)
}
