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
/// blobs, timestamps, handles), naming the type.
pub fn to_json(value: &Dynamic) -> Result<Value, String> {
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
        return Ok(Number::from_f64(f).map_or(Value::Null, Value::Number));
    }
    if value.is_string() || value.is_char() {
        return Ok(Value::String(value.to_string()));
    }
    if let Some(array) = value.read_lock::<Array>() {
        return array
            .iter()
            .map(to_json)
            .collect::<Result<_, _>>()
            .map(Value::Array);
    }
    if let Some(map) = value.read_lock::<Map>() {
        let mut out = JsonMap::new();
        for (k, v) in map.iter() {
            out.insert(k.to_string(), to_json(v)?);
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
    Err(format!(
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
    fn round_trips_plain_json() {
        let v = json!({"a": [1, 2.5, "x", null, true], "b": {"c": -9007199254740993i64}});
        assert_eq!(to_json(&to_dynamic(&v)).unwrap(), v);
    }
}
