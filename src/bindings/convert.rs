//! Conversions between Rhai values and JSON.
//!
//! JSON to Rhai is `rhai::serde`. Rhai to JSON is a walk of our own: a JSON document
//! handle ([`JsonRef`]) or a users container may sit anywhere inside a map literal, and
//! those must become their JSON, where `rhai::serde` fails on them.
use super::json_ref::JsonRef;
use super::values::{GovernBlueprintVersionId, GovernUserUsersContainer};
use rhai::{Array, Dynamic, Map};
use serde_json::{Map as JsonMap, Number, Value};

/// Converts a script value to JSON. Fails on values JSON cannot hold (functions,
/// blobs, timestamps, handles, NaN and infinities), naming the type and where it sits
/// (`fields.score: NaN cannot be stored in JSON`).
pub fn to_json(value: &Dynamic) -> Result<Value, String> {
    walk(value).map_err(|(mut path, message)| {
        if path.is_empty() {
            return message;
        }
        path.reverse();
        let mut at = String::new();
        for step in path {
            if !step.starts_with('[') && !at.is_empty() {
                at.push('.');
            }
            at.push_str(&step);
        }
        format!("{at}: {message}")
    })
}

/// `to_json`, with the failing path collected innermost first.
fn walk(value: &Dynamic) -> Result<Value, (Vec<String>, String)> {
    let fail = |message: String| Err((Vec::new(), message));
    if value.is_unit() {
        return Ok(Value::Null);
    }
    if let Some(b) = value.clone().try_cast::<bool>() {
        return Ok(Value::Bool(b));
    }
    if let Ok(i) = value.as_int() {
        return Ok(Value::Number(i.into()));
    }
    if let Ok(f) = value.as_float() {
        return match Number::from_f64(f) {
            Some(n) => Ok(Value::Number(n)),
            None => fail(format!("{f} cannot be stored in JSON")),
        };
    }
    if value.is_string() || value.is_char() {
        return Ok(Value::String(value.to_string()));
    }
    if let Some(array) = value.read_lock::<Array>() {
        let mut out = Vec::with_capacity(array.len());
        for (i, item) in array.iter().enumerate() {
            out.push(walk(item).map_err(|(mut path, m)| {
                path.push(format!("[{i}]"));
                (path, m)
            })?);
        }
        return Ok(Value::Array(out));
    }
    if let Some(map) = value.read_lock::<Map>() {
        let mut out = JsonMap::new();
        for (k, v) in map.iter() {
            let json = walk(v).map_err(|(mut path, m)| {
                path.push(k.to_string());
                (path, m)
            })?;
            out.insert(k.to_string(), json);
        }
        return Ok(Value::Object(out));
    }
    if let Some(r) = value.read_lock::<JsonRef>() {
        return Ok(r.snapshot());
    }
    if let Some(c) = value.read_lock::<GovernUserUsersContainer>() {
        return Ok(c.build());
    }
    if let Some(id) = value.read_lock::<GovernBlueprintVersionId>() {
        return Ok(id.build());
    }
    fail(format!(
        "a {} cannot be converted to JSON",
        value.type_name()
    ))
}

/// Converts JSON to a plain script value (maps, arrays, scalars: a copy), through
/// `rhai::serde`. Integers beyond `i64` become floats, as in Rhai itself.
pub fn to_dynamic(value: &Value) -> Dynamic {
    // Serialising a `serde_json::Value` cannot fail: every JSON value has a Rhai form.
    rhai::serde::to_dynamic(value).unwrap_or(Dynamic::UNIT)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn non_finite_numbers_are_refused_with_their_path() {
        let mut fields = Map::new();
        fields.insert("score".into(), Dynamic::from(f64::NAN));
        let mut doc = Map::new();
        doc.insert("fields".into(), Dynamic::from_map(fields));
        let doc = Dynamic::from_map(doc);
        assert_eq!(
            to_json(&doc).unwrap_err(),
            "fields.score: NaN cannot be stored in JSON"
        );
        let list = Dynamic::from_array(vec![Dynamic::from(1_i64), Dynamic::from(f64::INFINITY)]);
        assert_eq!(
            to_json(&list).unwrap_err(),
            "[1]: inf cannot be stored in JSON"
        );
    }

    #[test]
    fn round_trips_plain_json() {
        let v = json!({"a": [1, 2.5, "x", null, true], "b": {"c": -9007199254740993i64}});
        assert_eq!(to_json(&to_dynamic(&v)).unwrap(), v);
    }
}
