//! The golden uploads, whose bodies are multipart, not JSON: replayed apart and
//! compared part by part (each part's headers, file name and bytes), the random
//! boundary normalised to the golden file's `{BOUNDARY}`.
use super::calls::Call;

/// The golden calls replayed here, with the statements replaying each: `{path}` is a
/// local file holding `content`, which the call uploads (`None`: the call uploads
/// a blob of those bytes).
pub const UPLOADS: &[Upload] = &[
    Upload {
        call: "upload_file bytes",
        statements: r#"c.upload_file("doc.txt", "hello world".to_blob());"#,
        file: None,
    },
    Upload {
        call: "upload_file realfile",
        statements: r#"c.upload_file("doc2.bin", ARGS[0]);"#,
        file: Some("filedata"),
    },
];

/// One golden upload and how a script replays it.
pub struct Upload {
    /// The golden call.
    pub call: &'static str,
    /// The statements (`c` is the client, `ARGS[0]` the local file).
    pub statements: &'static str,
    /// The content of the local file the statements upload, if any.
    pub file: Option<&'static str>,
}

/// Whether `call` is replayed here rather than by derivation.
pub fn replayed_apart(call: &Call) -> bool {
    UPLOADS.iter().any(|u| u.call == call.name)
}

/// One part of a multipart body: its header lines and its content.
#[derive(Debug, PartialEq, Eq)]
pub struct Part {
    /// Header lines, as sent.
    pub headers: Vec<String>,
    /// The content.
    pub content: Vec<u8>,
}

/// The boundary of a `multipart/form-data; boundary=...` content type.
pub fn boundary(content_type: &str) -> Option<&str> {
    content_type
        .strip_prefix("multipart/form-data; boundary=")
        .filter(|b| !b.is_empty())
}

/// The parts of `body` delimited by `boundary`, or why it is not a well-formed
/// multipart body (opening, delimiters and closing as RFC 7578, CRLF lines).
pub fn parts(body: &[u8], boundary: &str) -> Result<Vec<Part>, String> {
    let opening = format!("--{boundary}\r\n");
    let delimiter = format!("\r\n--{boundary}");
    let rest = body
        .strip_prefix(opening.as_bytes())
        .ok_or("the body does not open with its boundary")?;
    let mut parts = Vec::new();
    let mut rest = rest;
    loop {
        let head_end =
            find(rest, b"\r\n\r\n").ok_or("a part has no blank line after its headers")?;
        let headers = String::from_utf8_lossy(&rest[..head_end])
            .split("\r\n")
            .map(str::to_string)
            .collect();
        let after = &rest[head_end + 4..];
        let end = find(after, delimiter.as_bytes()).ok_or("a part is not closed")?;
        parts.push(Part {
            headers,
            content: after[..end].to_vec(),
        });
        let tail = &after[end + delimiter.len()..];
        if tail == b"--\r\n" {
            return Ok(parts);
        }
        rest = tail
            .strip_prefix(b"\r\n")
            .ok_or("bytes after a delimiter are neither a part nor the closing")?;
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}
