//! Role-assignment rules as the sandbox stores them (`roleAssignmentsRules`):
//! `{"ro.x": [{criteria: [..], userContainers: [..], fieldIds: [..]}]}`.
//!
//! - a role the instance does not have → 400 `Unknown role ro.x`;
//! - a users container of a wrong type → 400 with Govern's text (see
//!   [`crate::protocol::containers`]);
//! - a rule lacking `criteria` or `fieldIds` is stored as an empty binding, silently,
//!   as Govern does (§10): a script that forgets one binds nobody here as there;
//! - criteria are objects, kept as given (the rights helper evaluates the
//!   `blueprint-version`, `field-value` and `workflow-step` kinds; others never match).
use super::check_role;
use crate::protocol::containers::{self, RULE_KEYS};
use crate::sandbox::error::{ApiError, ApiResult};
use crate::sandbox::store::Db;
use serde_json::{Map, Value, json};

/// The rules as stored, or a 400 naming the role and rule at fault.
pub fn normalize(db: &Db, rules: Option<&Value>) -> ApiResult<Value> {
    let rules = match rules {
        None | Some(Value::Null) => return Ok(json!({})),
        Some(Value::Object(m)) => m,
        Some(other) => {
            return Err(ApiError::validation(format!(
                "roleAssignmentsRules must be an object of role id to rules, got {other}"
            )));
        }
    };
    let mut out = Map::new();
    for (role, list) in rules {
        check_role(db, role)?;
        let Some(list) = list.as_array() else {
            return Err(ApiError::validation(format!(
                "roleAssignmentsRules.{role} must be a list of rules"
            )));
        };
        let mut stored = Vec::with_capacity(list.len());
        for (i, rule) in list.iter().enumerate() {
            let at = format!("roleAssignmentsRules.{role}[{i}]");
            stored.push(
                rule_document(db, rule).map_err(|m| ApiError::validation(format!("{at}: {m}")))?,
            );
        }
        out.insert(role.clone(), Value::Array(stored));
    }
    Ok(Value::Object(out))
}

/// One rule as stored; the error message says what is wrong in it.
fn rule_document(db: &Db, rule: &Value) -> Result<Value, String> {
    let Some(map) = rule.as_object() else {
        return Err(format!("a rule must be an object, not {rule}"));
    };
    if !containers::missing_rule_keys(rule).is_empty() {
        return Ok(json!({"criteria": [], "userContainers": [], "fieldIds": []}));
    }
    let list = |k: &str| match map.get(k) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => Ok(items.clone()),
        Some(other) => Err(format!("{k} must be a list, not {other}")),
    };
    let criteria = list(RULE_KEYS[0])?;
    if let Some(bad) = criteria.iter().find(|c| !c.is_object()) {
        return Err(format!("a criterion must be an object, not {bad}"));
    }
    let mut users = Vec::new();
    for c in list(RULE_KEYS[1])? {
        let c = containers::normalize(&c)?;
        if let Some(role) = c.get("roleId").and_then(Value::as_str) {
            check_role(db, role).map_err(|e| e.detailed)?;
        }
        users.push(c);
    }
    let fields = list(RULE_KEYS[2])?;
    if let Some(bad) = fields.iter().find(|f| !f.is_string()) {
        return Err(format!("fieldIds holds field ids (strings), not {bad}"));
    }
    Ok(json!({"criteria": criteria, "userContainers": users, "fieldIds": fields}))
}

/// Whether stored role assignments name role `id`: as a rule's role or in a `role`
/// users container.
pub fn names_role(doc: &Value, id: &str) -> bool {
    let Some(rules) = doc["roleAssignmentsRules"].as_object() else {
        return false;
    };
    rules.contains_key(id)
        || rules
            .values()
            .filter_map(Value::as_array)
            .flatten()
            .filter_map(|rule| rule["userContainers"].as_array())
            .flatten()
            .any(|c| c["roleId"] == id)
}
