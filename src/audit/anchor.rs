//! Anchoring a run's chain head outside the log: `--audit-to-govern` on `run`, on
//! `watch` (each handled file's run) and on `repl` (the session, at exit).
//!
//! The chain shows any edit to someone who did not recompute the later hashes; an
//! attacker who rewrites the tail and recomputes them, or truncates it, leaves a
//! chain that holds. At the end of a run that appended records, its head is written
//! into Govern's audit trail with `log_custom_audit` (Python's
//! `GovernClient.log_custom_audit`, `POST /admin/audit/custom/{type}`): an entry of
//! `customMsgType` [`CUSTOM_TYPE`] whose `customMsgParams` is an [`Anchor`]. It names
//! the log, the run's first and last records (line number and hash), how many it
//! appended and the script's SHA-256; never a key. `audit verify --against-govern`
//! ([`super::against`]) reads these entries back and checks each against the file.
use super::hook::AuditHook;
use super::log::line_number;
use crate::client::{ClientConfig, GovernClient, OperationHooks};
use serde::{Deserialize, Serialize};
use std::io::{self, BufRead};
use std::path::Path;

/// The `customMsgType` of the entries `--audit-to-govern` writes.
pub const CUSTOM_TYPE: &str = "govscript-audit-head";

/// Exit code of a run whose changes were made and logged locally but whose chain head
/// could not be written into Govern (the script itself succeeded).
pub const EXIT_NOT_ANCHORED: i32 = 3;

/// One run's chain head as Govern keeps it (`customMsgParams`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Anchor {
    /// The shape's version (1).
    pub version: u64,
    /// The log's absolute path on the machine that wrote it.
    pub log: String,
    /// The hash of the log's first record: names the log wherever it is copied.
    pub log_id: String,
    /// The host name of the machine that wrote it.
    pub machine: String,
    /// The hash of the run's first record.
    pub first: String,
    /// Its 1-based line number.
    pub first_line: usize,
    /// The hash of the run's last record: the chain's head when the run ended.
    pub head: String,
    /// Its 1-based line number.
    pub line: usize,
    /// How many records the run appended (other runs may have appended in between).
    pub records: usize,
    /// The script (`<repl>`, `<stdin>` or its absolute path).
    pub script: String,
    /// The script's SHA-256.
    pub script_sha256: String,
    /// When the run ended (UTC).
    pub time: String,
}

/// The anchor of what `hook`'s run appended (`None` when it appended nothing).
pub fn of(hook: &AuditHook) -> io::Result<Option<Anchor>> {
    let Some(head) = hook.head() else {
        return Ok(None);
    };
    let path = hook.log().path();
    let absolute = std::fs::canonicalize(path)?;
    let run = hook.run();
    Ok(Some(Anchor {
        version: 1,
        log: absolute.display().to_string(),
        log_id: first_hash(path)?.unwrap_or_else(|| head.first.hash.clone()),
        machine: machine(),
        first_line: line_number(path, head.first.offset)?,
        first: head.first.hash,
        line: line_number(path, head.last.offset)?,
        head: head.last.hash,
        records: head.records,
        script: run.script,
        script_sha256: run.script_sha256,
        time: super::time::format(std::time::SystemTime::now()),
    }))
}

/// The hash of the first record of the log at `path`, if it has one.
pub fn first_hash(path: &Path) -> io::Result<Option<String>> {
    let mut line = Vec::new();
    io::BufReader::new(std::fs::File::open(path)?).read_until(b'\n', &mut line)?;
    Ok(hash_in(&line))
}

/// The `hash` of the record `line`, if it is one.
pub fn hash_in(line: &[u8]) -> Option<String> {
    let record = super::chain::parse(line.strip_suffix(b"\n").unwrap_or(line)).ok()?;
    record.get("hash")?.as_str().map(str::to_string)
}

/// This machine's host name (`unknown` when it cannot be read).
pub fn machine() -> String {
    ["/proc/sys/kernel/hostname", "/etc/hostname"]
        .iter()
        .find_map(|p| std::fs::read_to_string(p).ok())
        .map(|name| name.trim().to_string())
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| "unknown".into())
}

/// A client writing anchors through `connection`: as the key itself (no
/// impersonation) and without operation hooks (an anchor is no change of the run's to
/// log). Errors are one line, key-free.
pub fn client(connection: &ClientConfig) -> Result<GovernClient, String> {
    let mut config = connection.clone();
    config.operation_hooks = OperationHooks::default();
    config.proxy_user = None;
    GovernClient::new(config).map_err(|e| e.to_string())
}

/// Writes `anchor` into Govern through `client` (see [`client`]). Errors are one
/// line, key-free.
pub fn write(
    runtime: &tokio::runtime::Handle,
    client: &GovernClient,
    anchor: &Anchor,
) -> Result<(), String> {
    let params = serde_json::to_value(anchor).map_err(|e| e.to_string())?;
    runtime
        .block_on(client.log_custom_audit(CUSTOM_TYPE, params))
        .map_err(|e| crate::client::secrets::redact(&e.to_string()).into_owned())
}

/// Writes the head of what `hook`'s run appended into Govern through `client`;
/// `Ok(None)` when the run appended nothing (nothing is written). The error says why
/// the head was not written, in one key-free line; the local log is never touched.
pub fn anchor_run(
    runtime: &tokio::runtime::Handle,
    client: Result<GovernClient, String>,
    hook: &AuditHook,
) -> Result<Option<Anchor>, String> {
    let Some(anchor) = of(hook).map_err(|e| format!("cannot read the log: {e}"))? else {
        return Ok(None);
    };
    write(runtime, &client?, &anchor)?;
    Ok(Some(anchor))
}

/// One line saying `anchor` was recorded in Govern.
pub fn recorded(anchor: &Anchor) -> String {
    format!(
        "audit head {} (line {} of {}) recorded in Govern",
        anchor.head.get(..12).unwrap_or(&anchor.head),
        anchor.line,
        anchor.log
    )
}

/// One line saying the head of `hook`'s run was not recorded in Govern, and why.
pub fn not_recorded(hook: &AuditHook, why: &str) -> String {
    format!(
        "the audit head was not recorded in Govern: {why} (the local log {} keeps every \
         record)",
        hook.log().path().display()
    )
}

/// Ends an audited run or REPL session: when it appended records, writes its head into
/// Govern and says so on stderr (unless `quiet`). Returns the exit code: `code`, or
/// [`EXIT_NOT_ANCHORED`] when a successful run's head could not be written (the
/// reason goes to stderr). The local log is never touched here.
pub fn finish_run(
    runtime: &tokio::runtime::Handle,
    connection: &Result<ClientConfig, String>,
    hook: &AuditHook,
    code: i32,
    quiet: bool,
) -> i32 {
    let client = match connection {
        Ok(c) => client(c),
        Err(why) => Err(why.clone()),
    };
    match anchor_run(runtime, client, hook) {
        Ok(None) => code,
        Ok(Some(anchor)) => {
            if !quiet {
                eprintln!("govscript: {}", recorded(&anchor));
            }
            code
        }
        Err(why) => {
            eprintln!("govscript: {}", not_recorded(hook, &why));
            if code == 0 { EXIT_NOT_ANCHORED } else { code }
        }
    }
}
