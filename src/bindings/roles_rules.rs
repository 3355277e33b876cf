//! What the Rhai side checks in role assignments before sending them: Govern stores a
//! rule lacking `criteria` or `fieldIds` as an empty binding, silently (protocol
//! §10), and refuses a users container of a wrong type only once it is sent.
use crate::protocol::containers;
use serde_json::Value;

/// Checks the `roleAssignmentsRules` of a role-assignments document: a map of role
/// id to a list of rules, each a map with `criteria` and `fieldIds`, its
/// `userContainers` of a known type. The error names the rule at fault.
pub fn check(document: &Value) -> Result<(), String> {
    let rules = match document.get("roleAssignmentsRules") {
        None | Some(Value::Null) => return Ok(()),
        Some(Value::Object(rules)) => rules,
        Some(other) => {
            return Err(format!(
                "roleAssignmentsRules must be a map of role id to a list of rules, not {other}"
            ));
        }
    };
    for (role, list) in rules {
        let Some(list) = list.as_array() else {
            return Err(format!(
                "roleAssignmentsRules.{role} must be a list of rules, not {list}"
            ));
        };
        for (i, rule) in list.iter().enumerate() {
            check_rule(rule).map_err(|m| format!("rule {i} of {role}: {m}"))?;
        }
    }
    Ok(())
}

/// One rule; the error says what is wrong in it.
fn check_rule(rule: &Value) -> Result<(), String> {
    if !rule.is_object() {
        return Err(format!("a rule must be a map, not {rule}"));
    }
    let missing = containers::missing_rule_keys(rule);
    if !missing.is_empty() {
        let add: Vec<String> = missing.iter().map(|k| format!("{k}: []")).collect();
        return Err(format!(
            "it has no {}, and Govern would store it as an empty binding, silently; add `{}`",
            missing.join(" nor "),
            add.join(", ")
        ));
    }
    match rule.get("userContainers") {
        None | Some(Value::Null) => Ok(()),
        Some(Value::Array(list)) => list.iter().enumerate().try_for_each(|(j, c)| {
            containers::normalize(c)
                .map(drop)
                .map_err(|m| format!("users container {j}: {m}"))
        }),
        Some(other) => Err(format!("userContainers must be a list, not {other}")),
    }
}

#[cfg(test)]
mod tests {
    use super::check;
    use serde_json::json;

    #[test]
    fn incomplete_rules_and_wrong_containers_are_named() {
        let ok = json!({"roleAssignmentsRules": {"ro.x": [
            {"criteria": [], "userContainers": [{"type": "user", "login": "a"}], "fieldIds": []}]}});
        assert_eq!(check(&ok), Ok(()));
        let no_fields =
            json!({"roleAssignmentsRules": {"ro.x": [{"criteria": [], "userContainers": []}]}});
        let e = check(&no_fields).unwrap_err();
        assert!(e.starts_with("rule 0 of ro.x: it has no fieldIds"), "{e}");
        let bad = json!({"roleAssignmentsRules": {"ro.y": [
            {"criteria": [], "fieldIds": [], "userContainers": [{"type": "USER", "login": "a"}]}]}});
        let e = check(&bad).unwrap_err();
        assert!(
            e.contains("rule 0 of ro.y: users container 0: unknown type \"USER\""),
            "{e}"
        );
    }
}
