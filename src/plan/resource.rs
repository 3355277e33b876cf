//! Creations of declared resources ([`crate::protocol::resources`]), planned from the
//! declaration alone: which resource a `POST` creates, the item path the new object
//! gets, its planned document and the answer the script is handed.
//!
//! A creation whose caller names the id (`?newIdentifier=`, an id in the body, the item
//! path) is planned under the id the server will store it under (`bp.x` for `x`), so
//! later calls use the real id and `apply` has nothing to replace; one whose id the
//! server allocates ([`Create::Generated`]) gets a planned id, `<kind>.planned.N`,
//! which `apply` replaces with the server's everywhere.
use super::target;
use crate::client::resource::path as item_path;
use crate::protocol::{Create, Resource, resources};
use serde_json::{Map, Value};

/// A planned creation of a declared resource.
#[derive(Debug)]
pub struct Creation {
    /// The resource it creates.
    pub resource: &'static Resource,
    /// The parent's key parts (unescaped).
    parent: Vec<String>,
    /// The id the server stores it under, when the caller names it (`None`: the server
    /// allocates one).
    pub named: Option<String>,
}

/// The resource whose creation `POST path` is, with the parent's path segments.
pub fn creation_of(path: &str) -> Option<(&'static Resource, Vec<&str>)> {
    resources::ALL.iter().find_map(|r| {
        let template = match r.creation {
            Create::None => return None,
            Create::AtItemPath => r.item,
            _ => r.create,
        };
        let mut parts = target::parts(template, path)?;
        if r.creation == Create::AtItemPath {
            parts.pop();
        }
        Some((*r, parts))
    })
}

/// Undoes a path segment's escaping.
fn unescaped(segment: &str) -> String {
    percent_encoding::percent_decode_str(segment)
        .decode_utf8_lossy()
        .into_owned()
}

/// The creation `POST path?query` with `body` makes, if it creates a declared resource.
pub fn creation(path: &str, query: &[(&str, String)], body: &Value) -> Option<Creation> {
    let (resource, parent) = creation_of(path)?;
    let query_id = || {
        query
            .iter()
            .find(|(k, _)| *k == "newIdentifier")
            .map(|(_, v)| v.clone())
    };
    let given = match resource.creation {
        Create::NewIdentifier | Create::QueryOnly => query_id(),
        Create::AtItemPath => path.rsplit('/').next().map(unescaped),
        Create::InBody(pointer) => body
            .pointer(pointer)
            .and_then(Value::as_str)
            .map(str::to_string),
        Create::Generated | Create::None => None,
    };
    Some(Creation {
        resource,
        parent: parent.into_iter().map(unescaped).collect(),
        named: given.map(|id| resource.new_id(&id)),
    })
}

/// What a planned id of `resource` starts with: its id prefix (`ts.`), else its noun
/// (`global-api-key.`).
pub fn planned_prefix(resource: &Resource) -> String {
    match resource.id_prefix.strip_suffix('.') {
        Some(prefix) => prefix.to_string(),
        None => resource.noun.to_lowercase().replace(' ', "-"),
    }
}

/// The JSON pointer of the item's own id inside its (unwrapped) document.
fn document_id(resource: &Resource) -> &'static str {
    let wrapped = resource
        .wrap
        .and_then(|w| resource.list_id.strip_prefix('/')?.strip_prefix(w));
    wrapped.unwrap_or(resource.list_id)
}

/// Sets `pointer` (of object keys only) in `value` to `id`, making objects on the way.
fn set(value: &mut Value, pointer: &str, id: &str) {
    let mut at = value;
    for key in pointer.split('/').skip(1) {
        if !at.is_object() {
            *at = Value::Object(Map::new());
        }
        let Value::Object(map) = at else { return };
        at = map.entry(key.to_string()).or_insert(Value::Null);
    }
    *at = Value::String(id.to_string());
}

impl Creation {
    /// The item path of the new object, whose id is `id`.
    pub fn object(&self, id: &str) -> String {
        let mut key: Vec<&str> = self.parent.iter().map(String::as_str).collect();
        key.push(id);
        item_path(self.resource.item, &key)
    }

    /// The planned document: the body (a creation without one: an empty document) with
    /// the id at its place.
    pub fn document(&self, body: &Value, id: &str) -> Value {
        let mut doc = match body {
            Value::Object(_) => body.clone(),
            _ => Value::Object(Map::new()),
        };
        set(&mut doc, document_id(self.resource), id);
        doc
    }

    /// The answer the script is handed: the document as a `GET` answers it, the id
    /// also where a creation's answer carries it.
    pub fn answer(&self, document: &Value, id: &str) -> Value {
        let mut answer = target::wrapped(&self.object(id), document.clone());
        set(&mut answer, self.resource.created_id, id);
        answer
    }
}

/// The id a creation's answer carries for the resource created by `POST path`
/// (`None`: no declared resource, or no id in the answer).
pub fn created_id(path: &str, answer: &Value) -> Option<String> {
    let (resource, _) = creation_of(path)?;
    answer
        .pointer(resource.created_id)
        .and_then(Value::as_str)
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_creation_is_found_from_the_declaration_with_its_stored_id() {
        let query = [("newIdentifier", "v2".to_string())];
        let c = creation("/admin/blueprint/bp.x/versions", &query, &Value::Null).expect("found");
        assert_eq!(c.resource.noun, "Blueprint version");
        assert_eq!(c.named.as_deref(), Some("bv.v2"));
        assert_eq!(c.object("bv.v2"), "/admin/blueprint/bp.x/version/bv.v2");
        let doc = c.document(&Value::Null, "bv.v2");
        assert_eq!(doc, json!({"id": {"versionId": "bv.v2"}}));
        assert_eq!(
            c.answer(&doc, "bv.v2")["blueprintVersion"]["id"]["versionId"],
            "bv.v2"
        );
        let body = json!({"blueprintId": "bp.x", "rules": {}});
        let assignments = creation("/admin/blueprint-role-assignments", &[], &body).expect("found");
        assert_eq!(assignments.named.as_deref(), Some("bp.x"));
        let series = creation("/time-series", &[], &json!([])).expect("found");
        assert_eq!(
            (series.named, planned_prefix(series.resource)),
            (None, "ts".to_string())
        );
        assert!(creation("/admin/users/actions/bulk", &[], &Value::Null).is_none());
    }
}
