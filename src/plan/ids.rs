//! Planned ids (`ar.planned.1`) and the real ids `apply` replaces them with, in every
//! path, query value and body of a later change.
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, OnceLock};

/// Planned ids and the real ids that replace them (`None`: the creation failed).
pub(super) type Ids = Arc<Mutex<HashMap<String, Option<String>>>>;

/// A `&'static str` for `text`, kept once per distinct text (call names and query
/// keys of a plan: a few dozen at most).
pub(super) fn intern(text: &str) -> &'static str {
    static SEEN: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    let mut seen = SEEN
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    if let Some(known) = seen.get(text) {
        return known;
    }
    let leaked: &'static str = Box::leak(text.to_string().into_boxed_str());
    seen.insert(leaked);
    leaked
}

/// `text` with every planned id replaced by its real id, or the first planned id
/// it uses whose creation failed.
pub(super) fn substitute(
    text: &str,
    ids: &HashMap<String, Option<String>>,
) -> Result<String, String> {
    let mut out = text.to_string();
    for (planned, real) in ids {
        if !out.contains(planned.as_str()) {
            continue;
        }
        match real {
            Some(real) => out = out.replace(planned.as_str(), real),
            None => return Err(planned.clone()),
        }
    }
    Ok(out)
}

/// `value` with planned ids replaced in every string (see [`substitute`]).
pub(super) fn substitute_value(
    value: &Value,
    ids: &HashMap<String, Option<String>>,
) -> Result<Value, String> {
    Ok(match value {
        Value::String(s) => Value::String(substitute(s, ids)?),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|v| substitute_value(v, ids))
                .collect::<Result<_, _>>()?,
        ),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| Ok((k.clone(), substitute_value(v, ids)?)))
                .collect::<Result<_, String>>()?,
        ),
        other => other.clone(),
    })
}
