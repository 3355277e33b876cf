//! Checking a log against the heads Govern recorded: `audit verify --against-govern`.
//!
//! Govern's public API reads the audit trail back through its logs: Python's
//! `GovernClient.list_logs()` (`GET /admin/logs/`) names the log files and
//! `get_log(name)` (`GET /admin/logs/{name}`) answers one's content, as a JSON string;
//! both need an admin key. Every log whose name contains `audit` is read, and every
//! entry found in it whose `customMsgType` is [`CUSTOM_TYPE`] is an [`Anchor`],
//! wherever it sits in the line (a line may carry a prefix before its JSON, and the
//! entry may be nested, as `{"message": {...}}`).
//!
//! The anchors of this log are those whose `log_id` is the hash of the file's first
//! record, or that were written on this machine for this path (so a log rewritten
//! from its first line on is still matched). Each must find its two records, at
//! their lines, with their hashes: since the file's chain holds, a hash found at its
//! line vouches for every line before it, and a hash that differs, or a line past the
//! end, shows a tail rewritten with recomputed hashes, or cut off.
use super::anchor::{Anchor, CUSTOM_TYPE, hash_in};
use super::chain::{Broken, lines};
use crate::client::GovernClient;
use serde_json::Value;
use std::path::Path;

/// The anchors found in Govern's audit logs.
pub async fn fetch(client: &GovernClient) -> Result<Vec<Anchor>, String> {
    let names = client.list_logs().await.map_err(|e| e.to_string())?;
    let names: Vec<String> = names
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let audit: Vec<&String> = names
        .iter()
        .filter(|n| n.to_ascii_lowercase().contains("audit"))
        .collect();
    if audit.is_empty() {
        return Err(format!(
            "Govern lists no audit log (list_logs: {})",
            names.join(", ")
        ));
    }
    let mut anchors = Vec::new();
    for name in audit {
        let content = client.get_log(name).await.map_err(|e| e.to_string())?;
        let text = match &content {
            Value::String(s) => s.clone(),
            Value::Array(items) => items
                .iter()
                .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_string))
                .collect::<Vec<_>>()
                .join("\n"),
            other => other.to_string(),
        };
        anchors.extend(in_log(&text));
    }
    Ok(anchors)
}

/// The anchors in a log's text (one entry per line).
pub fn in_log(text: &str) -> Vec<Anchor> {
    let mut found = Vec::new();
    for line in text.lines() {
        let Some(start) = line.find('{') else {
            continue;
        };
        if let Ok(entry) = serde_json::from_str::<Value>(&line[start..]) {
            collect(&entry, &mut found);
        }
    }
    found
}

fn collect(value: &Value, found: &mut Vec<Anchor>) {
    match value {
        Value::Object(map) => {
            if map.get("customMsgType").and_then(Value::as_str) == Some(CUSTOM_TYPE) {
                let params = map.get("customMsgParams").unwrap_or(value);
                if let Ok(anchor) = serde_json::from_value::<Anchor>(params.clone()) {
                    found.push(anchor);
                }
                return;
            }
            map.values().for_each(|v| collect(v, found));
        }
        Value::Array(items) => items.iter().for_each(|v| collect(v, found)),
        _ => {}
    }
}

/// The anchors of `anchors` that belong to the log `text` read from `path`.
pub fn of_log<'a>(anchors: &'a [Anchor], text: &[u8], path: &Path) -> Vec<&'a Anchor> {
    let first = lines(text).0.first().and_then(|(_, l)| hash_in(l));
    let absolute = std::fs::canonicalize(path)
        .map(|p| p.display().to_string())
        .ok();
    let machine = super::anchor::machine();
    anchors
        .iter()
        .filter(|a| {
            first.as_deref() == Some(a.log_id.as_str())
                || (a.machine == machine && absolute.as_deref() == Some(a.log.as_str()))
        })
        .collect()
}

/// Checks the log `text` (whose chain holds) against `anchors`: the first line where
/// one of them is not found.
pub fn check(text: &[u8], anchors: &[&Anchor]) -> Result<(), Broken> {
    let (complete, _) = lines(text);
    let mut broken: Vec<Broken> = Vec::new();
    for anchor in anchors {
        let run = format!("the run of {} at {}", anchor.script, anchor.time);
        for (line, hash) in [
            (anchor.first_line, &anchor.first),
            (anchor.line, &anchor.head),
        ] {
            let found = line
                .checked_sub(1)
                .and_then(|i| complete.get(i))
                .map(|(_, l)| hash_in(l));
            let why = match found {
                None => format!(
                    "Govern holds a record of {run} here (hash {}), but the log ends at \
                     line {}: records were cut off its end",
                    short(hash),
                    complete.len()
                ),
                Some(h) if h.as_deref() == Some(hash.as_str()) => continue,
                Some(h) => format!(
                    "Govern holds hash {} for this line ({run}), the log has {}: the log \
                     was rewritten (hashes recomputed) at or before this line",
                    short(hash),
                    short(h.as_deref().unwrap_or("none"))
                ),
            };
            broken.push(Broken { line, why });
        }
    }
    match broken.into_iter().min_by_key(|b| b.line) {
        Some(first) => Err(first),
        None => Ok(()),
    }
}

fn short(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn anchor(first_line: usize, line: usize) -> Anchor {
        Anchor {
            version: 1,
            log: "/l".into(),
            log_id: "id".into(),
            machine: "m".into(),
            first: "a".into(),
            first_line,
            head: "b".into(),
            line,
            records: 2,
            script: "s.rhai".into(),
            script_sha256: "0".into(),
            time: "t".into(),
        }
    }

    #[test]
    fn anchors_are_found_flat_nested_and_after_a_prefix() {
        let params = serde_json::to_value(anchor(1, 2)).expect("json");
        let flat = json!({"msgType": "custom", "customMsgType": CUSTOM_TYPE,
                          "customMsgParams": params});
        let nested = json!({"message": {"customMsgType": CUSTOM_TYPE,
                                        "customMsgParams": params}});
        let other = json!({"customMsgType": "other", "customMsgParams": params});
        let text = format!("{flat}\n[2026-11-30 INFO] audit - {nested}\n{other}\nnot json\n");
        assert_eq!(in_log(&text), vec![anchor(1, 2), anchor(1, 2)]);
    }

    #[test]
    fn a_changed_hash_and_a_missing_line_are_named() {
        let line = |hash: &str| format!("{}\n", json!({"hash": hash, "prev": "p"}));
        let text = [line("a"), line("x"), line("b")].concat();
        assert_eq!(check(text.as_bytes(), &[&anchor(1, 3)]), Ok(()));
        let broken = check(text.as_bytes(), &[&anchor(1, 2)]).expect_err("rewritten");
        assert_eq!(broken.line, 2);
        assert!(broken.why.contains("rewritten"), "{broken}");
        let broken = check(text.as_bytes(), &[&anchor(1, 5)]).expect_err("cut");
        assert_eq!(broken.line, 5);
        assert!(broken.why.contains("ends at line 3"), "{broken}");
    }
}
