//! The blueprint designer's irregular call: a version's status. Its documents are
//! declared resources (see [`crate::protocol::resources`]).
use super::resource::path;
use super::shape::Shape;
use super::{GovernClient, Request, Result};
use crate::protocol::resources::ADMIN_BLUEPRINT_VERSIONS;
use serde_json::Value;

impl GovernClient {
    /// `PUT /admin/blueprint/{bp}/version/{bv}/status` with the status as a JSON
    /// string; returns the version's new trace.
    pub async fn set_version_status(&self, version: &[&str], status: &str) -> Result<Value> {
        let path = format!("{}/status", path(ADMIN_BLUEPRINT_VERSIONS.item, version));
        let request = Request::put(path).body(Value::String(status.to_string()));
        self.perform_shaped(request, Shape::ObjectAt("blueprintVersionTrace"))
            .await
    }
}
