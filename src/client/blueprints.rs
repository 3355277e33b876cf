//! Blueprints and blueprint versions, read-only (`/blueprints`, `/blueprint/...`).
use super::request::segment;
use super::shape::Shape;
use super::{GovernClient, Request, Result};
use serde_json::Value;

impl GovernClient {
    /// `GET /blueprints`: list items, each `{"blueprint": {...}}`.
    pub async fn list_blueprints(&self) -> Result<Vec<Value>> {
        self.perform_list(Request::get("/blueprints")).await
    }

    /// `GET /blueprint/{bp}`: the blueprint's definition (the answer's `blueprint`).
    pub async fn get_blueprint(&self, blueprint_id: &str) -> Result<Value> {
        let path = format!("/blueprint/{}", segment(blueprint_id));
        self.perform_shaped(Request::get(path), Shape::ObjectAt("blueprint"))
            .await
    }

    /// `GET /blueprint/{bp}/versions`: list items, each `{"blueprintVersion": {...}}`.
    pub async fn list_blueprint_versions(&self, blueprint_id: &str) -> Result<Vec<Value>> {
        let path = format!("/blueprint/{}/versions", segment(blueprint_id));
        self.perform_list(Request::get(path)).await
    }

    /// `GET /blueprint/{bp}/version/{bv}`: one `part` of the answer,
    /// `blueprintVersion` (the definition) or `blueprintVersionTrace`.
    pub async fn get_blueprint_version(
        &self,
        blueprint_id: &str,
        version_id: &str,
        part: &'static str,
    ) -> Result<Value> {
        let path = format!(
            "/blueprint/{}/version/{}",
            segment(blueprint_id),
            segment(version_id)
        );
        self.perform_shaped(Request::get(path), Shape::ObjectAt(part))
            .await
    }
}
