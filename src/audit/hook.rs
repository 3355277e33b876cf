//! The audit log as an operation hook: every mutating operation that was sent is
//! appended once, with its outcome, whatever its retries.
//!
//! The acting identity is read once per client (`GET /auth/info`), after its first
//! mutation (read before, it would widen the window between a merge-save's read and
//! its write); a change that disables the acting key itself records it as unknown. When the log cannot be opened or written, the operation being recorded
//! has happened (it is reported on stderr) but every later mutation of the run is
//! refused: changes are never made unrecorded.
use super::log::{Appended, AuditLog};
use super::time;
use crate::client::operation::{Decision, HookFuture, OpKind, OperationCall, Outcome};
use crate::client::{GovernError, OperationHook, Result};
use serde_json::{Map, Value, json};
use std::sync::Mutex;

/// What every record of a run says about the run.
#[derive(Debug, Clone)]
pub struct RunInfo {
    /// The script as given (`-` read from standard input shows as `<stdin>`; a REPL
    /// entry is `<repl>`).
    pub script: String,
    /// SHA-256 (hex) of the script's text (of the entry, in the REPL).
    pub script_sha256: String,
    /// The file a watch handler ran for (`None` outside `watch`).
    pub file: Option<String>,
}

impl RunInfo {
    /// The run of `source`, named `script`.
    pub fn new(script: impl Into<String>, source: &str) -> Self {
        Self {
            script: script.into(),
            script_sha256: super::record::sha256_hex(source.as_bytes()),
            file: None,
        }
    }
}

/// The records a run appended: its first and last (its chain head), and how many.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunHead {
    /// The run's first record.
    pub first: Appended,
    /// The run's last record: the head of the chain when the run ended.
    pub last: Appended,
    /// How many records the run appended.
    pub records: usize,
}

/// Appends each mutating operation to an [`AuditLog`].
#[derive(Debug)]
pub struct AuditHook {
    log: AuditLog,
    run: Mutex<RunInfo>,
    /// Why the log cannot be written, once it could not be.
    failed: Mutex<Option<String>>,
    /// What this run appended so far.
    head: Mutex<Option<RunHead>>,
}

impl AuditHook {
    /// A hook appending to `log` for the run `run`.
    pub fn new(log: AuditLog, run: RunInfo) -> Self {
        Self {
            log,
            run: Mutex::new(run),
            failed: Mutex::new(None),
            head: Mutex::new(None),
        }
    }

    /// What this run appended, if anything. `--audit-to-govern` writes it into Govern
    /// at the end of the run (see [`super::anchor`]).
    pub fn head(&self) -> Option<RunHead> {
        self.head.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// The log this hook appends to.
    pub fn log(&self) -> &AuditLog {
        &self.log
    }

    /// The run as records name it now.
    pub fn run(&self) -> RunInfo {
        self.run.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Names the run anew: each REPL entry is a run of its own text.
    pub fn set_run(&self, run: RunInfo) {
        *self.run.lock().unwrap_or_else(|p| p.into_inner()) = run;
    }

    fn appended(&self, record: Appended) {
        let mut head = self.head.lock().unwrap_or_else(|p| p.into_inner());
        *head = Some(match head.take() {
            None => RunHead {
                first: record.clone(),
                last: record,
                records: 1,
            },
            Some(h) => RunHead {
                first: h.first,
                last: record,
                records: h.records + 1,
            },
        });
    }

    fn fail(&self, why: String) {
        eprintln!(
            "govscript: cannot write the audit log {}: {why}; further changes are refused",
            self.log.path().display()
        );
        *self.failed.lock().unwrap_or_else(|p| p.into_inner()) = Some(why);
    }

    /// The record of `op`, which ended with `outcome`.
    fn record(
        &self,
        op: &OperationCall<'_>,
        identity: String,
        outcome: Outcome<'_>,
    ) -> Map<String, Value> {
        let request = op.request;
        let answer = match outcome {
            Outcome::Sent(Ok(answer)) | Outcome::Answered(answer) => Some(answer),
            Outcome::Sent(Err(_)) => None,
        };
        let mut targets: Vec<Value> = op.targets.iter().map(|t| json!(t)).collect();
        if let Some(id) = answer.and_then(created_id)
            && !op.targets.iter().any(|t| t == id)
        {
            targets.push(json!(id));
        }
        // What was asked to be stored: the same shape as the pre-image.
        let after = request.body.as_ref();
        let masked = |v: Option<&Value>| v.map_or(Value::Null, super::record::masked);
        let run = self.run();
        let mut record = json!({
            "time": time::format(std::time::SystemTime::now()),
            "script": run.script,
            "script_sha256": run.script_sha256,
            "host": op.client.host(),
            "identity": identity,
            "call": op.call,
            "method": request.method.as_str(),
            "path": crate::client::secrets::redact(&request.target()),
            "targets": targets,
            "before": masked(op.pre_image),
            "after": masked(after),
            "outcome": outcome_of(outcome),
        });
        if let (Some(file), Some(map)) = (run.file, record.as_object_mut()) {
            map.insert("file".into(), Value::String(file));
        }
        match record {
            Value::Object(map) => map,
            _ => Map::new(),
        }
    }
}

/// The id a creation's answer gives: its `id`, else its first `...Id` string
/// (`artifactId`).
fn created_id(answer: &Value) -> Option<&str> {
    let map = answer.as_object()?;
    map.get("id").and_then(Value::as_str).or_else(|| {
        map.iter()
            .find(|(k, v)| k.ends_with("Id") && v.is_string())
            .and_then(|(_, v)| v.as_str())
    })
}

/// `{"ok": true}`, or the error: status, Govern's error type and message.
fn outcome_of(outcome: Outcome<'_>) -> Value {
    match outcome {
        Outcome::Sent(Ok(_)) | Outcome::Answered(_) => json!({"ok": true}),
        Outcome::Sent(Err(e)) => {
            let message = crate::client::secrets::redact(&e.kind.to_string()).into_owned();
            json!({
                "ok": false,
                "status": e.status(),
                "error_type": e.error_type(),
                "message": message,
                "outcome_unknown": e.outcome_unknown(),
            })
        }
    }
}

impl OperationHook for AuditHook {
    fn before<'a>(&'a self, op: &'a OperationCall<'a>) -> HookFuture<'a, Result<Decision>> {
        Box::pin(async move {
            if op.kind != OpKind::Mutate {
                return Ok(Decision::Send);
            }
            let failed = self
                .failed
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .clone();
            if let Some(why) = failed {
                return Err(refused(op.call, &self.log, &why));
            }
            if let Err(e) = self.log.open() {
                self.fail(e.to_string());
                return Err(refused(op.call, &self.log, &e.to_string()));
            }
            Ok(Decision::Send)
        })
    }

    fn after<'a>(&'a self, op: &'a OperationCall<'a>, outcome: Outcome<'a>) -> HookFuture<'a, ()> {
        Box::pin(async move {
            // Only what was sent is a change made; a planned answer is not.
            if op.kind != OpKind::Mutate || matches!(outcome, Outcome::Answered(_)) {
                return;
            }
            let identity = match op.client.acting_identity().await {
                Ok(who) => who,
                Err(e) => format!("unknown ({})", e.kind),
            };
            let record = self.record(op, identity, outcome);
            match self.log.append(record) {
                Ok(appended) => self.appended(appended),
                Err(e) => self.fail(e.to_string()),
            }
        })
    }
}

fn refused(call: &str, log: &AuditLog, why: &str) -> GovernError {
    GovernError::local(
        call,
        format!(
            "not sent: the audit log {} cannot be written ({why})",
            log.path().display()
        ),
    )
}
