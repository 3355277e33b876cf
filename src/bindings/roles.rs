//! Roles and permissions (`get_roles_permissions_handler()`, protocol §2.11): roles,
//! blueprint role assignments and blueprint permissions are declared resources (see
//! [`super::resource`]); the creations that take only a document, the default
//! permissions and the checked save of role assignments are written here.
use super::arg::JsonMap;
use super::bridge::RhaiResult;
use super::call::Call;
use super::handle::{Document, Handle};
use super::kinds::*;
use super::method::methods;
use super::register::Register;
use super::resource::{Children, Item, children, id_at, item, save};
use super::roles_rules;
use rhai::Module;
use serde_json::Value;

type Handler = Handle<GovernAdminRolesPermissionsHandler>;

/// Creates the document of a resource whose creation body names its blueprint
/// (`blueprintId`); returns its handle.
fn create_in_body<H: Item<Key = String>>(
    h: &Call<'_, Handler>,
    doc: Value,
) -> RhaiResult<Handle<H>> {
    let Some(id) = doc.get("blueprintId").and_then(Value::as_str) else {
        return Err(h.fail("the document has no blueprintId (the blueprint it is for)"));
    };
    let id = id.to_string();
    let answer = h.run(
        h.client()
            .create_item(H::RESOURCE, &[], &id, Some(doc), Vec::new()),
    )?;
    Ok(h.handle(id_at(h, &answer, H::RESOURCE.created_id)?))
}

/// Registers the roles and permissions family.
pub fn register(engine: &mut impl Register, module: &mut Module) {
    methods! { module; Handle<GovernClient> as c {
        /// The roles and permissions handler (admin or Govern-architect rights; no request).
        fn get_roles_permissions_handler() -> Handler {
            Ok(c.handle(Root(c.key.clone())))
        }
    }}

    children::<GovernAdminRolesPermissionsHandler, GovernAdminRole, GovernAdminRoleListItem>(
        engine,
        module,
        Children {
            get: ("get_role", "role_id"),
            list: ("list_roles", "to_role"),
            create: Some(("create_role", "new_identifier", "role")),
        },
    );
    item::<GovernAdminRole>(engine, module, false);

    children::<
        GovernAdminRolesPermissionsHandler,
        GovernAdminBlueprintRoleAssignments,
        GovernAdminBlueprintRoleAssignmentsListItem,
    >(
        engine,
        module,
        Children {
            get: ("get_role_assignments", "blueprint_id"),
            list: ("list_role_assignments", "to_blueprint_role_assignments"),
            create: None,
        },
    );
    item::<GovernAdminBlueprintRoleAssignments>(engine, module, true);

    children::<
        GovernAdminRolesPermissionsHandler,
        GovernAdminBlueprintPermissions,
        GovernAdminBlueprintPermissionsListItem,
    >(
        engine,
        module,
        Children {
            get: ("get_blueprint_permissions", "blueprint_id"),
            list: ("list_blueprint_permissions", "to_blueprint_permissions"),
            create: None,
        },
    );
    item::<GovernAdminBlueprintPermissions>(engine, module, false);

    methods! { module; Handle<GovernAdminRolesPermissionsHandler> as h {
        /// Creates the role assignments of the blueprint named by `blueprintId`
        /// (refused if it has some already); returns their handle. A rule without
        /// `criteria` or `fieldIds`, or with a users container of a wrong type, is
        /// refused before anything is sent.
        fn create_role_assignments(role_assignments: JsonMap) -> Handle<GovernAdminBlueprintRoleAssignments> {
            let JsonMap(doc) = role_assignments;
            roles_rules::check(&doc).map_err(|m| h.fail(m))?;
            create_in_body(h, doc)
        }
        /// Creates the permissions of the blueprint named by `blueprintId` (they then
        /// replace the default permissions for it); returns their handle.
        fn create_blueprint_permissions(blueprint_permission: JsonMap) -> Handle<GovernAdminBlueprintPermissions> {
            let JsonMap(doc) = blueprint_permission;
            create_in_body(h, doc)
        }
        /// Fetches the default permissions (those of every blueprint without its own).
        fn get_default_permissions_definition() -> Document<GovernAdminDefaultPermissionsDefinition> {
            h.fetch(h.client().get_default_permissions())
        }
    }}

    methods! { module; Document<GovernAdminBlueprintRoleAssignmentsDefinition> as d {
        /// Saves the role assignments as a three-way merge onto a fresh read (`force:
        /// true` sends them as they are); the server's answer becomes the document. A
        /// rule without `criteria` or `fieldIds` (which Govern would store as an empty
        /// binding), or with a users container of a wrong type, is refused before
        /// anything is sent, naming the rule.
        fn save(; force: bool = false) -> () {
            roles_rules::check(&d.raw.snapshot()).map_err(|m| d.fail(m))?;
            save::<GovernAdminBlueprintRoleAssignments>(d, force, Vec::new())
        }
    }}

    methods! { module; Document<GovernAdminDefaultPermissionsDefinition> as d {
        /// Saves the default permissions as a three-way merge onto a fresh read
        /// (`force: true` sends them as they are); the server's answer becomes the document.
        fn save(; force: bool = false) -> () {
            let client = d.client();
            if force || !client.checks_conflicts() {
                return d.save(client.save_default_permissions(d.raw.snapshot()));
            }
            d.save_merged(client.get_default_permissions(), |doc| {
                client.save_default_permissions(doc)
            })
        }
    }}
}
