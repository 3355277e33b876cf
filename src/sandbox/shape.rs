//! The shapes an artifact document must have in a write: a body of the wrong shape is a
//! 400 that changes nothing, never a silent wipe (`{"fields": null}`) or a value stored
//! as given (`{"status": 5}`).
use super::error::{ApiError, ApiResult};
use serde_json::{Map, Value};

/// Which write the body is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Write {
    /// `POST /artifacts`: absent or null parts mean "none".
    Create,
    /// `PUT /artifact/{id}`: a part that is present must be of its type, never null.
    Save,
}

/// Checks the top-level parts of an artifact body that the sandbox interprets.
pub fn check_artifact(body: &Map<String, Value>, write: Write) -> ApiResult<()> {
    for (key, value) in body {
        let expected = match key.as_str() {
            "id" | "name" => "a string",
            "fields" | "workflow" | "status" | "blueprintVersionId" => "an object",
            _ => continue,
        };
        let ok = match (value, expected) {
            (Value::Null, _) => write == Write::Create,
            (Value::String(_), "a string") | (Value::Object(_), "an object") => true,
            _ => false,
        };
        if !ok {
            return Err(ApiError::validation(format!(
                "Artifact {key} must be {expected}, got {}",
                kind(value)
            )));
        }
    }
    if let Some(steps) = body.get("workflow").and_then(|w| w.get("steps"))
        && !(steps.is_object() || steps.is_null())
    {
        return Err(ApiError::validation(format!(
            "Artifact workflow.steps must be an object, got {}",
            kind(steps)
        )));
    }
    Ok(())
}

/// What kind of JSON value `v` is, for messages (`a string`, `null`).
pub fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check(body: Value, write: Write) -> ApiResult<()> {
        match body {
            Value::Object(m) => check_artifact(&m, write),
            _ => unreachable!("test bodies are objects"),
        }
    }

    #[test]
    fn wrong_shapes_are_refused_in_a_save() {
        for (body, needle) in [
            (
                json!({"fields": null}),
                "Artifact fields must be an object, got null",
            ),
            (
                json!({"workflow": "nope"}),
                "Artifact workflow must be an object, got a string",
            ),
            (
                json!({"status": 5}),
                "Artifact status must be an object, got a number",
            ),
            (
                json!({"id": 42}),
                "Artifact id must be a string, got a number",
            ),
            (
                json!({"workflow": {"steps": [1]}}),
                "workflow.steps must be an object",
            ),
        ] {
            let e = check(body, Write::Save).unwrap_err();
            assert_eq!(e.status, 400);
            assert!(e.detailed.contains(needle), "{}", e.detailed);
        }
        let full = json!({"id": "ar.1", "name": "n", "fields": {}, "workflow": {"steps": {}},
                          "status": {"stepId": null}, "other": 5});
        assert!(check(full, Write::Save).is_ok());
    }

    #[test]
    fn null_parts_mean_none_in_a_create() {
        assert!(check(json!({"fields": null, "id": null}), Write::Create).is_ok());
        assert!(check(json!({"status": 5}), Write::Create).is_err());
    }
}
