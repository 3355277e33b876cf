//! Users' activity and the authorization matrix (global admin).
//!
//! The sandbox has no login page and records no key use: every timestamp of the
//! activity is 0 (Python reads it as `None`), which is true of a sandbox nobody
//! logged into.
use super::admins::People;
use super::users::flag;
use crate::sandbox::auth::{Principal, string_list};
use crate::sandbox::collection::Query;
use crate::sandbox::error::{ApiError, ApiResult};
use crate::sandbox::extract::GovernQuery;
use crate::sandbox::rights::require_admin;
use crate::sandbox::state::AppState;
use crate::sandbox::store::Table;
use axum::extract::{Path, State};
use axum::{Extension, Json};
use serde_json::{Map, Value, json};

/// The activity of `login`: nothing recorded.
fn activity_of(login: &str) -> Value {
    json!({"login": login, "lastSuccessfulLogin": 0, "lastFailedLogin": 0, "lastSessionActivity": 0})
}

/// `GET /admin/users/{login}/activity`.
pub async fn one(
    State(st): State<AppState>,
    Extension(me): Extension<Principal>,
    Path(login): Path<String>,
) -> ApiResult<Json<Value>> {
    require_admin(&me)?;
    let login = st
        .store
        .read_async(move |db| match db.get(Table::Users, &login)? {
            Some(_) => Ok(login),
            None => Err(ApiError::not_found("User", &login)),
        })
        .await?;
    Ok(Json(activity_of(&login)))
}

/// `GET /admin/users-activity?enabledUsersOnly=`.
pub async fn all(
    State(st): State<AppState>,
    Extension(me): Extension<Principal>,
    GovernQuery(query): GovernQuery<Query>,
) -> ApiResult<Json<Value>> {
    require_admin(&me)?;
    let enabled_only = flag(&query, "enabledUsersOnly");
    let users = st.store.read_async(|db| db.list(Table::Users, "")).await?;
    Ok(Json(Value::Array(
        users
            .into_iter()
            .filter(|(_, u)| !enabled_only || u["enabled"].as_bool() != Some(false))
            .map(|(login, _)| activity_of(&login))
            .collect(),
    )))
}

/// `GET /admin/authorization-matrix`: per enabled user and per group, the global
/// rights the sandbox models (`admin`, `isGovernArchitect`) and, per user, its groups.
pub async fn matrix(
    State(st): State<AppState>,
    Extension(me): Extension<Principal>,
) -> ApiResult<Json<Value>> {
    require_admin(&me)?;
    let people = st.store.read_async(People::load).await?;
    let mut per_user = Map::new();
    for (login, user) in &people.users {
        if user["enabled"].as_bool() == Some(false) {
            continue;
        }
        per_user.insert(
            login.clone(),
            json!({
                "admin": people.is_admin(user),
                "isGovernArchitect": people.is_architect(user),
                "groups": string_list(&user["groups"]),
            }),
        );
    }
    let mut names: Vec<&String> = people.groups.keys().collect();
    names.sort();
    let per_group: Map<String, Value> = names
        .into_iter()
        .map(|name| {
            let g = &people.groups[name];
            let flag = |k: &str| g[k].as_bool() == Some(true);
            (
                name.clone(),
                json!({"admin": flag("admin"), "isGovernArchitect": flag("admin") || flag("isGovernArchitect")}),
            )
        })
        .collect();
    Ok(Json(json!({"perUser": per_user, "perGroup": per_group})))
}
