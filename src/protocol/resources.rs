//! Every Govern resource, declared once (see [`Resource`]).
use super::{Create, Resource};

/// Blueprints in the designer (`GovernAdminBlueprint`).
pub static ADMIN_BLUEPRINTS: Resource = Resource {
    noun: "Blueprint",
    key: &["blueprint_id"],
    list: "/admin/blueprints",
    create: "/admin/blueprints",
    item: "/admin/blueprint/{}",
    wrap: Some("blueprint"),
    list_id: "/blueprint/id",
    created_id: "/blueprint/id",
    creation: Create::NewIdentifier,
    id_prefix: "bp.",
};

/// Blueprint versions in the designer (`GovernAdminBlueprintVersion`).
pub static ADMIN_BLUEPRINT_VERSIONS: Resource = Resource {
    noun: "Blueprint version",
    key: &["blueprint_id", "version_id"],
    list: "/admin/blueprint/{}/versions",
    create: "/admin/blueprint/{}/versions",
    item: "/admin/blueprint/{}/version/{}",
    wrap: Some("blueprintVersion"),
    list_id: "/blueprintVersion/id/versionId",
    created_id: "/blueprintVersion/id/versionId",
    creation: Create::QueryOnly,
    id_prefix: "bv.",
};

/// Sign-off configurations of a blueprint version's steps
/// (`GovernAdminSignoffConfiguration`).
pub static SIGNOFF_CONFIGURATIONS: Resource = Resource {
    noun: "Sign-off configuration",
    key: &["blueprint_id", "version_id", "step_id"],
    list: "/admin/blueprint/{}/version/{}/signoffs",
    create: "/admin/blueprint/{}/version/{}/workflow/step/{}/signoff",
    item: "/admin/blueprint/{}/version/{}/workflow/step/{}/signoff",
    wrap: None,
    list_id: "/id/stepId",
    created_id: "/id/stepId",
    creation: Create::AtItemPath,
    id_prefix: "",
};

/// Roles (`GovernAdminRole`): created with `?newIdentifier=` on `/admin/roles/`
/// (Python's trailing slash), stored as `ro.<identifier>`.
pub static ROLES: Resource = Resource {
    noun: "Role",
    key: &["role_id"],
    list: "/admin/roles",
    create: "/admin/roles/",
    item: "/admin/role/{}",
    wrap: None,
    list_id: "/id",
    created_id: "/id",
    creation: Create::NewIdentifier,
    id_prefix: "ro.",
};

/// The role assignments of a blueprint (`GovernAdminBlueprintRoleAssignments`): the
/// creation body names the blueprint.
pub static ROLE_ASSIGNMENTS: Resource = Resource {
    noun: "Blueprint role assignment",
    key: &["blueprint_id"],
    list: "/admin/blueprint-role-assignments",
    create: "/admin/blueprint-role-assignments",
    item: "/admin/blueprint-role-assignments/{}",
    wrap: None,
    list_id: "/blueprintId",
    created_id: "/blueprintId",
    creation: Create::InBody("/blueprintId"),
    id_prefix: "",
};

/// The permissions of a blueprint (`GovernAdminBlueprintPermissions`); without
/// them, the default permissions apply. `/admin/blueprint-permissions/default` is
/// no blueprint: the default permissions' own route.
pub static BLUEPRINT_PERMISSIONS: Resource = Resource {
    noun: "Blueprint permission",
    key: &["blueprint_id"],
    list: "/admin/blueprint-permissions",
    create: "/admin/blueprint-permissions",
    item: "/admin/blueprint-permissions/{}",
    wrap: None,
    list_id: "/blueprintId",
    created_id: "/blueprintId",
    creation: Create::InBody("/blueprintId"),
    id_prefix: "",
};

/// Users, as an administrator manages them (`GovernUser`; settings at the item path).
/// The list and creation paths end with `/`, as Python sends them.
pub static ADMIN_USERS: Resource = Resource {
    noun: "User",
    key: &["login"],
    list: "/admin/users/",
    create: "/admin/users/",
    item: "/admin/users/{}",
    wrap: None,
    list_id: "/login",
    created_id: "/login",
    creation: Create::InBody("/login"),
    id_prefix: "",
};

/// Groups, as an administrator manages them (`GovernGroup`).
pub static ADMIN_GROUPS: Resource = Resource {
    noun: "Group",
    key: &["name"],
    list: "/admin/groups/",
    create: "/admin/groups/",
    item: "/admin/groups/{}",
    wrap: None,
    list_id: "/name",
    created_id: "/name",
    creation: Create::InBody("/name"),
    id_prefix: "",
};

/// Global API keys (`GovernGlobalApiKey`): the id is the server's; the secret comes
/// only in the creation answer. The trailing slashes are the Python client's.
pub static GLOBAL_API_KEYS: Resource = Resource {
    noun: "Global API key",
    key: &["id_"],
    list: "/admin/global-api-keys/",
    create: "/admin/global-api-keys/",
    item: "/admin/global-api-keys/{}",
    wrap: None,
    list_id: "/id",
    created_id: "/id",
    creation: Create::Generated,
    id_prefix: "",
};

/// Every declared resource (for the sandbox's routes and the tests).
pub static ALL: &[&Resource] = &[
    &ADMIN_BLUEPRINTS,
    &ADMIN_BLUEPRINT_VERSIONS,
    &SIGNOFF_CONFIGURATIONS,
    &ROLES,
    &ROLE_ASSIGNMENTS,
    &BLUEPRINT_PERMISSIONS,
    &ADMIN_USERS,
    &ADMIN_GROUPS,
    &GLOBAL_API_KEYS,
    &TIME_SERIES,
    &ADMIN_CUSTOM_PAGES,
    &CUSTOM_PAGES,
];

// Time series (issue 14 §2): the server names a series (`ts.N`); there is no list, and
// `item` also takes the datapoints (`GET` a window, `PUT` values, `DELETE` a window).
/// Time series (`/time-series`, `/time-series/{id}`).
pub static TIME_SERIES: Resource = Resource {
    noun: "Time series",
    key: &["time_series_id"],
    list: "/time-series",
    create: "/time-series",
    item: "/time-series/{}",
    wrap: None,
    list_id: "/id",
    created_id: "/id",
    creation: Create::Generated,
    id_prefix: "ts.",
};

// Custom pages (issue 14 §1, protocol §2.12, §3.10).

/// Custom pages as an administrator edits them (`GovernAdminCustomPage`): created with
/// `?newIdentifier=` and stored as `cp.<identifier>`; the list is plural, the item
/// singular (`/admin/custom-pages/order` is the display order, no page).
pub static ADMIN_CUSTOM_PAGES: Resource = Resource {
    noun: "Custom page",
    key: &["custom_page_id"],
    list: "/admin/custom-pages",
    create: "/admin/custom-pages",
    item: "/admin/custom-page/{}",
    wrap: None,
    list_id: "/id",
    created_id: "/id",
    creation: Create::NewIdentifier,
    id_prefix: "cp.",
};

/// Custom pages as any user reads them (`GovernCustomPage`): the visible ones, in
/// display order; read only.
pub static CUSTOM_PAGES: Resource = Resource {
    noun: "Custom page",
    key: &["custom_page_id"],
    list: "/custom-pages",
    create: "/custom-pages",
    item: "/custom-page/{}",
    wrap: None,
    list_id: "/id",
    created_id: "/id",
    creation: Create::None,
    id_prefix: "cp.",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_take_one_more_part_for_an_item_than_for_its_collection() {
        for r in ALL {
            let n = |t: &str| t.matches("{}").count();
            assert_eq!(n(r.item), n(r.list) + 1, "{}", r.noun);
            assert_eq!(n(r.item), r.key.len(), "{}", r.noun);
            let create = if r.creation == Create::AtItemPath {
                n(r.item)
            } else {
                n(r.list)
            };
            assert_eq!(n(r.create), create, "{}", r.noun);
        }
    }

    #[test]
    fn fill_escapes_each_part() {
        let path = Resource::fill(ADMIN_BLUEPRINT_VERSIONS.item, &["bp.x", "a/b"], |p| {
            p.replace('/', "%2F")
        });
        assert_eq!(path, "/admin/blueprint/bp.x/version/a%2Fb");
    }
}
