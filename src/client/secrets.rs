//! Keeping API keys out of everything the process prints.
//!
//! Every key a client is configured with is remembered here; whatever prints on the
//! user's behalf (script output, error reports, logs, the REPL history filter) passes
//! through [`redact`], so a key typed literally into a failing script line, printed by
//! a script, or embedded in a host URL never reaches the terminal or a log file.
//!
//! Keys of every length are masked. A key shorter than [`MIN_LEN`] characters is masked
//! where it stands alone (not inside a longer word): masking every `k` of the output
//! for a key `k` would make the output unreadable, and such a key is no secret anyway.
use std::borrow::Cow;
use std::sync::RwLock;

/// Shortest key masked wherever it appears; shorter ones are masked as whole words.
pub const MIN_LEN: usize = 4;

/// What replaces a key.
pub const MASK: &str = "***";

static SECRETS: RwLock<Vec<String>> = RwLock::new(Vec::new());

/// Remembers `secret` so that [`redact`] masks it (the empty string is ignored).
pub fn remember(secret: &str) {
    if secret.is_empty() {
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
    let mut out = Cow::Borrowed(text);
    for s in secrets.iter() {
        if let Some(masked) = mask(&out, s) {
            out = Cow::Owned(masked);
        }
    }
    out
}

/// `text` with `secret` masked, or `None` when it does not occur (see the module docs
/// for short keys).
fn mask(text: &str, secret: &str) -> Option<String> {
    if secret.chars().count() >= MIN_LEN {
        return text.contains(secret).then(|| text.replace(secret, MASK));
    }
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (at, _) in text.match_indices(secret) {
        let end = at + secret.len();
        if word(text[..at].chars().next_back()) || word(text[end..].chars().next()) {
            continue;
        }
        out.push_str(&text[last..at]);
        out.push_str(MASK);
        last = end;
    }
    (last > 0).then(|| out + &text[last..])
}

/// Splits the user-info off a URL (`http://KEY@host:1` → `http://host:1`, `KEY`), so
/// a key written into the host is used as the key and never shown as part of it. A
/// text that is no valid URL loses its user-info too (`KEY@host` → `host`).
pub fn split_userinfo(url: &str) -> (String, Option<String>) {
    let Ok(mut parsed) = url::Url::parse(url) else {
        return split_userinfo_text(url);
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
    let host = parsed.as_str().trim_end_matches('/').to_string();
    (host, key.map(|k| decode(&k)))
}

/// [`split_userinfo`] for a text the URL parser refuses: whatever stands before the
/// last `@` of the authority (after `scheme://`, before the first `/`, `?` or `#`).
fn split_userinfo_text(url: &str) -> (String, Option<String>) {
    let start = url.find("://").map_or(0, |i| i + 3);
    let rest = &url[start..];
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let Some(at) = rest[..end].rfind('@') else {
        return (url.to_string(), None);
    };
    let info = &rest[..at];
    let key = match info.split_once(':') {
        Some(("", password)) => password,
        Some((user, _)) => user,
        None => info,
    };
    let host = format!("{}{}", &url[..start], &rest[at + 1..]);
    (host, (!key.is_empty()).then(|| decode(key)))
}

fn decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

/// Checks that `url` can serve as a Govern host: an `http` or `https` URL with a host
/// name. Returns the host without user-info and the key found in it, if any. The
/// error names the host without its user-info and says how to write it.
pub fn parse_host(url: &str) -> Result<(String, Option<String>), String> {
    let (host, key) = split_userinfo(url.trim());
    if let Some(k) = &key {
        remember(k);
    }
    let example = "e.g. https://govern.example.com:11200";
    let parsed = match url::Url::parse(&host) {
        Ok(p) if matches!(p.scheme(), "http" | "https") => p,
        // `govern.example.com:11200` parses with `govern.example.com` as its scheme.
        Ok(_) | Err(url::ParseError::RelativeUrlWithoutBase) if !host.contains("://") => {
            return Err(format!(
                "host '{host}' has no http:// or https:// in front: write it as https://{host}"
            ));
        }
        Ok(p) => {
            return Err(format!(
                "host '{host}': the scheme must be http or https, not {} ({example})",
                p.scheme()
            ));
        }
        Err(e) => return Err(format!("host '{host}' is not a valid URL: {e} ({example})")),
    };
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(format!("host '{host}' names no server ({example})"));
    }
    Ok((host, key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembered_keys_are_masked_wherever_they_appear() {
        remember("s3cr3t-key-123");
        assert_eq!(redact("key=s3cr3t-key-123!"), "key=***!");
        assert!(matches!(redact("nothing here"), Cow::Borrowed(_)));
    }

    #[test]
    fn short_keys_are_masked_where_they_stand_alone() {
        remember("q7");
        assert_eq!(
            redact(r#"GovernClient("h", "q7")"#),
            r#"GovernClient("h", "***")"#
        );
        assert_eq!(redact("http://q7@h q7"), "http://***@h ***");
        assert_eq!(redact("aq7 q7b q7_"), "aq7 q7b q7_");
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

    #[test]
    fn user_info_is_taken_out_of_a_host_that_does_not_parse() {
        assert_eq!(
            split_userinfo("http://K3Y@bad host:1/x"),
            ("http://bad host:1/x".into(), Some("K3Y".into()))
        );
        assert_eq!(
            split_userinfo("K3Y@govern:99999"),
            ("govern:99999".into(), Some("K3Y".into()))
        );
        assert_eq!(
            split_userinfo("http://:K3Y@bad host"),
            ("http://bad host".into(), Some("K3Y".into()))
        );
    }

    #[test]
    fn hosts_without_a_scheme_or_a_server_are_refused_without_their_key() {
        let err = parse_host("K3Y@govern.example.com:11200").unwrap_err();
        assert!(
            err.contains("write it as https://govern.example.com:11200"),
            "{err}"
        );
        assert!(!err.contains("K3Y"), "{err}");
        let err = parse_host("http://K3Y@bad host:1").unwrap_err();
        assert!(err.contains("not a valid URL"), "{err}");
        assert!(!err.contains("K3Y"), "{err}");
        assert!(parse_host("ftp://h").unwrap_err().contains("not ftp"));
        assert_eq!(
            parse_host("http://K3Y@h:1").unwrap(),
            ("http://h:1".into(), Some("K3Y".into()))
        );
    }
}
