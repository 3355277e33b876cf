//! `POST /artifacts/search` (protocol §2.15, §3.11).
use crate::sandbox::auth::Principal;
use crate::sandbox::error::ApiResult;
use crate::sandbox::extract::GovernJson;
use crate::sandbox::state::AppState;
use axum::extract::State;
use axum::{Extension, Json};
use serde_json::{Map, Value};

/// Searches artifacts: filters (AND), sort, keyset pagination; only what the caller
/// may read.
pub async fn search(
    State(st): State<AppState>,
    Extension(me): Extension<Principal>,
    GovernJson(query): GovernJson<Map<String, Value>>,
) -> ApiResult<Json<Value>> {
    Ok(Json(
        st.store
            .read_async(move |db| crate::sandbox::search::run(db, &me, &query))
            .await?,
    ))
}
