//! Sign-off endpoints under `/artifact/{ar}/workflow/step/{step}/signoff`.
use super::{json_body, object_body};
use crate::sandbox::auth::Principal;
use crate::sandbox::error::{ApiError, ApiResult};
use crate::sandbox::server::AppState;
use crate::sandbox::signoff::{ops, reviews};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use serde_json::Value;
use std::collections::HashMap;

type Step = Path<(String, String)>;
type Params = Query<HashMap<String, String>>;

fn group_id(q: &HashMap<String, String>) -> ApiResult<String> {
    q.get("groupId")
        .filter(|g| !g.is_empty())
        .cloned()
        .ok_or_else(|| ApiError::validation("Query parameter groupId is required"))
}

/// `GET` base path: the sign-off.
pub async fn get_one(State(st): State<AppState>, Path((ar, step)): Step) -> ApiResult<Json<Value>> {
    Ok(Json(st.store.read(|db| ops::load(db, &ar, &step))?))
}

/// `POST /schedule-reset` → the sign-off.
pub async fn schedule_reset(
    State(st): State<AppState>,
    Path((ar, step)): Step,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let body = object_body(&body)?;
    Ok(Json(
        st.store
            .write(|db| ops::schedule_reset(db, &ar, &step, &body))?,
    ))
}

/// `GET /details` → resolved feedback groups and approvers.
pub async fn details(State(st): State<AppState>, Path((ar, step)): Step) -> ApiResult<Json<Value>> {
    Ok(Json(st.store.read(|db| ops::details(db, &ar, &step))?))
}

/// `POST /update-status` → the sign-off.
pub async fn update_status(
    State(st): State<AppState>,
    Path((ar, step)): Step,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let body = match json_body(&body)? {
        Value::String(s) => {
            let mut m = serde_json::Map::new();
            m.insert("targetStatus".into(), Value::String(s));
            m
        }
        _ => object_body(&body)?,
    };
    Ok(Json(
        st.store
            .write(|db| ops::update_status(db, &ar, &step, &body))?,
    ))
}

/// `POST /feedback?groupId=` → the feedback.
pub async fn add_feedback(
    State(st): State<AppState>,
    Extension(me): Extension<Principal>,
    Path((ar, step)): Step,
    Query(q): Params,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let g = group_id(&q)?;
    let body = object_body(&body)?;
    Ok(Json(st.store.write(|db| {
        reviews::add_feedback(db, &ar, &step, &g, &body, &me)
    })?))
}

/// `PUT /feedback/{fb}` → the feedback.
pub async fn edit_feedback(
    State(st): State<AppState>,
    Extension(me): Extension<Principal>,
    Path((ar, step, fb)): Path<(String, String, String)>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let body = object_body(&body)?;
    Ok(Json(st.store.write(|db| {
        reviews::edit_feedback(db, &ar, &step, &fb, &body, &me)
    })?))
}

/// `DELETE /feedback/{fb}` → 204.
pub async fn delete_feedback(
    State(st): State<AppState>,
    Extension(me): Extension<Principal>,
    Path((ar, step, fb)): Path<(String, String, String)>,
) -> ApiResult<StatusCode> {
    st.store
        .write(|db| reviews::delete_feedback(db, &ar, &step, &fb, &me))?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /delegate-feedback?groupId=` → the sign-off.
pub async fn delegate_feedback(
    State(st): State<AppState>,
    Extension(me): Extension<Principal>,
    Path((ar, step)): Step,
    Query(q): Params,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let g = group_id(&q)?;
    let c = json_body(&body)?;
    Ok(Json(st.store.write(|db| {
        ops::delegate(db, &ar, &step, Some(&g), &c, &me)
    })?))
}

/// `POST /approval` → the approval.
pub async fn add_approval(
    State(st): State<AppState>,
    Extension(me): Extension<Principal>,
    Path((ar, step)): Step,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let body = object_body(&body)?;
    Ok(Json(st.store.write(|db| {
        reviews::add_approval(db, &ar, &step, &body, &me)
    })?))
}

/// `PUT /approval` → the approval.
pub async fn edit_approval(
    State(st): State<AppState>,
    Extension(me): Extension<Principal>,
    Path((ar, step)): Step,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let body = object_body(&body)?;
    Ok(Json(st.store.write(|db| {
        reviews::edit_approval(db, &ar, &step, &body, &me)
    })?))
}

/// `DELETE /approval` → 204.
pub async fn delete_approval(
    State(st): State<AppState>,
    Extension(me): Extension<Principal>,
    Path((ar, step)): Step,
) -> ApiResult<StatusCode> {
    st.store
        .write(|db| reviews::delete_approval(db, &ar, &step, &me))?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /delegate-approval` → the sign-off.
pub async fn delegate_approval(
    State(st): State<AppState>,
    Extension(me): Extension<Principal>,
    Path((ar, step)): Step,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let c = json_body(&body)?;
    Ok(Json(st.store.write(|db| {
        ops::delegate(db, &ar, &step, None, &c, &me)
    })?))
}
