//! Blueprint version definitions: what a save must hold (known field types, unique
//! workflow step ids) and what it would take from the artifacts already using the
//! version (the values of removed or retyped fields: Govern's "danger zone").
use crate::sandbox::artifact::step_ids;
use crate::sandbox::collection::check_identifier;
use crate::sandbox::error::{ApiError, ApiResult};
use serde_json::{Map, Value};
use std::collections::HashSet;

/// Govern's field types (protocol §3.4, §4).
pub const FIELD_TYPES: [&str; 9] = [
    "TEXT",
    "NUMBER",
    "BOOLEAN",
    "DATE",
    "CATEGORY",
    "REFERENCE",
    "UPLOADED_FILE",
    "TIME_SERIES",
    "JSON",
];

/// Refuses a malformed definition: field definitions that are not objects or have an
/// unknown `fieldType`, workflow steps without a valid id or with an id used twice.
pub fn validate(def: &Map<String, Value>) -> ApiResult<()> {
    match def.get("fieldDefinitions") {
        None | Some(Value::Null) => {}
        Some(Value::Object(fields)) => {
            for (id, field) in fields {
                let ty = field.get("fieldType").and_then(Value::as_str);
                if !ty.is_some_and(|t| FIELD_TYPES.contains(&t)) {
                    return Err(ApiError::validation(format!(
                        "Invalid field definition '{id}': fieldType {} is not one of {}",
                        field.get("fieldType").unwrap_or(&Value::Null),
                        FIELD_TYPES.join(", ")
                    )));
                }
            }
        }
        Some(_) => return Err(ApiError::validation("fieldDefinitions must be an object")),
    }
    let steps = match def.get("workflowDefinition").map(|w| &w["stepDefinitions"]) {
        None | Some(Value::Null) => return Ok(()),
        Some(Value::Array(steps)) => steps,
        Some(_) => {
            return Err(ApiError::validation(
                "workflowDefinition.stepDefinitions must be an array",
            ));
        }
    };
    let mut seen = HashSet::new();
    for step in steps {
        let id = step["id"].as_str().unwrap_or_default();
        check_identifier("workflow step id", id)?;
        if !seen.insert(id) {
            return Err(ApiError::validation(format!(
                "Invalid workflow definition: step id '{id}' is used twice"
            )));
        }
    }
    Ok(())
}

/// The fields of `old` whose values would not survive `new`: removed, or whose type
/// or list-ness changed; sorted.
pub fn dropped_fields(old: &Value, new: &Value) -> Vec<String> {
    let Some(old_fields) = old["fieldDefinitions"].as_object() else {
        return Vec::new();
    };
    let is_list = |f: &Value| f.get("listConfig").is_some_and(|l| !l.is_null());
    let mut dropped: Vec<String> = old_fields
        .iter()
        .filter(|(id, before)| {
            let after = &new["fieldDefinitions"][id.as_str()];
            after.is_null()
                || after["fieldType"] != before["fieldType"]
                || is_list(after) != is_list(before)
        })
        .map(|(id, _)| id.clone())
        .collect();
    dropped.sort();
    dropped
}

/// Of `fields`, those `artifact` holds a value for.
pub fn held<'a>(artifact: &Value, fields: &'a [String]) -> Vec<&'a String> {
    fields
        .iter()
        .filter(|f| !artifact["fields"][f.as_str()].is_null())
        .collect()
}

/// Whether `artifact`'s workflow has exactly the steps of `version`.
pub fn same_steps(artifact: &Value, version: &Value) -> bool {
    let order = step_ids(version);
    let steps = artifact["workflow"]["steps"].as_object();
    steps.map_or(0, Map::len) == order.len()
        && order
            .iter()
            .all(|s| steps.is_some_and(|m| m.contains_key(s)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn def(v: Value) -> Map<String, Value> {
        v.as_object().cloned().expect("object")
    }

    #[test]
    fn unknown_field_types_and_repeated_steps_are_refused() {
        let ok = json!({"fieldDefinitions": {"a": {"fieldType": "TEXT"}},
                        "workflowDefinition": {"stepDefinitions": [{"id": "s1"}, {"id": "s2"}]}});
        assert!(validate(&def(ok)).is_ok());
        let bad_type = json!({"fieldDefinitions": {"a": {"fieldType": "STRING"}}});
        let e = validate(&def(bad_type)).unwrap_err();
        assert!(
            e.detailed.contains("'a'") && e.detailed.contains("STRING"),
            "{}",
            e.detailed
        );
        let twice = json!({"workflowDefinition": {"stepDefinitions": [{"id": "s"}, {"id": "s"}]}});
        let e = validate(&def(twice)).unwrap_err();
        assert!(e.detailed.contains("'s' is used twice"), "{}", e.detailed);
    }

    #[test]
    fn removed_retyped_and_relisted_fields_are_dropped() {
        let old = json!({"fieldDefinitions": {"keep": {"fieldType": "TEXT"}, "gone": {"fieldType": "TEXT"},
                         "retyped": {"fieldType": "TEXT"}, "listed": {"fieldType": "TEXT"}}});
        let new = json!({"fieldDefinitions": {"keep": {"fieldType": "TEXT", "label": "x"},
                         "retyped": {"fieldType": "NUMBER"}, "listed": {"fieldType": "TEXT", "listConfig": {}}}});
        assert_eq!(dropped_fields(&old, &new), ["gone", "listed", "retyped"]);
    }
}
