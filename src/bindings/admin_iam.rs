//! The IAM settings documents (`DSSSSOSettings`, `DSSLDAPSettings`,
//! `DSSAzureADSettings`, from the Python client's `dataikuapi.iam.settings`): their
//! `get_xxx()` / `set_xxx(value)` accessors, each reading a key of the live document
//! (with Python's default when absent) or writing it and returning the settings, so
//! that calls chain as in Python. Declared as data: one row per accessor.
use super::bridge::{RhaiResult, local_error};
use super::convert::to_json;
use super::def::def;
use super::handle::{Document, Kind};
use super::kinds::{DSSAzureADSettings, DSSLDAPSettings, DSSSSOSettings};
use super::register::Register;
use rhai::{Array, Dynamic, Map as RhaiMap};
use serde_json::{Map, Value, json};

/// What a getter answers when its key is absent (Python's `.get(key, default)`).
#[derive(Clone, Copy)]
enum Absent {
    /// `""`.
    Text,
    /// `false`.
    False,
    /// `[]`.
    List,
    /// `0`.
    Zero,
}

impl Absent {
    fn value(self) -> Value {
        match self {
            Absent::Text => json!(""),
            Absent::False => json!(false),
            Absent::List => json!([]),
            Absent::Zero => json!(0),
        }
    }
}

/// One accessor pair: Python's `get_<name>` / `set_<name>`, the document key, the
/// default when absent.
type Field = (&'static str, &'static str, Absent);

use Absent::{False, List, Text, Zero};

const SSO: &[Field] = &[
    ("sso_enabled", "enabled", False),
    (
        "auto_provision_users_at_login_time",
        "autoProvisionUsersAtLoginTime",
        False,
    ),
    (
        "auto_sync_users_at_login_time",
        "autoSyncUsersAtLoginTime",
        False,
    ),
    ("default_user_profile", "defaultUserProfile", Text),
    ("group_profiles", "groupProfiles", List),
    ("authorized_groups", "authorizedGroups", List),
];

const LDAP: &[Field] = &[
    ("url", "url", Text),
    ("use_tls", "useTls", False),
    ("bind_dn", "bindDN", Text),
    ("bind_password", "bindPassword", Text),
    ("user_filter", "userFilter", Text),
    ("display_name_attribute", "displayNameAttribute", Text),
    ("email_attribute", "emailAttribute", Text),
    ("enable_groups", "enableGroups", False),
    ("group_filter", "groupFilter", Text),
    ("group_name_attribute", "groupNameAttribute", Text),
    ("authorized_groups", "authorizedGroups", List),
    ("enabled", "enabled", False),
    ("auto_import_users", "autoImportUsers", False),
    (
        "auto_sync_users_at_login_time",
        "autoSyncUsersAtLoginTime",
        False,
    ),
    (
        "allow_on_demand_users_sync",
        "allowOnDemandUsersSync",
        False,
    ),
    ("default_user_profile", "defaultUserProfile", Text),
    ("group_profiles", "groupProfiles", List),
    ("authentication_enabled", "authenticationEnabled", False),
    ("all_groups_filter", "allGroupsFilter", Text),
    ("all_users_filter", "allUsersFilter", Text),
    ("username_attribute", "usernameAttribute", Text),
    (
        "group_membership_attribute",
        "groupMembershipAttribute",
        Text,
    ),
    (
        "allow_on_demand_users_provisioning",
        "allowOnDemandUsersProvisioning",
        False,
    ),
    (
        "group_membership_user_attribute",
        "groupMembershipUserAttribute",
        Text,
    ),
    ("remapping_rules", "remappingRules", List),
];

const AZURE_AD: &[Field] = &[
    ("use_global_proxy", "useGlobalProxy", False),
    ("credential_method", "credentialMethod", Text),
    ("credentials_client_id", "credentialsClientId", Text),
    ("credentials_client_secret", "credentialsClientSecret", Text),
    ("credentials_tenant_id", "credentialsTenantId", Text),
    ("user_query_filter", "userQueryFilter", Text),
    ("group_query_filter", "groupQueryFilter", Text),
    ("groups_limit", "groupsLimit", Zero),
    ("enabled", "enabled", False),
    (
        "auto_provision_users_at_login_time",
        "autoProvisionUsersAtLoginTime",
        False,
    ),
    (
        "auto_sync_users_at_login_time",
        "autoSyncUsersAtLoginTime",
        False,
    ),
    (
        "allow_on_demand_users_sync",
        "allowOnDemandUsersSync",
        False,
    ),
    ("default_user_profile", "defaultUserProfile", Text),
    ("group_profiles", "groupProfiles", List),
    ("authorized_groups", "authorizedGroups", List),
    (
        "allow_on_demand_users_provisioning",
        "allowOnDemandUsersProvisioning",
        False,
    ),
    ("login_attribute_ref", "loginAttributeRef", Text),
    ("remapping_rules", "remappingRules", List),
];

/// Registers the three documents' accessors.
pub fn register(engine: &mut impl Register) {
    fields::<DSSSSOSettings>(engine, SSO);
    fields::<DSSLDAPSettings>(engine, LDAP);
    fields::<DSSAzureADSettings>(engine, AZURE_AD);
    sso_specials(engine);
}

/// The member `key` (live for objects and lists), or `absent`'s value.
fn read<K: Kind>(d: &Document<K>, key: &str, absent: Absent) -> RhaiResult<Dynamic> {
    let value = d.raw.member(key)?;
    Ok(if value.is_unit() {
        super::convert::to_dynamic(&absent.value())
    } else {
        value
    })
}

/// Registers `get_<name>` and `set_<name>` for every field on `K`'s documents.
fn fields<K: Kind>(engine: &mut impl Register, fields: &'static [Field]) {
    let this = format!("self: {}", K::NAME);
    for &(name, key, absent) in fields {
        def(
            engine,
            &format!("get_{name}"),
            &[&this, "?"],
            &format!("The `{key}` setting (Python's default when absent)."),
            move |d: &mut Document<K>| read(d, key, absent),
        );
        def(
            engine,
            &format!("set_{name}"),
            &[&this, &format!("{name}: ?"), K::NAME],
            &format!("Sets `{key}` (saved by `save()`); returns the settings, to chain calls."),
            move |d: &mut Document<K>, value: Dynamic| -> RhaiResult<Document<K>> {
                // Python's retro-compatibility: authorized groups as "a,b".
                let value = match (key, value.clone().into_string()) {
                    ("authorizedGroups", Ok(text)) => Dynamic::from(
                        text.split(',')
                            .map(|g| Dynamic::from(g.to_string()))
                            .collect::<Array>(),
                    ),
                    _ => value,
                };
                d.raw.set_member(key, value)?;
                Ok(d.clone())
            },
        );
    }
}

type Sso = Document<DSSSSOSettings>;

/// Sets `key` of the SSO settings to one of `allowed`.
fn set_choice(
    d: &mut Sso,
    key: &str,
    value: &str,
    allowed: &[&str],
    call: &'static str,
) -> RhaiResult<Sso> {
    if !allowed.contains(&value) {
        return Err(local_error(
            call,
            format!(
                "Invalid value {value:?}: must be one of {}",
                allowed.join(", ")
            ),
        ));
    }
    d.raw.set_member(key, Dynamic::from(value.to_string()))?;
    Ok(d.clone())
}

/// The live object at `key`, made `{}` first when absent.
fn live_object(d: &Sso, key: &str) -> RhaiResult<Dynamic> {
    if d.raw.member(key)?.is_unit() {
        d.raw.set_member(key, Dynamic::from(RhaiMap::new()))?;
    }
    d.raw.member(key)
}

/// The SSO accessors that are not plain keys: the protocol and SPNEGO mode (Python's
/// enums, here their names), the remapping rules (Python's `UserRemappingRule`s, here
/// `#{rule_from, rule_to}` maps) and the OpenID and SAML SP parameters (live maps).
fn sso_specials(engine: &mut impl Register) {
    const PROTOCOLS: &[&str] = &["SAML", "SPNEGO", "OPENID"];
    const SPNEGO_MODES: &[&str] = &["PREAUTH_KEYTAB", "CUSTOM_LOGIN_CONF"];
    let this = "self: DSSSSOSettings";
    def(
        engine,
        "get_protocol",
        &[this, "?"],
        "The SSO protocol: `SAML`, `SPNEGO` or `OPENID`.",
        |d: &mut Sso| d.raw.member("protocol"),
    );
    def(
        engine,
        "set_protocol",
        &[this, "protocol: String", "DSSSSOSettings"],
        "Sets the SSO protocol (`SAML`, `SPNEGO` or `OPENID`); returns the settings.",
        |d: &mut Sso, p: &str| {
            set_choice(d, "protocol", p, PROTOCOLS, "DSSSSOSettings.set_protocol")
        },
    );
    def(
        engine,
        "get_spnego_mode",
        &[this, "?"],
        "The SPNEGO mode: `PREAUTH_KEYTAB` or `CUSTOM_LOGIN_CONF`.",
        |d: &mut Sso| d.raw.member("spnegoMode"),
    );
    def(
        engine,
        "set_spnego_mode",
        &[this, "spnego_mode: String", "DSSSSOSettings"],
        "Sets the SPNEGO mode (`PREAUTH_KEYTAB` or `CUSTOM_LOGIN_CONF`); returns the settings.",
        |d: &mut Sso, m: &str| {
            set_choice(
                d,
                "spnegoMode",
                m,
                SPNEGO_MODES,
                "DSSSSOSettings.set_spnego_mode",
            )
        },
    );
    def(
        engine,
        "get_remapping_rules",
        &[this, "Array"],
        "The user remapping rules, as `#{rule_from, rule_to}` maps (Python's `UserRemappingRule`s).",
        |d: &mut Sso| -> Array {
            let rules = d
                .raw
                .snapshot()
                .get("remappingRules")
                .cloned()
                .unwrap_or(json!([]));
            rules
                .as_array()
                .into_iter()
                .flatten()
                .map(|r| {
                    let mut m = RhaiMap::new();
                    m.insert(
                        "rule_from".into(),
                        super::convert::to_dynamic(&r["ruleFrom"]),
                    );
                    m.insert("rule_to".into(), super::convert::to_dynamic(&r["ruleTo"]));
                    Dynamic::from(m)
                })
                .collect()
        },
    );
    def(
        engine,
        "set_remapping_rules",
        &[this, "remapping_rules: Array", "DSSSSOSettings"],
        "Sets the user remapping rules from `#{rule_from, rule_to}` maps; returns the settings.",
        |d: &mut Sso, rules: Array| -> RhaiResult<Sso> {
            const CALL: &str = "DSSSSOSettings.set_remapping_rules";
            let rules = rules
                .iter()
                .map(|r| {
                    let r = to_json(r).map_err(|m| local_error(CALL, m))?;
                    let Value::Object(r) = r else {
                        return Err(local_error(
                            CALL,
                            "each rule must be a map #{rule_from, rule_to}",
                        ));
                    };
                    let mut out = Map::new();
                    out.insert(
                        "ruleFrom".into(),
                        r.get("rule_from").cloned().unwrap_or(Value::Null),
                    );
                    out.insert(
                        "ruleTo".into(),
                        r.get("rule_to").cloned().unwrap_or(Value::Null),
                    );
                    Ok(Value::Object(out))
                })
                .collect::<RhaiResult<Vec<_>>>()?;
            d.raw.set_member(
                "remappingRules",
                super::convert::to_dynamic(&Value::Array(rules)),
            )?;
            Ok(d.clone())
        },
    );
    for (name, key) in [
        ("openid_params", "openIDParams"),
        ("saml_sp_params", "samlSPParams"),
    ] {
        def(
            engine,
            &format!("get_{name}"),
            &[this, "JsonRef"],
            &format!("The `{key}` parameters, a live map: change it, then `save()`."),
            move |d: &mut Sso| live_object(d, key),
        );
        def(
            engine,
            &format!("set_{name}"),
            &[this, &format!("{name}: Map"), "DSSSSOSettings"],
            &format!("Replaces the `{key}` parameters; returns the settings."),
            move |d: &mut Sso, params: Dynamic| -> RhaiResult<Sso> {
                d.raw.set_member(key, params)?;
                Ok(d.clone())
            },
        );
    }
}
