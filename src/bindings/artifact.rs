//! Artifacts: handle, definition, sign-off list items.
use super::bridge::{RhaiResult, local_error};
use super::handle::{Document, Handle, def, dynamic, register_document, register_handle};
use super::kinds::*;
use crate::client::signoffs::SignoffRef;
use rhai::{Array, Engine};

type Artifact = Handle<GovernArtifact>;
type Definition = Document<GovernArtifactDefinition>;

/// Registers the artifact family.
pub fn register(engine: &mut Engine) {
    register_handle::<GovernArtifact>(engine);
    register_document::<GovernArtifactDefinition>(engine);
    register_document::<GovernArtifactSignoffListItem>(engine);

    engine.register_get("artifact_id", |a: &mut Artifact| a.key.clone());

    def(
        engine,
        "get_definition",
        &["self", "GovernArtifactDefinition"],
        "Fetches the artifact's definition (name, fields, workflow, status).",
        |a: &mut Artifact| -> RhaiResult<Definition> {
            let client = a.api.client.clone();
            let doc = a
                .api
                .run("GovernArtifact.get_definition", client.get_artifact(&a.key))?;
            Ok(Document::new(&a.api, a.key.clone(), doc))
        },
    );
    def(
        engine,
        "list_signoffs",
        &["self", "Array"],
        "Lists the artifact's sign-offs as `GovernArtifactSignoffListItem`s.",
        |a: &mut Artifact| -> RhaiResult<Array> {
            let client = a.api.client.clone();
            let items = a
                .api
                .run("GovernArtifact.list_signoffs", client.list_signoffs(&a.key))?;
            Ok(items
                .into_iter()
                .map(|item| {
                    let step = item
                        .pointer("/signoffId/stepId")
                        .and_then(|v| v.as_str())
                        .unwrap_or_default();
                    let key = SignoffRef::new(a.key.clone(), step);
                    dynamic(Document::<GovernArtifactSignoffListItem>::new(
                        &a.api, key, item,
                    ))
                })
                .collect())
        },
    );
    def(
        engine,
        "get_signoff",
        &["self", "step_id: String", "GovernArtifactSignoff"],
        "A handle on the sign-off of a workflow step (no request).",
        |a: &mut Artifact, step: &str| {
            Handle::<GovernArtifactSignoff>::new(&a.api, SignoffRef::new(a.key.clone(), step))
        },
    );
    def(
        engine,
        "delete",
        &["self", "()"],
        "Deletes the artifact.",
        |a: &mut Artifact| -> RhaiResult<()> {
            let client = a.api.client.clone();
            a.api
                .run("GovernArtifact.delete", client.delete_artifact(&a.key))
        },
    );
    def(
        engine,
        "create_signoff",
        &["self", "step_id: String", "GovernArtifactSignoff"],
        "Creates the sign-off of an ongoing step whose configuration was added after the artifact.",
        |a: &mut Artifact, step: &str| -> RhaiResult<Handle<GovernArtifactSignoff>> {
            let client = a.api.client.clone();
            a.api.run(
                "GovernArtifact.create_signoff",
                client.create_signoff(&a.key, step),
            )?;
            Ok(Handle::new(&a.api, SignoffRef::new(a.key.clone(), step)))
        },
    );

    def(
        engine,
        "save",
        &["self", "()"],
        "Saves the (edited) definition; the server's answer becomes the document.",
        |d: &mut Definition| -> RhaiResult<()> {
            let client = d.api.client.clone();
            let saved = d.api.run(
                "GovernArtifactDefinition.save",
                client.save_artifact(&d.key, d.raw.snapshot()),
            )?;
            d.raw.replace(saved);
            Ok(())
        },
    );
    def(
        engine,
        "get_blueprint_version",
        &["self", "GovernBlueprintVersion"],
        "The blueprint version the artifact is based on (no request).",
        |d: &mut Definition| -> RhaiResult<Handle<GovernBlueprintVersion>> {
            let call = "GovernArtifactDefinition.get_blueprint_version";
            let ids = d.raw.snapshot();
            let get = |k: &str| {
                ids.pointer(&format!("/blueprintVersionId/{k}"))
                    .and_then(|v| v.as_str())
                    .map(str::to_string)
                    .ok_or_else(|| {
                        local_error(
                            call,
                            format!("the definition has no blueprintVersionId.{k}"),
                        )
                    })
            };
            Ok(Handle::new(
                &d.api,
                VersionKey {
                    blueprint_id: get("blueprintId")?,
                    version_id: get("versionId")?,
                },
            ))
        },
    );

    def(engine, "to_signoff", &["self", "GovernArtifactSignoff"],
        "The sign-off this list item describes.",
        |item: &mut Document<GovernArtifactSignoffListItem>| -> RhaiResult<Handle<GovernArtifactSignoff>> {
            if item.key.step_id.is_empty() {
                return Err(local_error("GovernArtifactSignoffListItem.to_signoff", "the item has no signoffId.stepId"));
            }
            Ok(Handle::new(&item.api, item.key.clone()))
        });
}
