//! Generic calls on a declared [`Resource`] (kube-rs's `Api<K>`): list, get, create,
//! save and delete, built from the resource's one declaration in
//! [`crate::protocol::resources`].
use super::request::segment;
use super::shape::Shape;
use super::verify::Verdict;
use super::{GovernClient, Request, Result};
use crate::protocol::{Create, Resource};
use serde_json::Value;

/// The path of `template` for the key parts `parts`, each escaped.
pub fn path(template: &str, parts: &[&str]) -> String {
    Resource::fill(template, parts, segment)
}

/// The shape of a `GET` / `PUT` answer of `resource`: the definition under its key.
fn definition(resource: &Resource) -> Shape {
    resource.wrap.map_or(Shape::Object, Shape::ObjectAt)
}

impl GovernClient {
    /// `GET {list}`: the list items under the parent `parent`.
    pub async fn list_items(&self, resource: &Resource, parent: &[&str]) -> Result<Vec<Value>> {
        self.perform_list(Request::get(path(resource.list, parent)))
            .await
    }

    /// `GET {item}`: the whole answer (some answers hold more than the definition,
    /// e.g. a version's trace).
    pub async fn get_answer(&self, resource: &Resource, key: &[&str]) -> Result<Value> {
        self.perform_object(Request::get(path(resource.item, key)))
            .await
    }

    /// `GET {item}`: the definition.
    pub async fn get_item(&self, resource: &Resource, key: &[&str]) -> Result<Value> {
        let request = Request::get(path(resource.item, key));
        self.perform_shaped(request, definition(resource)).await
    }

    /// `PUT {item}` with the definition (and `query`); returns the saved definition.
    pub async fn save_item(
        &self,
        resource: &Resource,
        key: &[&str],
        document: Value,
        query: Vec<(&'static str, String)>,
    ) -> Result<Value> {
        let mut request = Request::put(path(resource.item, key)).body(document);
        request.query = query;
        self.perform_shaped(request, definition(resource)).await
    }

    /// `DELETE {item}`.
    pub async fn delete_item(&self, resource: &Resource, key: &[&str]) -> Result<()> {
        self.perform_empty(Request::delete(path(resource.item, key)))
            .await
    }

    /// Creates `id` under `parent` as the resource's [`Create`] style says, with `body`
    /// (when the style sends one) and `query` (after `newIdentifier`); returns the
    /// answer. Since the caller names the id, an unknown outcome is settled by reading
    /// the item (under the id given, then under [`Resource::new_id`]'s): found means
    /// created (it is the state asked for), not found means not created (sent again).
    pub async fn create_item(
        &self,
        resource: &Resource,
        parent: &[&str],
        id: &str,
        body: Option<Value>,
        query: Vec<(&'static str, String)>,
    ) -> Result<Value> {
        let mut key = parent.to_vec();
        key.push(id);
        let mut request = match resource.creation {
            Create::AtItemPath => Request::post(path(resource.create, &key)),
            _ => Request::post(path(resource.create, parent)),
        };
        if matches!(resource.creation, Create::NewIdentifier | Create::QueryOnly) {
            request = request.query("newIdentifier", id);
        }
        request.query.extend(query);
        if let Some(body) = body {
            request = request.body(body);
        }
        // The server may store it under a prefixed id (`bp.x` for `x`): look there too.
        let stored = resource.new_id(id);
        let mut prefixed = parent.to_vec();
        prefixed.push(&stored);
        let candidates: Vec<&[&str]> = if stored == id {
            vec![&key]
        } else {
            vec![&key, &prefixed]
        };
        self.post_verified(request, |_| async {
            for candidate in &candidates {
                match self.get_answer(resource, candidate).await {
                    Ok(found) => return Ok(Verdict::Applied(found)),
                    Err(e) if e.status() == Some(404) => {}
                    Err(e) => return Err(e),
                }
            }
            Ok(Verdict::NotApplied)
        })
        .await
    }
}
