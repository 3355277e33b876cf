//! Conversions between Rhai values and JSON.
//!
//! JSON to Rhai is `rhai::serde`. Rhai to JSON is a walk of our own: a JSON document
//! handle (`JsonRef`), a users container or a query builder may sit anywhere inside a
//! map literal, and those must become their JSON, where `rhai::serde` fails on them.
//! Such types implement [`ToJson`] and are announced once with [`json_type`], so this
//! module depends on none of them.
use rhai::{Array, Dynamic, Map, Variant};
use serde_json::{Map as JsonMap, Number, Value};
use std::any::TypeId;
use std::sync::RwLock;

/// A script type that stands for a JSON value (Python's `build()`).
pub trait ToJson: Variant + Clone {
    /// The JSON the value stands for.
    fn to_json(&self) -> Value;
}

/// Converts one announced type: `None` if `value` is not a `T`.
type Converter = fn(&Dynamic) -> Option<Value>;

/// The types announced with [`json_type`].
static JSON_TYPES: RwLock<Vec<(TypeId, Converter)>> = RwLock::new(Vec::new());

fn convert<T: ToJson>(value: &Dynamic) -> Option<Value> {
    value.read_lock::<T>().map(|t| t.to_json())
}

/// Announces that `T` converts to JSON wherever it sits in a script value.
/// Announcing a type twice is harmless.
pub fn json_type<T: ToJson>() {
    let id = TypeId::of::<T>();
    let mut types = JSON_TYPES.write().unwrap_or_else(|e| e.into_inner());
    if !types.iter().any(|(t, _)| *t == id) {
        types.push((id, convert::<T>));
    }
}

/// The JSON of an announced type, if `value` is one.
fn announced(value: &Dynamic) -> Option<Value> {
    let id = value.type_id();
    let types = JSON_TYPES.read().unwrap_or_else(|e| e.into_inner());
    let (_, convert) = types.iter().find(|(t, _)| *t == id)?;
    convert(value)
}

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
    if let Some(json) = announced(value) {
        return Ok(json);
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
