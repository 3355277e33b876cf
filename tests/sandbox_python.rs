//! Runs `tests/python/sandbox_conformance.py` (the official Python client, unmodified)
//! against a fresh demo sandbox.
//!
//! Interpreter: `$GOVSCRIPT_PYTHON`, else `.venv/bin/python`, else `/work/venv/bin/python` if present, else
//! `python3`. If `dataikuapi` cannot be imported the test fails when `CI` is set and is
//! skipped (with a notice) otherwise.
mod sandbox_support;

use std::path::Path;
use std::process::Command;

fn interpreter() -> String {
    if let Ok(p) = std::env::var("GOVSCRIPT_PYTHON") {
        return p;
    }
    let local = Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/python");
    if local.exists() {
        return local.display().to_string();
    }
    if Path::new("/work/venv/bin/python").exists() {
        return "/work/venv/bin/python".to_string();
    }
    "python3".to_string()
}

#[test]
fn official_python_client_drives_the_sandbox() {
    let python = interpreter();
    let probe = Command::new(&python)
        .args(["-c", "import dataikuapi"])
        .output();
    if !probe.as_ref().is_ok_and(|o| o.status.success()) {
        let msg = format!("cannot import dataikuapi with {python}: {probe:?}");
        if std::env::var_os("CI").is_some() {
            panic!("{msg}");
        }
        eprintln!("SKIPPED official_python_client_drives_the_sandbox: {msg}");
        return;
    }
    let (_d, db) = sandbox_support::temp_db();
    let key = "python-conformance-key";
    let sb = sandbox_support::start(&db, Some(key), &[]);
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python/sandbox_conformance.py");
    let out = Command::new(&python)
        .arg(&script)
        .arg(format!("http://{}", sb.addr))
        .arg(key)
        .output()
        .expect("run python");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{stdout}");
    assert!(
        out.status.success(),
        "conformance script failed\nstdout:\n{stdout}\nstderr:\n{stderr}"
    );
    assert!(stdout.contains("checks passed"), "{stdout}");
}
