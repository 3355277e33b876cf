//! `GET /admin/monitoring/global-usage-summary`: counts of what the instance holds,
//! read from the tables (Govern's own shape is undocumented; these keys are the
//! sandbox's).
use crate::sandbox::auth::Principal;
use crate::sandbox::error::ApiResult;
use crate::sandbox::rights::require_admin;
use crate::sandbox::state::AppState;
use crate::sandbox::store::{Db, Table};
use axum::extract::State;
use axum::{Extension, Json};
use serde_json::{Value, json};

/// Rows of `table` satisfying the SQL condition `condition` (a constant of this file).
fn count(db: &Db, table: Table, condition: &'static str) -> ApiResult<u64> {
    let sql = format!("SELECT COUNT(*) FROM {} WHERE {condition}", table.name());
    let n: i64 = db.conn().query_row(&sql, [], |r| r.get(0))?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// Every row.
const ALL: &str = "1";

/// The summary: users (total, enabled), groups, global API keys, blueprints and their
/// versions, artifacts, sign-offs, roles, long tasks.
pub fn summary_of(db: &Db) -> ApiResult<Value> {
    Ok(json!({
        "users": {
            "total": count(db, Table::Users, ALL)?,
            "enabled": count(db, Table::Users, "coalesce(json_extract(body, '$.enabled'), 1) != 0")?,
        },
        "groups": count(db, Table::Groups, ALL)?,
        "globalApiKeys": count(db, Table::ApiKeys, "json_extract(body, '$.kind') = 'global'")?,
        "blueprints": count(db, Table::Blueprints, ALL)?,
        "blueprintVersions": count(db, Table::Versions, ALL)?,
        "artifacts": count(db, Table::Artifacts, ALL)?,
        "signoffs": count(db, Table::Signoffs, ALL)?,
        "roles": count(db, Table::Roles, ALL)?,
        "futures": count(db, Table::Futures, ALL)?,
    }))
}

/// `GET`: the summary.
pub async fn summary(
    State(st): State<AppState>,
    Extension(me): Extension<Principal>,
) -> ApiResult<Json<Value>> {
    require_admin(&me)?;
    Ok(Json(st.store.read_async(summary_of).await?))
}
