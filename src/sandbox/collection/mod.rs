//! Generic collections: each [`Resource`] declared in `protocol::resources` is served
//! by the same list / create / get / put / delete handlers ([`handlers`]) over one
//! table shape (`id`: the key parts joined by `/`, `body`: the stored document), with
//! one [`Collection`] implementation per resource for what Govern does beyond storing.
pub mod handlers;
pub mod mount;

use super::error::{ApiError, ApiResult};
use super::store::{Db, Table};
use crate::protocol::Resource;
use serde_json::{Value, json};
use std::collections::HashMap;

pub use mount::mount;

/// A request's query parameters (empty values count as absent).
pub type Query = HashMap<String, String>;

/// The hooks of one collection. Only [`Collection::resource`], [`Collection::table`],
/// [`Collection::create`] and [`Collection::save`] are required; the rest defaults to
/// plain storage.
pub trait Collection: Send + Sync + 'static {
    /// The declaration: paths, answer wrapping, creation style, noun.
    fn resource(&self) -> &'static Resource;

    /// Where the documents are stored.
    fn table(&self) -> Table;

    /// Refuses (404) a request below a parent that does not exist; `parent` holds the
    /// parent's key parts (empty for a top-level collection).
    fn check_parent(&self, _db: &Db, _parent: &[String]) -> ApiResult<()> {
        Ok(())
    }

    /// Refuses an identifier Govern would refuse (default: [`check_identifier`]);
    /// `what` names it in the message.
    fn check_id(&self, what: &str, id: &str) -> ApiResult<()> {
        check_identifier(what, id)
    }

    /// The id a creation stores under, from the identifier the client gave (already
    /// checked by [`Collection::check_id`]).
    fn new_id(&self, given: &str) -> String {
        self.resource().new_id(given)
    }

    /// Validates a creation and returns the document to store under `key` (the
    /// parent's parts then the new id); may write related documents.
    fn create(&self, db: &Db, key: &[String], query: &Query, body: Value) -> ApiResult<Value>;

    /// Validates a save of the stored `old` and returns the document to store.
    fn save(
        &self,
        db: &Db,
        key: &[String],
        query: &Query,
        old: Value,
        body: Value,
    ) -> ApiResult<Value>;

    /// Refuses a deletion, or deletes what depends on the item (called before it goes).
    fn before_delete(&self, _db: &Db, _key: &[String]) -> ApiResult<()> {
        Ok(())
    }

    /// The definition inside a stored document (what [`Resource::wrap`] wraps).
    fn definition(&self, stored: Value) -> Value {
        stored
    }

    /// The answer of a `GET` on the item.
    fn get_answer(&self, stored: Value) -> Value {
        wrap(self.resource(), self.definition(stored))
    }

    /// One item of the list answer.
    fn list_item(&self, stored: Value) -> Value {
        self.get_answer(stored)
    }

    /// The answer of a creation.
    fn create_answer(&self, stored: Value) -> Value {
        self.get_answer(stored)
    }

    /// The answer of a `PUT`.
    fn save_answer(&self, stored: Value) -> Value {
        wrap(self.resource(), self.definition(stored))
    }
}

/// `definition` under the resource's wrapping key, if it has one.
pub fn wrap(resource: &Resource, definition: Value) -> Value {
    match resource.wrap {
        Some(key) => json!({ key: definition }),
        None => definition,
    }
}

/// Storage id of an item: its key parts joined by `/` (identifiers never hold one,
/// see [`check_identifier`]).
pub fn storage_id(key: &[String]) -> String {
    key.join("/")
}

/// Refuses an identifier Govern would refuse: empty, longer than 200 characters, or
/// holding anything but ASCII letters, digits, `.`, `_` and `-`.
pub fn check_identifier(what: &str, id: &str) -> ApiResult<()> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-');
    if id.is_empty() || id.len() > 200 || !id.chars().all(allowed) {
        return Err(ApiError::validation(format!(
            "Invalid {what} '{id}': an identifier is 1 to 200 characters among letters, digits, '.', '_' and '-'"
        )));
    }
    Ok(())
}

/// The stored document of `key`, or a 404 naming the resource.
pub fn load(db: &Db, c: &dyn Collection, key: &[String]) -> ApiResult<Value> {
    db.get(c.table(), &storage_id(key))?
        .ok_or_else(|| ApiError::not_found(c.resource().noun, &key.join(" / ")))
}

/// The body as a JSON object, or a 400 naming the resource.
pub fn object(noun: &str, body: Value) -> ApiResult<serde_json::Map<String, Value>> {
    match body {
        Value::Object(m) => Ok(m),
        other => Err(ApiError::validation(format!(
            "{noun} must be a JSON object, got {}",
            super::shape::kind(&other)
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_refuse_separators_and_odd_characters() {
        for ok in ["bp.x", "my_bp-2", "A9"] {
            assert!(check_identifier("id", ok).is_ok(), "{ok}");
        }
        for bad in ["", "a/b", "a b", "é", "a?b", "a%2Fb", &"x".repeat(201)] {
            let e = check_identifier("blueprint id", bad).unwrap_err();
            assert_eq!(e.status, 400, "{bad}");
            assert!(
                e.detailed.contains("Invalid blueprint id"),
                "{}",
                e.detailed
            );
        }
    }
}
