//! Artifact endpoints: create, get, save, delete, list and create sign-offs, each
//! behind the caller's artifact rights (404 when it may not read, 403 without the
//! right to write, create or delete).
use crate::sandbox::artifact;
use crate::sandbox::auth::Principal;
use crate::sandbox::error::ApiResult;
use crate::sandbox::extract::GovernJson;
use crate::sandbox::rights::{self, Perms};
use crate::sandbox::signoff::ops;
use crate::sandbox::state::AppState;
use crate::sandbox::store::Table;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use serde_json::{Map, Value, json};

/// An artifact document as sent by the client.
type ArtifactBody = GovernJson<Map<String, Value>>;
type Me = Extension<Principal>;

/// `POST /artifacts` → `{"artifactId", "artifact"}`; needs create on the blueprint.
pub async fn create(
    State(st): State<AppState>,
    Extension(me): Me,
    GovernJson(body): ArtifactBody,
) -> ApiResult<Json<Value>> {
    let art = st
        .store
        .write_async(move |db| {
            artifact::create_checked(db, body, |db, art| {
                rights::check(db, &me, art, Perms::CREATE)
            })
        })
        .await?;
    Ok(Json(json!({"artifactId": art["id"], "artifact": art})))
}

/// `GET /artifact/{ar}` → `{"artifact"}`.
pub async fn get_one(
    State(st): State<AppState>,
    Extension(me): Me,
    Path(ar): Path<String>,
) -> ApiResult<Json<Value>> {
    let art = st
        .store
        .read_async(move |db| rights::readable(db, &me, &ar))
        .await?;
    Ok(Json(json!({ "artifact": art })))
}

/// `PUT /artifact/{ar}` → `{"artifact"}` as saved.
pub async fn save(
    State(st): State<AppState>,
    Extension(me): Me,
    Path(ar): Path<String>,
    GovernJson(body): ArtifactBody,
) -> ApiResult<Json<Value>> {
    let art = st
        .store
        .write_async(move |db| {
            rights::require_on(db, &me, &ar, Perms::WRITE)?;
            artifact::save(db, &ar, body)
        })
        .await?;
    Ok(Json(json!({ "artifact": art })))
}

/// `DELETE /artifact/{ar}` → 204.
pub async fn delete(
    State(st): State<AppState>,
    Extension(me): Me,
    Path(ar): Path<String>,
) -> ApiResult<StatusCode> {
    st.store
        .write_async(move |db| {
            rights::require_on(db, &me, &ar, Perms::DELETE)?;
            artifact::delete(db, &ar)
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /artifact/{ar}/signoffs`: the runtime sign-offs, in workflow order.
pub async fn signoffs(
    State(st): State<AppState>,
    Extension(me): Me,
    Path(ar): Path<String>,
) -> ApiResult<Json<Value>> {
    let list = st
        .store
        .read_async(move |db| {
            let art = rights::readable(db, &me, &ar)?;
            let (bp, bv) = artifact::version_ids(&art);
            let order = artifact::load_version(db, bp, bv)
                .map(|e| artifact::step_ids(&e["blueprintVersion"]))
                .unwrap_or_default();
            let mut items: Vec<Value> = db
                .list(Table::Signoffs, &format!("{ar}/"))?
                .into_iter()
                .map(|(_, v)| v)
                .collect();
            items.sort_by_key(|so| {
                let step = so["signoffId"]["stepId"].as_str().unwrap_or("");
                order.iter().position(|s| s == step).unwrap_or(usize::MAX)
            });
            Ok(items)
        })
        .await?;
    Ok(Json(Value::Array(list)))
}

/// `POST /artifact/{ar}/workflow/step/{step}/signoff/create` → the new sign-off; needs
/// write on the artifact.
pub async fn create_signoff(
    State(st): State<AppState>,
    Extension(me): Me,
    Path((ar, step)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    Ok(Json(
        st.store
            .write_async(move |db| {
                rights::require_on(db, &me, &ar, Perms::WRITE)?;
                ops::create(db, &ar, &step)
            })
            .await?,
    ))
}
