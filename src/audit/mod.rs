//! The local audit log: every change a run made, hash-chained (issue 15 §3).
//!
//! `govscript run` appends one JSON line per mutating operation it sent ([`hook`]):
//! time, script and its SHA-256, host, acting identity, call, method, path, target
//! ids, before/after documents (secrets masked), outcome, and the chain fields `prev`
//! and `hash` ([`record`]). [`log`] appends safely; [`chain`] verifies; [`show`]
//! filters. The chain shows edits, removals, insertions and reorderings to anyone who
//! did not recompute every later hash; anchoring each run's head outside the file
//! (Govern's custom audit, `--audit-to-govern`, [`anchor`]) shows a rewritten or cut
//! tail too ([`against`]). `watch` and the REPL are audited like `run`.
pub mod against;
pub mod anchor;
pub mod chain;
pub mod hook;
pub mod log;
pub mod record;
pub mod show;
pub mod time;

use std::path::PathBuf;

/// The default log: `$XDG_STATE_HOME/govscript/audit.jsonl`, else
/// `~/.local/state/govscript/audit.jsonl` (`None` without a home folder).
pub fn default_path() -> Option<PathBuf> {
    let state = std::env::var_os("XDG_STATE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| dirs::home_dir().map(|h| h.join(".local").join("state")))?;
    Some(state.join("govscript").join("audit.jsonl"))
}
