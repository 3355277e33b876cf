//! What any authenticated caller may read (`/users`, `/users/{login}`, `/groups`)
//! and the caller's own settings (`/current-user`), which need a user behind the key.
use super::docs::{self, check_user_types};
use super::users::edit_user;
use crate::sandbox::auth::Principal;
use crate::sandbox::collection::object;
use crate::sandbox::error::{ApiError, ApiResult};
use crate::sandbox::extract::GovernJson;
use crate::sandbox::state::AppState;
use crate::sandbox::store::{Db, Table};
use axum::extract::{Path, State};
use axum::{Extension, Json};
use serde_json::{Map, Value, json};

/// What a user may change in their own settings.
const OWN_WRITABLE: &[&str] = &["displayName", "email", "userProperties", "password"];

/// `GET /users`: every user's basic information.
pub async fn users(State(st): State<AppState>) -> ApiResult<Json<Value>> {
    let users = st.store.read_async(|db| db.list(Table::Users, "")).await?;
    Ok(Json(Value::Array(
        users.into_iter().map(|(_, u)| docs::info(u)).collect(),
    )))
}

/// `GET /users/{login}`.
pub async fn user(State(st): State<AppState>, Path(login): Path<String>) -> ApiResult<Json<Value>> {
    let user = st
        .store
        .read_async(move |db| {
            db.get(Table::Users, &login)?
                .ok_or_else(|| ApiError::not_found("User", &login))
        })
        .await?;
    Ok(Json(docs::info(user)))
}

/// `GET /groups`: every group's name and description.
pub async fn groups(State(st): State<AppState>) -> ApiResult<Json<Value>> {
    let groups = st.store.read_async(|db| db.list(Table::Groups, "")).await?;
    Ok(Json(Value::Array(
        groups
            .into_iter()
            .map(|(_, g)| json!({"name": g["name"], "description": g["description"]}))
            .collect(),
    )))
}

/// The caller's stored user, or why there is none.
fn own_user(db: &Db, me: &Principal) -> ApiResult<Value> {
    if !me.is_user {
        return Err(ApiError::forbidden(format!(
            "{} is a global API key with no user behind it: /current-user needs a user's key (or X-DKU-ProxyUser)",
            me.login
        )));
    }
    db.get(Table::Users, &me.login)?
        .ok_or_else(|| ApiError::not_found("User", &me.login))
}

/// `GET /current-user`: the caller's settings, without the admin properties.
pub async fn get(
    State(st): State<AppState>,
    Extension(me): Extension<Principal>,
) -> ApiResult<Json<Value>> {
    let user = st.store.read_async(move |db| own_user(db, &me)).await?;
    Ok(Json(docs::own(user)))
}

/// The changes of an own-settings body: the writable keys; any other key must keep
/// its stored value (a user cannot change their own groups, profile, ...).
fn own_changes(stored: &Value, body: Map<String, Value>) -> ApiResult<Map<String, Value>> {
    let current = docs::settings(stored.clone());
    let mut changes = Map::new();
    for (k, v) in body {
        if OWN_WRITABLE.contains(&k.as_str()) {
            changes.insert(k, v);
        } else if current.get(&k) != Some(&v) {
            return Err(ApiError::forbidden(format!(
                "You may not change your own '{k}'; you may change {}",
                OWN_WRITABLE.join(", ")
            )));
        }
    }
    check_user_types(&changes)?;
    Ok(changes)
}

/// `PUT /current-user`: saves the caller's writable settings; answers them.
pub async fn put(
    State(st): State<AppState>,
    Extension(me): Extension<Principal>,
    GovernJson(body): GovernJson<Value>,
) -> ApiResult<Json<Value>> {
    let saved = st
        .store
        .write_async(move |db| {
            let stored = own_user(db, &me)?;
            let changes = own_changes(&stored, object("Settings", body)?)?;
            let user = edit_user(db, &me.login, stored, changes)?;
            db.put(Table::Users, &me.login, &user)?;
            Ok(user)
        })
        .await?;
    Ok(Json(docs::own(saved)))
}
