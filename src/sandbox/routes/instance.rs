//! `/auth/info` and `/instance-info`.
use crate::sandbox::auth::{Impersonator, Principal};
use axum::{Extension, Json};
use serde_json::{Value, json};

/// `GET /auth/info`: who the request acts as. `authIdentifier` is the user's login,
/// or the global API key's id; an impersonated request (`X-DKU-ProxyUser`) reports the
/// impersonated user, with the key's own identity under `via`.
pub async fn auth_info(
    Extension(me): Extension<Principal>,
    via: Option<Extension<Impersonator>>,
) -> Json<Value> {
    let source = |p: &Principal| {
        if p.is_user {
            "PERSONAL_API_KEY"
        } else {
            "GLOBAL_API_KEY"
        }
    };
    let (auth_source, via) = match via {
        Some(Extension(Impersonator(key))) => (
            "IMPERSONATION",
            vec![json!({"authIdentifier": key.login, "authSource": source(&key)})],
        ),
        None => (source(&me), Vec::new()),
    };
    Json(json!({
        "authIdentifier": me.login,
        "groups": me.groups,
        "isAdmin": me.admin,
        "isGovernArchitect": me.architect,
        "authSource": auth_source,
        "via": via,
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
