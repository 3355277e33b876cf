//! What distinguishes one Python class from another: [`Kind`] (its name and key),
//! declared by [`kinds!`], and [`Item`] for handles on a declared resource.
use crate::protocol::{PathKey, Resource};
use std::fmt::Display;

/// What distinguishes one handle type from another: its name and its key.
pub trait Kind: Send + Sync + 'static {
    /// The Rhai type name (the Python class name).
    const NAME: &'static str;
    /// What identifies an object of this kind.
    type Key: Clone + Send + Sync + PartialEq + Display + 'static;
    /// The type's doc comment lines (each starting with `///`), for `govscript docs`.
    const DOCS: &'static [&'static str] = &[];
}

/// Declares marker types implementing [`Kind`], each with its shape and key
/// (`Name: Handle<KeyType>;` or `Name: Document<KeyType>;`), and `register_types`,
/// which registers them all.
///
/// Python's attributes follow: `keys(artifact_id, step_id)` names the key's parts
/// (outermost first), `raw(definition)` the attribute holding the document. A handle on
/// an item of a declared resource names it and its definition's class:
/// `Name: Handle<KeyType> @ RESOURCE => DefinitionName;` (see the `resource` module).
/// Every type also gets Python's `client` back-reference.
macro_rules! kinds {
    ($($(#[doc = $doc:literal])* $name:ident: $shape:ident<$key:ty>
       $(keys($($attr:ident),+))? $(raw($raw:ident))? $(@ $res:ident => $def:ident)?;)*) => {
        $(
            $(#[doc = $doc])*
            pub enum $name {}
            impl $crate::bindings::kind::Kind for $name {
                const NAME: &'static str = stringify!($name);
                type Key = $key;
                const DOCS: &'static [&'static str] = &[$(concat!("///", $doc)),*];
            }
            $(
                impl $crate::bindings::kind::Item for $name {
                    const RESOURCE: &'static $crate::protocol::Resource =
                        &$crate::protocol::resources::$res;
                    type Definition = $def;
                }
            )?
        )*

        /// Registers every declared type: name, printing, equality, `get_raw()`, and
        /// Python's attributes.
        pub fn register_types(engine: &mut impl $crate::bindings::register::Register) {
            use $crate::bindings::handle;
            $(
                handle::$shape::<$name>::register_type(engine);
                handle::client_attribute::<handle::$shape<$name>>(engine);
                $(handle::key_attributes::<handle::$shape<$name>>(
                    engine,
                    stringify!($name),
                    &[$(stringify!($attr)),+],
                );)?
                $(handle::raw_attribute::<$name>(engine, stringify!($raw));)?
            )*
        }
    };
}
pub(crate) use kinds;

/// A Python class that is a handle on one item of a declared resource.
pub trait Item: Kind<Key: PathKey> {
    /// Its resource.
    const RESOURCE: &'static Resource;
    /// The class wrapping its definition.
    type Definition: Kind<Key = Self::Key>;
}
