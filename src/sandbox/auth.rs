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
    /// User login (`authIdentifier`), or a global key's id.
    pub login: String,
    /// False for a global API key (no user behind it).
    pub is_user: bool,
    /// Groups the user belongs to.
    pub groups: Vec<String>,
    /// Whether the user (or key) has global admin rights: the user's or key's flag, or
    /// a group with `admin: true`.
    pub admin: bool,
    /// Govern architect rights: admin, or a group with `isGovernArchitect: true`.
    pub architect: bool,
    /// The API key's id (for `global-api-key` containers), when the key has one.
    pub key_id: Option<String>,
}

/// Storage id of an API key secret: the lower-case hex SHA-256 of the secret.
pub fn key_id(secret: &str) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, secret.as_bytes());
    digest.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

/// A fresh random API key (32 alphanumeric characters).
pub fn generate_key() -> String {
    Alphanumeric.sample_string(&mut rand::rng(), 32)
}

/// Stores `secret` as a key acting as `login` (no-op if already present).
pub fn add_key(db: &Db, secret: &str, login: &str, admin: bool) -> ApiResult<()> {
    let id = key_id(secret);
    if db.get(Table::ApiKeys, &id)?.is_none() {
        db.put(
            Table::ApiKeys,
            &id,
            &json!({"login": login, "admin": admin, "createdOn": super::now_ms()}),
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
/// as an id. For the request log and `--record`.
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
        out.push_str(if is_key(part) { "***" } else { part });
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

/// Loads a user as a principal; `admin` is the key's own right or the user's.
pub fn principal_for(db: &Db, login: &str, key_admin: bool) -> ApiResult<Option<Principal>> {
    let Some(user) = db.get(Table::Users, login)? else {
        return Ok(None);
    };
    let groups = string_list(&user["groups"]);
    let mut admin = key_admin || user["admin"].as_bool().unwrap_or(false);
    let mut architect = false;
    for g in &groups {
        if let Some(doc) = db.get(Table::Groups, g)? {
            admin |= doc["admin"].as_bool().unwrap_or(false);
            architect |= doc["isGovernArchitect"].as_bool().unwrap_or(false);
        }
    }
    Ok(Some(Principal {
        login: login.to_string(),
        is_user: true,
        groups,
        admin,
        architect: admin || architect,
        key_id: None,
    }))
}

/// Authenticates a request; honours `X-DKU-ProxyUser` for admin keys.
pub fn authenticate(store: &Store, headers: &HeaderMap) -> ApiResult<Principal> {
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
        let login = key["login"].as_str().unwrap_or("admin").to_string();
        let key_admin = key["admin"].as_bool().unwrap_or(false);
        let Some(mut me) = principal_for(db, &login, key_admin)? else {
            return Err(ApiError::unauthenticated(format!(
                "The user of this API key no longer exists: {login}"
            )));
        };
        me.key_id = key["id"].as_str().map(str::to_string);
        match proxy {
            None => Ok(me),
            Some(target) if me.admin => {
                let user = principal_for(db, &target, false)?;
                user.ok_or_else(|| ApiError::not_found("User", &target))
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
    use super::super::store::Store;
    use super::{add_key, check_key, generate_key, key_id, mask_keys};

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
                ))
            })
            .expect("read");
        assert_eq!(masked.0, "/admin/globalAPIKeys/***?id=***&x=1");
        assert_eq!(masked.1, "/artifact/ar.1/");
    }

    #[test]
    fn generated_keys_are_32_alphanumerics() {
        let k = generate_key();
        assert_eq!(k.len(), 32);
        assert!(k.chars().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(k, generate_key());
    }
}
