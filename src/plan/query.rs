//! Whether an artifact's planned document matches a search query
//! (`GovernArtifactSearchQuery.build()`), decided as the sandbox's search decides it
//! (protocol §3.11): the filters AND-ed; a field filter on any value of a list field;
//! without `fieldId`, on the name. A condition the plan cannot evaluate client-side is
//! named in an error, so the plan says so instead of guessing.
use serde_json::Value;

/// The texts a field filter compares against (a list field: each element).
fn texts(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Null => {}
        Value::String(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| texts(x, out)),
        other => out.push(other.to_string()),
    }
}

/// The strings of the list `key` of filter `f`.
fn strings<'a>(f: &'a Value, key: &str) -> impl Iterator<Item = &'a str> {
    f[key]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
}

/// Whether `artifact` passes the field filter `f`.
fn field(f: &Value, artifact: &Value) -> Result<bool, String> {
    let case = f["caseSensitive"].as_bool().unwrap_or(false);
    let negate = f["negateCondition"].as_bool().unwrap_or(false);
    let fold = |s: &str| {
        if case {
            s.to_string()
        } else {
            s.to_lowercase()
        }
    };
    let mut condition = Vec::new();
    texts(&f["condition"], &mut condition);
    let condition = fold(&condition.concat());
    let kind = f["conditionType"].as_str().unwrap_or_default();
    let test = |value: &str| -> Result<bool, String> {
        let value = fold(value);
        Ok(match kind {
            "EQUALS" => value == condition,
            "CONTAINS" => value.contains(&condition),
            "START_WITH" => value.starts_with(&condition),
            "END_WITH" => value.ends_with(&condition),
            other => return Err(format!("a field condition of type {other:?}")),
        })
    };
    let mut values = Vec::new();
    match &f["fieldId"] {
        Value::Null => texts(&artifact["name"], &mut values),
        Value::String(id) => texts(&artifact["fields"][id.as_str()], &mut values),
        other => return Err(format!("a field filter on fieldId {other}")),
    }
    let mut any = false;
    for v in &values {
        any |= test(v)?;
    }
    Ok(any != negate)
}

/// Whether `artifact` passes the filter `f`.
fn passes(f: &Value, artifact: &Value) -> Result<bool, String> {
    let version = &artifact["blueprintVersionId"];
    Ok(match f["type"].as_str().unwrap_or_default() {
        "blueprints" => {
            let blueprint = version["blueprintId"].as_str().unwrap_or_default();
            strings(f, "blueprintIds").any(|b| b == blueprint)
        }
        "blueprintVersions" => f["blueprintVersionIds"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|v| {
                v["blueprintId"] == version["blueprintId"] && v["versionId"] == version["versionId"]
            }),
        "artifacts" => {
            let id = artifact["id"].as_str().unwrap_or_default();
            strings(f, "artifactIds").any(|a| a == id)
        }
        "archived" => {
            f["isArchived"] == Value::Bool(true)
                || artifact["status"]["archived"] != Value::Bool(true)
        }
        "field" => field(f, artifact)?,
        other => return Err(format!("a filter of type {other:?}")),
    })
}

/// Whether `artifact` matches `query`; `Err` names the condition the plan cannot
/// evaluate.
pub fn matches(query: &Value, artifact: &Value) -> Result<bool, String> {
    match &query["artifactSearchSource"]["type"] {
        Value::Null => {}
        Value::String(t) if t == "all" => {}
        other => return Err(format!("a search source of type {other}")),
    }
    for f in query["artifactFilters"].as_array().into_iter().flatten() {
        if !passes(f, artifact)? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Whether `query` orders hits by artifact id (it has no sort).
pub fn by_id(query: &Value) -> bool {
    query["artifactSearchSort"].is_null()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn artifact() -> Value {
        json!({"id": "ar.3", "name": "Churn model",
               "blueprintVersionId": {"blueprintId": "bp.m", "versionId": "bv.v1"},
               "fields": {"owner": "carol", "tags": ["a", "Risky"]}})
    }

    #[test]
    fn filters_are_anded_and_list_fields_match_on_any_element() {
        let query = |filters: Value| json!({"artifactSearchSource": {"type": "all"}, "artifactFilters": filters});
        let on = |filters| matches(&query(filters), &artifact());
        assert_eq!(
            on(json!([{"type": "blueprints", "blueprintIds": ["bp.m"]}])),
            Ok(true)
        );
        assert_eq!(
            on(json!([{"type": "blueprints", "blueprintIds": ["bp.x"]}])),
            Ok(false)
        );
        let tag = json!({"type": "field", "fieldId": "tags", "conditionType": "EQUALS", "condition": "risky"});
        assert_eq!(on(json!([tag])), Ok(true));
        let exact = json!({"type": "field", "fieldId": "tags", "conditionType": "EQUALS", "condition": "risky", "caseSensitive": true});
        assert_eq!(on(json!([exact])), Ok(false));
        let name = json!({"type": "field", "conditionType": "START_WITH", "condition": "churn", "negateCondition": true});
        assert_eq!(on(json!([name])), Ok(false));
        assert!(on(json!([{"type": "teams"}])).is_err());
    }
}
