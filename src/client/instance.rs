//! Identity and instance information.
use super::{GovernClient, Request, Result};
use serde_json::Value;

impl GovernClient {
    /// `GET /auth/info`: who the API key authenticates as.
    pub async fn get_auth_info(&self) -> Result<Value> {
        self.perform_object(Request::get("/auth/info")).await
    }

    /// `GET /instance-info`: node id, name and type.
    pub async fn get_instance_info(&self) -> Result<Value> {
        self.perform_object(Request::get("/instance-info")).await
    }
}
