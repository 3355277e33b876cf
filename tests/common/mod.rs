//! Test harness: a real `govscript sandbox` process on a free loopback port with its
//! database in a temp dir, and a builder that runs the real binary on a script.
#![allow(dead_code)]

pub mod recorder;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

/// The admin key tests give the sandbox.
pub const ADMIN_KEY: &str = "test-admin-key-0123456789";

/// Path of the govscript binary under test.
pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_govscript"))
}

/// A running sandbox process; killed on drop.
pub struct Sandbox {
    child: Child,
    /// Base URL (`http://127.0.0.1:PORT`).
    pub url: String,
    /// The temp dir holding the database (kept for restarts).
    pub dir: PathBuf,
    _tmp: Option<tempfile::TempDir>,
    /// Request log written by `--record`.
    pub record: PathBuf,
}

impl Sandbox {
    /// Starts a sandbox with the demo seed on a new database.
    pub fn start() -> Self {
        let tmp = tempfile::tempdir().expect("temp dir");
        let dir = tmp.path().to_path_buf();
        let mut sandbox = Self::start_in(&dir);
        sandbox._tmp = Some(tmp);
        sandbox
    }

    /// Starts a sandbox on the database in `dir` (created with the demo seed if new).
    pub fn start_in(dir: &Path) -> Self {
        let record = dir.join("requests.jsonl");
        let mut child = Command::new(bin())
            .args([
                "sandbox",
                "--port",
                "0",
                "--admin-key",
                ADMIN_KEY,
                "--seed",
                "demo",
            ])
            .arg("--db")
            .arg(dir.join("govern.db"))
            .arg("--record")
            .arg(&record)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start govscript sandbox");
        let stdout = child.stdout.take().expect("sandbox stdout");
        let mut lines = BufReader::new(stdout).lines();
        let url = loop {
            let line = lines
                .next()
                .expect("sandbox exited before listening")
                .expect("read sandbox stdout");
            if let Some(rest) = line.split("listening on ").nth(1) {
                break rest.trim().to_string();
            }
        };
        // Keep draining stdout so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Self {
            child,
            url,
            dir: dir.to_path_buf(),
            _tmp: None,
            record,
        }
    }

    /// Stops the process, keeping the database (for restart tests).
    pub fn stop(mut self) -> Option<tempfile::TempDir> {
        let _ = self.child.kill();
        let _ = self.child.wait();
        self._tmp.take()
    }

    /// A `govscript run` against this sandbox.
    pub fn script(&self, source: &str) -> Run {
        Run::new(source)
            .env("GOVERN_HOST", &self.url)
            .env("GOVERN_API_KEY", ADMIN_KEY)
    }

    /// The requests recorded so far: (method, target, body text).
    pub fn recorded(&self) -> Vec<serde_json::Value> {
        std::fs::read_to_string(&self.record)
            .unwrap_or_default()
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect()
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Builder for one run of the real binary on a script.
pub struct Run {
    source: String,
    args: Vec<String>,
    script_args: Vec<String>,
    env: Vec<(String, String)>,
    dir: tempfile::TempDir,
}

/// What a run produced.
#[derive(Debug)]
pub struct Ran {
    /// Exit code.
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Run {
    /// A run of `source` with no connection set.
    pub fn new(source: &str) -> Self {
        Self {
            source: source.to_string(),
            args: Vec::new(),
            script_args: Vec::new(),
            env: Vec::new(),
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// Adds a govscript flag.
    pub fn arg(mut self, a: &str) -> Self {
        self.args.push(a.to_string());
        self
    }

    /// Adds a script argument (after `--`).
    pub fn script_arg(mut self, a: &str) -> Self {
        self.script_args.push(a.to_string());
        self
    }

    /// Sets an environment variable.
    pub fn env(mut self, k: &str, v: &str) -> Self {
        self.env.push((k.to_string(), v.to_string()));
        self
    }

    /// Runs and returns the outcome.
    pub fn run(self) -> Ran {
        let path = self.dir.path().join("script.rhai");
        std::fs::write(&path, &self.source).expect("write script");
        let mut cmd = Command::new(bin());
        cmd.arg("run").args(&self.args).arg(&path);
        if !self.script_args.is_empty() {
            cmd.arg("--").args(&self.script_args);
        }
        for k in [
            "GOVERN_HOST",
            "GOVERN_API_KEY",
            "GOVERN_PROFILE",
            "GOVSCRIPT_CONFIG",
        ] {
            cmd.env_remove(k);
        }
        cmd.env("GOVSCRIPT_CONFIG", self.dir.path().join("no-config.toml"));
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        let Output {
            status,
            stdout,
            stderr,
        } = cmd.output().expect("run govscript");
        Ran {
            code: status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&stdout).into_owned(),
            stderr: String::from_utf8_lossy(&stderr).into_owned(),
        }
    }

    /// Runs and asserts success, returning stdout.
    pub fn ok(self) -> String {
        let ran = self.run();
        assert_eq!(
            ran.code, 0,
            "script failed:\nstdout:\n{}\nstderr:\n{}",
            ran.stdout, ran.stderr
        );
        ran.stdout
    }
}

/// The Python interpreter with `dataikuapi` (env `GOVSCRIPT_PYTHON`, else `.venv`,
/// else `/work/venv`, else `python3`).
pub fn python() -> String {
    if let Ok(p) = std::env::var("GOVSCRIPT_PYTHON") {
        return p;
    }
    let local = Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/python");
    for candidate in [local, PathBuf::from("/work/venv/bin/python")] {
        if candidate.exists() {
            return candidate.display().to_string();
        }
    }
    "python3".to_string()
}

/// Whether the Python client can be imported. In CI its absence fails the test.
pub fn python_client_available() -> bool {
    let ok = Command::new(python())
        .args(["-c", "import dataikuapi.govern_client"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "dataiku-api-client is not installed for {} (CI requires it)",
            python()
        );
        eprintln!(
            "skipping: dataiku-api-client not installed for {}",
            python()
        );
    }
    ok
}
