//! Licensing: `GET /admin/licensing/status` and `POST /admin/licensing/license`.
//!
//! Govern checks a license's signature with Dataiku's key; the sandbox cannot, so it
//! checks the shape of the license file instead: a JSON object with `content` (an
//! object naming its `licensee`, a string or an object, with an optional `expiresOn`
//! in epoch milliseconds that must be in the future and an optional `licenseKind`)
//! and a non-empty `signature` string. Anything else is refused with a Govern-style
//! 400 and the status stays as it was; a valid license becomes the status.
use super::audit::record;
use super::defaults;
use crate::sandbox::auth::Principal;
use crate::sandbox::error::{ApiError, ApiResult};
use crate::sandbox::extract::GovernJson;
use crate::sandbox::rights::require_admin;
use crate::sandbox::shape::kind;
use crate::sandbox::state::AppState;
use crate::sandbox::store::Table;
use axum::extract::State;
use axum::http::StatusCode;
use axum::{Extension, Json};
use serde_json::{Map, Value, json};

/// The settings key of the licensing status.
const KEY: &str = "licensing-status";

/// `GET`: the status (the seeded one until a license is set).
pub async fn status(
    State(st): State<AppState>,
    Extension(me): Extension<Principal>,
) -> ApiResult<Json<Value>> {
    require_admin(&me)?;
    let status = st
        .store
        .read_async(|db| {
            Ok(db
                .get(Table::Settings, KEY)?
                .unwrap_or_else(defaults::licensing_status))
        })
        .await?;
    Ok(Json(status))
}

/// The status a license gives, or why it is invalid.
fn checked(license: &Value, now: i64) -> Result<Value, String> {
    let Value::Object(license) = license else {
        return Err(format!(
            "the license must be a JSON object, not {}",
            kind(license)
        ));
    };
    let content = match license.get("content") {
        Some(Value::Object(c)) => c,
        Some(other) => return Err(format!("'content' must be an object, not {}", kind(other))),
        None => return Err("the license has no 'content'".into()),
    };
    match content.get("licensee") {
        Some(Value::String(s)) if !s.is_empty() => {}
        Some(Value::Object(_)) => {}
        _ => return Err("'content.licensee' must name the licensee".into()),
    }
    let expires = match content.get("expiresOn") {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) => match n.as_i64() {
            Some(ms) if ms > now => Some(ms),
            Some(_) => return Err("the license has expired ('content.expiresOn' is past)".into()),
            None => return Err("'content.expiresOn' must be epoch milliseconds".into()),
        },
        Some(other) => {
            return Err(format!(
                "'content.expiresOn' must be a number, not {}",
                kind(other)
            ));
        }
    };
    match license.get("signature") {
        Some(Value::String(s)) if !s.is_empty() => {}
        _ => return Err("the license has no 'signature'".into()),
    }
    Ok(json!({
        "hasLicense": true,
        "licenseKind": content.get("licenseKind").cloned().unwrap_or_else(|| json!("STANDARD")),
        "licensee": content["licensee"],
        "expiresOn": expires,
        "expired": false,
        "source": "SET_BY_API",
        "setOn": now,
    }))
}

/// `POST`: sets the license (checked as the module docs say); answers 204.
pub async fn set_license(
    State(st): State<AppState>,
    Extension(me): Extension<Principal>,
    GovernJson(body): GovernJson<Value>,
) -> ApiResult<StatusCode> {
    require_admin(&me)?;
    let status = checked(&body, crate::sandbox::now_ms())
        .map_err(|why| ApiError::validation(format!("Invalid license: {why}")))?;
    st.store
        .write_async(move |db| {
            db.put(Table::Settings, KEY, &status)?;
            let mut fields = Map::new();
            fields.insert("licensee".into(), status["licensee"].clone());
            record(db, &me, "license-set", fields)
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_license_without_signature_or_past_expiry_is_refused() {
        let ok = json!({"content": {"licensee": "ACME", "expiresOn": 2000}, "signature": "s"});
        assert_eq!(
            checked(&ok, 1000).map(|s| s["licensee"].clone()),
            Ok(json!("ACME"))
        );
        let unsigned = json!({"content": {"licensee": "ACME"}});
        assert!(checked(&unsigned, 1000).unwrap_err().contains("signature"));
        assert!(checked(&ok, 3000).unwrap_err().contains("expired"));
        assert!(checked(&json!("x"), 0).unwrap_err().contains("JSON object"));
    }
}
