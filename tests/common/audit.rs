//! Audit logs in tests: their records, `govscript audit ...`, and an attacker's
//! rewrite (records edited and every later hash recomputed, as
//! `src/audit/record.rs` defines them, written again here from that definition).
use super::bin;
use serde_json::Value;
use std::path::Path;
use std::process::Command;

/// The records of `log`, parsed.
pub fn records(log: &Path) -> Vec<Value> {
    std::fs::read_to_string(log)
        .expect("read the audit log")
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON record"))
        .collect()
}

/// The lines of `log`, each with its newline.
pub fn lines(log: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(log).expect("read the audit log");
    text.split_inclusive('\n').map(str::to_string).collect()
}

/// Lowercase hex SHA-256 of `text`.
pub fn sha256_hex(text: &str) -> String {
    ring::digest::digest(&ring::digest::SHA256, text.as_bytes())
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `govscript audit ARGS` (no connection from the environment): exit code, stdout,
/// stderr.
pub fn audit(args: &[&str]) -> (i32, String, String) {
    let mut cmd = Command::new(bin());
    cmd.arg("audit").args(args);
    for k in ["GOVERN_HOST", "GOVERN_API_KEY", "GOVERN_PROFILE"] {
        cmd.env_remove(k);
    }
    cmd.env("GOVSCRIPT_CONFIG", "/nonexistent/govscript-config.toml");
    let out = cmd.output().expect("run govscript audit");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `govscript audit verify LOG`.
pub fn verify(log: &Path) -> (i32, String, String) {
    audit(&["verify", log.to_str().expect("utf-8 path")])
}

/// `govscript audit verify LOG --against-govern` against `sandbox` (its admin key).
pub fn verify_against(sandbox: &super::Sandbox, log: &Path) -> (i32, String, String) {
    let log = log.to_str().expect("utf-8 path");
    audit(&[
        "verify",
        log,
        "--against-govern",
        "--host",
        &sandbox.url,
        "--api-key",
        &sandbox.key,
    ])
}

/// The `customMsgParams` of the audit heads in `sandbox`'s audit trail, read back with
/// the official Python client (`tests/python/audit_heads.py`).
pub fn heads_in_govern(sandbox: &super::Sandbox) -> Vec<Value> {
    use super::python::{result_line, run_script};
    let read = result_line(&run_script("audit_heads.py", &[&sandbox.url, &sandbox.key]));
    let entries = read["entries"].as_array().expect("entries");
    entries
        .iter()
        .map(|e| e["customMsgParams"].clone())
        .collect()
}

/// JSON with object keys sorted at every depth, no whitespace.
fn canonical(value: &Value) -> String {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let fields: Vec<String> = keys
                .into_iter()
                .map(|k| format!("{}:{}", Value::String(k.clone()), canonical(&map[k])))
                .collect();
            format!("{{{}}}", fields.join(","))
        }
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(canonical).collect();
            format!("[{}]", items.join(","))
        }
        scalar => scalar.to_string(),
    }
}

/// Re-chains `lines` from index `from` on, as an attacker would after editing them:
/// each record's `prev` set to the hash before it and its `hash` recomputed, so that
/// `audit verify` alone finds the chain intact.
pub fn rechain(lines: &mut [String], from: usize) {
    let genesis = "0".repeat(64);
    for i in from..lines.len() {
        let prev = match i {
            0 => genesis.clone(),
            _ => {
                let before: Value = serde_json::from_str(&lines[i - 1]).expect("json");
                before["hash"].as_str().expect("hash").to_string()
            }
        };
        let mut record: Value = serde_json::from_str(&lines[i]).expect("json");
        let map = record.as_object_mut().expect("a record");
        map.remove("hash");
        map.insert("prev".into(), Value::String(prev));
        let hash = sha256_hex(&canonical(&record));
        record["hash"] = Value::String(hash);
        lines[i] = format!("{record}\n");
    }
}
