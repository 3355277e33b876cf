//! Keeping API keys out of everything the process prints.
//!
//! Every key a client is configured with is remembered here; whatever prints on the
//! user's behalf (script output, error reports, logs) passes through [`redact`], so
//! a key typed literally into a failing script line, printed by a script, or embedded
//! in a host URL never reaches the terminal or a log file.
use std::borrow::Cow;
use std::sync::RwLock;

/// Shortest key remembered: shorter strings would redact ordinary words.
const MIN_LEN: usize = 4;

/// What replaces a key.
pub const MASK: &str = "***";

static SECRETS: RwLock<Vec<String>> = RwLock::new(Vec::new());

/// Remembers `secret` so that [`redact`] masks it.
pub fn remember(secret: &str) {
    if secret.len() < MIN_LEN {
        return;
    }
    let mut secrets = SECRETS.write().unwrap_or_else(|p| p.into_inner());
    if !secrets.iter().any(|s| s == secret) {
        secrets.push(secret.to_string());
        // Longest first, so a key containing another is masked whole.
        secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
    }
}

/// `text` with every remembered secret replaced by [`MASK`].
pub fn redact(text: &str) -> Cow<'_, str> {
    let secrets = SECRETS.read().unwrap_or_else(|p| p.into_inner());
    if !secrets.iter().any(|s| text.contains(s.as_str())) {
        return Cow::Borrowed(text);
    }
    let mut out = text.to_string();
    for s in secrets.iter() {
        out = out.replace(s.as_str(), MASK);
    }
    Cow::Owned(out)
}

/// Splits the user-info off a URL (`http://KEY@host:1` → `http://host:1`, `KEY`), so
/// a key written into the host is used as the key and never shown as part of it.
pub fn split_userinfo(url: &str) -> (String, Option<String>) {
    let Ok(mut parsed) = url::Url::parse(url) else {
        return (url.to_string(), None);
    };
    let user = parsed.username().to_string();
    let password = parsed.password().map(str::to_string);
    if user.is_empty() && password.is_none() {
        return (url.to_string(), None);
    }
    let _ = parsed.set_username("");
    let _ = parsed.set_password(None);
    let key = if user.is_empty() {
        password
    } else {
        Some(user)
    };
    let decoded = key.map(|k| {
        percent_encoding::percent_decode_str(&k)
            .decode_utf8_lossy()
            .into_owned()
    });
    let host = parsed.as_str().trim_end_matches('/').to_string();
    (host, decoded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembered_keys_are_masked_wherever_they_appear() {
        remember("s3cr3t-key-123");
        assert_eq!(redact("key=s3cr3t-key-123!"), "key=***!");
        assert!(matches!(redact("nothing here"), Cow::Borrowed(_)));
        remember("abc");
        assert_eq!(redact("abc"), "abc", "too short to be remembered");
    }

    #[test]
    fn user_info_is_taken_out_of_the_host() {
        assert_eq!(
            split_userinfo("https://KEY123@govern.example.com:11200/"),
            (
                "https://govern.example.com:11200".into(),
                Some("KEY123".into())
            )
        );
        assert_eq!(
            split_userinfo("http://127.0.0.1:9"),
            ("http://127.0.0.1:9".into(), None)
        );
    }
}
