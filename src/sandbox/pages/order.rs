//! `/admin/custom-pages/order`: the display order, a list naming every page (standard
//! pages included) exactly once, stored in `Table::Settings`.
use crate::sandbox::auth::Principal;
use crate::sandbox::error::{ApiError, ApiResult};
use crate::sandbox::extract::GovernJson;
use crate::sandbox::rights::require_architect;
use crate::sandbox::state::AppState;
use crate::sandbox::store::{Db, Table};
use axum::extract::State;
use axum::{Extension, Json};
use serde_json::Value;
use std::collections::BTreeSet;

/// The route (under `/dip/publicapi`); a static path, distinct from
/// `/admin/custom-page/{id}` (singular).
pub const PATH: &str = "/admin/custom-pages/order";

/// The settings key of the order.
const KEY: &str = "custom-pages-order";

/// The page ids in display order (empty on an instance that never had pages).
pub fn load(db: &Db) -> ApiResult<Vec<String>> {
    let stored = db.get(Table::Settings, KEY)?;
    Ok(stored
        .as_ref()
        .and_then(Value::as_array)
        .map(|ids| {
            ids.iter()
                .filter_map(Value::as_str)
                .map(String::from)
                .collect()
        })
        .unwrap_or_default())
}

fn store(db: &Db, ids: &[String]) -> ApiResult<()> {
    db.put(Table::Settings, KEY, &Value::from(ids.to_vec()))
}

/// Puts the new page `id` last.
pub fn append(db: &Db, id: &str) -> ApiResult<()> {
    let mut ids = load(db)?;
    ids.retain(|i| i != id);
    ids.push(id.to_string());
    store(db, &ids)
}

/// Takes the deleted page `id` out of the order.
pub fn remove(db: &Db, id: &str) -> ApiResult<()> {
    let mut ids = load(db)?;
    ids.retain(|i| i != id);
    store(db, &ids)
}

/// `body` as a new order of the stored pages: a list of strings naming each page
/// exactly once; otherwise a 400 naming what is wrong.
fn checked(db: &Db, body: Value) -> ApiResult<Vec<String>> {
    let refuse = |why: String| ApiError::validation(format!("Invalid custom pages order: {why}"));
    let Value::Array(given) = body else {
        return Err(refuse("it must be a JSON list of page ids".into()));
    };
    let mut ids = Vec::with_capacity(given.len());
    for v in given {
        match v {
            Value::String(s) => ids.push(s),
            other => return Err(refuse(format!("{other} is not a page id"))),
        }
    }
    let current = load(db)?;
    let pages: BTreeSet<&str> = current.iter().map(String::as_str).collect();
    let mut seen = BTreeSet::new();
    for id in &ids {
        if !pages.contains(id.as_str()) {
            return Err(refuse(format!("unknown page {id}")));
        }
        if !seen.insert(id.as_str()) {
            return Err(refuse(format!("page {id} is named twice")));
        }
    }
    // In display order, as the caller knows them.
    let missing: Vec<&str> = current
        .iter()
        .map(String::as_str)
        .filter(|p| !seen.contains(p))
        .collect();
    if !missing.is_empty() {
        return Err(refuse(format!(
            "it must contain every page; missing: {}",
            missing.join(", ")
        )));
    }
    Ok(ids)
}

/// `GET`: the order.
pub async fn get(
    State(st): State<AppState>,
    Extension(me): Extension<Principal>,
) -> ApiResult<Json<Value>> {
    require_architect(&me)?;
    let ids = st.store.read_async(load).await?;
    Ok(Json(Value::from(ids)))
}

/// `PUT`: replaces the order, checked; answers it as stored.
pub async fn put(
    State(st): State<AppState>,
    Extension(me): Extension<Principal>,
    GovernJson(body): GovernJson<Value>,
) -> ApiResult<Json<Value>> {
    require_architect(&me)?;
    let ids = st
        .store
        .write_async(move |db| {
            let ids = checked(db, body)?;
            store(db, &ids)?;
            Ok(ids)
        })
        .await?;
    Ok(Json(Value::from(ids)))
}
