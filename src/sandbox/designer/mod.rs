//! The blueprint designer (`/admin/...`, protocol §2.9, §2.10): blueprints, blueprint
//! versions and their sign-off configurations as generic collections, with Govern's
//! rules as hooks; the version status call is the one route of its own.
//!
//! They share storage with the rest of the sandbox: artifacts read their version from
//! `Table::Versions` and new artifacts copy their sign-off configurations from
//! `Table::SignoffConfigs`, so what the designer saves is what artifacts see next.
pub mod blueprints;
pub mod definition;
pub mod signoff_configs;
pub mod status;
pub mod versions;

use super::collection::Collection;
use super::error::{ApiError, ApiResult};
use super::store::{Db, Table};

/// The designer's collections, mounted by `routes::api`.
pub static COLLECTIONS: &[&dyn Collection] = &[
    &blueprints::Blueprints,
    &versions::Versions,
    &signoff_configs::SignoffConfigs,
];

/// The JSON paths of an artifact's blueprint and version ids.
const ARTIFACT_BP: &str = "$.blueprintVersionId.blueprintId";
const ARTIFACT_BV: &str = "$.blueprintVersionId.versionId";

/// The ids of the artifacts of blueprint `bp` (of its version `bv` if given).
pub fn artifacts_of(db: &Db, bp: &str, bv: Option<&str>) -> ApiResult<Vec<String>> {
    let mut conditions = vec![(ARTIFACT_BP, bp)];
    if let Some(bv) = bv {
        conditions.push((ARTIFACT_BV, bv));
    }
    db.ids_where(Table::Artifacts, &conditions)
}

/// 404 unless blueprint `bp` exists.
pub fn check_blueprint(db: &Db, bp: &str) -> ApiResult<()> {
    match db.get(Table::Blueprints, bp)? {
        Some(_) => Ok(()),
        None => Err(ApiError::not_found("Blueprint", bp)),
    }
}

/// `[bp, bv]` of a key, or a 500 (a route declaration error).
fn version_parts(key: &[String]) -> ApiResult<(&str, &str)> {
    match key {
        [bp, bv, ..] => Ok((bp, bv)),
        _ => Err(ApiError::internal("a blueprint version key has two parts")),
    }
}
