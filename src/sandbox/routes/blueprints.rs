//! Read-only blueprints and blueprint versions: a non-admin sees the blueprints on
//! which it holds some artifact right (others answer 404, as missing ones).
use crate::sandbox::artifact::load_version;
use crate::sandbox::auth::Principal;
use crate::sandbox::error::{ApiError, ApiResult};
use crate::sandbox::rights::{self, view::View};
use crate::sandbox::state::AppState;
use crate::sandbox::store::Table;
use axum::extract::{Path, State};
use axum::{Extension, Json};
use serde_json::{Value, json};

type Me = Extension<Principal>;

/// `GET /blueprints`: list items `{"blueprint": {...}}`.
pub async fn list(State(st): State<AppState>, Extension(me): Me) -> ApiResult<Json<Value>> {
    let items = st
        .store
        .read_async(move |db| {
            let view = View::load(db, &me)?;
            let mut out = Vec::new();
            for (id, bp) in db.list(Table::Blueprints, "")? {
                if view
                    .as_ref()
                    .map_or(Ok(true), |v| v.sees_blueprint(db, &id))?
                {
                    out.push(json!({ "blueprint": bp }));
                }
            }
            Ok(out)
        })
        .await?;
    Ok(Json(Value::Array(items)))
}

/// `GET /blueprint/{bp}`.
pub async fn get_one(
    State(st): State<AppState>,
    Extension(me): Me,
    Path(bp): Path<String>,
) -> ApiResult<Json<Value>> {
    let doc = st
        .store
        .read_async(move |db| match db.get(Table::Blueprints, &bp)? {
            Some(doc) if rights::sees_blueprint(db, &me, &bp)? => Ok(doc),
            _ => Err(ApiError::not_found("Blueprint", &bp)),
        })
        .await?;
    Ok(Json(json!({ "blueprint": doc })))
}

/// `GET /blueprint/{bp}/versions`: non-admins do not see DRAFT versions.
pub async fn versions(
    State(st): State<AppState>,
    Extension(me): Me,
    Path(bp): Path<String>,
) -> ApiResult<Json<Value>> {
    let admin = me.admin;
    let items = st
        .store
        .read_async(move |db| {
            if db.get(Table::Blueprints, &bp)?.is_none() || !rights::sees_blueprint(db, &me, &bp)? {
                return Err(ApiError::not_found("Blueprint", &bp));
            }
            db.list(Table::Versions, &format!("{bp}/"))
        })
        .await?;
    Ok(Json(Value::Array(
        items
            .into_iter()
            .map(|(_, v)| v)
            .filter(|v| admin || v["blueprintVersionTrace"]["status"] != "DRAFT")
            .collect(),
    )))
}

/// `GET /blueprint/{bp}/version/{bv}`: definition and trace.
pub async fn version(
    State(st): State<AppState>,
    Extension(me): Me,
    Path((bp, bv)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    Ok(Json(
        st.store
            .read_async(move |db| {
                if !rights::sees_blueprint(db, &me, &bp)? {
                    return Err(ApiError::not_found(
                        "Blueprint version",
                        &format!("{bp} / {bv}"),
                    ));
                }
                load_version(db, &bp, &bv)
            })
            .await?,
    ))
}
