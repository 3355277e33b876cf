//! `PUT /admin/blueprint/{bp}/version/{bv}/status`: a JSON string body, `DRAFT`,
//! `ACTIVE` or `ARCHIVED`; answers `{"blueprintVersionTrace"}`.
use crate::sandbox::artifact::{load_version, version_key};
use crate::sandbox::auth::Principal;
use crate::sandbox::error::{ApiError, ApiResult};
use crate::sandbox::extract::GovernJson;
use crate::sandbox::rights::require_architect;
use crate::sandbox::state::AppState;
use crate::sandbox::store::Table;
use axum::extract::{Path, State};
use axum::{Extension, Json};
use serde_json::{Value, json};

/// The statuses of a blueprint version.
pub const STATUSES: [&str; 3] = ["DRAFT", "ACTIVE", "ARCHIVED"];

/// Sets the version's status; anything but one of [`STATUSES`] is a 400 listing them.
pub async fn set_status(
    State(st): State<AppState>,
    Extension(me): Extension<Principal>,
    Path((bp, bv)): Path<(String, String)>,
    GovernJson(body): GovernJson<Value>,
) -> ApiResult<Json<Value>> {
    require_architect(&me)?;
    let status = body.as_str().unwrap_or_default().to_string();
    if !STATUSES.contains(&status.as_str()) {
        return Err(ApiError::validation(format!(
            "Invalid blueprint version status {body}: valid statuses are {}",
            STATUSES.join(", ")
        )));
    }
    let trace = st
        .store
        .write_async(move |db| {
            let mut entry = load_version(db, &bp, &bv)?;
            entry["blueprintVersionTrace"]["status"] = json!(status);
            db.put(Table::Versions, &version_key(&bp, &bv), &entry)?;
            Ok(entry["blueprintVersionTrace"].take())
        })
        .await?;
    Ok(Json(json!({ "blueprintVersionTrace": trace })))
}
