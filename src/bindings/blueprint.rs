//! Blueprints and blueprint versions (read-only side).
use super::bridge::{RhaiResult, local_error};
use super::handle::{Document, Handle, Kind, def, dynamic, register_document, register_handle};
use super::kinds::*;
use rhai::{Array, Dynamic, Engine};

type Blueprint = Handle<GovernBlueprint>;
type Version = Handle<GovernBlueprintVersion>;

/// Reads the version (one GET serves both trace and definition, as in Python) and
/// wraps the part under `key`.
fn fetch_part<K: Kind<Key = VersionKey>>(
    v: &mut Version,
    call: &'static str,
    key: &str,
) -> RhaiResult<Document<K>> {
    let client = v.api.client.clone();
    let mut answer = v.api.run(
        call,
        client.get_blueprint_version(call, &v.key.blueprint_id, &v.key.version_id),
    )?;
    let part = answer.get_mut(key).map(std::mem::take).unwrap_or_default();
    Ok(Document::new(&v.api, v.key.clone(), part))
}

/// Registers the blueprint family.
pub fn register(engine: &mut Engine) {
    register_document::<GovernBlueprintListItem>(engine);
    register_handle::<GovernBlueprint>(engine);
    register_document::<GovernBlueprintDefinition>(engine);
    register_document::<GovernBlueprintVersionListItem>(engine);
    register_handle::<GovernBlueprintVersion>(engine);
    register_document::<GovernBlueprintVersionTrace>(engine);
    register_document::<GovernBlueprintVersionDefinition>(engine);

    engine.register_get("blueprint_id", |b: &mut Blueprint| b.key.clone());
    engine.register_get("blueprint_id", |v: &mut Version| v.key.blueprint_id.clone());
    engine.register_get("version_id", |v: &mut Version| v.key.version_id.clone());

    def(
        engine,
        "to_blueprint",
        &["self", "GovernBlueprint"],
        "The blueprint this list item describes.",
        |item: &mut Document<GovernBlueprintListItem>| -> RhaiResult<Blueprint> {
            if item.key.is_empty() {
                return Err(local_error(
                    "GovernBlueprintListItem.to_blueprint",
                    "the item has no blueprint.id",
                ));
            }
            Ok(Handle::new(&item.api, item.key.clone()))
        },
    );
    def(
        engine,
        "get_definition",
        &["self", "GovernBlueprintDefinition"],
        "Fetches the blueprint's definition.",
        |b: &mut Blueprint| -> RhaiResult<Document<GovernBlueprintDefinition>> {
            let client = b.api.client.clone();
            let mut answer = b.api.run(
                "GovernBlueprint.get_definition",
                client.get_blueprint(&b.key),
            )?;
            let definition = answer
                .get_mut("blueprint")
                .map(std::mem::take)
                .unwrap_or_default();
            Ok(Document::new(&b.api, b.key.clone(), definition))
        },
    );
    def(
        engine,
        "list_versions",
        &["self", "Array"],
        "Lists the blueprint's versions as `GovernBlueprintVersionListItem`s.",
        |b: &mut Blueprint| -> RhaiResult<Array> {
            let client = b.api.client.clone();
            let items = b.api.run(
                "GovernBlueprint.list_versions",
                client.list_blueprint_versions(&b.key),
            )?;
            Ok(items
                .into_iter()
                .map(|item| {
                    let version_id = item
                        .pointer("/blueprintVersion/id/versionId")
                        .and_then(|v| v.as_str())
                        .unwrap_or_default();
                    let key = VersionKey {
                        blueprint_id: b.key.clone(),
                        version_id: version_id.to_string(),
                    };
                    dynamic(Document::<GovernBlueprintVersionListItem>::new(
                        &b.api, key, item,
                    ))
                })
                .collect())
        },
    );
    def(
        engine,
        "get_version",
        &["self", "version_id: String", "GovernBlueprintVersion"],
        "A handle on one version of the blueprint (no request).",
        |b: &mut Blueprint, version_id: &str| -> Version {
            Handle::new(
                &b.api,
                VersionKey {
                    blueprint_id: b.key.clone(),
                    version_id: version_id.into(),
                },
            )
        },
    );
    def(
        engine,
        "to_blueprint_version",
        &["self", "GovernBlueprintVersion"],
        "The blueprint version this list item describes.",
        |item: &mut Document<GovernBlueprintVersionListItem>| -> RhaiResult<Version> {
            if item.key.version_id.is_empty() {
                return Err(local_error(
                    "GovernBlueprintVersionListItem.to_blueprint_version",
                    "the item has no blueprintVersion.id.versionId",
                ));
            }
            Ok(Handle::new(&item.api, item.key.clone()))
        },
    );
    def(
        engine,
        "get_blueprint",
        &["self", "GovernBlueprint"],
        "The blueprint of this version (no request).",
        |v: &mut Version| -> Blueprint { Handle::new(&v.api, v.key.blueprint_id.clone()) },
    );
    def(
        engine,
        "get_trace",
        &["self", "GovernBlueprintVersionTrace"],
        "Fetches the version's trace: status and origin version.",
        |v: &mut Version| {
            fetch_part::<GovernBlueprintVersionTrace>(
                v,
                "GovernBlueprintVersion.get_trace",
                "blueprintVersionTrace",
            )
        },
    );
    def(
        engine,
        "get_definition",
        &["self", "GovernBlueprintVersionDefinition"],
        "Fetches the version's definition: fields, workflow, UI.",
        |v: &mut Version| {
            fetch_part::<GovernBlueprintVersionDefinition>(
                v,
                "GovernBlueprintVersion.get_definition",
                "blueprintVersion",
            )
        },
    );
    engine.register_get("status", |t: &mut Document<GovernBlueprintVersionTrace>| {
        t.raw.get_str("status").map_or(Dynamic::UNIT, Dynamic::from)
    });
    engine.register_get(
        "origin_version_id",
        |t: &mut Document<GovernBlueprintVersionTrace>| {
            t.raw
                .get_str("originVersionId")
                .map_or(Dynamic::UNIT, Dynamic::from)
        },
    );
}
