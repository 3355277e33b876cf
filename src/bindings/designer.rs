//! The blueprint designer: blueprints, versions and sign-off configurations as an
//! administrator edits them (`/admin/blueprint...`). The three are declared resources
//! (see [`super::resource`]); only their irregular calls are written here.
use super::blueprint::trace_properties;
use super::handle::{Document, Handle};
use super::kinds::*;
use super::method::methods;
use super::resource::{Children, children, id_at, item, save};
use crate::bindings::register::Register;
use crate::protocol::resources::ADMIN_BLUEPRINT_VERSIONS;
use rhai::Module;

type Version = Handle<GovernAdminBlueprintVersion>;

/// Registers the designer family.
pub fn register(engine: &mut impl Register, module: &mut Module) {
    methods! { module; Handle<GovernClient> as c {
        /// The blueprint designer (admin or Govern-architect rights; no request).
        fn get_blueprint_designer() -> Handle<GovernAdminBlueprintDesigner> {
            Ok(c.handle(Root(c.key.clone())))
        }
    }}

    children::<GovernAdminBlueprintDesigner, GovernAdminBlueprint, GovernAdminBlueprintListItem>(
        engine,
        module,
        Children {
            get: ("get_blueprint", "blueprint_id"),
            list: ("list_blueprints", "to_blueprint"),
            create: Some(("create_blueprint", "new_identifier", "blueprint")),
        },
    );
    item::<GovernAdminBlueprint>(engine, module, false);

    children::<
        GovernAdminBlueprint,
        GovernAdminBlueprintVersion,
        GovernAdminBlueprintVersionListItem,
    >(
        engine,
        module,
        Children {
            get: ("get_version", "version_id"),
            list: ("list_versions", "to_blueprint_version"),
            create: None,
        },
    );
    item::<GovernAdminBlueprintVersion>(engine, module, true);

    children::<
        GovernAdminBlueprintVersion,
        GovernAdminSignoffConfiguration,
        GovernAdminSignoffConfigurationListItem,
    >(
        engine,
        module,
        Children {
            get: ("get_signoff_configuration", "step_id"),
            list: ("list_signoff_configurations", "to_signoff_configuration"),
            create: Some((
                "create_signoff_configuration",
                "step_id",
                "signoff_configuration",
            )),
        },
    );
    item::<GovernAdminSignoffConfiguration>(engine, module, false);

    type Trace = Document<GovernAdminBlueprintVersionTrace>;
    trace_properties::<GovernAdminBlueprintVersionTrace>(engine);

    methods! { module; Handle<GovernAdminBlueprint> as b {
        /// Creates a DRAFT version, empty or a copy of `origin_version_id`; returns its handle.
        fn create_version(new_identifier: String; name: Option<String> = None,
                          origin_version_id: Option<String> = None) -> Version {
            let query = [("name", name), ("originVersionId", origin_version_id)]
                .into_iter()
                .filter_map(|(k, v)| Some((k, v?)))
                .collect();
            let parent = [b.key.as_str()];
            let answer = b.run(b.client().create_item(
                &ADMIN_BLUEPRINT_VERSIONS, &parent, &new_identifier, None, query,
            ))?;
            let version_id = id_at(b, &answer, ADMIN_BLUEPRINT_VERSIONS.created_id)?;
            Ok(b.handle(VersionKey { blueprint_id: b.key.clone(), version_id }))
        }
    }}

    methods! { module; Handle<GovernAdminBlueprintVersion> as v {
        /// Fetches the version's trace: status and origin version.
        fn get_trace() -> Trace {
            let key = [v.key.blueprint_id.as_str(), v.key.version_id.as_str()];
            let answer = v.run(v.client().get_answer(&ADMIN_BLUEPRINT_VERSIONS, &key))?;
            match answer.get("blueprintVersionTrace") {
                Some(trace) if trace.is_object() => Ok(v.document(v.key.clone(), trace.clone())),
                _ => Err(v.fail("the answer has no blueprintVersionTrace object")),
            }
        }
    }}

    methods! { module; Document<GovernAdminBlueprintVersionDefinition> as d {
        /// Saves the definition (a three-way merge onto a fresh read; `force: true` sends
        /// it as it is). Govern refuses a change that would drop values artifacts hold
        /// unless `danger_zone_accepted` is true (and then drops them).
        fn save(; danger_zone_accepted: Option<bool> = None, force: bool = false) -> () {
            let query = danger_zone_accepted
                .map(|b| vec![("dangerZoneAccepted", if b { "True" } else { "False" }.to_string())])
                .unwrap_or_default();
            save::<GovernAdminBlueprintVersion>(d, force, query)
        }
    }}

    methods! { module; Document<GovernAdminBlueprintVersionTrace> as t {
        /// Sets the version's status: `DRAFT`, `ACTIVE` (new artifacts may use it) or
        /// `ARCHIVED`; the server's new trace becomes the document.
        fn set_status(status: String) -> () {
            let key = [t.key.blueprint_id.as_str(), t.key.version_id.as_str()];
            let trace = t.run(t.client().set_version_status(&key, &status))?;
            t.base.replace(trace.clone());
            t.raw.replace(trace);
            Ok(())
        }
    }}
}
