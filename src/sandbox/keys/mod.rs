//! Global API keys (`/admin/global-api-keys*`, and the deprecated
//! `/admin/globalAPIKeys/{secret}`): global-admin only.
//!
//! Keys are stored hashed (see [`crate::sandbox::auth::key_id`]): the secret is in the
//! creation answer and nowhere else, as with Govern's secure API keys. So lists and
//! gets have no `key`, and the Python client's `list_global_api_keys(as_type='objects')`,
//! `get_global_api_key_by_id()` and `GovernGlobalApiKeyListItem.key` raise `KeyError:
//! 'key'` against the sandbox, as against a Govern with secure keys. A deleted key is
//! refused from the next request on.
mod doc;

use super::auth::{self, Principal};
use super::error::{ApiError, ApiResult};
use super::extract::GovernJson;
use super::rights::require_admin;
use super::state::AppState;
use super::store::{Db, Table};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Extension, Json, Router};
use serde_json::Value;

type Me = Extension<Principal>;

/// The routes, relative to `/dip/publicapi`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/global-api-keys", get(list).post(create))
        .route(
            "/admin/global-api-keys/{id}",
            get(get_one).put(save).delete(delete),
        )
        .route("/admin/globalAPIKeys/{secret}", get(get_by_secret))
}

/// What Govern calls a global API key in messages.
const NOUN: &str = "Global API key";

/// The storage id (the secret's hash) and document of the global key `id`, or a 404.
fn find(db: &Db, id: &str) -> ApiResult<(String, Value)> {
    let hashes = db.ids_where(Table::ApiKeys, &[("$.id", id), ("$.kind", "global")])?;
    for hash in hashes {
        if let Some(stored) = db.get(Table::ApiKeys, &hash)? {
            return Ok((hash, stored));
        }
    }
    Err(ApiError::not_found(NOUN, id))
}

/// `GET /admin/global-api-keys/`: every global key, without its secret.
async fn list(State(st): State<AppState>, Extension(me): Me) -> ApiResult<Json<Value>> {
    require_admin(&me)?;
    let keys = st
        .store
        .read_async(|db| {
            let hashes = db.ids_where(Table::ApiKeys, &[("$.kind", "global")])?;
            let mut out = Vec::with_capacity(hashes.len());
            for hash in hashes {
                if let Some(stored) = db.get(Table::ApiKeys, &hash)? {
                    out.push(doc::answer(&stored));
                }
            }
            Ok(out)
        })
        .await?;
    Ok(Json(Value::Array(keys)))
}

/// `POST /admin/global-api-keys/`: a new key; the answer is the definition with the
/// secret under `key` (the only time it is shown).
async fn create(
    State(st): State<AppState>,
    Extension(me): Me,
    GovernJson(body): GovernJson<Value>,
) -> ApiResult<Json<Value>> {
    require_admin(&me)?;
    let secret = auth::generate_key();
    let hash = auth::key_id(&secret);
    let stored = st
        .store
        .write_async(move |db| {
            let id = format!("gk.{}", db.next_id("global-api-key")?);
            let stored = doc::create(db, body, id, &me.login, super::now_ms())?;
            db.put(Table::ApiKeys, &hash, &stored)?;
            Ok(stored)
        })
        .await?;
    let mut answer = doc::answer(&stored);
    answer["key"] = Value::String(secret);
    Ok(Json(answer))
}

/// `GET /admin/global-api-keys/{id}`.
async fn get_one(
    State(st): State<AppState>,
    Extension(me): Me,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    require_admin(&me)?;
    let (_, stored) = st.store.read_async(move |db| find(db, &id)).await?;
    Ok(Json(doc::answer(&stored)))
}

/// `GET /admin/globalAPIKeys/{secret}` (deprecated): the key whose secret is in the
/// path. An unknown secret is a 404 that does not repeat it.
async fn get_by_secret(
    State(st): State<AppState>,
    Extension(me): Me,
    Path(secret): Path<String>,
) -> ApiResult<Json<Value>> {
    require_admin(&me)?;
    let stored = st
        .store
        .read_async(move |db| db.get(Table::ApiKeys, &auth::key_id(&secret)))
        .await?
        .filter(|k| k["kind"] == "global")
        .ok_or_else(|| ApiError::not_found(NOUN, "(the secret given)"))?;
    Ok(Json(doc::answer(&stored)))
}

/// `PUT /admin/global-api-keys/{id}`: label, description, groups, admin permission,
/// lifetime and impersonation user; the answer is the saved definition.
async fn save(
    State(st): State<AppState>,
    Extension(me): Me,
    Path(id): Path<String>,
    GovernJson(body): GovernJson<Value>,
) -> ApiResult<Json<Value>> {
    require_admin(&me)?;
    let stored = st
        .store
        .write_async(move |db| {
            let (hash, old) = find(db, &id)?;
            let stored = doc::save(db, old, &hash, body)?;
            db.put(Table::ApiKeys, &hash, &stored)?;
            Ok(stored)
        })
        .await?;
    Ok(Json(doc::answer(&stored)))
}

/// `DELETE /admin/global-api-keys/{id}`: the key stops working at once.
async fn delete(
    State(st): State<AppState>,
    Extension(me): Me,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    require_admin(&me)?;
    st.store
        .write_async(move |db| {
            let (hash, _) = find(db, &id)?;
            db.delete(Table::ApiKeys, &hash)?;
            Ok(())
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
