//! `/auth/info` and `/instance-info`.
use crate::sandbox::auth::Principal;
use axum::{Extension, Json};
use serde_json::{Value, json};

/// `GET /auth/info`: who the request acts as.
pub async fn auth_info(Extension(me): Extension<Principal>) -> Json<Value> {
    Json(json!({
        "authIdentifier": me.login,
        "groups": me.groups,
        "isAdmin": me.admin,
        "authSource": "PERSONAL_API_KEY",
        "via": [],
    }))
}

/// `GET /instance-info`.
pub async fn instance_info() -> Json<Value> {
    Json(json!({
        "nodeId": "govscript-sandbox",
        "nodeName": "govscript sandbox",
        "nodeType": "GOVERN",
    }))
}
