//! `/admin/users/actions/bulk`: create (POST), edit (PUT) and delete (DELETE) many
//! users in one call. Each item succeeds or fails on its own (Govern's
//! `{login, status: SUCCESS|FAILURE, error}`); a failed item changes nothing.
use super::users::{Users, delete_user, edit_user, flag, new_user};
use crate::sandbox::auth::Principal;
use crate::sandbox::collection::{Collection, Query};
use crate::sandbox::error::{ApiError, ApiResult};
use crate::sandbox::extract::{GovernJson, GovernQuery};
use crate::sandbox::rights::require_admin;
use crate::sandbox::state::AppState;
use crate::sandbox::store::{Db, Table};
use axum::extract::State;
use axum::{Extension, Json};
use serde_json::{Map, Value, json};

/// The status item of one login.
fn status(login: &str, outcome: ApiResult<()>) -> Value {
    match outcome {
        Ok(()) => json!({"login": login, "status": "SUCCESS", "error": ""}),
        Err(e) => json!({"login": login, "status": "FAILURE", "error": e.detailed}),
    }
}

/// The body's items, or a 400: bulk calls take a JSON list.
fn items(body: Value) -> ApiResult<Vec<Value>> {
    match body {
        Value::Array(items) => Ok(items),
        _ => Err(ApiError::validation(
            "A bulk user operation takes a JSON list",
        )),
    }
}

/// An item's login and settings, or why it is no user dict.
fn user_item(item: Value) -> (String, ApiResult<Map<String, Value>>) {
    let login = item["login"].as_str().unwrap_or_default().to_string();
    let settings = match item {
        Value::Object(m) if !login.is_empty() => Ok(m),
        Value::Object(_) => Err(ApiError::validation("Each user needs a login")),
        _ => Err(ApiError::validation("Each user must be a JSON object")),
    };
    (login, settings)
}

/// Runs `one` on every item in one transaction; answers the status list.
async fn each(
    st: AppState,
    me: Principal,
    body: Value,
    one: impl Fn(&Db, &Principal, Value) -> (String, ApiResult<()>) + Send + 'static,
) -> ApiResult<Json<Value>> {
    require_admin(&me)?;
    let items = items(body)?;
    let statuses = st
        .store
        .write_async(move |db| {
            Ok(items
                .into_iter()
                .map(|item| {
                    let (login, outcome) = one(db, &me, item);
                    status(&login, outcome)
                })
                .collect::<Vec<_>>())
        })
        .await?;
    Ok(Json(Value::Array(statuses)))
}

/// `POST`: creates each user.
pub async fn create(
    State(st): State<AppState>,
    Extension(me): Extension<Principal>,
    GovernJson(body): GovernJson<Value>,
) -> ApiResult<Json<Value>> {
    each(st, me, body, |db, _, item| {
        let (login, settings) = user_item(item);
        let outcome = settings.and_then(|settings| {
            Users.check_id("user login", &login)?;
            if db.get(Table::Users, &login)?.is_some() {
                return Err(ApiError::conflict(format!("User already exists: {login}")));
            }
            let user = new_user(db, &login, Value::Object(settings))?;
            db.put(Table::Users, &login, &user)
        });
        (login, outcome)
    })
    .await
}

/// `PUT`: applies each item's settings to the user it names.
pub async fn edit(
    State(st): State<AppState>,
    Extension(me): Extension<Principal>,
    GovernJson(body): GovernJson<Value>,
) -> ApiResult<Json<Value>> {
    each(st, me, body, |db, _, item| {
        let (login, changes) = user_item(item);
        let outcome = changes.and_then(|changes| {
            let old = db
                .get(Table::Users, &login)?
                .ok_or_else(|| ApiError::not_found("User", &login))?;
            let user = edit_user(db, &login, old, changes)?;
            db.put(Table::Users, &login, &user)
        });
        (login, outcome)
    })
    .await
}

/// `DELETE ?allowSelfDeletion=`: deletes each login.
pub async fn delete(
    State(st): State<AppState>,
    Extension(me): Extension<Principal>,
    GovernQuery(query): GovernQuery<Query>,
    GovernJson(body): GovernJson<Value>,
) -> ApiResult<Json<Value>> {
    let allow_self = flag(&query, "allowSelfDeletion");
    each(st, me, body, move |db, me, item| match item.as_str() {
        Some(login) => (login.to_string(), delete_user(db, me, login, allow_self)),
        None => (
            item.to_string(),
            Err(ApiError::validation("Each login must be a string")),
        ),
    })
    .await
}
