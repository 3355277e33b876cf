//! The built-in standard pages (`"type": "standard-page"`): listed and ordered like
//! custom pages, but neither created nor deleted through the API (Govern ships them).
//! Their ids are the sandbox's choice (Govern's are not documented).
use super::order;
use crate::sandbox::error::ApiResult;
use crate::sandbox::store::{Db, Table};
use serde_json::{Value, json};

/// The type of the built-in pages.
pub const TYPE: &str = "standard-page";

/// The built-in pages: id, name, icon.
const PAGES: &[(&str, &str, &str)] = &[
    ("home", "Home", "icon-home"),
    ("feed", "Activity feed", "icon-rss"),
    ("governable-items", "Governable items", "icon-list"),
    ("model-registry", "Model registry", "icon-cubes"),
    ("bundle-registry", "Bundle registry", "icon-archive"),
];

/// Whether the stored page `doc` is a standard page.
pub fn is_standard(doc: &Value) -> bool {
    doc.get("type").and_then(Value::as_str) == Some(TYPE)
}

/// Stores the built-in pages (visible, in this order) and the order naming them.
pub fn apply(db: &Db) -> ApiResult<()> {
    for (id, name, icon) in PAGES {
        let page = json!({"id": id, "name": name, "icon": icon, "type": TYPE, "visible": true});
        db.put(Table::CustomPages, id, &page)?;
        order::append(db, id)?;
    }
    Ok(())
}
