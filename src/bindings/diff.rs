//! Where two JSON documents differ, as dotted paths (`fields.owner`, `tags[2]`).

/// Paths deeper than this are reported at this depth (`fields.config`).
const MAX_DEPTH: usize = 3;

/// The paths where `a` and `b` differ.
pub fn between(a: &serde_json::Value, b: &serde_json::Value) -> Vec<String> {
    let mut out = Vec::new();
    paths(a, b, "", &mut out);
    out
}

/// Appends to `out` the paths under `at` where `a` and `b` differ.
pub fn paths(a: &serde_json::Value, b: &serde_json::Value, at: &str, out: &mut Vec<String>) {
    use serde_json::Value;
    if a == b {
        return;
    }
    let depth = at.matches(['.', '[']).count() + usize::from(!at.is_empty());
    match (a, b) {
        (Value::Object(x), Value::Object(y)) if depth < MAX_DEPTH => {
            let mut keys: Vec<&String> = x.keys().chain(y.keys()).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                let child = if at.is_empty() {
                    k.clone()
                } else {
                    format!("{at}.{k}")
                };
                let null = Value::Null;
                paths(
                    x.get(k).unwrap_or(&null),
                    y.get(k).unwrap_or(&null),
                    &child,
                    out,
                );
            }
        }
        _ => out.push(if at.is_empty() {
            "(the whole document)".into()
        } else {
            at.to_string()
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn differences_are_named_by_path() {
        let a =
            json!({"name": "x", "fields": {"owner": "a", "risk": "Low", "deep": {"a": {"b": 1}}}});
        let b = json!({"name": "x", "fields": {"owner": "b", "risk": "Low", "deep": {"a": {"b": 2}}, "new": 1}});
        let mut out = Vec::new();
        paths(&a, &b, "", &mut out);
        assert_eq!(out, ["fields.deep.a", "fields.new", "fields.owner"]);
        let mut none = Vec::new();
        paths(&a, &a, "", &mut none);
        assert!(none.is_empty());
    }
}
