//! What `apply` compares: an object now against the pre-image the plan was based on
//! (drift), and an object after a change against what was sent (values the server
//! dropped or changed silently).
use super::file::{Change, Effect};
use super::render::{dotted, leaves, show};
use serde_json::Value;

/// How many differences a drift message names before `and N more`.
const NAMED: usize = 5;

/// How `now` differs from `expected`, as `path: expected → now` lines (none: same).
pub fn drift(expected: &Value, now: &Value) -> Vec<String> {
    let patch = json_patch::diff(expected, now);
    patch
        .0
        .iter()
        .map(|op| {
            let path = op.path().to_string();
            let was = expected.pointer(&path).map_or("(absent)".into(), show);
            let is = now.pointer(&path).map_or("(absent)".into(), show);
            format!("{}: {was} → {is}", dotted(&path))
        })
        .collect()
}

/// `lines` joined, the first [`NAMED`] of them, then how many more.
pub fn named(lines: &[String]) -> String {
    let mut out = lines
        .iter()
        .take(NAMED)
        .cloned()
        .collect::<Vec<_>>()
        .join("; ");
    if lines.len() > NAMED {
        out.push_str(&format!("; and {} more", lines.len() - NAMED));
    }
    out
}

/// One value the server did not store as sent.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Silent {
    /// Dotted path (`fields.owner`).
    pub path: String,
    /// What was sent.
    pub sent: Value,
    /// What the server holds (`null` with `dropped`).
    pub stored: Value,
    /// The server holds nothing at that path.
    pub dropped: bool,
}

impl std::fmt::Display for Silent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.dropped {
            write!(
                f,
                "{}: sent {}, stored nothing",
                self.path,
                show(&self.sent)
            )
        } else {
            write!(
                f,
                "{}: sent {}, stored {}",
                self.path,
                show(&self.sent),
                show(&self.stored)
            )
        }
    }
}

/// The JSON pointers of the values `change` asked for: each value its patch sets (for
/// a creation, every value of the created document but its id), down to the leaves.
fn asked(change: &Change, planned: &Value) -> Vec<(String, Option<Value>)> {
    let mut out = Vec::new();
    if change.effect == Effect::Create {
        let mut all = Vec::new();
        leaves("", planned, &mut all);
        out.extend(
            all.into_iter()
                .filter(|(p, _)| p != "/id")
                .map(|(p, v)| (p, Some(v))),
        );
        return out;
    }
    for op in change.patch.as_array().into_iter().flatten() {
        let path = op.get("path").and_then(Value::as_str).unwrap_or_default();
        match op.get("op").and_then(Value::as_str) {
            Some("remove") => out.push((path.to_string(), None)),
            Some("add" | "replace") => {
                let value = planned.pointer(path).cloned().unwrap_or(Value::Null);
                let mut all = Vec::new();
                leaves(path, &value, &mut all);
                out.extend(all.into_iter().map(|(p, v)| (p, Some(v))));
            }
            _ => {}
        }
    }
    out
}

/// The values `change` asked for (its planned state `planned`, ids substituted) that
/// `stored` (the object read back) does not hold as sent. A removal the server kept is
/// reported with `sent: null`.
pub fn silent_changes(change: &Change, planned: &Value, stored: &Value) -> Vec<Silent> {
    asked(change, planned)
        .into_iter()
        .filter_map(|(pointer, sent)| {
            let now = stored.pointer(&pointer);
            let path = dotted(&pointer);
            match (sent, now) {
                (Some(sent), Some(now)) if *now != sent => Some(Silent {
                    path,
                    sent,
                    stored: now.clone(),
                    dropped: false,
                }),
                // A null sent and nothing stored: Govern omits empty values.
                (Some(sent), None) if !sent.is_null() => Some(Silent {
                    path,
                    sent,
                    stored: Value::Null,
                    dropped: true,
                }),
                (None, Some(now)) => Some(Silent {
                    path,
                    sent: Value::Null,
                    stored: now.clone(),
                    dropped: false,
                }),
                _ => None,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn update(patch: Value) -> Change {
        Change {
            call: "c".into(),
            method: "PUT".into(),
            path: "/artifact/ar.1".into(),
            query: Vec::new(),
            targets: Vec::new(),
            effect: Effect::Update,
            object: "/artifact/ar.1".into(),
            pre_image: Value::Null,
            body: Value::Null,
            patch,
            planned: Value::Null,
            planned_id: None,
            same_named: None,
            masked: false,
        }
    }

    #[test]
    fn drift_names_each_changed_path() {
        let before = json!({"fields": {"owner": "alice", "risk": "Low"}});
        let now = json!({"fields": {"owner": "zed", "risk": "Low"}});
        assert_eq!(drift(&before, &now), [r#"fields.owner: "alice" → "zed""#]);
        assert!(drift(&before, &before).is_empty());
    }

    #[test]
    fn only_values_the_change_asked_for_are_checked() {
        let change = update(json!([
            {"op": "replace", "path": "/status/stepId", "value": "deployment"},
            {"op": "add", "path": "/fields/x", "value": {"a": 1}},
        ]));
        let planned = json!({"status": {"stepId": "deployment"}, "fields": {"x": {"a": 1}}});
        // The server also changed a value nobody asked for: not reported.
        let stored = json!({"status": {"stepId": "review"}, "fields": {}, "other": 2});
        let silent: Vec<String> = silent_changes(&change, &planned, &stored)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            silent,
            [
                r#"status.stepId: sent "deployment", stored "review""#,
                "fields.x.a: sent 1, stored nothing",
            ]
        );
        assert!(silent_changes(&change, &planned, &planned).is_empty());
    }
}
