//! Global API keys (`/admin/global-api-keys*`): list, read, create, save, delete.
//!
//! Every secret an answer carries (the creation's `key`, or `key` in lists and gets of
//! a Govern without secure keys) is remembered by [`secrets`], so that it is masked
//! wherever govscript prints; a secret a script passes to the deprecated
//! [`GovernClient::get_global_api_key_by_secret`] too.
use super::request::segment;
use super::resource::path;
use super::secrets;
use super::{GovernClient, Request, Result};
use crate::protocol::resources::GLOBAL_API_KEYS;
use serde_json::Value;

/// Remembers the secret a key document carries, if any.
fn remember_secret(key: &Value) {
    if let Some(secret) = key.get("key").and_then(Value::as_str) {
        secrets::remember(secret);
    }
}

impl GovernClient {
    /// `GET /admin/global-api-keys/`: the keys' list items.
    pub async fn list_global_api_keys(&self) -> Result<Vec<Value>> {
        let items = self.list_items(&GLOBAL_API_KEYS, &[]).await?;
        items.iter().for_each(remember_secret);
        Ok(items)
    }

    /// `GET /admin/global-api-keys/{id}`: a key's definition.
    pub async fn get_global_api_key(&self, id: &str) -> Result<Value> {
        let key = self.get_item(&GLOBAL_API_KEYS, &[id]).await?;
        remember_secret(&key);
        Ok(key)
    }

    /// `GET /admin/globalAPIKeys/{secret}` (deprecated; the secret goes in the path,
    /// so it is remembered for masking first).
    pub async fn get_global_api_key_by_secret(&self, secret: &str) -> Result<Value> {
        secrets::remember(secret);
        let request = Request::get(format!("/admin/globalAPIKeys/{}", segment(secret)));
        self.perform_object(request).await
    }

    /// `POST /admin/global-api-keys/` with `body`; the answer holds `id` and the secret
    /// under `key`. Sent once: a lost answer is reported, never sent again (a second
    /// key would be made, whose secret nobody would know).
    pub async fn create_global_api_key(&self, body: Value) -> Result<Value> {
        let request = Request::post(GLOBAL_API_KEYS.create).body(body);
        let answer = self.perform_json(request).await?;
        remember_secret(&answer);
        Ok(answer)
    }

    /// `PUT /admin/global-api-keys/{id}` with the whole definition (answer ignored, as
    /// Python's `_perform_empty`).
    pub async fn save_global_api_key(&self, id: &str, definition: Value) -> Result<()> {
        let request = Request::put(path(GLOBAL_API_KEYS.item, &[id])).body(definition);
        self.perform_empty(request).await
    }
}
