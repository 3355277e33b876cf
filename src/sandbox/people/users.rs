//! `/admin/users`: users as a generic collection (create, get, save) whose hooks are
//! Govern's rules, plus the list (`includeSettings`) and the deletion
//! (`allowSelfDeletion`), which need the query and the caller. The single and bulk
//! calls share [`new_user`], [`edit_user`] and [`delete_user`].
use super::admins::{People, check_groups_exist};
use super::docs::{self, USER_KEYS, check_keys, check_name, check_user_types};
use crate::protocol::{Resource, resources};
use crate::sandbox::auth::Principal;
use crate::sandbox::collection::{Collection, Query, object};
use crate::sandbox::error::{ApiError, ApiResult};
use crate::sandbox::extract::GovernQuery;
use crate::sandbox::rights::require_admin;
use crate::sandbox::state::AppState;
use crate::sandbox::store::{Db, Table};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use serde_json::{Map, Value, json};

/// The users collection.
pub struct Users;

impl Collection for Users {
    fn resource(&self) -> &'static Resource {
        &resources::ADMIN_USERS
    }

    fn table(&self) -> Table {
        Table::Users
    }

    fn check_id(&self, what: &str, id: &str) -> ApiResult<()> {
        check_name(what, id)
    }

    fn create(&self, db: &Db, key: &[String], _q: &Query, body: Value) -> ApiResult<Value> {
        new_user(db, &key.join("/"), body)
    }

    fn save(
        &self,
        db: &Db,
        key: &[String],
        _q: &Query,
        old: Value,
        body: Value,
    ) -> ApiResult<Value> {
        edit_user(db, &key.join("/"), old, object("User", body)?)
    }

    /// Every answer (get, create, save) shows the settings, never the internal keys.
    fn definition(&self, stored: Value) -> Value {
        docs::settings(stored)
    }

    fn list_item(&self, stored: Value) -> Value {
        docs::list_item(stored)
    }
}

/// A new user `login` from a creation body: its settings checked, the groups
/// existing, the password hashed, `creationDate` now.
pub fn new_user(db: &Db, login: &str, body: Value) -> ApiResult<Value> {
    let body = object("User", body)?;
    check_keys("user", &body, USER_KEYS)?;
    check_user_types(&body)?;
    if let Some(groups) = body.get("groups") {
        check_groups_exist(db, groups)?;
    }
    let mut user = Map::new();
    user.insert("login".into(), json!(login));
    user.insert("creationDate".into(), json!(crate::sandbox::now_ms()));
    user.insert("admin".into(), json!(false));
    docs::apply_user_changes(&mut user, body);
    Ok(Value::Object(docs::user(Value::Object(user))))
}

/// The stored user `login` (`old`) with `changes` applied: keys it leaves out keep
/// their value; refused when a group is unknown, the login differs, or no enabled
/// administrator would be left.
pub fn edit_user(
    db: &Db,
    login: &str,
    old: Value,
    changes: Map<String, Value>,
) -> ApiResult<Value> {
    check_keys("user", &changes, USER_KEYS)?;
    check_user_types(&changes)?;
    if let Some(given) = changes.get("login").and_then(Value::as_str)
        && given != login
    {
        return Err(ApiError::validation(format!(
            "User logins do not match: {given} in the body, {login} in the URL (a login cannot change)"
        )));
    }
    if let Some(groups) = changes.get("groups") {
        check_groups_exist(db, groups)?;
    }
    let mut user = docs::user(old);
    docs::apply_user_changes(&mut user, changes);
    let user = Value::Object(user);
    let mut people = People::load(db)?;
    people.set_user(login, Some(user.clone()));
    people.ensure_an_admin(&format!("change user {login}"))?;
    Ok(user)
}

/// Deletes user `login` and its API keys, unless it is the caller (without
/// `allow_self`) or the last enabled administrator.
pub fn delete_user(db: &Db, me: &Principal, login: &str, allow_self: bool) -> ApiResult<()> {
    if db.get(Table::Users, login)?.is_none() {
        return Err(ApiError::not_found("User", login));
    }
    if login == me.login && !allow_self {
        return Err(ApiError::validation(format!(
            "Cannot delete your own user ({login}) unless allowSelfDeletion is set"
        )));
    }
    let mut people = People::load(db)?;
    people.set_user(login, None);
    people.ensure_an_admin(&format!("delete user {login}"))?;
    db.delete(Table::Users, login)?;
    for key in db.ids_where(Table::ApiKeys, &[("$.login", login)])? {
        db.delete(Table::ApiKeys, &key)?;
    }
    Ok(())
}

/// Whether a query flag is set (`True`, as Python sends it, or `true`).
pub fn flag(query: &Query, name: &str) -> bool {
    query
        .get(name)
        .is_some_and(|v| v.eq_ignore_ascii_case("true"))
}

/// `GET /admin/users/?includeSettings=`: list items, or every setting.
pub async fn list(
    State(st): State<AppState>,
    Extension(me): Extension<Principal>,
    GovernQuery(query): GovernQuery<Query>,
) -> ApiResult<Json<Value>> {
    require_admin(&me)?;
    let with_settings = flag(&query, "includeSettings");
    let users = st.store.read_async(|db| db.list(Table::Users, "")).await?;
    Ok(Json(Value::Array(
        users
            .into_iter()
            .map(|(_, u)| {
                if with_settings {
                    docs::settings(u)
                } else {
                    docs::list_item(u)
                }
            })
            .collect(),
    )))
}

/// `DELETE /admin/users/{login}?allowSelfDeletion=` → 204.
pub async fn delete(
    State(st): State<AppState>,
    Extension(me): Extension<Principal>,
    Path(login): Path<String>,
    GovernQuery(query): GovernQuery<Query>,
) -> ApiResult<StatusCode> {
    require_admin(&me)?;
    let allow_self = flag(&query, "allowSelfDeletion");
    st.store
        .write_async(move |db| delete_user(db, &me, &login, allow_self))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
