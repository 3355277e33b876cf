//! Global API key documents: what is stored, what is answered, what a save may change.
//!
//! Stored (table `api_keys`, keyed by the SHA-256 of the secret, never the secret):
//! `{id: "gk.<n>", kind: "global", label, description, createdOn, createdBy,
//! globalPermissions: {admin}, groups?, expiresOn?, expiry?, dssUserForImpersonation?}`.
//! Answers are the stored document without `kind`: Govern's secure (hashed) API keys,
//! whose secret only the creation answer carries.
use crate::sandbox::auth::string_list;
use crate::sandbox::error::{ApiError, ApiResult};
use crate::sandbox::store::{Db, Table};
use serde_json::{Map, Value, json};

/// The keys of a definition a save may change.
const EDITABLE: &[&str] = &[
    "label",
    "description",
    "groups",
    "globalPermissions",
    "expiry",
    "expiresOn",
    "dssUserForImpersonation",
];

/// The definition answered for a stored key document (no secret, no storage fields).
pub fn answer(stored: &Value) -> Value {
    let mut doc = stored.clone();
    if let Some(map) = doc.as_object_mut() {
        map.remove("kind");
        map.remove("login");
    }
    doc
}

/// The body as a JSON object, or a 400.
fn object(body: Value) -> ApiResult<Map<String, Value>> {
    match body {
        Value::Object(map) => Ok(map),
        Value::Null => Ok(Map::new()),
        other => Err(ApiError::validation(format!(
            "An API key definition must be a JSON object, got {}",
            crate::sandbox::shape::kind(&other)
        ))),
    }
}

/// Checks `value` (at `key`) is a string or null.
fn text(map: &Map<String, Value>, key: &str) -> ApiResult<()> {
    match map.get(key) {
        None | Some(Value::Null) | Some(Value::String(_)) => Ok(()),
        Some(other) => Err(ApiError::validation(format!(
            "{key} must be a string, got {}",
            crate::sandbox::shape::kind(other)
        ))),
    }
}

/// Checks `groups` is a list of existing group names.
fn groups(db: &Db, value: &Value) -> ApiResult<()> {
    let Some(list) = value.as_array() else {
        return Err(ApiError::validation("groups must be a list of group names"));
    };
    if list.iter().any(|g| !g.is_string()) {
        return Err(ApiError::validation("groups must be a list of group names"));
    }
    for name in string_list(value) {
        if db.get(Table::Groups, &name)?.is_none() {
            return Err(ApiError::validation(format!(
                "Group {name} does not exist: create it first"
            )));
        }
    }
    Ok(())
}

/// Checks the fields of a definition a creation or a save sends.
fn check(db: &Db, map: &Map<String, Value>) -> ApiResult<()> {
    for key in ["label", "description", "dssUserForImpersonation"] {
        text(map, key)?;
    }
    if let Some(g) = map.get("groups").filter(|g| !g.is_null()) {
        groups(db, g)?;
    }
    match map.get("globalPermissions") {
        None | Some(Value::Null) => {}
        Some(Value::Object(p)) => {
            if let Some(unknown) = p.keys().find(|k| k.as_str() != "admin") {
                return Err(ApiError::validation(format!(
                    "Unknown global permission '{unknown}' (the sandbox models 'admin')"
                )));
            }
            if p.get("admin").is_some_and(|a| !a.is_boolean()) {
                return Err(ApiError::validation(
                    "globalPermissions.admin must be a boolean",
                ));
            }
        }
        Some(_) => return Err(ApiError::validation("globalPermissions must be an object")),
    }
    for key in ["expiry", "expiresOn"] {
        if map.get(key).is_some_and(|v| !v.is_null() && !v.is_i64()) {
            return Err(ApiError::validation(format!(
                "{key} must be a whole number"
            )));
        }
    }
    Ok(())
}

/// The document to store for a creation body (`{label, description,
/// globalPermissions: {admin}}` or `{label, description, groups}`).
pub fn create(db: &Db, body: Value, id: String, creator: &str, now: i64) -> ApiResult<Value> {
    let map = object(body)?;
    check(db, &map)?;
    let admin = map
        .get("globalPermissions")
        .and_then(|p| p.get("admin"))
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let mut doc = json!({
        "id": id,
        "kind": "global",
        "label": map.get("label").cloned().unwrap_or(Value::Null),
        "description": map.get("description").cloned().unwrap_or(Value::Null),
        "createdOn": now,
        "createdBy": creator,
        "globalPermissions": {"admin": admin},
    });
    if let Some(g) = map.get("groups").filter(|g| !g.is_null()) {
        doc["groups"] = g.clone();
    }
    if let Some(days) = map.get("expiry").and_then(Value::as_i64).filter(|d| *d > 0) {
        doc["expiry"] = days.into();
        doc["expiresOn"] = (now + days * 86_400_000).into();
    }
    Ok(doc)
}

/// The document to store for a save of `old` (stored under `hash`): the editable keys
/// are taken from `body`; its `id` must be the key's, and a `key` in it must be the
/// key's own secret (a secret cannot be changed).
pub fn save(db: &Db, old: Value, hash: &str, body: Value) -> ApiResult<Value> {
    let map = object(body)?;
    if let Some(id) = map.get("id").filter(|v| !v.is_null())
        && Some(id) != old.get("id")
    {
        return Err(ApiError::validation(format!(
            "The API key id cannot be changed (the definition names {id})"
        )));
    }
    if let Some(secret) = map.get("key").filter(|v| !v.is_null())
        && secret.as_str().map(crate::sandbox::auth::key_id).as_deref() != Some(hash)
    {
        return Err(ApiError::validation(
            "The secret of an API key cannot be changed",
        ));
    }
    check(db, &map)?;
    let mut doc = old;
    for key in EDITABLE {
        match map.get(*key) {
            Some(Value::Null) if *key == "globalPermissions" => {}
            Some(value) => doc[*key] = value.clone(),
            None => {}
        }
    }
    if let Some(days) = map.get("expiry").and_then(Value::as_i64)
        && days > 0
        && !map.contains_key("expiresOn")
    {
        let created = doc["createdOn"].as_i64().unwrap_or(0);
        doc["expiresOn"] = (created + days * 86_400_000).into();
    }
    Ok(doc)
}
