//! Artifacts: handle, definition, sign-off list items.
use super::arg::JsonMap;
use super::call::str_at;
use super::handle::{Document, Handle};
use super::kinds::*;
use super::method::methods;
use crate::client::signoffs::SignoffRef;
use rhai::{Array, Module};

/// Registers the artifact family.
pub fn register(module: &mut Module) {
    methods! { module; Handle<GovernArtifact> as a {
        /// Fetches the artifact's definition (name, fields, workflow, status).
        fn get_definition() -> Document<GovernArtifactDefinition> {
            a.fetch(a.client().get_artifact(&a.key))
        }
        /// Lists the artifact's sign-offs as `GovernArtifactSignoffListItem`s.
        fn list_signoffs() -> Array {
            a.list::<GovernArtifactSignoffListItem>(a.client().list_signoffs(&a.key), |item| {
                Ok(SignoffRef::new(&a.key, str_at(item, "/signoffId/stepId")))
            })
        }
        /// A handle on the sign-off of a workflow step (no request).
        fn get_signoff(step_id: String) -> Handle<GovernArtifactSignoff> {
            Ok(a.handle(SignoffRef::new(&a.key, step_id)))
        }
        /// Deletes the artifact.
        fn delete() -> () {
            a.run(a.client().delete_artifact(&a.key))
        }
        /// Creates the sign-off of an ongoing step whose configuration was added after the artifact.
        fn create_signoff(step_id: String) -> Handle<GovernArtifactSignoff> {
            a.run(a.client().create_signoff(&a.key, &step_id))?;
            Ok(a.handle(SignoffRef::new(&a.key, step_id)))
        }
    }}

    methods! { module; Document<GovernArtifactDefinition> as d {
        /// Saves the (edited) definition; the server's answer becomes the document.
        /// It re-reads the artifact first and applies the changes made since it was read
        /// onto it (a three-way merge): another writer's changes to other fields are
        /// kept; if both changed the same field differently, nothing is saved and the
        /// `Conflict` error names it. `force: true` (or `--no-conflict-check`) sends the
        /// document as it is, as Python does.
        fn save(; force: bool = false) -> () {
            let write = |doc| d.client().save_artifact(&d.key, doc);
            if force || !d.client().checks_conflicts() {
                return d.save(write(d.raw.snapshot()));
            }
            d.save_merged(d.client().get_artifact(&d.key), write)
        }
        /// The blueprint version the artifact is based on (no request).
        fn get_blueprint_version() -> Handle<GovernBlueprintVersion> {
            Ok(d.handle(VersionKey {
                blueprint_id: d.id_at("/blueprintVersionId/blueprintId")?,
                version_id: d.id_at("/blueprintVersionId/versionId")?,
            }))
        }
    }}

    methods! { module; Document<GovernArtifactSignoffListItem> as item {
        /// The sign-off this list item describes.
        fn to_signoff() -> Handle<GovernArtifactSignoff> {
            if item.key.step_id.is_empty() {
                return Err(item.fail("the item has no signoffId.stepId"));
            }
            Ok(item.handle(item.key.clone()))
        }
    }}

    methods! { module; Handle<GovernClient> as c {
        /// A handle on an artifact (no request is made until you use it).
        fn get_artifact(artifact_id: String) -> Handle<GovernArtifact> {
            Ok(c.handle(artifact_id))
        }
        /// Creates an artifact from `#{blueprintVersionId, name, fields}`; returns its handle.
        fn create_artifact(artifact: JsonMap) -> Handle<GovernArtifact> {
            let id = c.run(c.client().create_artifact(artifact.0))?;
            Ok(c.handle(id))
        }
    }}
}
