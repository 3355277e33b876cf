//! Blueprints and blueprint versions (read-only side).
use super::call::{Call, str_at};
use super::def::prop;
use super::handle::{Document, Handle, Kind};
use super::kinds::*;
use super::method::methods;
use super::register::Register;
use rhai::{Array, Dynamic, Module};

type Version = Handle<GovernBlueprintVersion>;

/// Reads the version (one GET serves both trace and definition, as in Python) and
/// wraps the part under `part`.
fn version_part<K: Kind<Key = VersionKey>>(
    v: &Call<'_, Version>,
    part: &'static str,
) -> super::bridge::RhaiResult<Document<K>> {
    let key = &v.key;
    v.fetch(
        v.client()
            .get_blueprint_version(&key.blueprint_id, &key.version_id, part),
    )
}

/// Registers the blueprint family.
pub fn register(engine: &mut impl Register, module: &mut Module) {
    trace_properties::<GovernBlueprintVersionTrace>(engine);

    methods! { module; Handle<GovernClient> as c {
        /// Lists the blueprints the API key can see, as `GovernBlueprintListItem`s.
        fn list_blueprints() -> Array {
            c.list::<GovernBlueprintListItem>(c.client().list_blueprints(), |item| {
                Ok(str_at(item, "/blueprint/id"))
            })
        }
        /// A handle on a blueprint (no request is made until you use it).
        fn get_blueprint(blueprint_id: String) -> Handle<GovernBlueprint> {
            Ok(c.handle(blueprint_id))
        }
    }}

    methods! { module; Document<GovernBlueprintListItem> as item {
        /// The blueprint this list item describes.
        fn to_blueprint() -> Handle<GovernBlueprint> {
            if item.key.is_empty() {
                return Err(item.fail("the item has no blueprint.id"));
            }
            Ok(item.handle(item.key.clone()))
        }
    }}

    methods! { module; Handle<GovernBlueprint> as b {
        /// Fetches the blueprint's definition.
        fn get_definition() -> Document<GovernBlueprintDefinition> {
            b.fetch(b.client().get_blueprint(&b.key))
        }
        /// Lists the blueprint's versions as `GovernBlueprintVersionListItem`s.
        fn list_versions() -> Array {
            b.list::<GovernBlueprintVersionListItem>(b.client().list_blueprint_versions(&b.key), |item| {
                Ok(VersionKey {
                    blueprint_id: b.key.clone(),
                    version_id: str_at(item, "/blueprintVersion/id/versionId"),
                })
            })
        }
        /// A handle on one version of the blueprint (no request).
        fn get_version(version_id: String) -> Handle<GovernBlueprintVersion> {
            Ok(b.handle(VersionKey { blueprint_id: b.key.clone(), version_id }))
        }
    }}

    methods! { module; Document<GovernBlueprintVersionListItem> as item {
        /// The blueprint version this list item describes.
        fn to_blueprint_version() -> Handle<GovernBlueprintVersion> {
            if item.key.version_id.is_empty() {
                return Err(item.fail("the item has no blueprintVersion.id.versionId"));
            }
            Ok(item.handle(item.key.clone()))
        }
    }}

    methods! { module; Handle<GovernBlueprintVersion> as v {
        /// The blueprint of this version (no request).
        fn get_blueprint() -> Handle<GovernBlueprint> {
            Ok(v.handle(v.key.blueprint_id.clone()))
        }
        /// Fetches the version's trace: status and origin version.
        fn get_trace() -> Document<GovernBlueprintVersionTrace> {
            version_part(v, "blueprintVersionTrace")
        }
        /// Fetches the version's definition: fields, workflow, UI.
        fn get_definition() -> Document<GovernBlueprintVersionDefinition> {
            version_part(v, "blueprintVersion")
        }
    }}
}

/// A version trace's `status` and `origin_version_id` (or `()`), as Python's properties.
pub fn trace_properties<K: Kind>(engine: &mut impl Register) {
    prop(
        engine,
        "status",
        "The version's status (`DRAFT`, `ACTIVE`, `ARCHIVED`), or `()`.",
        |t: &mut Document<K>| optional_str(t, "status"),
    );
    prop(
        engine,
        "origin_version_id",
        "The version this one was forked from, or `()`.",
        |t: &mut Document<K>| optional_str(t, "originVersionId"),
    );
}

/// The string property `key` of a document, or `()`.
fn optional_str<K: Kind>(d: &Document<K>, key: &str) -> Dynamic {
    d.raw.get_str(key).map_or(Dynamic::UNIT, Dynamic::from)
}
