//! The official Python client, the tests' oracle: `$GOVSCRIPT_PYTHON`, else `.venv/` at
//! the project root, which is created on first use when missing.
//!
//! Creation happens at most once across test binaries running in parallel: readers hold
//! a shared lock on `venv.lock` (in cargo's `target/tmp`, which git ignores) while they
//! check the venv, the one builder an exclusive one. The venv is built in place (a venv cannot be moved: pip's scripts and `activate`
//! hold its path) and counts as ready only once `import dataikuapi.govern_client`
//! works, so a half-built one is never used: the next builder completes it.
use crate::common::root;
use std::fs::File;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;
use std::time::Instant;

/// What the venv gets, as in `.ci/run` (15.2.0 imports `six` without declaring it).
const PACKAGES: &[&str] = &["dataiku-api-client==15.2.0", "six"];

/// The interpreter with the Python client, or why there is none.
pub fn python_client() -> Result<PathBuf, String> {
    static FOUND: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    FOUND.get_or_init(find).clone()
}

/// The interpreter path (`.venv/bin/python` when none can be set up; running it fails).
pub fn python() -> String {
    python_client()
        .unwrap_or_else(|_| venv_python())
        .display()
        .to_string()
}

/// Whether the Python client can be used. When it cannot, a test is skipped, visibly
/// (a `SKIPPED:` line on stderr that `.ci/run` counts), and under CI fails.
pub fn python_client_available() -> bool {
    match python_client() {
        Ok(_) => true,
        Err(why) => {
            skip(&why);
            false
        }
    }
}

/// Reports the current test as skipped; fails it when `CI` is set.
pub fn skip(why: &str) {
    let test = std::thread::current()
        .name()
        .unwrap_or("a test")
        .to_string();
    assert!(
        std::env::var_os("CI").is_none(),
        "{test}: {why} (CI requires it)"
    );
    // Straight to the process's stderr, which libtest does not capture, in one write
    // so that no other output splits the line `.ci/run` counts.
    let _ = std::io::stderr().write_all(format!("SKIPPED: {test}: {why}\n").as_bytes());
}

fn venv_python() -> PathBuf {
    root().join(".venv/bin/python")
}

fn imports_client(python: &PathBuf) -> bool {
    Command::new(python)
        .args(["-c", "import dataikuapi.govern_client"])
        .output()
        .is_ok_and(|o| o.status.success())
}

fn find() -> Result<PathBuf, String> {
    if let Some(p) = std::env::var_os("GOVSCRIPT_PYTHON") {
        let p = PathBuf::from(p);
        return if imports_client(&p) {
            Ok(p)
        } else {
            Err(format!(
                "GOVSCRIPT_PYTHON={} cannot import dataikuapi",
                p.display()
            ))
        };
    }
    let python = venv_python();
    let lock_path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("venv.lock");
    let lock = File::create(&lock_path)
        .map_err(|e| format!("cannot create {}: {e}", lock_path.display()))?;
    lock.lock_shared()
        .map_err(|e| format!("cannot lock {}: {e}", lock_path.display()))?;
    if imports_client(&python) {
        return Ok(python);
    }
    lock.unlock()
        .map_err(|e| format!("cannot unlock {}: {e}", lock_path.display()))?;
    lock.lock()
        .map_err(|e| format!("cannot lock {}: {e}", lock_path.display()))?;
    // Another binary may have built it while this one waited.
    if imports_client(&python) {
        return Ok(python);
    }
    build(&python)?;
    if imports_client(&python) {
        Ok(python)
    } else {
        Err("the new .venv cannot import dataikuapi".into())
    }
}

/// Creates `.venv` (if it has no interpreter) and installs [`PACKAGES`] into it.
fn build(python: &PathBuf) -> Result<(), String> {
    let started = Instant::now();
    let venv = root().join(".venv");
    let _ = writeln!(
        std::io::stderr(),
        "govscript tests: setting up {} with {} (once)",
        venv.display(),
        PACKAGES.join(" ")
    );
    if !python.exists() {
        // `--clear`: a venv whose creation was interrupted has no interpreter yet.
        run(Command::new("python3")
            .args(["-m", "venv", "--clear"])
            .arg(&venv))?;
    }
    run(Command::new(python)
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
        ])
        // Fail fast without a package index rather than retry for minutes.
        .args(["--retries", "1", "--timeout", "20"])
        .args(PACKAGES))?;
    let _ = writeln!(
        std::io::stderr(),
        "govscript tests: {} ready in {:.1}s",
        venv.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn run(cmd: &mut Command) -> Result<(), String> {
    let shown = format!("{cmd:?}");
    let out = cmd
        .output()
        .map_err(|e| format!("cannot run {shown}: {e}"))?;
    if out.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    let tail: Vec<&str> = stderr.lines().rev().take(3).collect();
    Err(format!(
        "{shown} failed ({}): {}",
        out.status,
        tail.into_iter().rev().collect::<Vec<_>>().join(" | ")
    ))
}

/// Runs `tests/python/<script>` with `args` under the Python client and returns its
/// standard output; fails the test, showing both streams, if the script fails.
pub fn run_script(script: &str, args: &[&str]) -> String {
    let out = Command::new(python())
        .arg(root().join("tests/python").join(script))
        .args(args)
        .output()
        .expect("run python");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{script} failed\nstdout:\n{stdout}\nstderr:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// The `label <json>` lines of a parity script's output, in order; a value that is
/// no JSON is kept as a string.
pub fn labelled_results(stdout: &str) -> Vec<(String, serde_json::Value)> {
    stdout
        .lines()
        .filter_map(|l| l.split_once(' '))
        .map(|(label, json)| {
            let value = serde_json::from_str(json)
                .unwrap_or_else(|_| serde_json::Value::String(json.into()));
            (label.to_string(), value)
        })
        .collect()
}

/// The `RESULT <json>` line of a parity script's output.
pub fn result_line(output: &str) -> serde_json::Value {
    let line = output
        .lines()
        .find_map(|l| l.strip_prefix("RESULT "))
        .unwrap_or_else(|| panic!("no RESULT line in:\n{output}"));
    serde_json::from_str(line).expect("RESULT is JSON")
}
