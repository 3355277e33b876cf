//! `POST /artifacts/search` (protocol §2.15, §3.11).
use super::object_body;
use crate::sandbox::error::ApiResult;
use crate::sandbox::server::AppState;
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use serde_json::Value;

/// Searches artifacts: filters (AND), sort, keyset pagination.
pub async fn search(State(st): State<AppState>, body: Bytes) -> ApiResult<Json<Value>> {
    let query = object_body(&body)?;
    Ok(Json(
        st.store
            .read(|db| crate::sandbox::search::run(db, &query))?,
    ))
}
