//! A builder for one `govscript run` of the real binary on a script.
use crate::common::{bin, process};
use std::io::Read;
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// Builder for one run of the real binary on a script.
pub struct Run {
    source: String,
    args: Vec<String>,
    script_args: Vec<String>,
    env: Vec<(String, String)>,
    dir: tempfile::TempDir,
    /// Whether the run keeps its audit log (off unless asked: the identity read it
    /// adds would show in the request sequences other tests compare).
    audit: bool,
}

/// What a run produced.
#[derive(Debug)]
pub struct Ran {
    /// Exit code (-1 when killed by a signal).
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
            audit: false,
        }
    }

    /// Adds a govscript flag.
    pub fn arg(mut self, a: &str) -> Self {
        self.args.push(a.to_string());
        self
    }

    /// Keeps the run's audit log (by default runs get `--no-audit`).
    pub fn audit(mut self) -> Self {
        self.audit = true;
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

    /// The command, with the script written to the run's temp dir.
    fn command(&self) -> Command {
        let path = self.dir.path().join("script.rhai");
        std::fs::write(&path, &self.source).expect("write script");
        let mut cmd = Command::new(bin());
        cmd.arg("run").args(&self.args);
        if !self.audit {
            cmd.arg("--no-audit");
        }
        cmd.arg(&path);
        if !self.script_args.is_empty() {
            cmd.arg("--").args(&self.script_args);
        }
        for k in ["GOVERN_HOST", "GOVERN_API_KEY", "GOVERN_PROFILE"] {
            cmd.env_remove(k);
        }
        cmd.env("GOVSCRIPT_CONFIG", self.dir.path().join("no-config.toml"));
        // The default audit log goes to the run's folder, not the user's state folder.
        cmd.env("XDG_STATE_HOME", self.dir.path().join("state"));
        cmd.env_remove("GOVSCRIPT_AUDIT_LOG");
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        hangup_at_default(&mut cmd);
        cmd
    }

    /// Runs and returns the outcome.
    pub fn run(self) -> Ran {
        Ran::from(self.command().output().expect("run govscript"))
    }

    /// Runs and asserts success, returning stdout.
    pub fn ok(self) -> String {
        self.exits(0).stdout
    }

    /// Runs and asserts the exit code, showing the output if it differs.
    pub fn exits(self, code: i32) -> Ran {
        let ran = self.run();
        assert_eq!(
            ran.code, code,
            "unexpected exit code\nstdout:\n{}\nstderr:\n{}",
            ran.stdout, ran.stderr
        );
        ran
    }

    /// Starts the run in the background (for signals).
    pub fn spawn(self) -> Running {
        let mut child = self
            .command()
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start govscript run");
        let stdout: Arc<Mutex<Vec<u8>>> = Arc::default();
        let mut pipe = child.stdout.take().expect("piped stdout");
        let sink = stdout.clone();
        let reader = std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = pipe.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .expect("stdout lock")
                    .extend_from_slice(&buf[..n]);
            }
        });
        Running {
            child: Some(child),
            stdout,
            reader: Some(reader),
            _run: self,
        }
    }
}

impl From<Output> for Ran {
    fn from(out: Output) -> Self {
        Self {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

/// A run in the background; killed on drop if still running. A thread reads its
/// standard output as it comes, so the script never blocks on a full pipe.
pub struct Running {
    child: Option<Child>,
    /// Standard output so far.
    stdout: Arc<Mutex<Vec<u8>>>,
    /// The thread reading standard output; ends at end of file.
    reader: Option<JoinHandle<()>>,
    // Holds the script's temp dir until the run ends.
    _run: Run,
}

impl Running {
    fn child(&mut self) -> &mut Child {
        self.child.as_mut().expect("child not yet reaped")
    }

    /// The process id.
    pub fn pid(&mut self) -> u32 {
        self.child().id()
    }

    /// Sends `signal` (`-9`, `-TERM`, `-INT`) to the run.
    pub fn signal(&mut self, signal: &str) {
        let status = Command::new("kill")
            .args([signal, &self.pid().to_string()])
            .status()
            .expect("run kill");
        assert!(status.success(), "kill {signal} failed");
    }

    /// Waits until stdout shows `line` (so the script is known to be running); fails
    /// if the run ends first, or after [`process::HANG`].
    pub fn wait_for_line(&mut self, line: &str) {
        let (stdout, child) = (&self.stdout, &mut self.child);
        let exited = process::wait_until(
            process::HANG,
            || {
                if printed(stdout, line) {
                    return Some(None);
                }
                let child = child.as_mut().expect("child not yet reaped");
                child.try_wait().expect("poll child").map(Some)
            },
            || format!("{line:?} on stdout; so far: {:?}", text(stdout)),
        );
        if let Some(status) = exited {
            // Everything it printed is read once the reader reaches the end.
            self.join_reader();
            assert!(
                printed(&self.stdout, line),
                "run ended ({status}) before printing {line:?}; stdout: {:?}",
                text(&self.stdout)
            );
        }
    }

    fn join_reader(&mut self) {
        if let Some(reader) = self.reader.take() {
            let _ = reader.join();
        }
    }

    /// Waits up to `limit` for the process to end; kills it and panics if it does not.
    pub fn wait_within(mut self, limit: Duration) -> Ran {
        let mut child = self.child.take().expect("child not yet reaped");
        let ended = process::poll_until(limit, || child.try_wait().expect("poll child"));
        if ended.is_none() {
            let _ = child.kill();
        }
        let mut ran = Ran::from(child.wait_with_output().expect("reap child"));
        self.join_reader();
        ran.stdout = text(&self.stdout);
        assert!(ended.is_some(), "still running after {limit:?}: {ran:?}");
        ran
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(child) = self.child.as_mut() {
            process::kill(child);
        }
    }
}

/// Output collected so far, as text.
fn text(output: &Mutex<Vec<u8>>) -> String {
    String::from_utf8_lossy(&output.lock().expect("output lock")).into_owned()
}

/// Whether `output` holds `line` as a complete line.
fn printed(output: &Mutex<Vec<u8>>, line: &str) -> bool {
    text(output)
        .split_inclusive('\n')
        .any(|l| l.strip_suffix('\n') == Some(line))
}

/// The JSON a script printed on the line starting with `marker` (`print(`ROWS ${to_json(x)}`)`
/// → `printed_json(&out, "ROWS ")`); fails the test if there is none or it is no JSON.
pub fn printed_json(out: &str, marker: &str) -> serde_json::Value {
    let line = out
        .lines()
        .find_map(|l| l.strip_prefix(marker))
        .unwrap_or_else(|| panic!("no {marker:?} line in:\n{out}"));
    serde_json::from_str(line).unwrap_or_else(|e| panic!("{marker}: {e}: {line}"))
}

/// Starts `cmd` with SIGHUP at its default disposition, as from a terminal. A test
/// suite started under `nohup` hands its children an ignored SIGHUP, which govscript
/// then rightly leaves alone (`a_run_under_nohup_is_not_stopped_by_sighup`): the tests
/// that send SIGHUP would fail for where they were started, not for what they test.
pub fn hangup_at_default(cmd: &mut Command) {
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        // SAFETY: `signal` is async-signal-safe, as a `pre_exec` closure must be.
        unsafe {
            cmd.pre_exec(|| {
                libc::signal(libc::SIGHUP, libc::SIG_DFL);
                Ok(())
            });
        }
    }
}
