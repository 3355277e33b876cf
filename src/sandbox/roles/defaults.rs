//! `/admin/blueprint-permissions/default`: the permissions of every blueprint that
//! has none of its own, one document (`{permissions}`, no per-field sets) stored in
//! `Table::Settings`. Its routes are static, so they win over
//! `/admin/blueprint-permissions/{bp}`.
use super::permissions;
use crate::sandbox::auth::Principal;
use crate::sandbox::collection::object;
use crate::sandbox::error::ApiResult;
use crate::sandbox::extract::GovernJson;
use crate::sandbox::rights::require_architect;
use crate::sandbox::state::AppState;
use crate::sandbox::store::{Db, Table};
use axum::extract::State;
use axum::{Extension, Json};
use serde_json::{Value, json};

/// The settings key of the default permissions.
pub const KEY: &str = "blueprint-permissions-default";

/// The route (under `/dip/publicapi`).
pub const PATH: &str = "/admin/blueprint-permissions/default";

/// The default permissions; `{"permissions": {}}` (nobody but administrators has
/// rights) on an instance where none were ever saved (`--seed none`).
pub fn load(db: &Db) -> ApiResult<Value> {
    Ok(db
        .get(Table::Settings, KEY)?
        .unwrap_or_else(|| json!({"permissions": {}})))
}

/// `GET`: the default permissions.
pub async fn get(
    State(st): State<AppState>,
    Extension(me): Extension<Principal>,
) -> ApiResult<Json<Value>> {
    require_architect(&me)?;
    Ok(Json(st.store.read_async(load).await?))
}

/// `PUT`: replaces the default permissions, checked; answers them as stored.
pub async fn put(
    State(st): State<AppState>,
    Extension(me): Extension<Principal>,
    GovernJson(body): GovernJson<Value>,
) -> ApiResult<Json<Value>> {
    require_architect(&me)?;
    let doc = object("Default permissions", body)?;
    let stored = st
        .store
        .write_async(move |db| {
            let doc = permissions::document(db, doc, false)?;
            db.put(Table::Settings, KEY, &doc)?;
            Ok(doc)
        })
        .await?;
    Ok(Json(stored))
}
