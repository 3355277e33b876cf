//! Reading a failed answer: Govern's error document, or a short excerpt of whatever
//! else came back (a proxy's HTML page), and the root cause of transport errors.
use super::error::ErrorKind;
use serde_json::Value;

/// The innermost cause of an error: "Connection refused (os error 111)" rather
/// than reqwest's generic "error sending request".
pub(super) fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = e;
    while let Some(source) = cause.source() {
        cause = source;
    }
    cause.to_string()
}

/// Characters of a non-JSON error body shown at most.
const EXCERPT_CHARS: usize = 200;

/// The status's reason and a short, tag-free excerpt of a non-JSON error body
/// (a proxy's HTML page, say), never the raw markup.
fn excerpt(status: u16, body: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    let mut skipping = false; // inside <script> or <style>
    let lower = body.to_ascii_lowercase();
    for (i, c) in body.char_indices() {
        match c {
            '<' => {
                in_tag = true;
                let rest = &lower[i..];
                if rest.starts_with("<script") || rest.starts_with("<style") {
                    skipping = true;
                } else if rest.starts_with("</script") || rest.starts_with("</style") {
                    skipping = false;
                }
                text.push(' ');
            }
            '>' if in_tag => in_tag = false,
            _ if in_tag || skipping => {}
            _ => text.push(c),
        }
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut short: String = words.join(" ").chars().take(EXCERPT_CHARS).collect();
    if short.chars().count() == EXCERPT_CHARS {
        short.push('…');
    }
    let reason = reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("No message");
    if short.is_empty() || short == format!("{status} {reason}") {
        reason.to_string()
    } else {
        format!("{reason}: {short}")
    }
}

/// Characters of Govern's own error message kept at most: enough for any real message
/// (a stack trace's first lines), never megabytes on a terminal.
const MESSAGE_CHARS: usize = 2000;

/// `text` cut to [`MESSAGE_CHARS`] characters, saying how much was left out.
fn cap(text: String) -> String {
    match text.char_indices().nth(MESSAGE_CHARS) {
        None => text,
        Some((at, _)) => {
            let left = text[at..].chars().count();
            format!("{}… ({left} more characters)", &text[..at])
        }
    }
}

/// Reads Govern's error document, with the Python client's defaults.
pub(super) fn api_error(status: u16, text: &str, retry_after: Option<u64>) -> ErrorKind {
    let doc: Option<Value> = serde_json::from_str(text).ok();
    let field = |name: &str| {
        doc.as_ref()
            .and_then(|d| d.get(name))
            .and_then(Value::as_str)
            .map(|s| cap(s.to_string()))
    };
    let message = match &doc {
        Some(Value::Object(_)) => field("message").unwrap_or_else(|| "No message".into()),
        _ => excerpt(status, text),
    };
    ErrorKind::Api {
        status,
        error_type: field("errorType").unwrap_or_else(|| "Unknown error".into()),
        message,
        detailed_message: field("detailedMessage"),
        retry_after,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_error_uses_python_defaults() {
        let ErrorKind::Api {
            error_type,
            message,
            ..
        } = api_error(400, r#"{"foo":"bar"}"#, None)
        else {
            panic!("not an API error")
        };
        assert_eq!(
            (error_type.as_str(), message.as_str()),
            ("Unknown error", "No message")
        );
        let ErrorKind::Api { message, .. } = api_error(500, "<html>boom</html>", None) else {
            panic!("not an API error")
        };
        assert_eq!(message, "Internal Server Error: boom");
    }

    #[test]
    fn an_html_error_page_becomes_reason_and_excerpt() {
        let page = "<html><head><title>502 Bad Gateway</title><style>body{x:1}</style></head>\
                    <body><h1>502 Bad Gateway</h1><hr><center>nginx/1.25</center></body></html>";
        assert_eq!(
            excerpt(502, page),
            "Bad Gateway: 502 Bad Gateway 502 Bad Gateway nginx/1.25"
        );
        assert_eq!(excerpt(502, "  "), "Bad Gateway");
        let long = format!("<p>{}</p>", "x ".repeat(1000));
        assert!(excerpt(503, &long).chars().count() < EXCERPT_CHARS + 30);
    }

    #[test]
    fn a_ten_megabyte_server_message_was_kept_whole() {
        let huge = format!("é{}", "x".repeat(10 << 20));
        let body = serde_json::json!({
            "errorType": "E", "message": huge, "detailedMessage": huge
        });
        let ErrorKind::Api {
            message,
            detailed_message,
            ..
        } = api_error(500, &body.to_string(), None)
        else {
            panic!("not an API error")
        };
        for text in [message, detailed_message.unwrap_or_default()] {
            assert!(text.chars().count() < MESSAGE_CHARS + 40, "{}", text.len());
            assert!(text.starts_with("éx"));
            assert!(
                text.ends_with(&format!(
                    "… ({} more characters)",
                    (10 << 20) + 1 - MESSAGE_CHARS
                )),
                "{}",
                &text[text.len() - 60..]
            );
        }
    }
}
