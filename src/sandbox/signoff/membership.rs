//! Users containers: who belongs to a feedback group or to the approvers.
use crate::sandbox::auth::{Principal, string_list};
use crate::sandbox::error::{ApiError, ApiResult};
use crate::sandbox::store::{Db, Table};
use serde_json::Value;

/// The containers of a list of `{"usersContainer": {...}}` entries.
pub fn containers(entries: &Value) -> Vec<&Value> {
    entries
        .as_array()
        .map(|a| a.iter().map(|e| &e["usersContainer"]).collect())
        .unwrap_or_default()
}

/// Whether `who` is covered by the container (user by login, group by membership).
pub fn matches(container: &Value, who: &Principal) -> bool {
    match container["type"].as_str() {
        Some("user") => container["login"].as_str() == Some(who.login.as_str()),
        Some("group") => container["groupName"]
            .as_str()
            .is_some_and(|g| who.groups.iter().any(|x| x == g)),
        _ => false,
    }
}

/// Whether any entry of the list covers `who`.
pub fn is_member(entries: &Value, who: &Principal) -> bool {
    containers(entries).into_iter().any(|c| matches(c, who))
}

/// Logins covered by the entries, in order, without duplicates.
pub fn resolve(db: &Db, entries: &Value) -> ApiResult<Vec<String>> {
    let users = db.list(Table::Users, "")?;
    let mut out: Vec<String> = Vec::new();
    let mut push = |l: &str| {
        if !out.iter().any(|x| x == l) {
            out.push(l.to_string());
        }
    };
    for c in containers(entries) {
        match c["type"].as_str() {
            Some("user") => {
                if let Some(l) = c["login"].as_str() {
                    push(l);
                }
            }
            Some("group") => {
                let g = c["groupName"].as_str().unwrap_or("");
                for (login, u) in &users {
                    if string_list(&u["groups"]).iter().any(|x| x == g) {
                        push(login);
                    }
                }
            }
            _ => {}
        }
    }
    Ok(out)
}

/// Validates a users container from a request body.
pub fn validate_container(c: &Value) -> ApiResult<Value> {
    let ok = match c["type"].as_str() {
        Some("user") => c["login"].is_string(),
        Some("group") => c["groupName"].is_string(),
        Some("role") => c["roleId"].is_string(),
        Some("global-api-key") => c["keyId"].is_string(),
        _ => false,
    };
    if ok {
        Ok(c.clone())
    } else {
        Err(ApiError::validation(format!(
            "Invalid users container {c}: expected {{\"type\": \"user\", \"login\": ...}} or {{\"type\": \"group\", \"groupName\": ...}} (possible type values are: \"role\", \"global-api-key\", \"user\", \"group\")"
        )))
    }
}
