//! Roles and permissions: the default permissions, the one document of the family
//! that is no declared resource (roles, role assignments and blueprint permissions
//! are, see [`crate::protocol::resources`]).
use super::{GovernClient, Request, Result};
use serde_json::Value;

/// The default permissions' path (not a blueprint's, though it looks like one).
const DEFAULT_PERMISSIONS: &str = "/admin/blueprint-permissions/default";

impl GovernClient {
    /// `GET /admin/blueprint-permissions/default`.
    pub async fn get_default_permissions(&self) -> Result<Value> {
        self.perform_object(Request::get(DEFAULT_PERMISSIONS)).await
    }

    /// `PUT /admin/blueprint-permissions/default`; returns them as saved.
    pub async fn save_default_permissions(&self, document: Value) -> Result<Value> {
        let request = Request::put(DEFAULT_PERMISSIONS).body(document);
        self.perform_object(request).await
    }
}
