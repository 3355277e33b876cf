//! `POST /artifacts/search` (protocol §2.15, §3.11).
use crate::sandbox::error::ApiResult;
use crate::sandbox::extract::GovernJson;
use crate::sandbox::state::AppState;
use axum::Json;
use axum::extract::State;
use serde_json::{Map, Value};

/// Searches artifacts: filters (AND), sort, keyset pagination.
pub async fn search(
    State(st): State<AppState>,
    GovernJson(query): GovernJson<Map<String, Value>>,
) -> ApiResult<Json<Value>> {
    Ok(Json(
        st.store
            .read_async(move |db| crate::sandbox::search::run(db, &query))
            .await?,
    ))
}
