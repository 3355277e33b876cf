//! One audit record: what it holds, its canonical form and its hash.
//!
//! The hash of a record is SHA-256 (hex) over its canonical serialisation without the
//! `hash` field: JSON with object keys sorted by their bytes, no whitespace, arrays in
//! order, strings and numbers as `serde_json` writes them. Each record carries the
//! previous record's hash in `prev` (the first of a file carries [`GENESIS`]), so the
//! hash of the last record covers the whole file.
use crate::client::secrets::{self, MASK};
use ring::digest::{SHA256, digest};
use serde_json::{Map, Value};

/// What the first record of a log links to.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Field names whose values are secrets wherever they appear in a recorded document.
const SECRET_FIELDS: &[&str] = &["key", "apikey", "secret", "password", "token"];

/// `bytes` as lowercase hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    digest(&SHA256, bytes)
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The canonical serialisation of `value` (see the module docs).
pub fn canonical(value: &Value) -> String {
    let mut out = String::new();
    write_canonical(value, &mut out);
    out
}

fn write_canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                write_canonical(&map[key], out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

/// The hash of `record`: its canonical form without its own `hash` field.
pub fn hash_of(record: &Map<String, Value>) -> String {
    let mut content = record.clone();
    content.remove("hash");
    sha256_hex(canonical(&Value::Object(content)).as_bytes())
}

/// Seals `record` onto the chain after `prev`: sets `prev` and `hash`; returns the
/// record's line (with its newline) and its hash.
pub fn seal(mut record: Map<String, Value>, prev: &str) -> (String, String) {
    record.remove("hash");
    record.insert("prev".into(), Value::String(prev.to_string()));
    let hash = hash_of(&record);
    record.insert("hash".into(), Value::String(hash.clone()));
    let mut line = Value::Object(record).to_string();
    line.push('\n');
    (line, hash)
}

/// `value` with every secret masked: the values of fields named like a secret
/// (`key`, `apiKey`, `secret`, `password`, `token`) and every API key the process
/// knows, wherever it appears in a string.
pub fn masked(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    let secret =
                        SECRET_FIELDS.contains(&k.to_ascii_lowercase().as_str()) && !v.is_null();
                    let v = if secret {
                        Value::String(MASK.into())
                    } else {
                        masked(v)
                    };
                    (k.clone(), v)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(masked).collect()),
        Value::String(s) => Value::String(secrets::redact(s).into_owned()),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_canonical_form_sorts_keys_at_every_depth() {
        let a = json!({"b": 1, "a": {"y": [2, {"d": 1, "c": "x"}], "x": null}});
        assert_eq!(
            canonical(&a),
            r#"{"a":{"x":null,"y":[2,{"c":"x","d":1}]},"b":1}"#
        );
    }

    #[test]
    fn a_sealed_record_hashes_to_its_hash_and_any_change_breaks_it() {
        let record = json!({"time": "t", "method": "PUT"});
        let (line, hash) = seal(record.as_object().cloned().expect("object"), GENESIS);
        let parsed: Map<String, Value> = serde_json::from_str(&line).expect("json");
        assert_eq!(parsed["hash"], hash.as_str());
        assert_eq!(hash_of(&parsed), hash);
        let mut edited = parsed.clone();
        edited.insert("method".into(), json!("DELETE"));
        assert_ne!(hash_of(&edited), hash);
        let mut relinked = parsed;
        relinked.insert("prev".into(), json!("1".repeat(64)));
        assert_ne!(hash_of(&relinked), hash);
    }

    #[test]
    fn secrets_are_masked_by_field_name_and_by_value() {
        secrets::remember("audit-unit-secret-key");
        let doc = json!({"id": "k1", "key": "abc", "nested": [{"apiKey": "z"}],
                         "note": "uses audit-unit-secret-key here", "secret": null});
        let out = masked(&doc);
        assert_eq!(out["key"], MASK);
        assert_eq!(out["nested"][0]["apiKey"], MASK);
        assert_eq!(out["note"], format!("uses {MASK} here"));
        assert_eq!(out["secret"], Value::Null);
        assert_eq!(out["id"], "k1");
    }
}
