//! The Python methods every declared [`Resource`] has, registered generically
//! (kube-rs's `impl<K> Api<K>`): a resource is one line in [`super::kinds`]
//! (`GovernAdminBlueprint: Handle<String> @ ADMIN_BLUEPRINTS => GovernAdminBlueprintDefinition;`)
//! plus one [`Children`] naming its parent's methods; [`methods!`](super::method::methods)
//! stays for the irregular calls.
//!
//! - on the parent: `get_x(id)` (no request), `list_xs()` with the list items'
//!   `to_x()`, and `create_x(...)` when the creation is regular;
//! - on the handle: `get_definition()`, `delete()`;
//! - on the definition: `save()`, a three-way merge onto a fresh read
//!   ([`Call::save_merged`]), or `force: true` to send it as it is;
//! - on the handle, the definition and the list item: the key's parts as Python's
//!   attributes (`blueprint_id`, `version_id`, ...).
use super::arg::{JsonMap, Param};
use super::bridge::RhaiResult;
use super::call::{Call, Object};
use super::handle::{Document, Handle, Kind};
pub use super::kind::Item;
use super::method::{Body, Method};
use crate::bindings::register::Register;
use crate::protocol::keys::ChildKey;
use crate::protocol::{Create, PathKey, Resource};
use rhai::{Array, Dynamic, Module};
use serde_json::Value;

/// How a parent's Python methods name one child resource.
pub struct Children {
    /// `get_blueprint(blueprint_id)`: a handle, no request.
    pub get: (&'static str, &'static str),
    /// `list_blueprints()` and the list items' `to_blueprint()`.
    pub list: (&'static str, &'static str),
    /// `create_blueprint(new_identifier, blueprint)`: the method and its two parameters
    /// (the id, the document), when the creation is regular.
    pub create: Option<(&'static str, &'static str, &'static str)>,
}

/// A name built at registration, kept for the life of the process (methods are
/// registered once per process).
fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

/// `Class.method`, the call name requests and errors carry.
fn call_name(class: &str, method: &str) -> &'static str {
    leak(format!("{class}.{method}"))
}

fn doc(line: String) -> &'static [&'static str] {
    Box::leak(vec![leak(format!("/// {line}"))].into_boxed_slice())
}

/// A declared method with a generated name and doc.
fn method<R>(
    class: &str,
    name: &'static str,
    line: String,
    required: Vec<Param>,
    returns: &'static str,
    body: Body<R>,
) -> Method<R> {
    Method {
        name,
        call: call_name(class, name),
        docs: doc(line),
        required,
        optional: Vec::new(),
        returns,
        body,
    }
}

/// The string at `pointer` of a list item or answer, or an error naming it.
pub fn id_at<R: Object>(c: &Call<'_, R>, value: &Value, pointer: &str) -> RhaiResult<String> {
    value
        .pointer(pointer)
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| c.fail(format!("the answer has no {pointer}")))
}

/// Registers `P`'s methods on its child resource `H`, whose list items are `L`.
pub fn children<P, H, L>(engine: &mut impl Register, module: &mut Module, names: Children)
where
    P: Kind<Key: PathKey>,
    H: Item<Key: ChildKey<P::Key>>,
    L: Kind<Key = H::Key>,
{
    let noun = H::RESOURCE.noun.to_lowercase();
    method::<Handle<P>>(
        P::NAME,
        names.get.0,
        format!("A handle on a {noun} (no request is made until you use it)."),
        vec![Param::of::<String>(names.get.1)],
        H::NAME,
        |c, args| {
            let id: String = args.required()?;
            Ok(Dynamic::from(c.handle::<H>(H::Key::child(&c.key, id))))
        },
    )
    .register(module);

    method::<Handle<P>>(
        P::NAME,
        names.list.0,
        format!("Lists the {noun}s as `{}`s.", L::NAME),
        vec![],
        "Array",
        |c, _| {
            let parent = c.key.parts();
            let items = c.run(c.client().list_items(H::RESOURCE, &parent))?;
            let mut out = Array::with_capacity(items.len());
            for item in items {
                let key = H::Key::child(&c.key, id_at(c, &item, H::RESOURCE.list_id)?);
                out.push(Dynamic::from(c.document::<L>(key, item)));
            }
            Ok(Dynamic::from(out))
        },
    )
    .register(module);

    method::<Document<L>>(
        L::NAME,
        names.list.1,
        format!("The {noun} this list item describes (no request)."),
        vec![],
        H::NAME,
        |item, _| Ok(Dynamic::from(item.handle::<H>(item.key.clone()))),
    )
    .register(module);

    key_properties::<Document<L>>(engine, H::RESOURCE);

    if let Some((name, id, body)) = names.create {
        assert!(
            matches!(
                H::RESOURCE.creation,
                Create::NewIdentifier | Create::AtItemPath | Create::InBody(_)
            ),
            "{name}: a regular creation sends an id and a document"
        );
        method::<Handle<P>>(
            P::NAME,
            name,
            format!("Creates a {noun} from its id and definition; returns its handle."),
            vec![Param::of::<String>(id), Param::of::<JsonMap>(body)],
            H::NAME,
            |c, args| {
                let id: String = args.required()?;
                let JsonMap(document) = args.required()?;
                let parent = c.key.parts();
                let answer = c.run(c.client().create_item(
                    H::RESOURCE,
                    &parent,
                    &id,
                    Some(document),
                    Vec::new(),
                ))?;
                let id = match H::RESOURCE.creation {
                    Create::AtItemPath => id,
                    _ => id_at(c, &answer, H::RESOURCE.created_id)?,
                };
                Ok(Dynamic::from(c.handle::<H>(H::Key::child(&c.key, id))))
            },
        )
        .register(module);
    }
}

/// Registers the item's own methods (`get_definition()`, `delete()`, and unless
/// `custom_save` its definition's `save()`) and its key properties.
pub fn item<H: Item>(engine: &mut impl Register, module: &mut Module, custom_save: bool) {
    let noun = H::RESOURCE.noun.to_lowercase();
    method::<Handle<H>>(
        H::NAME,
        "get_definition",
        format!("Fetches the {noun}'s definition."),
        vec![],
        H::Definition::NAME,
        |h, _| {
            let key = h.key.parts();
            let doc = h.run(h.client().get_item(H::RESOURCE, &key))?;
            Ok(Dynamic::from(
                h.document::<H::Definition>(h.key.clone(), doc),
            ))
        },
    )
    .register(module);

    method::<Handle<H>>(
        H::NAME,
        "delete",
        format!("Deletes the {noun}."),
        vec![],
        "()",
        |h, _| {
            let key = h.key.parts();
            h.run(h.client().delete_item(H::RESOURCE, &key))?;
            Ok(Dynamic::UNIT)
        },
    )
    .register(module);

    if !custom_save {
        let mut save = method::<Document<H::Definition>>(
            H::Definition::NAME,
            "save",
            format!(
                "Saves the {noun}'s definition as a three-way merge onto a fresh read \
                 (`force: true` sends it as it is); the server's answer becomes the document."
            ),
            vec![],
            "()",
            |d, args| {
                let force = args.optional(|| false)?;
                save::<H>(d, force, Vec::new()).map(|()| Dynamic::UNIT)
            },
        );
        save.optional = vec![Param::of::<bool>("force")];
        save.register(module);
    }

    key_properties::<Handle<H>>(engine, H::RESOURCE);
    key_properties::<Document<H::Definition>>(engine, H::RESOURCE);
}

/// Saves a definition of `H` with `query` (e.g. `dangerZoneAccepted`): a three-way
/// merge onto a fresh read unless `force` or `--no-conflict-check`.
pub fn save<H: Item>(
    d: &Call<'_, Document<H::Definition>>,
    force: bool,
    query: Vec<(&'static str, String)>,
) -> RhaiResult<()> {
    let key = d.key.parts();
    let client = d.client();
    let write = |doc| client.save_item(H::RESOURCE, &key, doc, query.clone());
    if force || !client.checks_conflicts() {
        return d.save(write(d.raw.snapshot()));
    }
    d.save_merged(client.get_item(H::RESOURCE, &key), write)
}

/// Registers Python's key attributes (`blueprint_id`, ...) on `R` as properties.
pub fn key_properties<R: Object<Key: PathKey>>(engine: &mut impl Register, resource: &Resource) {
    super::handle::key_attributes::<R>(engine, &resource.noun.to_lowercase(), resource.key);
}
