//! The Govern wire protocol as data, shared by the client and the sandbox (which
//! never depend on each other): one [`Resource`] declaration per Govern collection
//! of documents, and the keys that address them.
//!
//! A resource is declared once in [`resources`]; the client builds its requests from
//! it (`client/resource.rs`), the bindings give it the Python methods
//! (`bindings/resource.rs`) and the sandbox serves it as a generic collection.
pub mod containers;
pub mod keys;
pub mod resources;
pub mod upload;

pub use keys::{ConfigKey, PathKey, Root, VersionKey};

/// How a creation names the new object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Create {
    /// `POST {create}?newIdentifier=<id>` with the document as body (blueprints,
    /// roles, custom pages).
    NewIdentifier,
    /// `POST {create}` with no body, the new id and the other arguments in the query
    /// (blueprint versions: `newIdentifier`, `name`, `originVersionId`).
    QueryOnly,
    /// `POST {item}`: the id is the last path segment (sign-off configurations).
    AtItemPath,
    /// `POST {create}` with the document as body, which carries the id at this JSON
    /// pointer (role assignments: `/blueprintId`; users: `/login`).
    InBody(&'static str),
    /// The server allocates the id; the answer carries it at [`Resource::created_id`].
    Generated,
    /// Govern has no creation call for this resource.
    None,
}

/// One Govern collection of documents: where it lives and how answers wrap it.
///
/// Path templates are below `/dip/publicapi`; each `{}` is replaced, in order, by one
/// part of the key ([`PathKey::parts`]), escaped. `list` and `create` take the
/// parent's parts, `item` the parent's parts then the item's id.
#[derive(Debug)]
pub struct Resource {
    /// What Govern calls one of them in messages (`Blueprint version`).
    pub noun: &'static str,
    /// The names of the key's parts, outermost first, as Python's attributes name them
    /// (`["blueprint_id", "version_id"]`): one per `{}` of [`Resource::item`].
    pub key: &'static [&'static str],
    /// `GET`: the list of items.
    pub list: &'static str,
    /// `POST`: a creation (see [`Create`]).
    pub create: &'static str,
    /// `GET`, `PUT`, `DELETE`: one item.
    pub item: &'static str,
    /// The key of the `GET` / `PUT` answer holding the definition (`blueprint`);
    /// `None`: the answer is the definition.
    pub wrap: Option<&'static str>,
    /// JSON pointer of the item's id in a list item (`/blueprint/id`).
    pub list_id: &'static str,
    /// JSON pointer of the new id in a creation's answer.
    pub created_id: &'static str,
    /// How a creation names the new object.
    pub creation: Create,
    /// What the server puts before an identifier the caller chose (`bp.`, `bv.`,
    /// `ro.`; empty: kept as given). See [`Resource::new_id`].
    pub id_prefix: &'static str,
}

impl Resource {
    /// The id the server stores a creation under for the identifier `given`: prefixed
    /// with [`Resource::id_prefix`] unless it already starts with it.
    pub fn new_id(&self, given: &str) -> String {
        if given.starts_with(self.id_prefix) {
            given.to_string()
        } else {
            format!("{}{given}", self.id_prefix)
        }
    }

    /// Fills `template`'s `{}` with `parts`, each escaped by `escape`.
    ///
    /// # Panics
    /// If the template has a different number of `{}` than `parts` (a declaration
    /// error, caught by the tests of [`resources`]).
    pub fn fill(template: &str, parts: &[&str], escape: impl Fn(&str) -> String) -> String {
        let mut pieces = template.split("{}");
        let mut out = pieces.next().unwrap_or_default().to_string();
        let mut parts = parts.iter();
        for piece in pieces {
            let part = parts
                .next()
                .expect("a key part for every {} of the template");
            out.push_str(&escape(part));
            out.push_str(piece);
        }
        assert!(
            parts.next().is_none(),
            "more key parts than {{}} in {template}"
        );
        out
    }
}
