//! Sign-off endpoints under `/artifact/{ar}/workflow/step/{step}/signoff`. Every one
//! needs artifact read (else 404, as a missing artifact); creating, resetting and
//! changing the status of a sign-off need artifact write; feedback and approval keep
//! their membership rules ([`crate::sandbox::signoff::membership`]).
use crate::sandbox::auth::Principal;
use crate::sandbox::error::ApiResult;
use crate::sandbox::extract::{GovernJson, GovernQuery};
use crate::sandbox::rights::{self, Perms};
use crate::sandbox::signoff::requests::{
    ApprovalRequest, FeedbackRequest, GroupIdQuery, UpdateStatusBody,
};
use crate::sandbox::signoff::{ops, reviews};
use crate::sandbox::state::AppState;
use crate::sandbox::store::Db;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use serde_json::{Map, Value};

type Step = Path<(String, String)>;
type Me = Extension<Principal>;

/// Runs `f` in a read transaction once `me` may read artifact `ar`.
async fn read_as<T: Send + 'static>(
    st: &AppState,
    me: Principal,
    ar: String,
    f: impl FnOnce(&Db, &Principal, &str) -> ApiResult<T> + Send + 'static,
) -> ApiResult<T> {
    st.store
        .read_async(move |db| {
            rights::readable(db, &me, &ar)?;
            f(db, &me, &ar)
        })
        .await
}

/// Runs `f` in a write transaction once `me` holds `right` on artifact `ar`.
async fn write_as<T: Send + 'static>(
    st: &AppState,
    me: Principal,
    ar: String,
    right: Perms,
    f: impl FnOnce(&Db, &Principal, &str) -> ApiResult<T> + Send + 'static,
) -> ApiResult<T> {
    st.store
        .write_async(move |db| {
            rights::require_on(db, &me, &ar, right)?;
            f(db, &me, &ar)
        })
        .await
}

/// `GET` base path: the sign-off.
pub async fn get_one(
    State(st): State<AppState>,
    Extension(me): Me,
    Path((ar, step)): Step,
) -> ApiResult<Json<Value>> {
    let so = read_as(&st, me, ar, move |db, _, ar| ops::load(db, ar, &step)).await?;
    Ok(Json(so))
}

/// `POST /schedule-reset` → the sign-off.
pub async fn schedule_reset(
    State(st): State<AppState>,
    Extension(me): Me,
    Path((ar, step)): Step,
    GovernJson(body): GovernJson<Map<String, Value>>,
) -> ApiResult<Json<Value>> {
    let so = write_as(&st, me, ar, Perms::WRITE, move |db, _, ar| {
        ops::schedule_reset(db, ar, &step, &body)
    })
    .await?;
    Ok(Json(so))
}

/// `GET /details` → resolved feedback groups and approvers.
pub async fn details(
    State(st): State<AppState>,
    Extension(me): Me,
    Path((ar, step)): Step,
) -> ApiResult<Json<Value>> {
    let d = read_as(&st, me, ar, move |db, _, ar| ops::details(db, ar, &step)).await?;
    Ok(Json(d))
}

/// `POST /update-status` → the sign-off.
pub async fn update_status(
    State(st): State<AppState>,
    Extension(me): Me,
    Path((ar, step)): Step,
    GovernJson(UpdateStatusBody(body)): GovernJson<UpdateStatusBody>,
) -> ApiResult<Json<Value>> {
    let so = write_as(&st, me, ar, Perms::WRITE, move |db, _, ar| {
        ops::update_status(db, ar, &step, &body)
    })
    .await?;
    Ok(Json(so))
}

/// `POST /feedback?groupId=` → the feedback.
pub async fn add_feedback(
    State(st): State<AppState>,
    Extension(me): Me,
    Path((ar, step)): Step,
    GovernQuery(q): GovernQuery<GroupIdQuery>,
    GovernJson(body): GovernJson<FeedbackRequest>,
) -> ApiResult<Json<Value>> {
    let fb = write_as(&st, me, ar, Perms::READ, move |db, me, ar| {
        reviews::add_feedback(db, ar, &step, &q.group_id, &body, me)
    })
    .await?;
    Ok(Json(fb))
}

/// `PUT /feedback/{fb}` → the feedback.
pub async fn edit_feedback(
    State(st): State<AppState>,
    Extension(me): Me,
    Path((ar, step, fb)): Path<(String, String, String)>,
    GovernJson(body): GovernJson<FeedbackRequest>,
) -> ApiResult<Json<Value>> {
    let fb = write_as(&st, me, ar, Perms::READ, move |db, me, ar| {
        reviews::edit_feedback(db, ar, &step, &fb, &body, me)
    })
    .await?;
    Ok(Json(fb))
}

/// `DELETE /feedback/{fb}` → 204.
pub async fn delete_feedback(
    State(st): State<AppState>,
    Extension(me): Me,
    Path((ar, step, fb)): Path<(String, String, String)>,
) -> ApiResult<StatusCode> {
    write_as(&st, me, ar, Perms::READ, move |db, me, ar| {
        reviews::delete_feedback(db, ar, &step, &fb, me)
    })
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
    let so = write_as(&st, me, ar, Perms::READ, move |db, me, ar| {
        ops::delegate(db, ar, &step, Some(&q.group_id), &container, me)
    })
    .await?;
    Ok(Json(so))
}

/// `POST /approval` → the approval.
pub async fn add_approval(
    State(st): State<AppState>,
    Extension(me): Me,
    Path((ar, step)): Step,
    GovernJson(body): GovernJson<ApprovalRequest>,
) -> ApiResult<Json<Value>> {
    let ap = write_as(&st, me, ar, Perms::READ, move |db, me, ar| {
        reviews::add_approval(db, ar, &step, &body, me)
    })
    .await?;
    Ok(Json(ap))
}

/// `PUT /approval` → the approval.
pub async fn edit_approval(
    State(st): State<AppState>,
    Extension(me): Me,
    Path((ar, step)): Step,
    GovernJson(body): GovernJson<ApprovalRequest>,
) -> ApiResult<Json<Value>> {
    let ap = write_as(&st, me, ar, Perms::READ, move |db, me, ar| {
        reviews::edit_approval(db, ar, &step, &body, me)
    })
    .await?;
    Ok(Json(ap))
}

/// `DELETE /approval` → 204.
pub async fn delete_approval(
    State(st): State<AppState>,
    Extension(me): Me,
    Path((ar, step)): Step,
) -> ApiResult<StatusCode> {
    write_as(&st, me, ar, Perms::READ, move |db, me, ar| {
        reviews::delete_approval(db, ar, &step, me)
    })
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
    let so = write_as(&st, me, ar, Perms::READ, move |db, me, ar| {
        ops::delegate(db, ar, &step, None, &container, me)
    })
    .await?;
    Ok(Json(so))
}
