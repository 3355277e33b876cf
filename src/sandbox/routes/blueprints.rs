//! Read-only blueprints and blueprint versions.
use crate::sandbox::artifact::load_version;
use crate::sandbox::auth::Principal;
use crate::sandbox::error::{ApiError, ApiResult};
use crate::sandbox::state::AppState;
use crate::sandbox::store::Table;
use axum::extract::{Path, State};
use axum::{Extension, Json};
use serde_json::{Value, json};

/// `GET /blueprints`: list items `{"blueprint": {...}}`.
pub async fn list(State(st): State<AppState>) -> ApiResult<Json<Value>> {
    let items = st
        .store
        .read_async(move |db| db.list(Table::Blueprints, ""))
        .await?;
    Ok(Json(Value::Array(
        items
            .into_iter()
            .map(|(_, bp)| json!({ "blueprint": bp }))
            .collect(),
    )))
}

/// `GET /blueprint/{bp}`.
pub async fn get_one(State(st): State<AppState>, Path(bp): Path<String>) -> ApiResult<Json<Value>> {
    let doc = st
        .store
        .read_async(move |db| {
            let doc = db.get(Table::Blueprints, &bp)?;
            doc.ok_or_else(|| ApiError::not_found("Blueprint", &bp))
        })
        .await?;
    Ok(Json(json!({ "blueprint": doc })))
}

/// `GET /blueprint/{bp}/versions`: non-admins do not see DRAFT versions.
pub async fn versions(
    State(st): State<AppState>,
    Extension(me): Extension<Principal>,
    Path(bp): Path<String>,
) -> ApiResult<Json<Value>> {
    let items = st
        .store
        .read_async(move |db| {
            if db.get(Table::Blueprints, &bp)?.is_none() {
                return Err(ApiError::not_found("Blueprint", &bp));
            }
            db.list(Table::Versions, &format!("{bp}/"))
        })
        .await?;
    Ok(Json(Value::Array(
        items
            .into_iter()
            .map(|(_, v)| v)
            .filter(|v| me.admin || v["blueprintVersionTrace"]["status"] != "DRAFT")
            .collect(),
    )))
}

/// `GET /blueprint/{bp}/version/{bv}`: definition and trace.
pub async fn version(
    State(st): State<AppState>,
    Path((bp, bv)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    Ok(Json(
        st.store
            .read_async(move |db| load_version(db, &bp, &bv))
            .await?,
    ))
}
