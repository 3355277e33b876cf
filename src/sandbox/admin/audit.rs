//! The audit trail and the logs that show it: `POST /admin/audit/custom/{type}` records
//! a custom entry; the sandbox records its own admin changes the same way. Entries are
//! kept in `Table::AuditLog`, keyed by a zero-padded sequence number (so in order),
//! each with the acting identity and the time; `GET /admin/logs/audit.log` answers
//! them as JSON lines (a JSON string, as Govern answers a log's content).
use crate::sandbox::auth::Principal;
use crate::sandbox::error::{ApiError, ApiResult};
use crate::sandbox::extract::GovernJson;
use crate::sandbox::rights::require_admin;
use crate::sandbox::state::AppState;
use crate::sandbox::store::{Db, Table};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use serde_json::{Map, Value, json};

/// The one log the sandbox keeps.
pub const AUDIT_LOG: &str = "audit.log";

/// Appends an audit entry of type `msg_type` made by `me`, with `fields` merged in.
pub fn record(
    db: &Db,
    me: &Principal,
    msg_type: &str,
    fields: Map<String, Value>,
) -> ApiResult<()> {
    let seq = db.next_id("audit")?;
    let mut entry = json!({
        "seq": seq,
        "timestamp": crate::sandbox::now_ms(),
        "msgType": msg_type,
        "authIdentifier": me.login,
        "authSource": if me.is_user { "USER" } else { "GLOBAL_API_KEY" },
        "apiKeyId": me.key_id,
    });
    if let Value::Object(e) = &mut entry {
        e.extend(fields);
    }
    db.put(Table::AuditLog, &format!("{seq:012}"), &entry)
}

/// `GET /admin/logs/`: the log names.
pub async fn list_logs(Extension(me): Extension<Principal>) -> ApiResult<Json<Value>> {
    require_admin(&me)?;
    Ok(Json(json!([AUDIT_LOG])))
}

/// `GET /admin/logs/{name}`: the log's content, one JSON entry per line, as a string.
pub async fn get_log(
    State(st): State<AppState>,
    Extension(me): Extension<Principal>,
    Path(name): Path<String>,
) -> ApiResult<Json<Value>> {
    require_admin(&me)?;
    if name != AUDIT_LOG {
        return Err(ApiError::not_found("Log file", &name));
    }
    let entries = st
        .store
        .read_async(|db| db.list(Table::AuditLog, ""))
        .await?;
    let text: String = entries
        .iter()
        .map(|(_, entry)| format!("{entry}\n"))
        .collect();
    Ok(Json(Value::String(text)))
}

/// `POST /admin/audit/custom/{type}`: records `customMsgType` and `customMsgParams`
/// (the body: a JSON object, or nothing for `{}`); answers 204.
pub async fn custom(
    State(st): State<AppState>,
    Extension(me): Extension<Principal>,
    Path(kind): Path<String>,
    GovernJson(body): GovernJson<Value>,
) -> ApiResult<StatusCode> {
    require_admin(&me)?;
    let params = match body {
        Value::Null => Value::Object(Map::new()),
        Value::Object(m) => Value::Object(m),
        other => {
            return Err(ApiError::validation(format!(
                "customMsgParams must be a JSON object, got {}",
                crate::sandbox::shape::kind(&other)
            )));
        }
    };
    st.store
        .write_async(move |db| {
            let mut fields = Map::new();
            fields.insert("customMsgType".into(), Value::String(kind));
            fields.insert("customMsgParams".into(), params);
            record(db, &me, "custom", fields)
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
