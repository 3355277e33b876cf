//! The stored user and group documents (shared contract of issue 13) and what each
//! endpoint answers of them. Stored users may be older or seeded with fewer keys:
//! [`user`] fills the defaults on every read.
use crate::sandbox::auth::string_list;
use crate::sandbox::collection::object;
use crate::sandbox::error::{ApiError, ApiResult};
use serde_json::{Map, Value, json};

/// The settings a user document holds and an administrator may write (`password` is
/// write-only, stored as `passwordHash`).
pub const USER_KEYS: &[&str] = &[
    "login",
    "displayName",
    "email",
    "groups",
    "sourceType",
    "userProfile",
    "enabled",
    "userProperties",
    "adminProperties",
    "creationDate",
    "password",
];

/// The keys of a group definition.
pub const GROUP_KEYS: &[&str] = &[
    "name",
    "description",
    "sourceType",
    "admin",
    "isGovernArchitect",
    "ldapGroupNames",
];

/// User source types Govern knows.
const SOURCE_TYPES: &[&str] = &[
    "LOCAL",
    "LOCAL_NO_AUTH",
    "LDAP",
    "SAAS",
    "AZURE_AD",
    "CUSTOM",
];

/// Keys only the sandbox reads, never answered.
const INTERNAL: &[&str] = &["admin", "passwordHash"];

/// A stored user with every setting present (defaults for what older documents lack).
pub fn user(stored: Value) -> Map<String, Value> {
    let mut u = match stored {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    let login = u.get("login").cloned().unwrap_or(json!(""));
    let defaults = [
        ("displayName", login),
        ("email", Value::Null),
        ("groups", json!([])),
        ("sourceType", json!("LOCAL")),
        ("userProfile", json!("DATA_SCIENTIST")),
        ("enabled", json!(true)),
        ("userProperties", json!({})),
        ("adminProperties", json!({})),
    ];
    for (k, v) in defaults {
        u.entry(k).or_insert(v);
    }
    // Answers list the settings in one order, whatever order they were written in.
    let mut ordered: Map<String, Value> = USER_KEYS
        .iter()
        .filter_map(|k| u.remove(*k).map(|v| (k.to_string(), v)))
        .collect();
    ordered.extend(u);
    ordered
}

/// `keys` of a user, in that order (absent ones left out).
fn pick(u: &Map<String, Value>, keys: &[&str]) -> Value {
    Value::Object(
        keys.iter()
            .filter_map(|k| u.get(*k).map(|v| (k.to_string(), v.clone())))
            .collect(),
    )
}

/// A user's settings as an administrator reads them (`GET /admin/users/{login}`).
pub fn settings(stored: Value) -> Value {
    let mut u = user(stored);
    for k in INTERNAL {
        u.remove(*k);
    }
    Value::Object(u)
}

/// A user as `GET /admin/users/` lists it without `includeSettings`.
pub fn list_item(stored: Value) -> Value {
    pick(
        &user(stored),
        &["login", "displayName", "groups", "sourceType"],
    )
}

/// A user as anyone may read it (`/users`, `/users/{login}`).
pub fn info(stored: Value) -> Value {
    pick(
        &user(stored),
        &["login", "displayName", "groups", "email", "enabled"],
    )
}

/// The caller's own settings (`/current-user`): no admin properties.
pub fn own(stored: Value) -> Value {
    let mut s = settings(stored);
    if let Some(m) = s.as_object_mut() {
        m.remove("adminProperties");
    }
    s
}

/// SHA-256 of a password, in hex: what is stored instead of it.
pub fn password_hash(password: &str) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, password.as_bytes());
    digest.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

/// Refuses a key that is none of `known`, naming the valid ones.
pub fn check_keys(noun: &str, body: &Map<String, Value>, known: &[&str]) -> ApiResult<()> {
    match body.keys().find(|k| !known.contains(&k.as_str())) {
        None => Ok(()),
        Some(k) if k == "mayManageGovern" => Err(ApiError::validation(
            "Unknown group key 'mayManageGovern': Govern 15 grants architect rights with 'isGovernArchitect'",
        )),
        Some(k) => Err(ApiError::validation(format!(
            "Unknown {noun} setting '{k}'; valid ones are: {}",
            known.join(", ")
        ))),
    }
}

/// Checks the types of the user settings in `changes` (a body or a bulk item).
pub fn check_user_types(changes: &Map<String, Value>) -> ApiResult<()> {
    let bad = |key: &str, want: &str| {
        Err(ApiError::validation(format!(
            "User setting '{key}' must be {want}"
        )))
    };
    for (k, v) in changes {
        let ok = match k.as_str() {
            "login" => v.as_str().is_some_and(|s| !s.is_empty()),
            "displayName" | "userProfile" => v.is_string(),
            "email" | "password" => v.is_string() || v.is_null(),
            "groups" => v.as_array().is_some_and(|a| a.iter().all(Value::is_string)),
            "enabled" => v.is_boolean(),
            "userProperties" | "adminProperties" => v.is_object(),
            "creationDate" => v.is_number() || v.is_null(),
            "sourceType" => v.as_str().is_some_and(|s| SOURCE_TYPES.contains(&s)),
            _ => true,
        };
        if !ok {
            let want = match k.as_str() {
                "login" => "a non-empty string".to_string(),
                "groups" => "a list of group names".into(),
                "enabled" => "true or false".into(),
                "userProperties" | "adminProperties" => "an object".into(),
                "sourceType" => format!("one of {}", SOURCE_TYPES.join(", ")),
                _ => "a string".into(),
            };
            return bad(k, &want);
        }
    }
    Ok(())
}

/// Applies `changes` (checked) to `user`: a password becomes its hash, the rest is
/// copied. The login and creation date never change.
pub fn apply_user_changes(user: &mut Map<String, Value>, changes: Map<String, Value>) {
    for (k, v) in changes {
        match k.as_str() {
            "login" | "creationDate" => {}
            "password" => match v.as_str() {
                Some(p) if !p.is_empty() => {
                    user.insert("passwordHash".into(), json!(password_hash(p)));
                }
                _ => {}
            },
            _ => {
                user.insert(k, v);
            }
        }
    }
}

/// A group definition from a creation or save body, with the defaults filled.
pub fn group(name: &str, body: Value) -> ApiResult<Value> {
    let body = object("Group", body)?;
    check_keys("group", &body, GROUP_KEYS)?;
    if let Some(given) = body.get("name").and_then(Value::as_str)
        && given != name
    {
        return Err(ApiError::validation(format!(
            "Group names do not match: {given} in the body, {name} in the URL"
        )));
    }
    let text = |k: &str| match body.get(k) {
        None | Some(Value::Null) => Ok(Value::Null),
        Some(v @ Value::String(_)) => Ok(v.clone()),
        Some(_) => Err(ApiError::validation(format!(
            "Group '{k}' must be a string"
        ))),
    };
    let flag = |k: &str| match body.get(k) {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(_) => Err(ApiError::validation(format!(
            "Group '{k}' must be true or false"
        ))),
    };
    let source = match body.get("sourceType") {
        None | Some(Value::Null) => "LOCAL".to_string(),
        Some(Value::String(s)) if s == "LOCAL" || s == "LDAP" || s == "SAAS" => s.clone(),
        Some(_) => {
            return Err(ApiError::validation(
                "Group 'sourceType' must be LOCAL, LDAP or SAAS",
            ));
        }
    };
    let ldap = match body.get("ldapGroupNames") {
        None | Some(Value::Null) => Vec::new(),
        Some(v) if v.as_array().is_some_and(|a| a.iter().all(Value::is_string)) => string_list(v),
        Some(_) => {
            return Err(ApiError::validation(
                "Group 'ldapGroupNames' must be a list of names",
            ));
        }
    };
    Ok(json!({
        "name": name,
        "description": text("description")?,
        "sourceType": source,
        "admin": flag("admin")?,
        "isGovernArchitect": flag("isGovernArchitect")?,
        "ldapGroupNames": ldap,
    }))
}

/// A group as `GET /admin/groups/` lists it.
pub fn group_list_item(stored: Value) -> Value {
    let g = match stored {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    pick(&g, &["name", "description", "sourceType"])
}

/// Refuses a user or group name that cannot be a path segment: empty, longer than
/// 200 characters, or holding `/` or a control character.
pub fn check_name(what: &str, id: &str) -> ApiResult<()> {
    if id.is_empty() || id.len() > 200 || id.chars().any(|c| c == '/' || c.is_control()) {
        return Err(ApiError::validation(format!(
            "Invalid {what} '{id}': 1 to 200 characters, no '/' or control characters"
        )));
    }
    Ok(())
}

/// `body` with the value of every `password` key (user creations and edits) replaced
/// by `"***"`, for the request log (`--record`); `None` when it names no password. A
/// body naming one that is no JSON is replaced whole.
pub fn mask_passwords(body: &[u8]) -> Option<Vec<u8>> {
    const KEY: &[u8] = b"\"password\"";
    if !body.windows(KEY.len()).any(|w| w == KEY) {
        return None;
    }
    fn walk(v: &mut Value) {
        match v {
            Value::Object(m) => {
                for (k, x) in m.iter_mut() {
                    if k == "password" && !x.is_null() {
                        *x = json!("***");
                    } else {
                        walk(x);
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(walk),
            _ => {}
        }
    }
    let Ok(mut value) = serde_json::from_slice::<Value>(body) else {
        return Some(b"***".to_vec());
    };
    walk(&mut value);
    Some(value.to_string().into_bytes())
}
