//! Roles, role assignments, blueprint and default permissions (issue 13, protocol
//! §2.11) from Rhai against a real sandbox: every method with its results read back,
//! the developer guide's scenarios 9 and 10, bad input refused with nothing changed,
//! and the official Python client (`tests/python/roles.py`) leaving the same state.
mod common;
use common::{ADMIN_KEY, API, Sandbox, assert_error};
use serde_json::{Value, json};

/// Every method of the family, each result checked; the same steps as
/// `tests/python/roles.py`, so that both leave the same state.
const ROUND_TRIP: &str = r#"
let c = govern();
let h = c.get_roles_permissions_handler();
assert_eq(type_of(h), "GovernAdminRolesPermissionsHandler");

// Roles: the system ones seeded; create (prefixed ro.), save, delete.
let items = h.list_roles();
assert_eq(type_of(items[0]), "GovernAdminRoleListItem");
assert_eq(items.map(|i| i.to_role().role_id), ["ro.reader", "ro.contributor", "ro.project_manager"]);
assert_eq(items[0].get_raw().label, "Reader");
let steward = h.create_role("steward", #{ label: "Data steward", description: "Owns data" });
assert_eq(type_of(steward), "GovernAdminRole");
assert_eq(steward.role_id, "ro.steward");
assert_eq(steward, h.get_role("ro.steward"));
let sd = steward.get_definition();
assert_eq(type_of(sd), "GovernAdminRoleDefinition");
assert_eq(sd.role_id, "ro.steward");
assert_eq(sd.get_raw(), #{ id: "ro.steward", label: "Data steward", description: "Owns data" });
sd.raw.description = "Owns the data";
sd.save();
assert_eq(sd.definition.description, "Owns the data");
assert_eq(h.get_role("ro.steward").get_definition().get_raw().description, "Owns the data");
let temp = h.create_role("ro.temp", #{ label: "Temp" });
assert_eq(temp.role_id, "ro.temp", "a given ro. prefix is kept");
temp.delete();
assert_eq(expect_error(|| temp.get_definition()).status, 404);
assert_eq(h.list_roles().len(), 4);

// Role assignments: scenario 10's bootstrap on two blueprints (creating them where
// missing, a conflict where they exist), then a field rule for the new role.
let ra_items = h.list_role_assignments();
assert_eq(type_of(ra_items[0]), "GovernAdminBlueprintRoleAssignmentsListItem");
assert_eq(ra_items.map(|i| i.to_blueprint_role_assignments().blueprint_id), ["bp.system.business_initiative", "bp.system.dataiku_project", "bp.model_review"]);
for bp in ["bp.system.business_initiative", "bp.system.govern_bundle"] {
    try {
        let made = h.create_role_assignments(#{ blueprintId: bp });
        assert_eq(type_of(made), "GovernAdminBlueprintRoleAssignments");
        assert_eq(made.blueprint_id, bp);
    } catch (e) {
        assert_eq(e.status, 409, `${bp}: ${e}`);
    }
    let d = h.get_role_assignments(bp).get_definition();
    assert_eq(type_of(d), "GovernAdminBlueprintRoleAssignmentsDefinition");
    assert_eq(d.blueprint_id, bp);
    let rules = d.raw.roleAssignmentsRules;
    for pair in [["ro.reader", "readers"], ["ro.contributor", "contributors"], ["ro.project_manager", "project_managers"]] {
        if !(pair[0] in rules) { rules[pair[0]] = []; }
        rules[pair[0]].push(#{ criteria: [], userContainers: [#{ type: "group", groupName: pair[1] }], fieldIds: [] });
    }
    d.save();
}
let ra = h.get_role_assignments("bp.system.govern_bundle");
assert_eq(ra.blueprint_id, "bp.system.govern_bundle");
let d = ra.get_definition();
d.raw.roleAssignmentsRules["ro.steward"] = [#{
    criteria: [#{ type: "field-value", fieldId: "node_id", operator: "EQUALS", value: "design" }],
    userContainers: [#{ type: "global-api-key", keyId: "gk.1" }],
    fieldIds: ["owner"],
}];
d.save();
let stored = ra.get_definition().definition.roleAssignmentsRules;
assert_eq(stored["ro.reader"], [#{ criteria: [], userContainers: [#{ type: "group", groupName: "readers" }], fieldIds: [] }]);
assert_eq(stored["ro.steward"][0].userContainers, [#{ type: "global-api-key", globalAPIKeyId: "gk.1" }], "keyId is stored as globalAPIKeyId");
assert_eq(h.list_role_assignments().len(), 4);
let scratch = h.create_role_assignments(#{ blueprintId: "bp.system.govern_project", roleAssignmentsRules: #{} });
scratch.delete();
assert_eq(expect_error(|| scratch.get_definition()).status, 404);

// Blueprint permissions: create, save, list; deleted ones give way to the defaults.
let p = h.create_blueprint_permissions(#{ blueprintId: "bp.system.govern_bundle", permissions: #{
    everyone: #{ read: false },
    "ro.steward": #{ read: true, write: true, fields: #{ owner: #{ read: true, write: false } } },
}});
assert_eq(type_of(p), "GovernAdminBlueprintPermissions");
assert_eq(p.blueprint_id, "bp.system.govern_bundle");
assert_eq(p, h.get_blueprint_permissions("bp.system.govern_bundle"));
let pd = p.get_definition();
assert_eq(type_of(pd), "GovernAdminBlueprintPermissionsDefinition");
assert_eq(pd.blueprint_id, "bp.system.govern_bundle");
pd.raw.permissions["ro.reader"] = #{ read: true };
pd.save();
assert_eq(p.get_definition().get_raw().permissions["ro.reader"], #{ read: true });
let gone = h.create_blueprint_permissions(#{ blueprintId: "bp.system.govern_project", permissions: #{} });
let p_items = h.list_blueprint_permissions();
assert_eq(type_of(p_items[0]), "GovernAdminBlueprintPermissionsListItem");
assert_eq(p_items.map(|i| i.to_blueprint_permissions().blueprint_id), ["bp.model_review", "bp.system.govern_bundle", "bp.system.govern_project"]);
gone.delete();
assert_eq(expect_error(|| gone.get_definition()).status, 404, "deleted: the defaults apply");

// Default permissions.
let dp = h.get_default_permissions_definition();
assert_eq(type_of(dp), "GovernAdminDefaultPermissionsDefinition");
assert_eq(dp.get_raw().permissions["ro.contributor"], #{ read: true, write: true, create: true });
dp.raw.permissions["ro.steward"] = #{ read: true };
dp.save();
assert_eq(dp.definition.permissions["ro.steward"], #{ read: true });
assert_eq(h.get_default_permissions_definition().get_raw().permissions["ro.steward"], #{ read: true });
print("round trip done");
"#;

/// What the family holds on a sandbox, read over HTTP with the admin key.
fn state(sb: &Sandbox) -> Value {
    let get = |path: &str| sb.ok("GET", &format!("{API}{path}"), None);
    json!({
        "roles": get("/admin/roles"),
        "assignments": get("/admin/blueprint-role-assignments"),
        "permissions": get("/admin/blueprint-permissions"),
        "defaults": get("/admin/blueprint-permissions/default"),
    })
}

/// Runs `tests/python/roles.py` against `sb`; `None` when there is no Python client.
fn python_round_trip(sb: &Sandbox) -> Option<String> {
    common::python_client_available()
        .then(|| common::python::run_script("roles.py", &[sb.url.as_str(), ADMIN_KEY]))
}

#[test]
fn rhai_and_the_python_client_drive_every_method_to_the_same_state() {
    let rhai = Sandbox::start();
    let out = rhai.script(ROUND_TRIP).ok();
    assert!(out.contains("round trip done"), "{out}");
    let after_rhai = state(&rhai);
    assert_eq!(after_rhai["roles"].as_array().map(Vec::len), Some(4));

    let python = Sandbox::start();
    let Some(out) = python_round_trip(&python) else {
        return;
    };
    assert!(out.contains("checks passed"), "{out}");
    assert_eq!(state(&python), after_rhai);
}

#[test]
fn scenario_9_adds_a_user_to_the_project_managers_of_business_initiatives() {
    let sb = Sandbox::start();
    sb.script(
        r#"
let handler = govern().get_roles_permissions_handler();
let definition = handler.get_role_assignments("bp.system.business_initiative").get_definition();
definition.get_raw().roleAssignmentsRules["ro.project_manager"].push(
    #{ criteria: [], userContainers: [#{ type: "user", login: "new_user" }], fieldIds: [] });
definition.save();
"#,
    )
    .ok();
    let stored = sb.ok(
        "GET",
        &format!("{API}/admin/blueprint-role-assignments/bp.system.business_initiative"),
        None,
    );
    // Appended after the demo seed's rules.
    let rules = stored["roleAssignmentsRules"]["ro.project_manager"]
        .as_array()
        .expect("a list of rules");
    assert_eq!(
        rules.last(),
        Some(
            &json!({"criteria": [], "userContainers": [{"type": "user", "login": "new_user"}], "fieldIds": []})
        )
    );
}

/// The bad inputs of the Rhai side, each refused before anything is sent (the
/// request log shows no write) with an error naming the rule, the server's state read
/// back unchanged.
#[test]
fn an_incomplete_rule_or_a_wrong_container_is_refused_before_it_is_sent() {
    let sb = Sandbox::start();
    let path = format!("{API}/admin/blueprint-role-assignments/bp.system.business_initiative");
    let before = sb.ok("GET", &path, None);
    let out = sb
        .script(
            r#"
let h = govern().get_roles_permissions_handler();
fn with_rule(h, rule) {
    let d = h.get_role_assignments("bp.system.business_initiative").get_definition();
    d.raw.roleAssignmentsRules["ro.reader"].push(rule);
    d
}
let d = with_rule(h, #{ criteria: [], userContainers: [#{ type: "user", login: "a" }] });
let e = expect_error(|| d.save(), "a rule without fieldIds saved");
assert(e.message.contains("of ro.reader: it has no fieldIds"), e.message);
assert(e.message.contains("empty binding"), e.message);
assert_eq(e.status, ());
let e = expect_error(|| d.save(#{ force: true }), "a forced save of a rule without fieldIds");
assert(e.message.contains(" of ro.reader: it has no fieldIds"), e.message);

let d = with_rule(h, #{ userContainers: [], fieldIds: [] });
let e = expect_error(|| d.save(), "a rule without criteria saved");
assert(e.message.contains("it has no criteria"), e.message);

let d = with_rule(h, #{ criteria: [], userContainers: [#{ type: "group", groupName: "g" }, #{ type: "USER", login: "a" }], fieldIds: [] });
let e = expect_error(|| d.save(), "a USER container saved");
assert(e.message.contains(`of ro.reader: users container 1: unknown type "USER" (possible type values are: "role", "global-api-key", "user", "group")`), e.message);

let e = expect_error(|| h.create_role_assignments(#{ blueprintId: "bp.system.govern_bundle",
    roleAssignmentsRules: #{ "ro.reader": [#{ criteria: [], userContainers: [] }] } }), "created with an incomplete rule");
assert(e.message.contains("rule 0 of ro.reader: it has no fieldIds"), e.message);
let e = expect_error(|| h.create_role_assignments(#{ roleAssignmentsRules: #{} }), "created for no blueprint");
assert(e.message.contains("no blueprintId"), e.message);
print("refused");
"#,
        )
        .ok();
    assert!(out.contains("refused"), "{out}");
    assert_eq!(sb.ok("GET", &path, None), before);
    let missing = sb.call(
        "GET",
        &format!("{API}/admin/blueprint-role-assignments/bp.system.govern_bundle"),
        None,
    );
    assert_eq!(missing.status, 404, "{}", missing.raw);
    let writes: Vec<Value> = sb
        .recorded()
        .into_iter()
        .filter(|r| r["method"] != "GET")
        .collect();
    assert!(writes.is_empty(), "sent: {writes:?}");
}

/// The sandbox's refusals through Rhai, each with Govern's status and message and
/// nothing changed (read back).
#[test]
fn bad_input_is_refused_by_the_sandbox_and_changes_nothing() {
    let sb = Sandbox::start();
    let before = state(&sb);
    let out = sb
        .script(
            r#"
let h = govern().get_roles_permissions_handler();
fn refused(f, status, needle) {
    let e = expect_error(f, `no error (${needle})`);
    assert_eq(e.status, status, e.message);
    assert(e.message.contains(needle), `${e.message} lacks ${needle}`);
}
let ra = h.get_role_assignments("bp.system.business_initiative");
let d = ra.get_definition();
d.raw.roleAssignmentsRules["ro.nope"] = [#{ criteria: [], userContainers: [], fieldIds: [] }];
refused(|| d.save(), 400, "Unknown role ro.nope");
let d = ra.get_definition();
d.raw.roleAssignmentsRules["ro.reader"] = [#{ criteria: [], userContainers: [#{ type: "role", roleId: "ro.ghost" }], fieldIds: [] }];
refused(|| d.save(), 400, "Unknown role ro.ghost");
refused(|| h.create_role_assignments(#{ blueprintId: "bp.system.business_initiative" }), 409, "already exists");
refused(|| h.create_role_assignments(#{ blueprintId: "bp.nope" }), 404, "Blueprint not found: bp.nope");
refused(|| h.create_blueprint_permissions(#{ blueprintId: "bp.nope", permissions: #{} }), 404, "Blueprint not found: bp.nope");
refused(|| h.create_blueprint_permissions(#{ blueprintId: "bp.system.govern_project",
    permissions: #{ "ro.reader": #{ reed: true } } }), 400, `Unknown permission "reed" in permissions.ro.reader`);
refused(|| h.create_blueprint_permissions(#{ blueprintId: "bp.system.govern_project",
    permissions: #{ "ro.reader": #{ fields: #{ f: #{ read: true, wirte: true } } } } }), 400, `Unknown permission "wirte" in permissions.ro.reader.fields.f`);
refused(|| h.create_blueprint_permissions(#{ blueprintId: "bp.system.govern_project",
    permissions: #{ "ro.nope": #{ read: true } } }), 400, "Unknown role ro.nope");
refused(|| h.create_blueprint_permissions(#{ blueprintId: "bp.system.govern_project",
    permissions: #{ everyone: #{ read: "yes" } } }), 400, "permissions.everyone.read must be true or false");
refused(|| h.create_blueprint_permissions(#{ blueprintId: "bp.system.govern_project", permission: #{} }),
    400, `Unknown permission "permission" in the permissions document`);
let dp = h.get_default_permissions_definition();
dp.raw.permissions["ro.reader"].fields = #{ f: #{ read: true } };
refused(|| dp.save(), 400, `Unknown permission "fields" in permissions.ro.reader`);
refused(|| h.create_role("a b", #{ label: "x" }), 400, "Invalid role identifier 'a b'");
refused(|| h.create_role("reader", #{ label: "again" }), 409, "Role already exists: ro.reader");
refused(|| h.create_role("x", #{ label: 3 }), 400, "Role label must be a string");
let role = h.get_role("ro.reader");
let rd = role.get_definition();
rd.raw.id = "ro.other";
refused(|| rd.save(), 400, "Role IDs do not match");
refused(|| role.delete(), 409, "Cannot delete role ro.reader: it is still used by role assignments of bp.system.business_initiative");
refused(|| h.get_role("ro.nope").get_definition(), 404, "Role not found: ro.nope");
refused(|| h.get_blueprint_permissions("bp.system.govern_project").get_definition(), 404, "not found: bp.system.govern_project");
print("refused");
"#,
        )
        .ok();
    assert!(out.contains("refused"), "{out}");
    assert_eq!(state(&sb), before);
}

/// The sandbox answers what the Python client sends unchecked: a wrong users
/// container type gets Govern's own text; a rule without `fieldIds` is stored as an
/// empty binding, as Govern does.
#[test]
fn the_sandbox_gives_govern_s_text_for_a_wrong_container_and_empties_an_incomplete_rule() {
    let sb = Sandbox::start();
    let path = format!("{API}/admin/blueprint-role-assignments/bp.system.business_initiative");
    let before = sb.ok("GET", &path, None);
    let mut doc = before.clone();
    doc["roleAssignmentsRules"]["ro.reader"] = json!([{"criteria": [], "userContainers": [{"type": "USER", "login": "a"}], "fieldIds": []}]);
    let r = sb.call("PUT", &path, Some(&doc.to_string()));
    assert_error(
        &r,
        400,
        r#"roleAssignmentsRules.ro.reader[0]: unknown type "USER" (possible type values are: "role", "global-api-key", "user", "group")"#,
    );
    assert_eq!(sb.ok("GET", &path, None), before);

    doc["roleAssignmentsRules"]["ro.reader"] =
        json!([{"criteria": [], "userContainers": [{"type": "user", "login": "a"}]}]);
    let saved = sb.ok("PUT", &path, Some(&doc.to_string()));
    let empty = json!([{"criteria": [], "userContainers": [], "fieldIds": []}]);
    assert_eq!(saved["roleAssignmentsRules"]["ro.reader"], empty);
    assert_eq!(
        sb.ok("GET", &path, None)["roleAssignmentsRules"]["ro.reader"],
        empty
    );
}

/// `/admin/blueprint-permissions/default` is the default permissions, not the
/// permissions of a blueprint named `default`.
#[test]
fn the_default_permissions_route_wins_over_a_blueprint_id() {
    let sb = Sandbox::start();
    let defaults = sb.ok(
        "GET",
        &format!("{API}/admin/blueprint-permissions/default"),
        None,
    );
    assert_eq!(
        defaults["permissions"]["ro.project_manager"],
        json!({"read": true, "write": true, "create": true, "delete": true})
    );
    let r = sb.call(
        "DELETE",
        &format!("{API}/admin/blueprint-permissions/default"),
        None,
    );
    assert_eq!(r.status, 405, "{}", r.raw);
    let body = json!({"permissions": {"everyone": {"read": true}}});
    let saved = sb.ok(
        "PUT",
        &format!("{API}/admin/blueprint-permissions/default"),
        Some(&body.to_string()),
    );
    assert_eq!(saved, body);
    // The defaults are no blueprint's: only the demo seed's own blueprint permissions
    // are listed.
    assert_eq!(
        sb.ok("GET", &format!("{API}/admin/blueprint-permissions"), None)
            .as_array()
            .map(|l| l
                .iter()
                .map(|p| p["blueprintId"].clone())
                .collect::<Vec<_>>()),
        Some(vec![json!("bp.model_review")])
    );
}

/// The handler needs administrator rights (the rights helper's architect gate
/// replaces this one): a non-admin gets 403 on every route and changes nothing.
#[test]
fn a_non_admin_is_refused_on_every_roles_route() {
    let sb = Sandbox::start();
    let before = state(&sb);
    let as_alice = |method: &str, path: &str, body: Option<&str>| {
        sb.call_with(
            method,
            &format!("{API}{path}"),
            body,
            Some(ADMIN_KEY),
            &[("X-DKU-ProxyUser", "alice")],
        )
    };
    for (method, path, body) in [
        ("GET", "/admin/roles", None),
        (
            "POST",
            "/admin/roles/?newIdentifier=x",
            Some(r#"{"label": "X"}"#),
        ),
        ("GET", "/admin/role/ro.reader", None),
        ("DELETE", "/admin/role/ro.contributor", None),
        ("GET", "/admin/blueprint-role-assignments", None),
        (
            "PUT",
            "/admin/blueprint-role-assignments/bp.system.business_initiative",
            Some("{}"),
        ),
        (
            "POST",
            "/admin/blueprint-permissions",
            Some(r#"{"blueprintId": "bp.system.govern_project"}"#),
        ),
        ("GET", "/admin/blueprint-permissions/default", None),
        (
            "PUT",
            "/admin/blueprint-permissions/default",
            Some(r#"{"permissions": {}}"#),
        ),
    ] {
        let r = as_alice(method, path, body);
        assert_eq!(r.status, 403, "{method} {path}: {}", r.raw);
    }
    assert_eq!(state(&sb), before);
}

/// Python creates roles on `/admin/roles/` (trailing slash), which the sandbox's
/// path normalisation turns into the list's path: the creation must be routed there.
#[test]
fn a_role_is_created_on_python_s_trailing_slash_path() {
    let sb = Sandbox::start();
    let made = sb.ok(
        "POST",
        &format!("{API}/admin/roles/?newIdentifier=auditor"),
        Some(r#"{"label": "Auditor"}"#),
    );
    assert_eq!(
        made,
        json!({"id": "ro.auditor", "label": "Auditor", "description": ""})
    );
    assert_eq!(
        sb.ok("GET", &format!("{API}/admin/role/ro.auditor"), None),
        made
    );
}

/// Without the demo seed there are no roles, and the default permissions grant
/// nothing (only administrators have rights) until saved.
#[test]
fn without_the_demo_seed_no_role_exists_and_the_defaults_grant_nothing() {
    let sb = Sandbox::with().seed("none").start();
    assert_eq!(sb.ok("GET", &format!("{API}/admin/roles"), None), json!([]));
    let path = format!("{API}/admin/blueprint-permissions/default");
    assert_eq!(sb.ok("GET", &path, None), json!({"permissions": {}}));
    let r = sb.call(
        "PUT",
        &path,
        Some(r#"{"permissions": {"ro.reader": {"read": true}}}"#),
    );
    assert_error(&r, 400, "Unknown role ro.reader");
    assert_eq!(sb.ok("GET", &path, None), json!({"permissions": {}}));
}
