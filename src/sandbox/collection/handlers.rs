//! The generic handlers of a [`Collection`]: list, create, get, put, delete. Each
//! checks the caller's rights (per family: [`require_for_path`]), runs on the store's blocking pool and leaves the
//! Govern behaviour to the collection's hooks.
use super::{Collection, Query, load, storage_id};
use crate::protocol::Create;
use crate::sandbox::auth::Principal;
use crate::sandbox::error::{ApiError, ApiResult};
use crate::sandbox::rights::require_for_path;
use crate::sandbox::state::AppState;
use axum::Json;
use axum::http::StatusCode;
use serde_json::Value;

/// A collection served by these handlers (they live as long as the server).
pub type Coll = &'static dyn Collection;

/// `GET {list}`: every item below the parent, in creation order.
pub async fn list(
    c: Coll,
    st: AppState,
    me: Principal,
    parent: Vec<String>,
) -> ApiResult<Json<Value>> {
    require_for_path(&me, c.resource().list)?;
    let items = st
        .store
        .read_async(move |db| {
            c.check_parent(db, &parent)?;
            let prefix = if parent.is_empty() {
                String::new()
            } else {
                format!("{}/", storage_id(&parent))
            };
            db.list(c.table(), &prefix)
        })
        .await?;
    Ok(Json(Value::Array(
        items.into_iter().map(|(_, doc)| c.list_item(doc)).collect(),
    )))
}

/// `POST {create}` (or `POST {item}`): takes the identifier where the declaration's
/// [`Create`] says (allocates one for `Generated`), validates it, refuses an existing
/// one (409), stores what the hook builds.
pub async fn create(
    c: Coll,
    st: AppState,
    me: Principal,
    mut path: Vec<String>,
    query: Query,
    body: Value,
) -> ApiResult<Json<Value>> {
    let r = c.resource();
    require_for_path(&me, r.list)?;
    let given = match r.creation {
        Create::AtItemPath => path.pop(),
        Create::NewIdentifier | Create::QueryOnly => Some(
            query
                .get("newIdentifier")
                .cloned()
                .ok_or_else(|| ApiError::validation("Query parameter newIdentifier is required"))?,
        ),
        Create::InBody(pointer) => Some(
            body.pointer(pointer)
                .and_then(Value::as_str)
                .map(str::to_string)
                .ok_or_else(|| ApiError::validation(format!("{} {pointer} is required", r.noun)))?,
        ),
        Create::Generated => None,
        Create::None => return Err(ApiError::with_status(StatusCode::METHOD_NOT_ALLOWED, "")),
    };
    if let Some(given) = &given {
        c.check_id(&format!("{} identifier", r.noun.to_lowercase()), given)?;
    }
    let stored = st
        .store
        .write_async(move |db| {
            c.check_parent(db, &path)?;
            let given = match given {
                Some(given) => given,
                None => db.next_id(r.noun)?.to_string(),
            };
            path.push(c.new_id(&given));
            let id = storage_id(&path);
            if db.get(c.table(), &id)?.is_some() {
                return Err(ApiError::conflict(format!(
                    "{} already exists: {}",
                    r.noun,
                    path.join(" / ")
                )));
            }
            let doc = c.create(db, &path, &query, body)?;
            db.put(c.table(), &id, &doc)?;
            Ok(doc)
        })
        .await?;
    Ok(Json(c.create_answer(stored)))
}

/// `GET {item}`.
pub async fn get(c: Coll, st: AppState, me: Principal, key: Vec<String>) -> ApiResult<Json<Value>> {
    require_for_path(&me, c.resource().item)?;
    let doc = st.store.read_async(move |db| load(db, c, &key)).await?;
    Ok(Json(c.get_answer(doc)))
}

/// `PUT {item}`: the hook validates the new document against the stored one.
pub async fn put(
    c: Coll,
    st: AppState,
    me: Principal,
    key: Vec<String>,
    query: Query,
    body: Value,
) -> ApiResult<Json<Value>> {
    require_for_path(&me, c.resource().item)?;
    let stored = st
        .store
        .write_async(move |db| {
            let old = load(db, c, &key)?;
            let doc = c.save(db, &key, &query, old, body)?;
            db.put(c.table(), &storage_id(&key), &doc)?;
            Ok(doc)
        })
        .await?;
    Ok(Json(c.save_answer(stored)))
}

/// `DELETE {item}` → 204, unless the hook refuses.
pub async fn delete(
    c: Coll,
    st: AppState,
    me: Principal,
    key: Vec<String>,
) -> ApiResult<StatusCode> {
    require_for_path(&me, c.resource().item)?;
    st.store
        .write_async(move |db| {
            load(db, c, &key)?;
            c.before_delete(db, &key)?;
            db.delete(c.table(), &storage_id(&key))?;
            Ok(())
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
