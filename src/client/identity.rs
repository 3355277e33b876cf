//! The acting identity (`GET /auth/info`), read once per process for each host,
//! credentials and impersonated user.
//!
//! Every audited run records who made its changes. A watcher's runs, a script's
//! `GovernClient(..)` clients and a REPL session's handles may each build or share
//! connections; all that use the same credentials on the same host act as the same
//! user, so they share one cell and the first to need the identity reads it for all.
//! The cell is keyed by a SHA-256 of the credentials header, never the key itself.
use reqwest::header::{HeaderName, HeaderValue};
use ring::digest::{Context, SHA256};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use tokio::sync::OnceCell;

/// Host, SHA-256 of the credentials header, impersonated user.
type Key = (String, Vec<u8>, Option<String>);

static CELLS: OnceLock<Mutex<HashMap<Key, Arc<OnceCell<String>>>>> = OnceLock::new();

/// The identity cell of clients of `host` authenticating with `auth` as `proxy_user`.
pub(super) fn cell(
    host: &str,
    auth: &(HeaderName, HeaderValue),
    proxy_user: Option<&str>,
) -> Arc<OnceCell<String>> {
    let mut digest = Context::new(&SHA256);
    digest.update(auth.0.as_str().as_bytes());
    digest.update(&[0]);
    digest.update(auth.1.as_bytes());
    let key = (
        host.to_string(),
        digest.finish().as_ref().to_vec(),
        proxy_user.map(str::to_string),
    );
    let cells = CELLS.get_or_init(Mutex::default);
    let mut cells = cells.lock().unwrap_or_else(|p| p.into_inner());
    cells.entry(key).or_default().clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn auth(key: &str) -> (HeaderName, HeaderValue) {
        (
            reqwest::header::AUTHORIZATION,
            HeaderValue::from_str(key).expect("header"),
        )
    }

    #[test]
    fn clients_share_a_cell_only_for_the_same_host_credentials_and_user() {
        let a = cell("http://h", &auth("k1"), None);
        assert!(Arc::ptr_eq(&a, &cell("http://h", &auth("k1"), None)));
        for other in [
            cell("http://h2", &auth("k1"), None),
            cell("http://h", &auth("k2"), None),
            cell("http://h", &auth("k1"), Some("alice")),
        ] {
            assert!(!Arc::ptr_eq(&a, &other));
        }
    }
}
