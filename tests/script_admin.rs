//! Instance administration from Rhai against a real sandbox (issue 14 §4): logs and
//! custom audit entries, the usage summary, general settings, licensing, the IAM
//! settings, the client's credentials (`api_key`, `internal_ticket`, ticket login)
//! and GovernFuture's static members; bad input refused with nothing changed; a
//! non-admin key refused for each family; and the official Python client doing the
//! same (tests/python/admin.py and admin.rhai, same results).
mod common;

use common::rights::BOB;
use common::{ADMIN_KEY, API, Run, Sandbox, python_client_available};
use serde_json::{Value, json};

#[test]
fn every_admin_call_works_from_rhai() {
    let sb = Sandbox::start();
    sb.script(
        r#"
let c = govern();
// Logs and the audit trail: a custom entry is readable back through the log.
assert_eq(c.list_logs(), ["audit.log"]);
c.log_custom_audit("nightly-check", #{ run: 7, ok: true });
c.log_custom_audit("bare");
let lines = c.get_log("audit.log").split("\n").filter(|l| l != "").map(|l| parse_json(l));
assert_eq(lines.len(), 2);
assert_eq([lines[0].customMsgType, lines[0].customMsgParams], ["nightly-check", #{ run: 7, ok: true }]);
assert_eq([lines[1].customMsgType, lines[1].customMsgParams], ["bare", #{}]);
assert_eq([lines[0].msgType, lines[0].authIdentifier, lines[0].authSource], ["custom", "admin", "USER"]);
assert(lines[0].timestamp > 1_600_000_000_000, `${lines[0].timestamp}`);
let e = expect_error(|| c.get_log("missing.log"));
assert_eq(e.status, 404);

// Usage summary: real counts, following the instance.
let s = c.get_global_usage_summary();
assert_eq(type_of(s), "GovernGlobalUsageSummary");
assert_eq(s.raw, s.data);
assert_eq(s.raw.users.total, c.list_users().len());
assert_eq(s.raw.groups, c.list_groups().len());
assert_eq(s.raw.globalApiKeys, 0);
assert_eq(s.raw.blueprints, c.get_blueprint_designer().list_blueprints().len());
assert(s.raw.artifacts > 0, `${s.raw.artifacts}`);
c.create_group("auditors");
c.create_global_api_key("nightly");
let after = c.get_global_usage_summary().raw;
assert_eq([after.groups, after.globalApiKeys], [s.raw.groups + 1, 1]);

// General settings: seeded, changed through the live document, saved, read back.
let g = c.get_general_settings();
assert_eq(type_of(g), "GovernGeneralSettings");
assert_eq(g.get_raw().nodeName, "Govern sandbox");
assert_eq(g.settings, g.get_raw());
g.raw.nodeName = "Production Govern";
g.raw.notifications.emailsEnabled = true;
g.raw.customKey = [1, 2];
g.save();
let back = c.get_general_settings().get_raw();
assert_eq([back.nodeName, back.notifications.emailsEnabled, back.customKey], ["Production Govern", true, [1, 2]]);
assert_eq(back.auditTrail.retentionDays, 90);

// Licensing: a valid license becomes the status.
let status = c.get_licensing_status();
assert_eq([status.hasLicense, status.licenseKind], [true, "SANDBOX"]);
c.set_license(`{"content": {"licensee": "ACME", "licenseKind": "ENTERPRISE", "expiresOn": 4102444800000}, "signature": "c2ln"}`);
let status = c.get_licensing_status();
assert_eq([status.licensee, status.licenseKind, status.expiresOn, status.source], ["ACME", "ENTERPRISE", 4102444800000, "SET_BY_API"]);

// IAM settings: Python's accessors, chained setters, saved and read back.
let sso = c.get_sso_settings();
assert_eq(type_of(sso), "DSSSSOSettings");
assert_eq([sso.get_sso_enabled(), sso.get_protocol(), sso.get_spnego_mode()], [false, "SAML", "PREAUTH_KEYTAB"]);
sso.set_sso_enabled(true).set_protocol("OPENID").set_authorized_groups("a,b")
   .set_remapping_rules([#{ rule_from: "(.*)@corp", rule_to: "$1" }]);
let openid = sso.get_openid_params();
openid.clientId = "govern-app";
let e = expect_error(|| sso.set_protocol("KERBEROS"));
assert(e.message.contains("SAML, SPNEGO, OPENID"), e.message);
sso.save();
let sso = c.get_sso_settings();
assert_eq([sso.get_sso_enabled(), sso.get_protocol(), sso.get_authorized_groups()], [true, "OPENID", ["a", "b"]]);
assert_eq(sso.get_remapping_rules(), [#{ rule_from: "(.*)@corp", rule_to: "$1" }]);
assert_eq(sso.sso_settings.remappingRules, [#{ ruleFrom: "(.*)@corp", ruleTo: "$1" }]);
assert_eq(sso.get_openid_params().clientId, "govern-app");
assert_eq(sso.get_saml_sp_params().signRequests, false);

let ldap = c.get_ldap_settings();
assert_eq(type_of(ldap), "DSSLDAPSettings");
assert_eq([ldap.get_enabled(), ldap.get_username_attribute()], [false, "uid"]);
ldap.set_url("ldaps://ldap.corp:636").set_use_tls(true).set_bind_dn("cn=govern");
ldap.save();
let ldap = c.get_ldap_settings();
assert_eq([ldap.get_url(), ldap.get_use_tls(), ldap.get_bind_dn()], ["ldaps://ldap.corp:636", true, "cn=govern"]);
assert_eq(ldap.ldap_settings.bindDN, "cn=govern");

let az = c.get_azure_ad_settings();
assert_eq(type_of(az), "DSSAzureADSettings");
assert_eq([az.get_groups_limit(), az.get_login_attribute_ref()], [1000, "userPrincipalName"]);
az.set_enabled(true).set_credentials_tenant_id("tenant-1").set_groups_limit(50);
az.save();
let az = c.get_azure_ad_settings();
assert_eq([az.get_enabled(), az.get_credentials_tenant_id(), az.get_groups_limit()], [true, "tenant-1", 50]);
assert_eq(az.azuread_settings.credentialsTenantId, "tenant-1");

// Every save above is in the audit log too, by whom.
let saves = c.get_log("audit.log").split("\n").filter(|l| l.contains("settings-save")).len();
assert_eq(saves, 4);
"#,
    )
    .ok();
}

/// The IAM saves go to Python's `/admin//iam/...` path (two slashes), and the SSO save
/// writes `openIDParams` and `samlSPParams` even when the document read had none.
#[test]
fn iam_saves_use_pythons_double_slash_path_and_sso_always_writes_its_params() {
    let sb = Sandbox::start();
    // A stored SSO document without the two parameter objects.
    let put = sb.call(
        "PUT",
        &format!("{API}/admin/iam/sso-settings"),
        Some(r#"{"enabled": false}"#),
    );
    assert_eq!(put.status, 200, "{}", put.raw);
    sb.script(
        r#"let c = govern();
c.get_sso_settings().save();
c.get_ldap_settings().save(#{ force: true });"#,
    )
    .ok();
    let puts: Vec<(String, Value)> = sb
        .recorded()
        .into_iter()
        .filter(|r| r["method"] == "PUT")
        .map(|r| {
            let body = r["body"].as_str().unwrap_or_default();
            (
                r["target"].as_str().unwrap_or_default().to_string(),
                serde_json::from_str(body).unwrap_or(Value::Null),
            )
        })
        .collect();
    assert_eq!(puts.len(), 3, "{puts:?}");
    assert_eq!(puts[1].0, format!("{API}/admin//iam/sso-settings"));
    assert_eq!(
        puts[1].1,
        json!({"enabled": false, "openIDParams": {}, "samlSPParams": {}})
    );
    assert_eq!(puts[2].0, format!("{API}/admin//iam/ldap-settings"));
}

#[test]
fn a_settings_save_with_a_wrong_type_is_refused_and_changes_nothing() {
    let sb = Sandbox::start();
    sb.script(
        r#"
let c = govern();
let g = c.get_general_settings();
g.raw.nodeName = "Renamed";
g.raw.notifications = "off";
let e = expect_error(|| g.save());
assert_eq(e.status, 400);
assert(e.message.contains("'notifications' must be an object, not a string"), e.message);
assert_eq(c.get_general_settings().get_raw().nodeName, "Govern sandbox");

let ldap = c.get_ldap_settings();
ldap.set_url("ldap://x").set_use_tls("yes");
let e = expect_error(|| ldap.save());
assert_eq(e.status, 400);
assert(e.message.contains("'useTls' must be a boolean, not a string"), e.message);
assert_eq(c.get_ldap_settings().get_url(), "");

let sso = c.get_sso_settings();
let openid = sso.get_openid_params();
openid.usePKCE = 1;
let e = expect_error(|| sso.save());
assert(e.message.contains("'openIDParams.usePKCE' must be a boolean, not a number"), e.message);
assert_eq(c.get_sso_settings().get_openid_params().usePKCE, false);
// No save was recorded.
assert(!c.get_log("audit.log").contains("settings-save"));
"#,
    )
    .ok();
}

#[test]
fn an_invalid_license_is_refused_in_governs_error_shape_and_the_status_stays() {
    let sb = Sandbox::start();
    sb.script(
        r#"
let c = govern();
let before = c.get_licensing_status();
// Not JSON: refused before anything is sent.
let e = expect_error(|| c.set_license("this is no license"));
assert(e.message.contains("the license is not valid JSON"), e.message);
assert_eq(e.status, ());
// JSON, but no valid license: Govern's error shape.
for bad in [`[1]`, `{"content": {"licensee": "ACME"}}`, `{"content": "x", "signature": "s"}`,
            `{"content": {"licensee": "ACME", "expiresOn": 1000}, "signature": "s"}`] {
    let e = expect_error(|| c.set_license(bad));
    assert_eq(e.status, 400);
    assert_eq(e.error_type, "com.dataiku.dip.server.controllers.ValidationException");
    assert(e.message.contains("Invalid license"), e.message);
}
assert_eq(c.get_licensing_status(), before);
assert(!c.get_log("audit.log").contains("license-set"));
"#,
    )
    .ok();
}

/// Every family is global-admin only: bob (a seeded non-admin user key) gets a 403
/// from each call, and none of his attempts changes or records anything.
#[test]
fn a_non_admin_key_gets_403_for_each_admin_family() {
    let sb = Sandbox::start();
    let source = format!(
        r#"
let c = govern();
let bob = GovernClient(c.host, "{BOB}");
let calls = [
    || bob.list_logs(), || bob.get_log("audit.log"), || bob.log_custom_audit("x"),
    || bob.get_global_usage_summary(), || bob.get_general_settings(),
    || bob.get_licensing_status(),
    || bob.set_license(`{{"content": {{"licensee": "B"}}, "signature": "s"}}`),
    || bob.get_sso_settings(), || bob.get_ldap_settings(), || bob.get_azure_ad_settings(),
];
for f in calls {{
    let e = expect_error(f);
    assert_eq(e.status, 403, e.message);
    assert(e.message.contains("not admin"), e.message);
}}
assert_eq(c.get_log("audit.log"), "");
assert_eq(c.get_licensing_status().licensee, "govscript sandbox");
"#
    );
    sb.script(&source).ok();
    for (method, path) in [
        ("PUT", "/admin/general-settings"),
        ("PUT", "/admin//iam/sso-settings"),
        ("PUT", "/admin//iam/ldap-settings"),
        ("PUT", "/admin//iam/azure-ad-settings"),
    ] {
        let r = common::rights::call(&sb, BOB, method, &format!("{API}{path}"), Some(&json!({})));
        assert_eq!(r.status, 403, "{method} {path}: {}", r.raw);
        assert_eq!(
            r.body["errorType"],
            "com.dataiku.dip.exceptions.UnauthorizedException"
        );
    }
    let general = sb.call("GET", &format!("{API}/admin/general-settings"), None);
    assert_eq!(general.body["nodeName"], "Govern sandbox");
}

/// The audit entry names who acted: a user's login, or a global API key's id.
#[test]
fn a_custom_audit_entry_is_readable_back_with_the_acting_identity() {
    let sb = Sandbox::start();
    sb.script(
        r#"
let c = govern();
let key = c.create_global_api_key("robot", "", true);
let robot = GovernClient(c.host, key.key);
robot.log_custom_audit("from-robot", #{ n: 1 });
c.log_custom_audit("from-admin");
let lines = c.get_log("audit.log").split("\n").filter(|l| l != "").map(|l| parse_json(l));
assert_eq(lines.map(|l| [l.customMsgType, l.authIdentifier, l.authSource]),
          [["from-robot", key.id_, "GLOBAL_API_KEY"], ["from-admin", "admin", "USER"]]);
assert_eq(lines[0].apiKeyId, key.id_);
assert(lines[1].timestamp >= lines[0].timestamp);
"#,
    )
    .ok();
}

/// `client.api_key` is the key, shown as `***` wherever govscript prints.
#[test]
fn printing_the_client_api_key_shows_stars() {
    let sb = Sandbox::start();
    let out = sb
        .script(
            r#"let c = govern();
assert_eq(c.api_key.len(), 25);
assert_eq(c.internal_ticket, ());
print(`key: ${c.api_key}`);"#,
        )
        .ok();
    assert!(out.contains("key: ***"), "{out}");
    assert!(!out.contains(ADMIN_KEY), "{out}");
}

/// `GovernClient(host, #{internal_ticket, extra_headers})` logs in with the ticket
/// alone (`X-DKU-APITicket`, no `Authorization`, as Python) and sends the extra
/// headers: the sandbox accepts it, and a recording server sees the headers.
#[test]
fn a_client_built_with_an_internal_ticket_authenticates_with_it() {
    let sb = Sandbox::start();
    let out = sb
        .script(&format!(
            r#"let t = GovernClient(govern().host, #{{ internal_ticket: "{ADMIN_KEY}", extra_headers: #{{ "X-Extra": "1" }} }});
assert_eq(t.api_key, ());
assert_eq(t.get_auth_info().authIdentifier, "admin");
print(`ticket: ${{t.internal_ticket}}`);
let e = expect_error(|| GovernClient(govern().host, #{{ extra_headers: #{{}} }}));
assert(e.message.contains("API Key is required"), e.message);"#
        ))
        .ok();
    assert!(out.contains("ticket: ***"), "{out}");
    assert!(!out.contains(ADMIN_KEY), "{out}");

    let recorder = common::recorder::Recorder::start();
    recorder.answer(common::recorder::Answers {
        document: None,
        list: true,
    });
    Run::new(&format!(
        r#"GovernClient("{}", #{{ internal_ticket: "TICKET", extra_headers: #{{ "X-Extra": "1" }} }}).list_blueprints();"#,
        recorder.url
    ))
    .ok();
    let sent = recorder.take();
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0].header("x-dku-apiticket"), Some("TICKET"));
    assert_eq!(sent[0].header("x-extra"), Some("1"));
    assert_eq!(sent[0].header("authorization"), None);
}

/// Python's static members of GovernFuture: `GovernFuture::from_resp(client, resp)`
/// wraps a start answer, `get_result_wait_if_needed` gives its result (waiting for the
/// task when the answer names one), and `result_wrapper` is the identity.
#[test]
fn governfuture_static_members_work_from_rhai() {
    let sb = Sandbox::start();
    sb.script(
        r#"
let c = govern();
let done = GovernFuture::from_resp(c, #{ hasResult: true, result: [1, 2] });
assert_eq(type_of(done), "GovernFuture");
assert_eq([done.job_id, done.wait_for_result()], [(), [1, 2]]);
assert_eq(done.result_wrapper, ());
assert_eq(GovernFuture::get_result_wait_if_needed(c, #{ result: "now" }), "now");
let started = c.start_fetch_external_groups("LDAP");
assert(started.job_id != (), "the start answer names a task");
let job = GovernFuture::from_resp(c, started.state);
assert_eq(job.job_id, started.job_id);
// Waits for the task named by `jobId`, as Python.
assert_eq(GovernFuture::get_result_wait_if_needed(c, started.state), started.wait_for_result());
"#,
    )
    .ok();
}

/// The official Python client and Rhai make the same admin calls on fresh sandboxes
/// (tests/python/admin.py and admin.rhai) and get the same results.
#[test]
fn the_official_python_client_and_rhai_get_the_same_results() {
    if !python_client_available() {
        return;
    }
    let dir = common::root().join("tests/python");
    let for_python = Sandbox::start();
    let py_out = common::python::run_script("admin.py", &[&for_python.url, &for_python.key]);
    let for_rhai = Sandbox::start();
    let source = std::fs::read_to_string(dir.join("admin.rhai")).expect("admin.rhai");
    let rhai_out = Run::new(&source)
        .arg("--no-conflict-check")
        .env("GOVERN_HOST", &for_rhai.url)
        .env("GOVERN_API_KEY", &for_rhai.key)
        .ok();
    let (expected, got) = (
        common::python::labelled_results(&py_out),
        common::python::labelled_results(&rhai_out),
    );
    assert!(expected.len() >= 12, "too short: {py_out}");
    assert_eq!(got, expected, "python first:\n{py_out}\n---\n{rhai_out}");
    let pinned = expected
        .iter()
        .find(|(l, _)| l == "audit")
        .map(|(_, v)| v.clone());
    assert_eq!(
        pinned,
        Some(json!([["custom", "parity", {"a": 1}, "admin"]])),
        "{py_out}"
    );
}
