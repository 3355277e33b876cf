//! Custom pages (protocol §2.12): as any user reads them (`get_custom_page`,
//! `list_custom_pages`: the visible pages, in display order) and as an administrator
//! or Govern architect edits them (`get_custom_pages_handler()`). The administrator's
//! pages are a declared resource (`ADMIN_CUSTOM_PAGES`, see [`super::resource`]);
//! the readers' pages and the display order are written here.
use super::arg::JsonArray;
use super::bridge::RhaiResult;
use super::call::Call;
use super::convert::to_dynamic;
use super::handle::{Document, Handle};
use super::kinds::*;
use super::method::methods;
use super::register::Register;
use super::resource::{Children, children, id_at, item};
use crate::protocol::resources::CUSTOM_PAGES;
use rhai::{Array, Module};
use serde_json::Value;

type Handler = Handle<GovernAdminCustomPagesHandler>;

/// An order as Rhai strings; an answer holding anything but page ids is refused.
fn order(h: &Call<'_, Handler>, ids: Vec<Value>) -> RhaiResult<Array> {
    ids.iter()
        .map(|id| match id {
            Value::String(_) => Ok(to_dynamic(id)),
            other => Err(h.fail(format!("the order holds {other}, not a page id"))),
        })
        .collect()
}

/// Registers the custom pages family.
pub fn register(engine: &mut impl Register, module: &mut Module) {
    methods! { module; Handle<GovernClient> as c {
        /// The custom pages handler, to create, edit, delete and order pages (admin or
        /// Govern-architect rights; no request).
        fn get_custom_pages_handler() -> Handler {
            Ok(c.handle(Root(c.key.clone())))
        }
        /// A handle on a custom page as you may read it (no request is made until you
        /// use it); edit pages through `get_custom_pages_handler()`.
        fn get_custom_page(custom_page_id: String) -> Handle<GovernCustomPage> {
            Ok(c.handle(custom_page_id))
        }
        /// Lists the custom pages you may see, in display order (standard pages
        /// included; pages not marked visible only for administrators).
        fn list_custom_pages() -> Array {
            c.list::<GovernCustomPageListItem>(c.client().list_items(&CUSTOM_PAGES, &[]), |item| {
                id_at(c, item, CUSTOM_PAGES.list_id)
            })
        }
    }}

    methods! { module; Document<GovernCustomPageListItem> as i {
        /// The custom page this list item describes (no request).
        fn to_custom_page() -> Handle<GovernCustomPage> {
            Ok(i.handle(i.key.clone()))
        }
    }}

    methods! { module; Handle<GovernCustomPage> as p {
        /// Fetches the page's definition (a page hidden from you is not found).
        fn get_definition() -> Document<GovernCustomPageDefinition> {
            p.fetch(p.client().get_item(&CUSTOM_PAGES, &[p.key.as_str()]))
        }
    }}

    children::<GovernAdminCustomPagesHandler, GovernAdminCustomPage, GovernAdminCustomPageListItem>(
        engine,
        module,
        Children {
            get: ("get_custom_page", "custom_page_id"),
            list: ("list_custom_pages", "to_custom_page"),
            create: Some(("create_custom_page", "new_identifier", "custom_page")),
        },
    );
    item::<GovernAdminCustomPage>(engine, module, false);

    methods! { module; Handle<GovernAdminCustomPagesHandler> as h {
        /// The display order: every page id, standard pages included.
        fn get_custom_pages_order() -> Array {
            order(h, h.run(h.client().get_custom_pages_order())?)
        }
        /// Saves the display order, which must name every page exactly once (a
        /// partial order, an unknown id or a repeated one is refused and changes
        /// nothing); returns the order as saved.
        fn save_custom_pages_order(custom_pages_order: JsonArray) -> Array {
            let JsonArray(ids) = custom_pages_order;
            let bad = ids.as_array().and_then(|ids| ids.iter().find(|id| !id.is_string()));
            if let Some(bad) = bad {
                return Err(h.fail(format!("custom_pages_order must hold page ids (strings), not {bad}")));
            }
            order(h, h.run(h.client().save_custom_pages_order(ids))?)
        }
    }}
}
