//! Blueprints and blueprint versions, read-only (`/blueprints`, `/blueprint/...`).
use super::request::segment;
use super::{GovernClient, Request, Result};
use serde_json::Value;

impl GovernClient {
    /// `GET /blueprints`: list items, each `{"blueprint": {...}}`.
    pub async fn list_blueprints(&self) -> Result<Vec<Value>> {
        let list = self.perform_json(Request::get("/blueprints")).await?;
        Ok(into_list(list))
    }

    /// `GET /blueprint/{bp}`: the answer, whose `blueprint` key is the definition.
    pub async fn get_blueprint(&self, blueprint_id: &str) -> Result<Value> {
        let path = format!("/blueprint/{}", segment(blueprint_id));
        self.perform_json(Request::get(path)).await
    }

    /// `GET /blueprint/{bp}/versions`: list items, each `{"blueprintVersion": {...}}`.
    pub async fn list_blueprint_versions(&self, blueprint_id: &str) -> Result<Vec<Value>> {
        let path = format!("/blueprint/{}/versions", segment(blueprint_id));
        let list = self.perform_json(Request::get(path)).await?;
        Ok(into_list(list))
    }

    /// `GET /blueprint/{bp}/version/{bv}`: `blueprintVersion` and `blueprintVersionTrace`.
    pub async fn get_blueprint_version(
        &self,
        blueprint_id: &str,
        version_id: &str,
    ) -> Result<Value> {
        let path = format!(
            "/blueprint/{}/version/{}",
            segment(blueprint_id),
            segment(version_id)
        );
        self.perform_json(Request::get(path)).await
    }
}

/// A JSON list answer as a vector (anything else as an empty one, as Python iterates).
pub(super) fn into_list(value: Value) -> Vec<Value> {
    match value {
        Value::Array(items) => items,
        _ => Vec::new(),
    }
}
