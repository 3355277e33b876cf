//! `/admin/blueprints`: create with `?newIdentifier=` (stored as `bp.<identifier>`),
//! get, save, and delete once no version or artifact is left.
use super::{Db, Table, artifacts_of};
use crate::protocol::{Resource, resources};
use crate::sandbox::collection::{Collection, Query, object};
use crate::sandbox::error::{ApiError, ApiResult};
use serde_json::{Value, json};

/// The designer's blueprints.
pub struct Blueprints;

/// `body` as a blueprint document with id `id`; refuses a body naming another id.
fn document(id: &str, body: Value, creating: bool) -> ApiResult<Value> {
    let mut doc = object("Blueprint", body)?;
    match doc.get("id") {
        Some(Value::String(given)) if given != id && !creating => {
            return Err(ApiError::validation(format!(
                "Blueprint IDs do not match: {given} in the body, {id} in the URL"
            )));
        }
        _ => {}
    }
    doc.insert("id".into(), json!(id));
    Ok(Value::Object(doc))
}

impl Collection for Blueprints {
    fn resource(&self) -> &'static Resource {
        &resources::ADMIN_BLUEPRINTS
    }

    fn table(&self) -> Table {
        Table::Blueprints
    }

    fn create(&self, _db: &Db, key: &[String], _q: &Query, body: Value) -> ApiResult<Value> {
        document(&key.join("/"), body, true)
    }

    fn save(
        &self,
        _db: &Db,
        key: &[String],
        _q: &Query,
        _old: Value,
        body: Value,
    ) -> ApiResult<Value> {
        document(&key.join("/"), body, false)
    }

    /// Govern: "all versions and artifacts must be deleted first".
    fn before_delete(&self, db: &Db, key: &[String]) -> ApiResult<()> {
        let bp = key.join("/");
        let versions = db.list(Table::Versions, &format!("{bp}/"))?.len();
        let artifacts = artifacts_of(db, &bp, None)?.len();
        if versions + artifacts > 0 {
            return Err(ApiError::conflict(format!(
                "Cannot delete blueprint {bp}: it still has {versions} version(s) and {artifacts} artifact(s); delete them first"
            )));
        }
        Ok(())
    }
}
