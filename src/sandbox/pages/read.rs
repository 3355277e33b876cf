//! `/custom-pages`, `/custom-page/{cp}`: the pages as any user reads them, in display
//! order. A page not marked `visible: true` (a preview) is shown only to administrators
//! and Govern architects; to anyone else it does not exist (404).
use super::order;
use crate::sandbox::auth::Principal;
use crate::sandbox::error::{ApiError, ApiResult};
use crate::sandbox::state::AppState;
use crate::sandbox::store::{Db, Table};
use axum::extract::{Path, State};
use axum::{Extension, Json};
use serde_json::Value;

/// Whether `me` may see `page`.
fn sees(me: &Principal, page: &Value) -> bool {
    me.admin || me.architect || page.get("visible") == Some(&Value::Bool(true))
}

/// The pages `me` may see, in display order.
fn visible(db: &Db, me: &Principal) -> ApiResult<Vec<Value>> {
    let mut pages = Vec::new();
    for id in order::load(db)? {
        if let Some(page) = db.get(Table::CustomPages, &id)?
            && sees(me, &page)
        {
            pages.push(page);
        }
    }
    Ok(pages)
}

/// `GET /custom-pages`.
pub async fn list(
    State(st): State<AppState>,
    Extension(me): Extension<Principal>,
) -> ApiResult<Json<Value>> {
    let pages = st.store.read_async(move |db| visible(db, &me)).await?;
    Ok(Json(Value::Array(pages)))
}

/// `GET /custom-page/{cp}`: 404 for a missing page and for one hidden from `me` alike.
pub async fn get_one(
    State(st): State<AppState>,
    Extension(me): Extension<Principal>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let page = st
        .store
        .read_async(move |db| {
            db.get(Table::CustomPages, &id)?
                .filter(|page| sees(&me, page))
                .ok_or_else(|| ApiError::not_found("Custom page", &id))
        })
        .await?;
    Ok(Json(page))
}
