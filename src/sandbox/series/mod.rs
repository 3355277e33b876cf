//! Time series (`/time-series`, `/time-series/{id}`): a series document
//! `{id: "ts.N", owner, createdOn}` per series, its datapoints in [`points`].
//!
//! Anyone authenticated creates a series and owns it; since Govern 13.5 a series is
//! readable and writable by its owner, global admins and Govern managers (architects)
//! only, which is what the sandbox enforces (403 otherwise). Reads and deletes take a
//! window whose bounds are both excluded, as Govern 15.0.1 behaves; a delete without
//! bounds empties the series and keeps it. A bad body or query is a 400 that changes
//! nothing; an unknown id a Govern-style 404.
mod body;
mod points;

use super::auth::Principal;
use super::error::{ApiError, ApiResult};
use super::extract::{GovernJson, GovernQuery};
use super::state::AppState;
use super::store::{Db, Table};
use crate::protocol::resources::TIME_SERIES;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use body::{Push, Window};
use serde_json::{Value, json};

type Me = Extension<Principal>;

/// The routes, relative to `/dip/publicapi`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/time-series", post(create))
        .route("/time-series/{id}", get(values).put(push).delete(delete))
}

/// The series `id` if `me` may use it: 404 if unknown, 403 unless `me` owns it or is
/// an admin or a Govern manager.
fn series(db: &Db, me: &Principal, id: &str) -> ApiResult<Value> {
    let found = db
        .get(Table::TimeSeries, id)?
        .ok_or_else(|| ApiError::not_found(TIME_SERIES.noun, id))?;
    if me.admin || me.architect || found["owner"].as_str() == Some(me.login.as_str()) {
        return Ok(found);
    }
    Err(ApiError::forbidden(format!(
        "Action forbidden: time series {id} belongs to another user; only its owner, \
         administrators and Govern managers may use it ({})",
        me.login
    )))
}

/// `POST /time-series`: a new series owned by the caller, holding the datapoints of
/// the body (a list, possibly empty); answers the series document.
async fn create(
    State(st): State<AppState>,
    Extension(me): Me,
    GovernJson(body): GovernJson<Value>,
) -> ApiResult<Json<Value>> {
    let initial = body::datapoints(body, None)?;
    let created = st
        .store
        .write_async(move |db| {
            let id = TIME_SERIES.new_id(&db.next_id("time-series")?.to_string());
            let doc = json!({"id": id, "owner": me.login, "createdOn": super::now_ms()});
            db.put(Table::TimeSeries, &id, &doc)?;
            points::push(db, &id, initial, true)?;
            Ok(doc)
        })
        .await?;
    Ok(Json(created))
}

/// `GET /time-series/{id}`: the datapoints in the window, by timestamp.
async fn values(
    State(st): State<AppState>,
    Extension(me): Me,
    Path(id): Path<String>,
    GovernQuery(w): GovernQuery<Window>,
) -> ApiResult<Json<Value>> {
    let found = st
        .store
        .read_async(move |db| {
            series(db, &me, &id)?;
            points::window(db, &id, w.min, w.max)
        })
        .await?;
    Ok(Json(Value::Array(found)))
}

/// `PUT /time-series/{id}?upsert=...`: adds the body's datapoints; answers the series.
async fn push(
    State(st): State<AppState>,
    Extension(me): Me,
    Path(id): Path<String>,
    GovernQuery(q): GovernQuery<Push>,
    GovernJson(body): GovernJson<Value>,
) -> ApiResult<Json<Value>> {
    let upsert = q.upsert()?;
    let given = body::datapoints(body, Some(&id))?;
    let doc = st
        .store
        .write_async(move |db| {
            let doc = series(db, &me, &id)?;
            points::push(db, &id, given, upsert)?;
            Ok(doc)
        })
        .await?;
    Ok(Json(doc))
}

/// `DELETE /time-series/{id}`: the datapoints in the window (every one without bounds).
async fn delete(
    State(st): State<AppState>,
    Extension(me): Me,
    Path(id): Path<String>,
    GovernQuery(w): GovernQuery<Window>,
) -> ApiResult<StatusCode> {
    st.store
        .write_async(move |db| {
            series(db, &me, &id)?;
            points::delete(db, &id, w.min, w.max)
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
