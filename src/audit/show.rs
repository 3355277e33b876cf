//! `govscript audit show`: the records of a log, filtered.
use super::chain::{lines, parse};
use super::time;
use serde_json::{Map, Value};

/// Which records to show; every filter given must match.
#[derive(Debug, Default, Clone)]
pub struct Filter {
    /// At or after this time (a bound checked by [`time::check_bound`]).
    pub since: Option<String>,
    /// At or before this time (inclusive at its precision).
    pub until: Option<String>,
    /// Records acting on this id (in `targets`, or as a segment of the path).
    pub target: Option<String>,
    /// Records made as this identity.
    pub identity: Option<String>,
}

impl Filter {
    /// Whether `record` passes.
    pub fn matches(&self, record: &Map<String, Value>) -> bool {
        let text = |name: &str| record.get(name).and_then(Value::as_str).unwrap_or("");
        let when = text("time");
        self.since
            .as_deref()
            .is_none_or(|s| time::at_or_after(when, s))
            && self
                .until
                .as_deref()
                .is_none_or(|u| time::at_or_before(when, u))
            && self
                .identity
                .as_deref()
                .is_none_or(|i| text("identity") == i)
            && self.target.as_deref().is_none_or(|t| targets(record, t))
    }
}

fn targets(record: &Map<String, Value>, id: &str) -> bool {
    let listed = record
        .get("targets")
        .and_then(Value::as_array)
        .is_some_and(|ts| ts.iter().any(|t| t.as_str() == Some(id)));
    let path = record.get("path").and_then(Value::as_str).unwrap_or("");
    let path = path.split('?').next().unwrap_or(path);
    listed || path.split('/').any(|segment| segment == id)
}

/// The records of `text` that pass `filter`, as `(line number, line, record)`; lines
/// that are not records (and a torn tail) are skipped: `audit verify` reports them.
pub fn select<'a>(text: &'a [u8], filter: &Filter) -> Vec<(usize, &'a [u8], Map<String, Value>)> {
    lines(text)
        .0
        .into_iter()
        .filter_map(|(n, line)| parse(line).ok().map(|r| (n, line, r)))
        .filter(|(_, _, r)| filter.matches(r))
        .collect()
}

/// One record as a line for people: time, identity, method and path, outcome, call.
pub fn render(record: &Map<String, Value>) -> String {
    let text = |name: &str| record.get(name).and_then(Value::as_str).unwrap_or("-");
    let outcome = record.get("outcome");
    let result = match outcome.and_then(|o| o.get("ok")).and_then(Value::as_bool) {
        Some(true) => "ok".to_string(),
        _ => {
            let o = outcome.cloned().unwrap_or(Value::Null);
            let status = o.get("status").and_then(Value::as_u64);
            let message = o.get("message").and_then(Value::as_str).unwrap_or("failed");
            match status {
                Some(s) => format!("failed ({s}): {message}"),
                None => format!("failed: {message}"),
            }
        }
    };
    format!(
        "{}  {}  {} {}  {}  {}",
        text("time"),
        text("identity"),
        text("method"),
        text("path"),
        result,
        text("call")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn filters_combine_time_target_and_identity() {
        let r = json!({"time": "2026-11-30T04:30:00.000Z", "identity": "admin",
                       "path": "/dip/publicapi/artifact/ar.7?x=1", "targets": ["bp.x"]});
        let r = r.as_object().cloned().expect("object");
        let f = |since: Option<&str>, target: Option<&str>, identity: Option<&str>| Filter {
            since: since.map(str::to_string),
            until: None,
            target: target.map(str::to_string),
            identity: identity.map(str::to_string),
        };
        assert!(f(Some("2026-11-30"), Some("ar.7"), Some("admin")).matches(&r));
        assert!(f(None, Some("bp.x"), None).matches(&r));
        assert!(!f(None, Some("ar.70"), None).matches(&r));
        assert!(!f(None, None, Some("alice")).matches(&r));
        assert!(!f(Some("2026-12"), None, None).matches(&r));
    }
}
