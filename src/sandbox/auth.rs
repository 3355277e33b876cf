//! API-key authentication (HTTP Basic, key as user name) and impersonation.
use super::error::{ApiError, ApiResult};
use super::store::{Db, Store, Table};
use axum::http::HeaderMap;
use base64::Engine as _;
use rand::distr::{Alphanumeric, SampleString};
use serde_json::{Value, json};

/// The identity a request acts as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// `authIdentifier`: the user login, or the global API key's id.
    pub login: String,
    /// Whether a user stands behind the request (false for a global API key).
    pub is_user: bool,
    /// The user's groups, or the global key's groups.
    pub groups: Vec<String>,
    /// Global admin: the user's admin flag, a group with `admin: true`, or the key's
    /// `globalPermissions.admin`.
    pub admin: bool,
    /// Govern architect: admin, or a group with `isGovernArchitect: true`.
    pub architect: bool,
    /// The id of the API key the request authenticated with (`None` when impersonating).
    pub key_id: Option<String>,
}

/// Request extension set when an admin key impersonates a user (`X-DKU-ProxyUser`):
/// the key's own identity, which `/auth/info` reports under `via`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Impersonator(pub Principal);

/// Storage id of an API key secret: the lower-case hex SHA-256 of the secret.
pub fn key_id(secret: &str) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, secret.as_bytes());
    digest.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

/// A fresh random API key (32 alphanumeric characters).
pub fn generate_key() -> String {
    Alphanumeric.sample_string(&mut rand::rng(), 32)
}

/// Stores `secret` as a user API key of `login` (no-op if already present): the
/// contract's document, `{id: "uk.<n>", kind: "user", login, globalPermissions}`.
pub fn add_key(db: &Db, secret: &str, login: &str, admin: bool) -> ApiResult<()> {
    let hash = key_id(secret);
    if db.get(Table::ApiKeys, &hash)?.is_none() {
        let id = format!("uk.{}", db.next_id("user-api-key")?);
        db.put(
            Table::ApiKeys,
            &hash,
            &json!({
                "id": id,
                "kind": "user",
                "login": login,
                "label": format!("Personal key of {login}"),
                "createdOn": super::now_ms(),
                "createdBy": login,
                "globalPermissions": {"admin": admin},
            }),
        )?;
    }
    Ok(())
}

/// Checks that clients can send `key`: the Python client and govscript send it as the
/// HTTP Basic user name, which cannot hold `:`, and Govern's `X-DKU-APITicket` header
/// takes printable ASCII only. The message never repeats the key.
pub fn check_key(key: &str) -> Result<(), String> {
    if key.is_empty() {
        return Err(
            "the admin API key is empty: give a non-empty key, or none to have one generated"
                .into(),
        );
    }
    if key.contains(':') {
        return Err("the admin API key contains ':', which HTTP Basic authentication cannot send in a user name".into());
    }
    if !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(
            "the admin API key must be printable ASCII without spaces, as HTTP headers carry it"
                .into(),
        );
    }
    Ok(())
}

/// `target` (a request's path and query) with every path segment and query value that
/// is an API key of `db` replaced by `***`: the Python client's
/// `get_global_api_key(secret)` puts a secret into the path, and a script may pass a key
/// as an id. The segment after `globalAPIKeys/` is always masked: a secret that is no
/// key (any more) is still someone's secret. For the request log and `--record`.
pub fn mask_keys(db: &Db, target: &str) -> String {
    let is_key = |part: &str| {
        let decoded = percent_encoding::percent_decode_str(part).decode_utf8_lossy();
        !decoded.is_empty() && matches!(db.get(Table::ApiKeys, &key_id(&decoded)), Ok(Some(_)))
    };
    let mut out = String::with_capacity(target.len());
    let mut rest = target;
    loop {
        let end = rest.find(['/', '?', '&', '=']).unwrap_or(rest.len());
        let (part, tail) = rest.split_at(end);
        let secret_path = out.ends_with("/globalAPIKeys/") && !part.is_empty();
        out.push_str(if secret_path || is_key(part) {
            "***"
        } else {
            part
        });
        let Some(separator) = tail.chars().next() else {
            return out;
        };
        out.push(separator);
        rest = &tail[1..];
    }
}

/// The API key secret carried by the request, if any.
fn presented_key(headers: &HeaderMap) -> Option<String> {
    if let Some(auth) = headers.get("authorization").and_then(|v| v.to_str().ok()) {
        let (scheme, rest) = auth.split_once(' ')?;
        if !scheme.eq_ignore_ascii_case("basic") {
            return None;
        }
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(rest.trim())
            .ok()?;
        let text = String::from_utf8(decoded).ok()?;
        let user = text.split_once(':').map_or(text.as_str(), |(u, _)| u);
        return (!user.is_empty()).then(|| user.to_string());
    }
    headers
        .get("x-dku-apiticket")
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty())
        .map(str::to_string)
}

/// The admin and architect flags the named groups give (unknown groups give none).
fn group_rights(db: &Db, groups: &[String]) -> ApiResult<(bool, bool)> {
    let (mut admin, mut architect) = (false, false);
    for name in groups {
        if let Some(g) = db.get(Table::Groups, name)? {
            admin |= g["admin"].as_bool().unwrap_or(false);
            architect |= g["isGovernArchitect"].as_bool().unwrap_or(false);
        }
    }
    Ok((admin, architect || admin))
}

/// Loads a user as a principal; `key_admin` is the key's own admin right (a user's
/// admin flag or an admin group counts too). `None` if the user does not exist; a
/// disabled user is refused (401).
pub fn principal_for(db: &Db, login: &str, key_admin: bool) -> ApiResult<Option<Principal>> {
    let Some(user) = db.get(Table::Users, login)? else {
        return Ok(None);
    };
    if user["enabled"] == Value::Bool(false) {
        return Err(ApiError::unauthenticated(format!(
            "User {login} is disabled"
        )));
    }
    let groups = string_list(&user["groups"]);
    let (group_admin, group_architect) = group_rights(db, &groups)?;
    let admin = key_admin || group_admin || user["admin"].as_bool().unwrap_or(false);
    Ok(Some(Principal {
        login: login.to_string(),
        is_user: true,
        groups,
        admin,
        architect: admin || group_architect,
        key_id: None,
    }))
}

/// Whether a stored key document has admin rights of its own: `globalPermissions.admin`,
/// or `admin` in documents stored before keys had ids.
fn key_is_admin(key: &Value) -> bool {
    key["globalPermissions"]["admin"]
        .as_bool()
        .or_else(|| key["admin"].as_bool())
        .unwrap_or(false)
}

/// The identity a stored key document acts as.
fn key_principal(db: &Db, key: &Value) -> ApiResult<Principal> {
    let key_id = key["id"].as_str().map(str::to_string);
    if let Some(expires) = key["expiresOn"].as_i64()
        && expires > 0
        && expires <= super::now_ms()
    {
        return Err(ApiError::unauthenticated("This API key has expired"));
    }
    if key["kind"] == "global" {
        let groups = string_list(&key["groups"]);
        let (group_admin, group_architect) = group_rights(db, &groups)?;
        let admin = key_is_admin(key) || group_admin;
        return Ok(Principal {
            login: key_id.clone().unwrap_or_default(),
            is_user: false,
            groups,
            admin,
            architect: admin || group_architect,
            key_id,
        });
    }
    let login = key["login"].as_str().unwrap_or("admin");
    let Some(mut me) = principal_for(db, login, key_is_admin(key))? else {
        return Err(ApiError::unauthenticated(format!(
            "The user of this API key no longer exists: {login}"
        )));
    };
    me.key_id = key_id;
    Ok(me)
}

/// Who a request acts as: the principal, and the key's own identity when it
/// impersonates a user.
#[derive(Debug, Clone)]
pub struct Identity {
    /// Whose rights the request has.
    pub me: Principal,
    /// The impersonating key's identity (`X-DKU-ProxyUser`), if any.
    pub via: Option<Impersonator>,
}

/// Authenticates a request; honours `X-DKU-ProxyUser` for admin keys.
pub fn authenticate(store: &Store, headers: &HeaderMap) -> ApiResult<Principal> {
    identify(store, headers).map(|i| i.me)
}

/// Authenticates a request: the key must exist, be unexpired, and its user (for a
/// user key) exist and be enabled. With `X-DKU-ProxyUser`, an admin key acts with
/// exactly the named user's rights; any other key is refused (403).
pub fn identify(store: &Store, headers: &HeaderMap) -> ApiResult<Identity> {
    let Some(secret) = presented_key(headers) else {
        return Err(ApiError::unauthenticated(
            "No API key provided: use HTTP Basic authentication with the API key as user name",
        ));
    };
    let proxy = headers
        .get("x-dku-proxyuser")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    store.read(|db| {
        let Some(key) = db.get(Table::ApiKeys, &key_id(&secret))? else {
            return Err(ApiError::unauthenticated("Invalid API key"));
        };
        let me = key_principal(db, &key)?;
        match proxy {
            None => Ok(Identity { me, via: None }),
            Some(target) if me.admin => {
                let user = principal_for(db, &target, false)?
                    .ok_or_else(|| ApiError::not_found("User", &target))?;
                Ok(Identity {
                    me: user,
                    via: Some(Impersonator(me)),
                })
            }
            Some(_) => Err(ApiError::forbidden(
                "Only administrators may impersonate another user (X-DKU-ProxyUser)",
            )),
        }
    })
}

/// The strings of a JSON array (non-strings skipped).
pub fn string_list(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::super::store::{Store, Table};
    use super::{add_key, check_key, generate_key, identify, key_id, mask_keys};
    use axum::http::{HeaderMap, HeaderValue};
    use base64::Engine as _;
    use serde_json::json;

    /// The headers of a request made with `secret` (and `X-DKU-ProxyUser: proxy`).
    fn headers(secret: &str, proxy: Option<&str>) -> HeaderMap {
        let token = base64::engine::general_purpose::STANDARD.encode(format!("{secret}:"));
        let mut h = HeaderMap::new();
        let basic = HeaderValue::from_str(&format!("Basic {token}")).expect("header");
        h.insert("authorization", basic);
        if let Some(login) = proxy {
            h.insert(
                "x-dku-proxyuser",
                HeaderValue::from_str(login).expect("header"),
            );
        }
        h
    }

    #[test]
    fn rights_come_from_the_key_the_user_and_the_groups() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(&dir.path().join("p.db")).expect("store");
        store
            .write(|db| {
                db.put(Table::Groups, "ops", &json!({"name": "ops", "admin": true}))?;
                db.put(
                    Table::Groups,
                    "designers",
                    &json!({"name": "designers", "isGovernArchitect": true}),
                )?;
                for (login, groups) in [("ann", json!(["designers"])), ("olaf", json!(["ops"]))] {
                    db.put(
                        Table::Users,
                        login,
                        &json!({"login": login, "groups": groups}),
                    )?;
                }
                add_key(db, "ann-key", "ann", false)?;
                add_key(db, "olaf-key", "olaf", false)?;
                // A document stored before keys had ids: a user key, `admin` at the top.
                db.put(
                    Table::ApiKeys,
                    &key_id("legacy-key"),
                    &json!({"login": "ann", "admin": true, "createdOn": 0}),
                )?;
                db.put(
                    Table::ApiKeys,
                    &key_id("group-key"),
                    &json!({"id": "gk.7", "kind": "global", "groups": ["designers"],
                            "globalPermissions": {"admin": false}}),
                )
            })
            .expect("fixtures");
        let me = |secret: &str, proxy: Option<&str>| identify(&store, &headers(secret, proxy));
        let ann = me("ann-key", None).expect("ann").me;
        assert_eq!((ann.admin, ann.architect, ann.is_user), (false, true, true));
        assert!(
            ann.key_id
                .as_deref()
                .is_some_and(|id| id.starts_with("uk."))
        );
        let olaf = me("olaf-key", None).expect("olaf").me;
        assert_eq!((olaf.admin, olaf.architect), (true, true));
        assert!(me("legacy-key", None).expect("legacy").me.admin);
        let key = me("group-key", None).expect("group key").me;
        assert_eq!(key.login, "gk.7");
        assert_eq!(
            (key.is_user, key.admin, key.architect),
            (false, false, true)
        );
        // An admin (through its group) impersonates: exactly the user's rights.
        let as_ann = me("olaf-key", Some("ann")).expect("impersonation");
        assert_eq!((as_ann.me.login.as_str(), as_ann.me.admin), ("ann", false));
        assert_eq!(as_ann.me.key_id, None);
        assert_eq!(as_ann.via.expect("via").0.login, "olaf");
        let refused = me("group-key", Some("olaf")).expect_err("not an admin");
        assert_eq!(refused.status, 403);
        // A disabled user's keys are refused.
        store
            .write(|db| {
                db.put(
                    Table::Users,
                    "ann",
                    &json!({"login": "ann", "enabled": false}),
                )
            })
            .expect("disable");
        let refused = me("ann-key", None).expect_err("disabled");
        assert_eq!(
            (refused.status.as_u16(), refused.detailed.as_str()),
            (401, "User ann is disabled")
        );
    }

    #[test]
    fn key_ids_are_hex_sha256() {
        assert_eq!(
            key_id("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            key_id(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            key_id(&"a".repeat(1000)),
            "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3"
        );
        // Stored by the hand-written SHA-256 this replaced: old databases keep working.
        assert_eq!(
            key_id("fixed-key-for-dump"),
            "097e808832baa831566dfba45ea717b2f5d9401c637b3005173f39936167e77e"
        );
    }

    #[test]
    fn keys_clients_cannot_send_are_refused() {
        assert!(check_key("Abc-123_~!").is_ok());
        assert!(check_key("k").is_ok());
        for bad in ["", "a:b", "a b", "tab\t", "é"] {
            let err = check_key(bad).expect_err(bad);
            assert!(bad.is_empty() || !err.contains(bad), "{err}");
        }
    }

    #[test]
    fn keys_in_a_target_are_masked() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(&dir.path().join("k.db")).expect("store");
        store
            .write(|db| add_key(db, "s3cr/t", "admin", true))
            .expect("key");
        let masked = store
            .read(|db| {
                Ok((
                    mask_keys(db, "/admin/globalAPIKeys/s3cr%2Ft?id=s3cr%2Ft&x=1"),
                    mask_keys(db, "/artifact/ar.1/"),
                    mask_keys(db, "/admin/globalAPIKeys/no-longer-a-key"),
                ))
            })
            .expect("read");
        assert_eq!(masked.0, "/admin/globalAPIKeys/***?id=***&x=1");
        assert_eq!(masked.1, "/artifact/ar.1/");
        assert_eq!(masked.2, "/admin/globalAPIKeys/***");
    }

    #[test]
    fn generated_keys_are_32_alphanumerics() {
        let k = generate_key();
        assert_eq!(k.len(), 32);
        assert!(k.chars().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(k, generate_key());
    }
}
