//! Users containers (protocol §3.8, §10): who a role-assignment rule or a sign-off
//! names. Types are lower-case; the client checks them before sending and the
//! sandbox refuses a wrong one with Govern's own text.
use serde_json::{Map, Value};

/// The container types, in the order Govern's error lists them.
pub const TYPES: [&str; 4] = ["role", "global-api-key", "user", "group"];

/// The key naming who a container of type `ty` designates (`user` → `login`).
pub fn id_key(ty: &str) -> Option<&'static str> {
    match ty {
        "user" => Some("login"),
        "group" => Some("groupName"),
        "role" => Some("roleId"),
        "global-api-key" => Some("globalAPIKeyId"),
        _ => None,
    }
}

/// Govern's error for a container type it does not know (a Jackson message).
pub fn unknown_type(ty: &str) -> String {
    let listed: Vec<String> = TYPES.iter().map(|t| format!("\"{t}\"")).collect();
    format!(
        "unknown type \"{ty}\" (possible type values are: {})",
        listed.join(", ")
    )
}

/// The container as stored: its type checked, the key naming who it designates
/// present and a string (`keyId` accepted for `globalAPIKeyId`, which is emitted).
/// The error says what is wrong, without saying where.
pub fn normalize(container: &Value) -> Result<Value, String> {
    let Some(map) = container.as_object() else {
        return Err(format!(
            "a users container must be an object, not {container}"
        ));
    };
    let ty = match map.get("type") {
        Some(Value::String(ty)) => ty.as_str(),
        Some(other) => return Err(unknown_type(&other.to_string())),
        None => {
            let listed: Vec<String> = TYPES.iter().map(|t| format!("\"{t}\"")).collect();
            return Err(format!(
                "missing type id property 'type' (possible type values are: {})",
                listed.join(", ")
            ));
        }
    };
    let key = id_key(ty).ok_or_else(|| unknown_type(ty))?;
    let given = map
        .get(key)
        .or_else(|| (ty == "global-api-key").then(|| map.get("keyId")).flatten());
    match given {
        Some(Value::String(id)) if !id.is_empty() => {
            let mut out = Map::new();
            out.insert("type".into(), Value::String(ty.into()));
            out.insert(key.into(), Value::String(id.clone()));
            Ok(Value::Object(out))
        }
        _ => Err(format!(
            "a \"{ty}\" users container needs a non-empty string {key}"
        )),
    }
}

/// The keys of a role-assignment rule (`{criteria, userContainers, fieldIds}`).
pub const RULE_KEYS: [&str; 3] = ["criteria", "userContainers", "fieldIds"];

/// The keys Govern needs in a role-assignment rule that `rule` lacks (or holds as
/// `null`): `criteria` and `fieldIds`. Govern stores a rule lacking one as an empty
/// binding, silently (§10).
pub fn missing_rule_keys(rule: &Value) -> Vec<&'static str> {
    ["criteria", "fieldIds"]
        .into_iter()
        .filter(|k| rule.get(k).is_none_or(Value::is_null))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn wrong_types_get_govern_s_text() {
        let e = normalize(&json!({"type": "USER", "login": "a"})).unwrap_err();
        assert_eq!(
            e,
            r#"unknown type "USER" (possible type values are: "role", "global-api-key", "user", "group")"#
        );
        assert!(
            normalize(&json!({"login": "a"}))
                .unwrap_err()
                .contains("missing type id")
        );
        assert!(
            normalize(&json!({"type": "user"}))
                .unwrap_err()
                .contains("login")
        );
    }

    #[test]
    fn key_ids_are_emitted_as_global_api_key_ids() {
        let c = normalize(&json!({"type": "global-api-key", "keyId": "gk.1"})).unwrap();
        assert_eq!(
            c,
            json!({"type": "global-api-key", "globalAPIKeyId": "gk.1"})
        );
        let g = normalize(&json!({"type": "group", "groupName": "g", "x": 1})).unwrap();
        assert_eq!(g, json!({"type": "group", "groupName": "g"}));
    }
}
