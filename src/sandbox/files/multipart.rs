//! A streaming reader of the one-part `multipart/form-data` body the Python client
//! sends (§1.6): the part's headers, then its content chunk by chunk, never more than a
//! chunk and a boundary's length in memory.
use crate::protocol::upload::unquote_param;
use crate::sandbox::error::{ApiError, ApiResult};
use axum::body::{Body, Bytes};
use http_body_util::BodyExt;

/// Largest part head (boundary line and headers) accepted.
const MAX_HEAD: usize = 16 << 10;

/// The head of the file part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartHead {
    /// The form field name (`file`).
    pub name: String,
    /// The file name, unescaped.
    pub filename: String,
    /// The part's own `Content-Type`, if any (the Python client sends none).
    pub content_type: Option<String>,
}

/// The boundary of a `multipart/form-data; boundary=...` content type.
pub fn boundary(content_type: &str) -> ApiResult<String> {
    let (kind, params) = content_type.split_once(';').unwrap_or((content_type, ""));
    if !kind.trim().eq_ignore_ascii_case("multipart/form-data") {
        return Err(ApiError::validation(format!(
            "An upload must be multipart/form-data, not {:?}",
            kind.trim()
        )));
    }
    params
        .split(';')
        .filter_map(|p| p.trim().split_once('='))
        .find(|(k, _)| k.eq_ignore_ascii_case("boundary"))
        .map(|(_, v)| v.trim_matches('"').to_string())
        .filter(|b| !b.is_empty())
        .ok_or_else(|| ApiError::validation("The multipart content type has no boundary"))
}

/// Reads a multipart body: [`Reader::head`] first, then [`Reader::next_chunk`] until `None`.
pub struct Reader {
    body: Body,
    /// `\r\n--boundary`: what ends the content.
    delimiter: Vec<u8>,
    /// Bytes read and not yet handed out.
    pending: Vec<u8>,
    done: bool,
}

impl Reader {
    /// A reader of `body`, whose parts are separated by `boundary`.
    pub fn new(body: Body, boundary: &str) -> Self {
        Self {
            body,
            delimiter: format!("\r\n--{boundary}").into_bytes(),
            pending: Vec::new(),
            done: false,
        }
    }

    /// Reads one more frame of the body into `pending`; false at its end.
    async fn fill(&mut self) -> ApiResult<bool> {
        while let Some(frame) = self.body.frame().await {
            let frame =
                frame.map_err(|e| ApiError::validation(format!("Upload unreadable: {e}")))?;
            if let Ok(data) = frame.into_data() {
                self.pending.extend_from_slice(&data);
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// The first part's head; the reader is then at its content.
    pub async fn head(&mut self) -> ApiResult<PartHead> {
        let end = loop {
            if let Some(i) = find(&self.pending, b"\r\n\r\n") {
                break i;
            }
            if self.pending.len() > MAX_HEAD || !self.fill().await? {
                return Err(ApiError::validation("The multipart body has no part"));
            }
        };
        let head = String::from_utf8_lossy(&self.pending[..end]).to_string();
        self.pending.drain(..end + 4);
        let mut lines = head.split("\r\n");
        let opening = &self.delimiter[2..];
        if lines.next().map(str::as_bytes) != Some(opening) {
            return Err(ApiError::validation(
                "The multipart body does not start with its boundary",
            ));
        }
        let mut part = PartHead {
            name: String::new(),
            filename: String::new(),
            content_type: None,
        };
        for line in lines {
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            if key.eq_ignore_ascii_case("content-disposition") {
                part.name = param(value, "name").unwrap_or_default();
                part.filename = param(value, "filename").unwrap_or_default();
            } else if key.eq_ignore_ascii_case("content-type") {
                part.content_type = Some(value.trim().to_string());
            }
        }
        Ok(part)
    }

    /// The next piece of the part's content, or `None` at its end.
    pub async fn next_chunk(&mut self) -> ApiResult<Option<Bytes>> {
        loop {
            if self.done {
                return Ok(None);
            }
            if let Some(i) = self.closing() {
                self.done = true;
                let content = Bytes::copy_from_slice(&self.pending[..i]);
                self.pending.clear();
                return Ok(Some(content));
            }
            // Everything but what may be the start of the delimiter (and the two bytes
            // telling whether it is one) can go.
            let keep = self.delimiter.len() + 1;
            if self.pending.len() > keep {
                let cut = self.pending.len() - keep;
                let content = Bytes::copy_from_slice(&self.pending[..cut]);
                self.pending.drain(..cut);
                return Ok(Some(content));
            }
            if !self.fill().await? {
                return Err(ApiError::validation(
                    "The multipart body ends before its closing boundary",
                ));
            }
        }
    }

    /// Where the part's content ends in `pending`: at a delimiter followed by `--` (the
    /// closing) or CRLF (another part); the same bytes followed by anything else are
    /// content (`\r\n--B` inside content is not the delimiter of boundary `B`). `None`
    /// until known.
    fn closing(&self) -> Option<usize> {
        let d = self.delimiter.len();
        let mut from = 0;
        while let Some(i) = find(&self.pending[from..], &self.delimiter).map(|i| i + from) {
            match self.pending.get(i + d..i + d + 2) {
                Some(b"--") | Some(b"\r\n") => return Some(i),
                Some(_) => from = i + 1,
                None => return None,
            }
        }
        None
    }

    /// Reads the rest of the body and drops it, up to `at_most` bytes (so that a
    /// client still sending an over-limit body reads the refusal); false if more.
    pub async fn discard(&mut self, at_most: u64) -> bool {
        let mut seen = 0u64;
        while let Some(Ok(frame)) = self.body.frame().await {
            if let Ok(data) = frame.into_data() {
                seen += data.len() as u64;
                if seen > at_most {
                    return false;
                }
            }
        }
        true
    }
}

/// Where `needle` first occurs in `hay`.
fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The value of parameter `name` in a `Content-Disposition` value, unescaped as
/// urllib3 escapes it (`%22`, `%0D`, `%0A`).
fn param(value: &str, name: &str) -> Option<String> {
    value.split(';').find_map(|p| {
        let (k, v) = p.trim().split_once('=')?;
        if !k.eq_ignore_ascii_case(name) {
            return None;
        }
        let v = v
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .unwrap_or(v);
        Some(unquote_param(v))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn read(body: &'static [u8], boundary: &str) -> ApiResult<(PartHead, Vec<u8>)> {
        let mut r = Reader::new(Body::from(body), boundary);
        let head = r.head().await?;
        let mut content = Vec::new();
        while let Some(c) = r.next_chunk().await? {
            content.extend_from_slice(&c);
        }
        Ok((head, content))
    }

    #[tokio::test]
    async fn reads_the_python_clients_part() {
        let (head, content) = read(
            b"--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a%22b.txt\"\r\nExpires: 0\r\n\r\nhello\r\n--Bx\r\nworld\r\n--B--\r\n",
            "B",
        )
        .await
        .unwrap();
        assert_eq!(
            (head.name.as_str(), head.filename.as_str()),
            ("file", "a\"b.txt")
        );
        assert_eq!(content, b"hello\r\n--Bx\r\nworld");
    }

    #[tokio::test]
    async fn a_body_without_its_closing_boundary_is_refused() {
        let e = read(
            b"--B\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nhello",
            "B",
        )
        .await
        .unwrap_err();
        assert!(e.detailed.contains("closing boundary"), "{e}");
    }

    #[test]
    fn the_boundary_comes_from_the_content_type() {
        assert_eq!(
            boundary("multipart/form-data; boundary=abc").unwrap(),
            "abc"
        );
        assert!(boundary("application/json").is_err());
    }
}
