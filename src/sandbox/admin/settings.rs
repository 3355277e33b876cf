//! The general settings (`/admin/general-settings`) and the IAM settings
//! (`/admin/iam/{sso,ldap,azure-ad}-settings`): one document each in
//! `Table::Settings`, the seeded default until a save replaces it.
//!
//! A save replaces the whole document, but a known key (one of the seeded document,
//! at any depth of its objects) given with another JSON type (a string where an object
//! is, ...) is refused with a 400 naming the key, and nothing changes; `null` is
//! accepted anywhere, unknown keys are kept as given. Each save is an audit entry.
use super::audit::record;
use super::defaults;
use crate::sandbox::auth::Principal;
use crate::sandbox::collection::object;
use crate::sandbox::error::{ApiError, ApiResult};
use crate::sandbox::extract::GovernJson;
use crate::sandbox::rights::require_admin;
use crate::sandbox::shape::kind;
use crate::sandbox::state::AppState;
use crate::sandbox::store::{Db, Table};
use axum::extract::{Path, State};
use axum::{Extension, Json};
use serde_json::{Map, Value};
use std::mem::discriminant;

/// One settings document: its storage key, what messages call it, its default.
#[derive(Clone, Copy)]
struct Doc {
    key: &'static str,
    noun: &'static str,
    default: fn() -> Value,
}

const GENERAL: Doc = Doc {
    key: "general-settings",
    noun: "general settings",
    default: defaults::general,
};

/// The IAM document named by the last path segment, or a 404.
fn iam(segment: &str) -> ApiResult<Doc> {
    let (key, noun, default): (_, _, fn() -> Value) = match segment {
        "sso-settings" => ("iam-sso-settings", "SSO settings", defaults::sso),
        "ldap-settings" => ("iam-ldap-settings", "LDAP settings", defaults::ldap),
        "azure-ad-settings" => (
            "iam-azure-ad-settings",
            "Azure AD settings",
            defaults::azure_ad,
        ),
        other => return Err(ApiError::not_found("IAM settings", other)),
    };
    Ok(Doc { key, noun, default })
}

/// The stored document, or the default.
fn load(db: &Db, doc: Doc) -> ApiResult<Value> {
    Ok(db
        .get(Table::Settings, doc.key)?
        .unwrap_or_else(doc.default))
}

/// The first known key of `reference` that `given` holds with another JSON type, as
/// `path: expected, got`.
fn wrong_type(
    reference: &Map<String, Value>,
    given: &Map<String, Value>,
    at: &str,
) -> Option<String> {
    for (key, value) in given {
        let Some(expected) = reference.get(key) else {
            continue;
        };
        let path = format!("{at}{key}");
        if value.is_null() || expected.is_null() {
            continue;
        }
        if discriminant(value) != discriminant(expected) {
            return Some(format!(
                "'{path}' must be {}, not {}",
                kind(expected),
                kind(value)
            ));
        }
        if let (Value::Object(r), Value::Object(g)) = (expected, value)
            && let Some(found) = wrong_type(r, g, &format!("{path}."))
        {
            return Some(found);
        }
    }
    None
}

/// Checks and stores `body` as `doc` for `me`; answers it as stored.
async fn save(st: AppState, me: Principal, doc: Doc, body: Value) -> ApiResult<Json<Value>> {
    require_admin(&me)?;
    let given = object(doc.noun, body)?;
    if let Value::Object(reference) = (doc.default)()
        && let Some(problem) = wrong_type(&reference, &given, "")
    {
        return Err(ApiError::validation(format!(
            "Invalid {}: {problem}",
            doc.noun
        )));
    }
    let stored = Value::Object(given);
    let answer = stored.clone();
    st.store
        .write_async(move |db| {
            db.put(Table::Settings, doc.key, &stored)?;
            let mut fields = Map::new();
            fields.insert("settings".into(), Value::String(doc.key.into()));
            record(db, &me, "settings-save", fields)
        })
        .await?;
    Ok(Json(answer))
}

/// `GET /admin/general-settings`.
pub async fn get_general(
    State(st): State<AppState>,
    Extension(me): Extension<Principal>,
) -> ApiResult<Json<Value>> {
    require_admin(&me)?;
    Ok(Json(st.store.read_async(|db| load(db, GENERAL)).await?))
}

/// `PUT /admin/general-settings`: replaces them (checked).
pub async fn put_general(
    State(st): State<AppState>,
    Extension(me): Extension<Principal>,
    GovernJson(body): GovernJson<Value>,
) -> ApiResult<Json<Value>> {
    save(st, me, GENERAL, body).await
}

/// `GET /admin/iam/{kind}`.
pub async fn get_iam(
    State(st): State<AppState>,
    Extension(me): Extension<Principal>,
    Path(segment): Path<String>,
) -> ApiResult<Json<Value>> {
    require_admin(&me)?;
    let doc = iam(&segment)?;
    Ok(Json(st.store.read_async(move |db| load(db, doc)).await?))
}

/// `PUT /admin/iam/{kind}` (sent by Python as `/admin//iam/{kind}`): replaces it.
pub async fn put_iam(
    State(st): State<AppState>,
    Extension(me): Extension<Principal>,
    Path(segment): Path<String>,
    GovernJson(body): GovernJson<Value>,
) -> ApiResult<Json<Value>> {
    require_admin(&me)?;
    let doc = iam(&segment)?;
    save(st, me, doc, body).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check(given: Value) -> Option<String> {
        let (Value::Object(r), Value::Object(g)) = (defaults::sso(), given) else {
            unreachable!("objects");
        };
        wrong_type(&r, &g, "")
    }

    #[test]
    fn a_known_key_of_another_type_is_named_with_its_path() {
        assert_eq!(
            check(json!({"openIDParams": {"usePKCE": "yes"}})).as_deref(),
            Some("'openIDParams.usePKCE' must be a boolean, not a string")
        );
        assert!(check(json!({"openIDParams": "x"})).is_some());
    }

    #[test]
    fn unknown_keys_and_nulls_are_accepted() {
        assert_eq!(
            check(json!({"extra": 1, "enabled": null, "enabled2": "x"})),
            None
        );
    }
}
