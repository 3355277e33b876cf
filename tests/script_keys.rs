//! Global API keys, identity, impersonation and futures from Rhai against a real
//! sandbox: every method with its results checked, the refusals (bad key, deleted key,
//! disabled user, impersonation by a non-admin), futures interrupted by
//! `--script-timeout`, and no secret in any output. The official Python client runs the
//! same operations in `tests/python/keys.py`.
mod common;
use common::{ADMIN_KEY, API, Sandbox};
use serde_json::{Value, json};
use std::time::Duration;

/// Puts a document straight into a table of the sandbox's database: the users and
/// personal keys these tests need (the sandbox has no endpoint creating a personal key,
/// and users belong to another family), stored as the identity contract describes.
fn put_row(sb: &Sandbox, table: &str, id: &str, doc: &Value) {
    let db = rusqlite::Connection::open(&sb.db).expect("open the sandbox database");
    db.busy_timeout(Duration::from_secs(30))
        .expect("busy timeout");
    db.execute(
        &format!("INSERT OR REPLACE INTO {table} (id, body) VALUES (?1, ?2)"),
        rusqlite::params![id, doc.to_string()],
    )
    .expect("insert the fixture");
}

/// A user `login` (enabled or not) with the personal API key `secret`.
fn user_with_key(sb: &Sandbox, login: &str, enabled: bool, secret: &str) {
    let user = json!({"login": login, "displayName": login, "groups": ["data_scientists"],
                      "sourceType": "LOCAL", "enabled": enabled, "admin": false});
    put_row(sb, "users", login, &user);
    let key = json!({"id": format!("uk.{login}"), "kind": "user", "login": login,
                     "label": "personal", "createdOn": 0, "globalPermissions": {"admin": false}});
    put_row(
        sb,
        "api_keys",
        &govscript::sandbox::auth::key_id(secret),
        &key,
    );
}

#[test]
fn global_keys_are_created_listed_read_saved_used_and_deleted() {
    let sb = Sandbox::start();
    let out = sb
        .script(
            r#"
let c = govern();
let k = c.create_global_api_key("Nightly", "the nightly job", true);
assert_eq(type_of(k), "GovernGlobalApiKey");
assert(k.id_.starts_with("gk."), k.id_);
assert_eq(type_of(k.key), "string");
print(`secret: ${k.key}`);
print(k);
let g = c.create_global_api_key_with_groups(#{ label: "Readers", groups: ["data_scientists"] });

// Lists and gets leave the secret out (secure keys).
let items = c.list_global_api_keys();
assert_eq(items.len(), 2);
let item = items.filter(|i| i.id == k.id_)[0];
assert_eq(type_of(item), "GovernGlobalApiKeyListItem");
assert_eq([item.label, item.description, item.key, item.groups], ["Nightly", "the nightly job", (), ()]);
assert_eq(item.created_by, "admin");
assert(item.created_on > 0);
assert_eq(item.to_global_api_key(), k);
assert_eq(items.filter(|i| i.id == g.id_)[0].groups, ["data_scientists"]);
let objects = c.list_global_api_keys("objects");
assert_eq(type_of(objects[0]), "GovernGlobalApiKey");
assert_eq(objects.map(|o| o.key), [(), ()]);
let e = expect_error(|| c.list_global_api_keys("dicts"));
assert(e.message.contains("Unknown as_type"), e.message);

// Definition: read, change, save, read back.
let byid = c.get_global_api_key_by_id(k.id_);
assert_eq(byid.key, ());
let d = byid.get_definition();
assert_eq(type_of(d), "GovernGlobalApiKeyDefinition");
assert_eq([d.id, d.label, d.description, d.groups, d.expires_on], [k.id_, "Nightly", "the nightly job", (), ()]);
assert_eq(d.raw.globalPermissions.admin, true);
d.label = "Nightly (renamed)";
d.lifetime = 30;
d.save();
let again = k.get_definition();
assert_eq(again.label, "Nightly (renamed)");
assert_eq(again.lifetime, 30);
assert(again.expires_on > again.created_on, "expires 30 days after creation");
let raw = again.get_raw();
raw.description = "set_definition";
k.set_definition(raw);
assert_eq(k.get_definition().description, "set_definition");
let e = expect_error(|| c.get_global_api_key_by_id("gk.999"));
assert_eq(e.status, 404);

// The deprecated lookup by secret.
assert_eq(c.get_global_api_key(k.key).id_, k.id_);

// The new keys authenticate: an admin key, and a key with the rights of its groups.
let as_k = GovernClient(c.host, k.key);
let info = as_k.get_auth_info();
assert_eq([info.authIdentifier, info.isAdmin, info.authSource], [k.id_, true, "GLOBAL_API_KEY"]);
let as_g = GovernClient(c.host, g.key);
let info = as_g.get_auth_info();
assert_eq([info.authIdentifier, info.groups, info.isAdmin], [g.id_, ["data_scientists"], false]);
let e = expect_error(|| as_g.list_global_api_keys());
assert_eq(e.status, 403);
assert(e.message.contains("you are not admin"), e.message);

// A deleted key stops working at once.
k.delete();
let e = expect_error(|| as_k.get_auth_info());
assert_eq(e.status, 401);
assert_eq(c.list_global_api_keys().map(|i| i.id), [g.id_]);
print("done");
"#,
        )
        .ok();
    assert!(out.contains("secret: ***"), "{out}");
    assert!(out.contains("GovernGlobalApiKey(gk.1)"), "{out}");
    assert!(out.trim_end().ends_with("done"), "{out}");
}

#[test]
fn bad_keys_and_bad_definitions_are_refused_and_change_nothing() {
    let sb = Sandbox::start();
    sb.script(
        r#"
let c = govern();
let e = expect_error(|| GovernClient(c.host, "not-a-key").get_auth_info());
assert_eq(e.status, 401);
assert(e.message.contains("Invalid API key"), e.message);
let e = expect_error(|| c.create_global_api_key_with_groups(#{ label: "x", groups: ["no_such_group"] }));
assert_eq(e.status, 400);
assert(e.message.contains("no_such_group"), e.message);
let k = c.create_global_api_key("kept");
let d = k.get_definition();
d.raw.globalPermissions = #{ admin: true, reed: true };
let e = expect_error(|| d.save());
assert_eq(e.status, 400);
assert(e.message.contains("reed"), e.message);
assert_eq(k.get_definition().raw.globalPermissions, #{ admin: false });
let e = expect_error(|| c.get_global_api_key("not-a-secret"));
assert_eq(e.status, 404);
assert_eq(c.list_global_api_keys().len(), 1);
// A key past its expiry date is refused.
let d = k.get_definition();
d.raw.expiresOn = 1;
d.save();
let e = expect_error(|| GovernClient(c.host, k.key).get_auth_info());
assert_eq(e.status, 401);
assert(e.message.contains("expired"), e.message);
"#,
    )
    .ok();
}

#[test]
fn a_disabled_users_key_is_refused_and_cannot_be_impersonated() {
    let sb = Sandbox::start();
    user_with_key(&sb, "frank", false, "frank-personal-key-0123");
    user_with_key(&sb, "gina", true, "gina-personal-key-0123");
    sb.script(
        r#"
let c = govern();
let e = expect_error(|| GovernClient(c.host, "frank-personal-key-0123").get_auth_info());
assert_eq(e.status, 401);
assert(e.message.contains("User frank is disabled"), e.message);
let e = expect_error(|| c.get_user("frank").get_client_as().get_auth_info());
assert_eq(e.status, 401);
let gina = GovernClient(c.host, "gina-personal-key-0123").get_auth_info();
assert_eq([gina.authIdentifier, gina.isAdmin, gina.authSource], ["gina", false, "PERSONAL_API_KEY"]);
"#,
    )
    .ok();
}

#[test]
fn impersonation_needs_an_admin_key_and_acts_with_the_users_rights_only() {
    let sb = Sandbox::start();
    user_with_key(&sb, "gina", true, "gina-personal-key-0123");
    sb.script(
        r#"
let c = govern();
let me = c.get_auth_info();
assert_eq([me.authIdentifier, me.isAdmin, me.via], ["admin", true, []]);
let as_gina = c.get_user("gina").get_client_as();
assert_eq(type_of(as_gina), "GovernClient");
let info = as_gina.get_auth_info();
assert_eq([info.authIdentifier, info.isAdmin, info.authSource], ["gina", false, "IMPERSONATION"]);
assert_eq(info.via[0].authIdentifier, "admin");
let e = expect_error(|| as_gina.list_global_api_keys());
assert_eq(e.status, 403);
// An admin global key may impersonate too; a non-admin key may not.
let admin_key = c.create_global_api_key("ops", (), true);
let info = GovernClient(c.host, admin_key.key).get_user("gina").get_client_as().get_auth_info();
assert_eq(info.authIdentifier, "gina");
assert_eq(info.via[0].authIdentifier, admin_key.id_);
let gina = GovernClient(c.host, "gina-personal-key-0123");
let e = expect_error(|| gina.get_user("admin").get_client_as().get_auth_info());
assert_eq(e.status, 403);
assert(e.message.contains("Only administrators may impersonate"), e.message);
let e = expect_error(|| c.get_user("nobody").get_client_as().get_auth_info());
assert_eq(e.status, 404);
"#,
    )
    .ok();
}

#[test]
fn futures_end_with_the_error_of_an_unconfigured_user_source() {
    let sb = Sandbox::start();
    user_with_key(&sb, "gina", true, "gina-personal-key-0123");
    sb.script(
        r#"
let c = govern();
let started = [
    c.start_resync_users_from_supplier(["gina"]),
    c.start_resync_all_users_from_supplier(),
    c.start_fetch_external_groups("LDAP"),
    c.start_fetch_external_users("AZURE_AD", #{ group_name: "g" }),
    c.start_provision_users("CUSTOM", [#{ login: "x" }]),
    c.get_user("gina").start_resync_from_supplier(),
];
for f in started {
    assert_eq(type_of(f), "GovernFuture");
    assert_eq(type_of(f.job_id), "string");
    assert_eq(f.state.hasResult, true);
    let r = f.wait_for_result();
    assert_eq(r.errorType, "com.dataiku.dip.exceptions.CodedException");
    assert(f.has_result());
    assert_eq(f.get_result(), r);
}
assert(started[2].wait_for_result().message.contains("LDAP is not configured"));
assert(started[3].wait_for_result().message.contains("Azure AD is not configured"));

// States, peeked or not; lists; abort.
let f = started[0];
let peeked = f.peek_state();
assert_eq([peeked.jobId, peeked.hasResult, peeked.result], [f.job_id, true, ()]);
assert(f.state_is_peek);
assert_eq(f.get_state().result.errorType, "com.dataiku.dip.exceptions.CodedException");
assert_eq(f.state_is_peek, false);
let ids = c.list_futures().map(|s| s.jobId);
assert_eq(ids.len(), 6);
assert(f.job_id in ids);
let objects = c.list_futures(#{ as_objects: true, all_users: true });
assert_eq(type_of(objects[0]), "GovernFuture");
assert_eq(c.get_future(f.job_id).get_result(), f.get_result());
f.abort();
let e = expect_error(|| c.get_future(f.job_id).get_state());
assert_eq(e.status, 404);
let e = expect_error(|| c.get_future("nope").peek_state());
assert_eq(e.status, 404);

// Bad input, and other identities.
let e = expect_error(|| c.start_fetch_external_groups("ACTIVE_DIRECTORY"));
assert_eq(e.status, 400);
let e = expect_error(|| c.start_resync_users_from_supplier(["nobody"]));
assert_eq(e.status, 404);
let gina = GovernClient(c.host, "gina-personal-key-0123");
assert_eq(gina.list_futures(), []);
assert_eq(expect_error(|| gina.list_futures(#{ all_users: true })).status, 403);
assert_eq(expect_error(|| gina.start_resync_all_users_from_supplier()).status, 403);
assert_eq(expect_error(|| gina.get_future(started[1].job_id).get_state()).status, 404);
"#,
    )
    .ok();
}

#[test]
fn wait_for_result_polls_a_running_task_until_it_ends() {
    let sb = Sandbox::with().arg("--task-duration").arg("900").start();
    sb.script(
        r#"
let f = govern().start_fetch_external_groups("LDAP");
assert_eq([f.state.hasResult, f.state.alive], [false, true]);
assert_eq(f.has_result(), false);
let e = expect_error(|| f.get_result());
assert(e.message.contains("Result not ready"), e.message);
let r = f.wait_for_result();
assert(r.message.contains("LDAP is not configured"), r.message);
assert_eq(f.state.hasResult, true);
"#,
    )
    .ok();
    let polls = sb
        .recorded()
        .iter()
        .filter(|r| {
            r["target"]
                .as_str()
                .is_some_and(|t| t.contains("peek=False"))
        })
        .count();
    assert!(polls >= 3, "wait_for_result polled {polls} times");
}

#[test]
fn wait_for_result_is_interrupted_by_the_script_timeout() {
    let sb = Sandbox::with()
        .arg("--task-duration")
        .arg("3600000")
        .start();
    let mut running = sb
        .script(
            r#"
let f = govern().start_resync_all_users_from_supplier();
print("waiting");
f.wait_for_result();
print("never");
"#,
        )
        .arg("--script-timeout")
        .arg("3")
        .spawn();
    running.wait_for_line("waiting");
    let ran = running.wait_within(Duration::from_secs(60));
    assert_eq!(ran.code, common::EXIT_SCRIPT_ERROR, "{ran:?}");
    assert!(ran.stderr.contains("--script-timeout"), "{}", ran.stderr);
    assert!(!ran.stdout.contains("never"), "{}", ran.stdout);
}

/// Every way a script handles a secret (as its key, in a lookup by secret, printed,
/// in a failed call's request) leaves no secret in its output with `--verbose`, in the
/// sandbox's log or in its `--record` file. The test learns the secrets it creates
/// from the creation answers, and those the script creates from a spaced-out print.
#[test]
fn no_secret_reaches_output_logs_or_the_record() {
    let log = tempfile::NamedTempFile::new().expect("temp file");
    let sb = Sandbox::with().arg("--verbose").stderr(log.path()).start();
    user_with_key(&sb, "gina", true, "gina-personal-key-0123");
    let create = |body: &str| -> String {
        let r = sb.call("POST", &format!("{API}/admin/global-api-keys/"), Some(body));
        r.body["key"].as_str().expect("a secret").to_string()
    };
    let admin = create(r#"{"label": "a", "globalPermissions": {"admin": true}}"#);
    let grouped = create(r#"{"label": "g", "groups": ["data_scientists"]}"#);
    let deleted = create(r#"{"label": "d"}"#);
    let script = format!(
        r#"
let c = govern();
let a = GovernClient(c.host, "{admin}");
print(a.get_auth_info());
let g = c.get_global_api_key("{grouped}");
print(g.key); debug(g); print(g);
let d = c.get_global_api_key("{deleted}");
d.delete();
try {{ c.get_global_api_key("{deleted}"); }} catch (e) {{ print(e); print(e.request); }}
try {{ GovernClient(c.host, "{deleted}").get_auth_info(); }} catch (e) {{ print(e); }}
let fresh = c.create_global_api_key("fresh");
print(fresh.key);
let spaced = "";
for ch in fresh.key.chars() {{ spaced += ch + " "; }}
print("SPACED " + spaced);
a.get_user("gina").get_client_as().get_auth_info();
print(GovernClient(c.host, "gina-personal-key-0123").get_auth_info());
"#
    );
    let ran = sb.script(&script).arg("--verbose").exits(0);
    let fresh: String = ran
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("SPACED "))
        .expect("the spaced-out secret")
        .split_whitespace()
        .collect();
    assert_eq!(fresh.len(), 32, "{}", ran.stdout);
    assert!(ran.stdout.contains("***"), "{}", ran.stdout);
    let record = std::fs::read_to_string(&sb.record).expect("record");
    drop(sb);
    let sandbox_log = std::fs::read_to_string(log.path()).expect("sandbox log");
    assert!(
        sandbox_log.contains("globalAPIKeys/***"),
        "the sandbox logged its requests: {sandbox_log}"
    );
    let stdout_without_spaced: String = ran
        .stdout
        .lines()
        .filter(|l| !l.starts_with("SPACED "))
        .collect();
    let personal = "gina-personal-key-0123".to_string();
    for secret in [&admin, &grouped, &deleted, &fresh, &personal] {
        for (name, text) in [
            ("stdout", &stdout_without_spaced),
            ("stderr", &ran.stderr),
            ("--record", &record),
            ("sandbox log", &sandbox_log),
        ] {
            assert!(
                !text.contains(secret.as_str()),
                "a secret in {name}: {text}"
            );
        }
    }
    assert!(!record.contains(ADMIN_KEY));
}

/// What `tests/python/keys.py` does, from Rhai: the same operations, the same results.
const PARITY: &str = include_str!("python/keys.rhai");

/// Scenario 7 and every key, identity and future call, from the official Python client
/// (`tests/python/keys.py`) and from Rhai, each on a fresh sandbox: same results.
#[test]
fn the_official_python_client_and_rhai_get_the_same_results() {
    if !common::python::python_client_available() {
        return;
    }
    let py_sandbox = Sandbox::start();
    user_with_key(&py_sandbox, "gina", true, "gina-personal-key-0123");
    let stdout = common::python::run_script("keys.py", &[&py_sandbox.url, ADMIN_KEY]);
    let python_result = common::python::result_line(&stdout);

    let rhai_sandbox = Sandbox::start();
    user_with_key(&rhai_sandbox, "gina", true, "gina-personal-key-0123");
    let rhai_result = common::python::result_line(&rhai_sandbox.script(PARITY).ok());
    assert_eq!(rhai_result, python_result);
    assert_eq!(
        python_result["auth_k"],
        json!(["gk.1", true, "GLOBAL_API_KEY"])
    );
    assert_eq!(python_result["impersonated"][0], "gina");
}
