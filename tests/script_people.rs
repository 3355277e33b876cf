//! Users and groups against a real sandbox: from Rhai (every method and property of
//! the ten classes, results read back), bad input refused with nothing changed, and
//! the official Python client doing the same (tests/python/people.py and
//! tests/python/people.rhai, scenario 8 of govern-protocol.md §7 included).
mod common;

use common::{ADMIN_KEY, API, Run, Sandbox, assert_error, python_client_available};
use serde_json::{Value, json};

/// A sandbox with no demo data: the admin user only.
fn empty() -> Sandbox {
    Sandbox::with().seed("none").start()
}

#[test]
fn every_user_and_group_class_works_from_rhai() {
    let sandbox = empty();
    sandbox
        .script(
            r#"
let c = govern();
let g = c.create_group("auditors", #{ description: "Audit team" });
assert_eq(type_of(g), "GovernGroup");
assert_eq(g.name, "auditors");
assert_eq(g, c.get_group("auditors"));
let u = c.create_user("jdoe", "s3cret", #{ display_name: "J Doe", groups: ["auditors"],
                                         email: "j@example.com", profile: "READER" });
assert_eq(type_of(u), "GovernUser");
assert_eq(u.login, "jdoe");
assert_eq(u.client.host, c.host);

let s = u.get_settings();
assert_eq(type_of(s), "GovernUserSettings");
assert_eq(s.login, "jdoe");
assert_eq(s.get_raw().displayName, "J Doe");
assert_eq(s.settings.userProfile, "READER");
assert_eq(s.enabled, true);
assert(type_of(s.creation_date) == "i64" && s.creation_date > 0, `creation_date ${s.creation_date}`);
assert_eq(s.user_properties, #{});
assert_eq(s.admin_properties, #{});
s.user_properties.team = "risk";
s.admin_properties.badge = 7;
s.enabled = false;
s.save();
assert(!("passwordHash" in s.get_raw()) && !("admin" in s.get_raw()), `saved answer: ${s.get_raw()}`);
let back = u.get_settings();
assert_eq(back.user_properties.team, "risk");
assert_eq(back.admin_properties.badge, 7);
assert_eq(back.enabled, false);
assert(!("password" in back.get_raw()) && !("passwordHash" in back.get_raw()), "no password answered");

let info = u.get_info();
assert_eq(type_of(info), "GovernUserInfo");
assert_eq([info.login, info.display_name, info.email, info.enabled], ["jdoe", "J Doe", "j@example.com", false]);
assert_eq(info.groups, ["auditors"]);
let infos = c.list_users_info();
assert_eq(infos.map(|i| i.login), ["admin", "jdoe"]);
let ginfos = c.list_groups_info();
assert_eq(type_of(ginfos[0]), "GovernGroupInfo");
assert_eq(ginfos.map(|i| i.name), ["auditors"]);

let a = u.get_activity();
assert_eq(type_of(a), "GovernUserActivity");
assert_eq([a.login, a.last_successful_login, a.last_failed_login, a.last_session_activity], ["jdoe", (), (), ()]);
assert_eq(a.activity.login, "jdoe");
assert_eq(c.list_users_activity().map(|x| x.login), ["admin", "jdoe"]);
assert_eq(c.list_users_activity(#{ enabled_users_only: true }).map(|x| x.login), ["admin"]);

let m = c.get_authorization_matrix();
assert_eq(type_of(m), "GovernAuthorizationMatrix");
assert_eq(m.raw.perUser.keys(), ["admin"]);
assert_eq(m.authorization_matrix.perGroup.auditors.admin, false);

assert_eq(c.list_users().map(|x| x.login), ["admin", "jdoe"]);
assert_eq(c.list_users()[1].keys(), ["displayName", "groups", "login", "sourceType"]);
assert("userProfile" in c.list_users(#{ include_settings: true })[1], "settings included");
let objects = c.list_users(true);
assert_eq(type_of(objects[1]), "GovernUser");
assert_eq(objects[1], u);

assert_eq(u.get_definition().displayName, "J Doe");
let answer = u.set_definition(#{ displayName: "Jane Doe", enabled: true, password: "n3w" });
assert_eq(answer.displayName, "Jane Doe");
assert_eq(answer.keys().filter(|k| k in ["password", "passwordHash", "admin"]), []);
assert_eq(u.get_info().display_name, "Jane Doe");
assert_eq(u.get_info().enabled, true);

let d = g.get_definition();
assert_eq([d.name, d.description, d.sourceType, d.admin, d.isGovernArchitect, d.ldapGroupNames],
          ["auditors", "Audit team", "LOCAL", false, false, []]);
d.isGovernArchitect = true;
assert_eq(g.set_definition(d).isGovernArchitect, true);
assert_eq(c.get_authorization_matrix().raw.perUser.jdoe.isGovernArchitect, true);
assert_eq(c.list_groups(), [#{ name: "auditors", description: "Audit team", sourceType: "LOCAL" }]);

let own = c.get_own_user();
assert_eq(type_of(own), "GovernOwnUser");
let os = own.get_settings();
assert_eq(type_of(os), "GovernOwnUserSettings");
assert_eq(os.get_raw().login, "admin");
assert(!("adminProperties" in os.settings), "own settings hide admin properties");
os.user_properties.theme = "dark";
os.save();
assert_eq(own.get_settings().user_properties.theme, "dark");

let base = GovernUserSettingsBase(#{ userProperties: #{ a: 1 } });
assert_eq(type_of(base), "GovernUserSettingsBase");
assert_eq(base.user_properties.a, 1);
base.user_properties.a = 2;
assert_eq(base.get_raw().userProperties.a, 2);
assert_eq(base.settings.userProperties.a, 2);

let created = c.create_users([#{ login: "b1", password: "p" }, #{ login: "b2", groups: ["auditors"] }]);
assert_eq(created.map(|x| x.status), ["SUCCESS", "SUCCESS"]);
assert_eq(c.get_user("b1").get_settings().get_raw().userProfile, "DATA_SCIENTIST");
assert_eq(c.get_user("b2").get_info().groups, ["auditors"]);
let edited = c.edit_users([#{ login: "b1", displayName: "Bee" }]);
assert_eq(edited, [#{ login: "b1", status: "SUCCESS", error: "" }]);
assert_eq(c.get_user("b1").get_info().display_name, "Bee");
let deleted = c.delete_users(["b1", "b2"]);
assert_eq(deleted.map(|x| x.status), ["SUCCESS", "SUCCESS"]);

g.delete();
assert_eq(u.get_info().groups, [], "a deleted group leaves its members");
assert_eq(c.list_groups(), []);
u.delete();
assert_eq(expect_error(|| u.get_info()).status, 404);
assert_eq(c.list_users().map(|x| x.login), ["admin"]);
"#,
        )
        .ok();
}

#[test]
fn refused_user_and_group_changes_leave_everything_as_it_was() {
    let sandbox = empty();
    sandbox
        .script(
            r#"
let c = govern();
c.create_group("team", #{ description: "Team" });
let u = c.create_user("kim", "pw", #{ display_name: "Kim", groups: ["team"] });
let before = u.get_settings().get_raw().to_map();

let e = expect_error(|| c.create_user("kim", "other", #{ display_name: "Other" }));
assert_eq(e.status, 409);
assert(e.message.contains("User already exists: kim"), e.message);
let e = expect_error(|| c.create_group("team", #{ description: "Changed" }));
assert_eq(e.status, 409);
assert_eq(c.get_group("team").get_definition().description, "Team");

let e = expect_error(|| c.create_user("lee", "pw", #{ groups: ["taem"] }));
assert_eq(e.status, 400);
assert(e.message.contains("Unknown group(s): taem"), e.message);
assert(!("lee" in c.list_users().map(|x| x.login)), "nothing created");

let s = u.get_settings();
s.raw.groups = ["nope"];
assert_eq(expect_error(|| s.save()).status, 400);
let s = u.get_settings();
s.raw.enabeld = false;
let e = expect_error(|| s.save());
assert(e.message.contains("Unknown user setting 'enabeld'"), e.message);
let s = u.get_settings();
s.raw.sourceType = "FTP";
assert_eq(expect_error(|| s.save()).status, 400);
let e = expect_error(|| c.get_group("team").set_definition(#{ mayManageGovern: true }));
assert(e.message.contains("isGovernArchitect"), e.message);
assert_eq(u.get_settings().get_raw().to_map(), before);

let e = expect_error(|| c.get_user("admin").delete());
assert(e.message.contains("allowSelfDeletion"), e.message);
let e = expect_error(|| c.get_user("admin").delete(#{ allow_self_deletion: true }));
assert(e.message.contains("no enabled administrator"), e.message);
let e = expect_error(|| c.get_user("admin").set_definition(#{ enabled: false }));
assert(e.message.contains("no enabled administrator"), e.message);
assert_eq(c.delete_users(["admin"], #{ allow_self_deletion: true })[0].status, "FAILURE");
assert_eq(c.get_user("admin").get_info().enabled, true);
assert_eq(expect_error(|| c.get_user("ghost").delete()).status, 404);
let e = expect_error(|| c.create_users(#{ login: "x" }));
assert(e.message.contains("users must be of type Array"), e.message);
"#,
        )
        .ok();
}

#[test]
fn a_second_admin_may_delete_the_first_through_an_admin_group() {
    let sandbox = empty();
    sandbox
        .script(
            r#"
let c = govern();
c.create_group("admins", #{ description: "Admins" });
let d = c.get_group("admins").get_definition();
d.admin = true;
c.get_group("admins").set_definition(d);
c.create_user("root2", "pw", #{ groups: ["admins"] });
assert_eq(c.get_authorization_matrix().raw.perUser.root2.admin, true);
"#,
        )
        .ok();
    // Now the seed admin can go: root2 is an admin through its group.
    let r = sandbox.call(
        "DELETE",
        &format!("{API}/admin/users/admin?allowSelfDeletion=True"),
        None,
    );
    assert_eq!(r.status, 204, "{}", r.raw);
    // A deleted user's data goes with it: its API keys stop working at once.
    let r = sandbox.call("GET", &format!("{API}/auth/info"), None);
    assert_eq!(r.status, 401, "{}", r.raw);
}

/// Calls as the user `login` through the admin key (`X-DKU-ProxyUser`).
fn as_user(
    sb: &Sandbox,
    login: &str,
    method: &str,
    target: &str,
    body: Option<&str>,
) -> common::Resp {
    sb.call_with(
        method,
        target,
        body,
        Some(ADMIN_KEY),
        &[("X-DKU-ProxyUser", login)],
    )
}

#[test]
fn non_admins_are_refused_the_admin_families_and_change_nothing() {
    let sandbox = empty();
    sandbox.ok(
        "POST",
        &format!("{API}/admin/users/"),
        Some(r#"{"login": "pat", "password": "pw", "displayName": "Pat"}"#),
    );
    for (method, path, body) in [
        ("GET", "/admin/users/", None),
        ("POST", "/admin/users/", Some(r#"{"login": "mallory"}"#)),
        ("PUT", "/admin/users/admin", Some(r#"{"enabled": false}"#)),
        ("DELETE", "/admin/users/admin", None),
        ("GET", "/admin/users/admin/activity", None),
        (
            "POST",
            "/admin/users/actions/bulk",
            Some(r#"[{"login": "m2"}]"#),
        ),
        (
            "PUT",
            "/admin/users/actions/bulk",
            Some(r#"[{"login": "admin", "enabled": false}]"#),
        ),
        ("DELETE", "/admin/users/actions/bulk", Some(r#"["admin"]"#)),
        ("GET", "/admin/users-activity", None),
        ("GET", "/admin/authorization-matrix", None),
        ("GET", "/admin/groups/", None),
        ("POST", "/admin/groups/", Some(r#"{"name": "evil"}"#)),
    ] {
        let r = as_user(&sandbox, "pat", method, &format!("{API}{path}"), body);
        assert_error(&r, 403, "pat");
    }
    let users = sandbox.ok("GET", &format!("{API}/admin/users/"), None);
    assert_eq!(users.as_array().map(Vec::len), Some(2), "{users}");
    assert_eq!(
        sandbox.ok("GET", &format!("{API}/admin/groups/"), None),
        json!([])
    );
    assert_eq!(
        sandbox.ok("GET", &format!("{API}/users/admin"), None)["enabled"],
        true
    );
    // What anyone may read.
    let r = as_user(&sandbox, "pat", "GET", &format!("{API}/users"), None);
    assert_eq!(r.status, 200, "{}", r.raw);
    let r = as_user(&sandbox, "pat", "GET", &format!("{API}/groups"), None);
    assert_eq!(r.body, json!([]));
    let r = as_user(&sandbox, "pat", "GET", &format!("{API}/current-user"), None);
    assert_eq!(r.body["login"], "pat");
}

#[test]
fn a_user_may_change_their_own_name_but_not_their_own_groups() {
    let sandbox = empty();
    sandbox.ok(
        "POST",
        &format!("{API}/admin/groups/"),
        Some(r#"{"name": "boss"}"#),
    );
    sandbox.ok(
        "POST",
        &format!("{API}/admin/users/"),
        Some(r#"{"login": "pat", "password": "pw"}"#),
    );
    let mut own = as_user(&sandbox, "pat", "GET", &format!("{API}/current-user"), None).body;
    own["groups"] = json!(["boss"]);
    let r = as_user(
        &sandbox,
        "pat",
        "PUT",
        &format!("{API}/current-user"),
        Some(&own.to_string()),
    );
    assert_error(&r, 403, "You may not change your own 'groups'");
    own["groups"] = json!([]);
    own["displayName"] = json!("Pat P.");
    let r = as_user(
        &sandbox,
        "pat",
        "PUT",
        &format!("{API}/current-user"),
        Some(&own.to_string()),
    );
    assert_eq!(r.status, 200, "{}", r.raw);
    let info = sandbox.ok("GET", &format!("{API}/users/pat"), None);
    assert_eq!(info["displayName"], "Pat P.");
    assert_eq!(info["groups"], json!([]));
}

#[test]
fn passwords_are_stored_hashed_never_answered_nor_logged() {
    let sandbox = empty();
    sandbox
        .script(r#"govern().create_user("pw_user", "correct-horse-battery");"#)
        .ok();
    for path in [
        "/admin/users/pw_user",
        "/admin/users/?includeSettings=True",
        "/users/pw_user",
    ] {
        let r = sandbox.call("GET", &format!("{API}{path}"), None);
        assert!(
            !r.raw.contains("correct-horse") && !r.raw.contains("password"),
            "{}",
            r.raw
        );
    }
    let db = std::fs::read(&sandbox.db).expect("database file");
    let text = String::from_utf8_lossy(&db);
    assert!(
        !text.contains("correct-horse-battery"),
        "the password is stored in clear"
    );
    let logged = serde_json::to_string(&sandbox.recorded()).expect("log");
    assert!(
        logged.contains("pw_user"),
        "the creation is logged: {logged}"
    );
    assert!(
        !logged.contains("correct-horse"),
        "the password is logged: {logged}"
    );
}

/// The sandbox's results that the two clients must both see (not only agree on).
fn pinned() -> Vec<(&'static str, Value)> {
    vec![
        ("users_before", json!(["admin"])),
        ("created", json!(["local_user", "ldap_user"])),
        (
            "edited",
            json!(["Local user, renamed", "renamed@example.com", [], true]),
        ),
        ("ldap", json!(["LDAP", "DESIGNER"])),
        (
            "group_definition",
            json!([true, ["cn=testers,dc=example"], "LOCAL", "test group"]),
        ),
        (
            "after_delete",
            json!(["admin", "local_user", "no_auth_user"]),
        ),
        (
            "list_keys",
            json!(["displayName", "groups", "login", "sourceType"]),
        ),
        (
            "settings",
            json!([{"team": "risk"}, {"badge": 7}, false, true]),
        ),
        ("password_hidden", json!(true)),
        ("activity", json!(["local_user", null, null, null])),
        ("enabled_activities", json!(["admin", "no_auth_user"])),
        ("own", json!(["admin", {"theme": "dark"}, false])),
        (
            "create_users",
            json!([
                {"login": "bulk1", "status": "SUCCESS", "error": ""},
                {"login": "local_user", "status": "FAILURE", "error": "User already exists: local_user"},
                {"login": "bulk2", "status": "FAILURE", "error": "Unknown group(s): no_such_group (create them first with create_group)"}
            ]),
        ),
        ("edited_bulk1", json!(["Bulk one", false])),
        (
            "existing_user",
            json!("com.dataiku.dip.exceptions.CodedException: User already exists: local_user"),
        ),
        ("typo_user_absent", json!(true)),
        ("admin_kept", json!(true)),
        ("group_left_members", json!([])),
        ("users_after", json!(["admin", "no_auth_user"])),
    ]
}

/// Recorded requests as (method, target, body as JSON).
fn requests(sandbox: &Sandbox) -> Vec<(String, String, Value)> {
    sandbox
        .recorded()
        .into_iter()
        .map(|r| {
            let body = r["body"].as_str().unwrap_or("");
            let mut json = serde_json::from_str(body).unwrap_or(Value::Null);
            // Saved settings carry the user's creation time, which differs per sandbox.
            if let Some(m) = json.as_object_mut() {
                m.remove("creationDate");
            }
            let text = |k: &str| r[k].as_str().unwrap_or("").to_string();
            (text("method"), text("target"), json)
        })
        .collect()
}

#[test]
fn python_client_and_govscript_agree_on_users_and_groups() {
    if !python_client_available() {
        return;
    }
    let dir = common::root().join("tests/python");
    let for_python = empty();
    let py_out = common::python::run_script("people.py", &[&for_python.url, &for_python.key]);
    let for_rhai = empty();
    let source = std::fs::read_to_string(dir.join("people.rhai")).expect("people.rhai");
    // Python's save() does not check for conflicts: compare like with like.
    let rhai_out = Run::new(&source)
        .arg("--no-conflict-check")
        .env("GOVERN_HOST", &for_rhai.url)
        .env("GOVERN_API_KEY", &for_rhai.key)
        .ok();
    let (expected, got) = (
        common::python::labelled_results(&py_out),
        common::python::labelled_results(&rhai_out),
    );
    assert!(expected.len() >= 35, "scenario too short: {py_out}");
    assert_eq!(got, expected, "python first:\n{py_out}\n---\n{rhai_out}");
    for (label, value) in pinned() {
        let found: Vec<&Value> = expected
            .iter()
            .filter(|(l, _)| l == label)
            .map(|(_, v)| v)
            .collect();
        assert_eq!(found, vec![&value], "{label}:\n{py_out}");
    }
    assert_eq!(
        requests(&for_rhai),
        requests(&for_python),
        "requests differ"
    );
}
