//! Sign-off endpoints under `/artifact/{ar}/workflow/step/{step}/signoff`.
use crate::sandbox::auth::Principal;
use crate::sandbox::error::ApiResult;
use crate::sandbox::extract::{GovernJson, GovernQuery};
use crate::sandbox::signoff::requests::{
    ApprovalRequest, FeedbackRequest, GroupIdQuery, UpdateStatusBody,
};
use crate::sandbox::signoff::{ops, reviews};
use crate::sandbox::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use serde_json::{Map, Value};

type Step = Path<(String, String)>;
type Me = Extension<Principal>;

/// `GET` base path: the sign-off.
pub async fn get_one(State(st): State<AppState>, Path((ar, step)): Step) -> ApiResult<Json<Value>> {
    Ok(Json(
        st.store
            .read_async(move |db| ops::load(db, &ar, &step))
            .await?,
    ))
}

/// `POST /schedule-reset` → the sign-off.
pub async fn schedule_reset(
    State(st): State<AppState>,
    Path((ar, step)): Step,
    GovernJson(body): GovernJson<Map<String, Value>>,
) -> ApiResult<Json<Value>> {
    Ok(Json(
        st.store
            .write_async(move |db| ops::schedule_reset(db, &ar, &step, &body))
            .await?,
    ))
}

/// `GET /details` → resolved feedback groups and approvers.
pub async fn details(State(st): State<AppState>, Path((ar, step)): Step) -> ApiResult<Json<Value>> {
    Ok(Json(
        st.store
            .read_async(move |db| ops::details(db, &ar, &step))
            .await?,
    ))
}

/// `POST /update-status` → the sign-off.
pub async fn update_status(
    State(st): State<AppState>,
    Path((ar, step)): Step,
    GovernJson(UpdateStatusBody(body)): GovernJson<UpdateStatusBody>,
) -> ApiResult<Json<Value>> {
    Ok(Json(
        st.store
            .write_async(move |db| ops::update_status(db, &ar, &step, &body))
            .await?,
    ))
}

/// `POST /feedback?groupId=` → the feedback.
pub async fn add_feedback(
    State(st): State<AppState>,
    Extension(me): Me,
    Path((ar, step)): Step,
    GovernQuery(q): GovernQuery<GroupIdQuery>,
    GovernJson(body): GovernJson<FeedbackRequest>,
) -> ApiResult<Json<Value>> {
    Ok(Json(
        st.store
            .write_async(move |db| reviews::add_feedback(db, &ar, &step, &q.group_id, &body, &me))
            .await?,
    ))
}

/// `PUT /feedback/{fb}` → the feedback.
pub async fn edit_feedback(
    State(st): State<AppState>,
    Extension(me): Me,
    Path((ar, step, fb)): Path<(String, String, String)>,
    GovernJson(body): GovernJson<FeedbackRequest>,
) -> ApiResult<Json<Value>> {
    Ok(Json(
        st.store
            .write_async(move |db| reviews::edit_feedback(db, &ar, &step, &fb, &body, &me))
            .await?,
    ))
}

/// `DELETE /feedback/{fb}` → 204.
pub async fn delete_feedback(
    State(st): State<AppState>,
    Extension(me): Me,
    Path((ar, step, fb)): Path<(String, String, String)>,
) -> ApiResult<StatusCode> {
    st.store
        .write_async(move |db| reviews::delete_feedback(db, &ar, &step, &fb, &me))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /delegate-feedback?groupId=` (body: a users container) → the sign-off.
pub async fn delegate_feedback(
    State(st): State<AppState>,
    Extension(me): Me,
    Path((ar, step)): Step,
    GovernQuery(q): GovernQuery<GroupIdQuery>,
    GovernJson(container): GovernJson<Value>,
) -> ApiResult<Json<Value>> {
    Ok(Json(
        st.store
            .write_async(move |db| {
                ops::delegate(db, &ar, &step, Some(&q.group_id), &container, &me)
            })
            .await?,
    ))
}

/// `POST /approval` → the approval.
pub async fn add_approval(
    State(st): State<AppState>,
    Extension(me): Me,
    Path((ar, step)): Step,
    GovernJson(body): GovernJson<ApprovalRequest>,
) -> ApiResult<Json<Value>> {
    Ok(Json(
        st.store
            .write_async(move |db| reviews::add_approval(db, &ar, &step, &body, &me))
            .await?,
    ))
}

/// `PUT /approval` → the approval.
pub async fn edit_approval(
    State(st): State<AppState>,
    Extension(me): Me,
    Path((ar, step)): Step,
    GovernJson(body): GovernJson<ApprovalRequest>,
) -> ApiResult<Json<Value>> {
    Ok(Json(
        st.store
            .write_async(move |db| reviews::edit_approval(db, &ar, &step, &body, &me))
            .await?,
    ))
}

/// `DELETE /approval` → 204.
pub async fn delete_approval(
    State(st): State<AppState>,
    Extension(me): Me,
    Path((ar, step)): Step,
) -> ApiResult<StatusCode> {
    st.store
        .write_async(move |db| reviews::delete_approval(db, &ar, &step, &me))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /delegate-approval` (body: a users container) → the sign-off.
pub async fn delegate_approval(
    State(st): State<AppState>,
    Extension(me): Me,
    Path((ar, step)): Step,
    GovernJson(container): GovernJson<Value>,
) -> ApiResult<Json<Value>> {
    Ok(Json(
        st.store
            .write_async(move |db| ops::delegate(db, &ar, &step, None, &container, &me))
            .await?,
    ))
}
