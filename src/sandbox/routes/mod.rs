//! Endpoint table and request helpers shared by the route files.
mod artifacts;
mod blueprints;
mod instance;
mod search;
mod signoffs;

use super::error::{ApiError, ApiResult};
use super::server::AppState;
use axum::Router;
use axum::routing::{get, post};
use serde_json::Value;

/// Routes relative to `/dip/publicapi` (also mounted under `/public/api`).
pub fn api() -> Router<AppState> {
    const SO: &str = "/artifact/{ar}/workflow/step/{step}/signoff";
    Router::new()
        .route("/auth/info", get(instance::auth_info))
        .route("/instance-info", get(instance::instance_info))
        .route("/blueprints", get(blueprints::list))
        .route("/blueprint/{bp}", get(blueprints::get_one))
        .route("/blueprint/{bp}/versions", get(blueprints::versions))
        .route("/blueprint/{bp}/version/{bv}", get(blueprints::version))
        .route("/artifacts", post(artifacts::create))
        .route("/artifacts/search", post(search::search))
        .route(
            "/artifact/{ar}",
            get(artifacts::get_one)
                .put(artifacts::save)
                .delete(artifacts::delete),
        )
        .route("/artifact/{ar}/signoffs", get(artifacts::signoffs))
        .route(&format!("{SO}/create"), post(artifacts::create_signoff))
        .route(SO, get(signoffs::get_one))
        .route(
            &format!("{SO}/schedule-reset"),
            post(signoffs::schedule_reset),
        )
        .route(&format!("{SO}/details"), get(signoffs::details))
        .route(
            &format!("{SO}/update-status"),
            post(signoffs::update_status),
        )
        .route(&format!("{SO}/feedback"), post(signoffs::add_feedback))
        .route(
            &format!("{SO}/feedback/{{fb}}"),
            axum::routing::put(signoffs::edit_feedback).delete(signoffs::delete_feedback),
        )
        .route(
            &format!("{SO}/delegate-feedback"),
            post(signoffs::delegate_feedback),
        )
        .route(
            &format!("{SO}/approval"),
            post(signoffs::add_approval)
                .put(signoffs::edit_approval)
                .delete(signoffs::delete_approval),
        )
        .route(
            &format!("{SO}/delegate-approval"),
            post(signoffs::delegate_approval),
        )
}

/// Parses a request body as JSON whatever its Content-Type; empty → `null`.
pub fn json_body(bytes: &[u8]) -> ApiResult<Value> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Null);
    }
    serde_json::from_slice(bytes)
        .map_err(|e| ApiError::validation(format!("Malformed JSON request body: {e}")))
}

/// Parses a JSON body that must be an object.
pub fn object_body(bytes: &[u8]) -> ApiResult<serde_json::Map<String, Value>> {
    match json_body(bytes)? {
        Value::Object(m) => Ok(m),
        Value::Null => Ok(serde_json::Map::new()),
        other => Err(ApiError::validation(format!(
            "Expected a JSON object as request body, got {other}"
        ))),
    }
}

/// A query/JSON boolean: `True`, `true`, `1` … (case-insensitive).
pub fn parse_bool(v: &str) -> Option<bool> {
    match v.to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" => Some(true),
        "false" | "0" | "no" => Some(false),
        _ => None,
    }
}
