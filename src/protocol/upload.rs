//! The upload's multipart framing (protocol §1.6), byte for byte as the Python client
//! writes it, and a file streamed as an HTTP body: shared by the client (which sends
//! uploads) and the sandbox (which reads them and serves downloads).
use hyper::body::{Bytes, Frame};
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, ReadBuf};

/// Bytes read from a file at a time.
const READ_BUFFER: usize = 64 << 10;

/// The multipart framing of one upload: one part, field `file`, the file name,
/// `Expires: 0`, no per-part `Content-Type`, CRLF lines, a 32-hex-digit boundary
/// (what the Python client's vendored `requests_toolbelt` encoder writes).
#[derive(Debug, Clone)]
pub struct Multipart {
    boundary: String,
    head: Bytes,
    tail: Bytes,
}

impl Multipart {
    /// The framing of `file_name`'s part, with a fresh random boundary.
    pub fn new(file_name: &str) -> Self {
        let boundary: String = (0..16)
            .map(|_| format!("{:02x}", rand::random::<u8>()))
            .collect();
        Self::with_boundary(file_name, boundary)
    }

    /// The framing of `file_name`'s part with `boundary`.
    pub fn with_boundary(file_name: &str, boundary: String) -> Self {
        let head = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{}\"\r\nExpires: 0\r\n\r\n",
            quote_param(file_name)
        );
        let tail = format!("\r\n--{boundary}--\r\n");
        Self {
            boundary,
            head: Bytes::from(head),
            tail: Bytes::from(tail),
        }
    }

    /// `multipart/form-data; boundary=...`.
    pub fn content_type(&self) -> String {
        format!("multipart/form-data; boundary={}", self.boundary)
    }

    /// The length of the whole body around `content` bytes.
    pub fn length(&self, content: u64) -> u64 {
        (self.head.len() + self.tail.len()) as u64 + content
    }

    /// The whole body around the `length` bytes of `file`, streamed.
    pub fn around_file(&self, file: tokio::fs::File, length: u64) -> FileBody {
        FileBody::framed(self.head.clone(), file, length, self.tail.clone())
    }

    /// The whole body around `content`, in memory.
    pub fn around(&self, content: &[u8]) -> Vec<u8> {
        [&self.head[..], content, &self.tail[..]].concat()
    }
}

/// A header parameter value as urllib3 2 writes it (WHATWG form encoding): `"`, CR
/// and LF percent-escaped, everything else (non-ASCII as UTF-8) as is.
pub fn quote_param(value: &str) -> String {
    value
        .replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A file as an HTTP body, read a buffer at a time, optionally between a head and a
/// tail (an upload's multipart framing). A file whose size changes while it is sent
/// fails the body rather than sending a `Content-Length` that lies. The sandbox serves
/// downloads with it too.
pub struct FileBody {
    head: Option<Bytes>,
    file: Option<tokio::fs::File>,
    tail: Option<Bytes>,
    /// Bytes of the file still expected.
    remaining: u64,
    buffer: Vec<u8>,
}

impl FileBody {
    /// The `length` bytes of `file`.
    pub fn new(file: tokio::fs::File, length: u64) -> Self {
        Self {
            head: None,
            file: Some(file),
            tail: None,
            remaining: length,
            buffer: Vec::new(),
        }
    }

    /// `head`, the `length` bytes of `file`, then `tail`.
    fn framed(head: Bytes, file: tokio::fs::File, length: u64, tail: Bytes) -> Self {
        Self {
            head: Some(head),
            tail: Some(tail),
            ..Self::new(file, length)
        }
    }
}

impl http_body::Body for FileBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<std::result::Result<Frame<Bytes>, std::io::Error>>> {
        let this = &mut *self;
        if let Some(head) = this.head.take() {
            return Poll::Ready(Some(Ok(Frame::data(head))));
        }
        if let Some(file) = this.file.as_mut() {
            this.buffer.resize(READ_BUFFER, 0);
            let mut buf = ReadBuf::new(&mut this.buffer);
            match Pin::new(file).poll_read(cx, &mut buf) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Err(e)) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(Ok(())) => {
                    let n = buf.filled().len() as u64;
                    if n == 0 {
                        this.file = None;
                        if this.remaining != 0 {
                            return Poll::Ready(Some(Err(changed())));
                        }
                    } else if n > this.remaining {
                        return Poll::Ready(Some(Err(changed())));
                    } else {
                        this.remaining -= n;
                        let chunk = Bytes::copy_from_slice(buf.filled());
                        return Poll::Ready(Some(Ok(Frame::data(chunk))));
                    }
                }
            }
        }
        Poll::Ready(this.tail.take().map(|t| Ok(Frame::data(t))))
    }
}

fn changed() -> std::io::Error {
    std::io::Error::other("the file changed size while it was sent")
}

/// A header parameter value as written by [`quote_param`], unescaped.
pub fn unquote_param(value: &str) -> String {
    value
        .replace("%22", "\"")
        .replace("%0D", "\r")
        .replace("%0A", "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_framing_is_the_python_clients() {
        let m = Multipart::with_boundary("doc.txt", "B".into());
        assert_eq!(
            String::from_utf8(m.around(b"hello world")).unwrap(),
            "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"doc.txt\"\r\nExpires: 0\r\n\r\nhello world\r\n--B--\r\n"
        );
        assert_eq!(m.length(11), m.around(b"hello world").len() as u64);
        assert_eq!(m.content_type(), "multipart/form-data; boundary=B");
    }

    #[test]
    fn file_names_are_escaped_as_urllib3_escapes_them() {
        // Checked against the Python client's encoder: a"b.txt, "é x.bin", a\b<LF>c%.
        assert_eq!(quote_param("a\"b.txt"), "a%22b.txt");
        assert_eq!(quote_param("é x.bin"), "é x.bin");
        assert_eq!(quote_param("a\\b\nc%"), "a\\b%0Ac%");
    }

    #[test]
    fn boundaries_are_32_hex_digits() {
        let ct = Multipart::new("x").content_type();
        let b = ct.rsplit('=').next().unwrap();
        assert_eq!(b.len(), 32);
        assert!(
            b.chars()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
        );
    }
}
