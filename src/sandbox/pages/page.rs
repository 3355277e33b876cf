//! `/admin/custom-pages`, `/admin/custom-page/{cp}`: custom pages created with
//! `?newIdentifier=` (stored as `cp.<identifier>`), saved and deleted, their definitions
//! kept as given (unknown keys included) with `id` set; the few keys Govern types are
//! checked. Standard pages can be neither created nor deleted, nor turned into custom
//! pages (or the reverse).
use super::{order, standard};
use crate::protocol::{Resource, resources};
use crate::sandbox::collection::{Collection, Query, object};
use crate::sandbox::error::{ApiError, ApiResult};
use crate::sandbox::store::{Db, Table};
use serde_json::{Value, json};

/// The custom pages.
pub struct CustomPages;

/// The page types a page may be created with (protocol §10: item tables, matrix and
/// kanban views, Govern 15's `grid` dashboards, custom HTML; the item-table names
/// are the sandbox's). A page without `type` is an item table.
pub const TYPES: &[&str] = &[
    "artifact-table",
    "artifact-table-matrix",
    "artifact-kanban",
    "grid",
    "custom-html",
];

/// 400 unless `doc[key]`, when present and not null, is what `ok` accepts.
fn check_key(doc: &Value, key: &str, ok: fn(&Value) -> bool, what: &str) -> ApiResult<()> {
    match doc.get(key) {
        Some(v) if !v.is_null() && !ok(v) => Err(ApiError::validation(format!(
            "Custom page {key} must be {what}, got {v}"
        ))),
        _ => Ok(()),
    }
}

/// The page to store under `id` from `body`: a JSON object, kept as given with `id`
/// set; a body naming another id, a wrongly typed `name`, `icon`, `visible` or
/// `htmlContent`, or an unknown `type` is refused. `standard`: whether the page is (or
/// would be) a standard page.
fn document(id: &str, body: Value, standard: bool) -> ApiResult<Value> {
    let mut doc = Value::Object(object("Custom page", body)?);
    if let Some(given) = doc.get("id").filter(|v| !v.is_null())
        && given != id
    {
        return Err(ApiError::validation(format!(
            "Custom page IDs do not match: {given} in the body, {id} in the URL"
        )));
    }
    check_key(&doc, "name", Value::is_string, "a string")?;
    check_key(&doc, "icon", Value::is_string, "a string")?;
    check_key(&doc, "visible", Value::is_boolean, "true or false")?;
    check_key(&doc, "htmlContent", Value::is_string, "a string")?;
    match (doc.get("type"), standard) {
        (Some(Value::String(t)), true) if t == standard::TYPE => {}
        (_, true) => {
            return Err(ApiError::validation(format!(
                "Page {id} is a standard page: its type stays \"{}\"",
                standard::TYPE
            )));
        }
        (None | Some(Value::Null), false) => {}
        (Some(Value::String(t)), false) if TYPES.contains(&t.as_str()) => {}
        (Some(Value::String(t)), false) if t == standard::TYPE => {
            return Err(ApiError::validation(format!(
                "Standard pages are built in: page {id} cannot be made a \"{t}\""
            )));
        }
        (Some(other), false) => {
            return Err(ApiError::validation(format!(
                "Unknown custom page type {other} (possible type values are: {})",
                TYPES.join(", ")
            )));
        }
    }
    doc["id"] = json!(id);
    Ok(doc)
}

impl Collection for CustomPages {
    fn resource(&self) -> &'static Resource {
        &resources::ADMIN_CUSTOM_PAGES
    }

    fn table(&self) -> Table {
        Table::CustomPages
    }

    /// Python documents letters, digits, `-` and `_` (after an optional `cp.`).
    fn check_id(&self, what: &str, id: &str) -> ApiResult<()> {
        let bare = id.strip_prefix("cp.").unwrap_or(id);
        let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-');
        if bare.is_empty() || id.len() > 200 || !bare.chars().all(allowed) {
            return Err(ApiError::validation(format!(
                "Invalid {what} '{id}': allowed characters are letters, digits, hyphen and underscore"
            )));
        }
        Ok(())
    }

    fn create(&self, db: &Db, key: &[String], _q: &Query, body: Value) -> ApiResult<Value> {
        let id = key.join("/");
        let doc = document(&id, body, false)?;
        order::append(db, &id)?;
        Ok(doc)
    }

    fn save(
        &self,
        _db: &Db,
        key: &[String],
        _q: &Query,
        old: Value,
        body: Value,
    ) -> ApiResult<Value> {
        document(&key.join("/"), body, standard::is_standard(&old))
    }

    /// A standard page is refused (400); a custom page leaves the order.
    fn before_delete(&self, db: &Db, key: &[String]) -> ApiResult<()> {
        let id = key.join("/");
        if db
            .get(Table::CustomPages, &id)?
            .is_some_and(|doc| standard::is_standard(&doc))
        {
            return Err(ApiError::validation(format!(
                "Page {id} is a standard page: built in, it cannot be deleted"
            )));
        }
        order::remove(db, &id)
    }
}
