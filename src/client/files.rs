//! Uploaded files (protocol §2.17): the upload framed byte for byte as the Python
//! client frames it (§1.6), its content streamed from disk, and the streamed download
//! (§1.7), to a file or, for small files, to memory.
use super::GovernClient;
use super::error::{GovernError, Result};
use super::request::{Request, segment};
use crate::protocol::upload::Multipart;
use serde_json::Value;
use std::path::{Path, PathBuf};
use tokio::io::AsyncWriteExt;

/// Largest download `download()` returns in memory (16 MiB): a larger file is written
/// to a path instead (`download(path)`), which holds one chunk at a time.
pub const MAX_DOWNLOAD_IN_MEMORY: usize = 16 << 20;

/// A request body other than JSON, with its type and exact length.
pub struct RawBody {
    /// The bytes, possibly streamed.
    pub(super) body: reqwest::Body,
    /// `Content-Type`.
    pub(super) content_type: String,
    /// `Content-Length`: the Python client sends a real one, never chunked.
    pub(super) length: u64,
}

/// What `upload_file` sends: a local file (streamed) or bytes.
#[derive(Debug, Clone)]
pub enum Upload {
    /// A local file, read a buffer at a time.
    File(PathBuf),
    /// Bytes in memory.
    Bytes(Vec<u8>),
}

impl GovernClient {
    /// `POST /uploaded-files`: uploads `content` as `file_name`, multipart as the
    /// Python client sends it; returns the answer (its `id` names the file). A local
    /// file is streamed: at most one buffer of it is in memory. A missing or
    /// unreadable file is an error naming it, and nothing is sent.
    pub async fn upload_file(&self, file_name: &str, content: Upload) -> Result<Value> {
        let call = self.call_name();
        let framing = Multipart::new(file_name);
        let (body, length) = match content {
            Upload::Bytes(bytes) => {
                let length = framing.length(bytes.len() as u64);
                (reqwest::Body::from(framing.around(&bytes)), length)
            }
            Upload::File(path) => {
                let unreadable = |e: std::io::Error| {
                    GovernError::local(call, format!("cannot read {}: {e}", path.display()))
                };
                let file = tokio::fs::File::open(&path).await.map_err(unreadable)?;
                let meta = file.metadata().await.map_err(unreadable)?;
                if !meta.is_file() {
                    return Err(GovernError::local(
                        call,
                        format!("cannot upload {}: not a regular file", path.display()),
                    ));
                }
                let body = framing.around_file(file, meta.len());
                (reqwest::Body::wrap(body), framing.length(meta.len()))
            }
        };
        let raw = RawBody {
            body,
            content_type: framing.content_type(),
            length,
        };
        // One operation, as every other call: the operation hooks (audit) see it.
        self.operate(Request::post("/uploaded-files"), |request| async move {
            let (request, response) = self.inner.open_raw(request, Some(raw)).await?;
            self.inner.json_raw(&request, response).await
        })
        .await
    }

    /// `GET /uploaded-file/{id}`: the file's description.
    pub async fn get_uploaded_file_description(&self, id: &str) -> Result<Value> {
        self.perform_json(Request::get(format!("/uploaded-file/{}", segment(id))))
            .await
    }

    /// `DELETE /uploaded-file/{id}`.
    pub async fn delete_uploaded_file(&self, id: &str) -> Result<()> {
        self.perform_empty(Request::delete(format!("/uploaded-file/{}", segment(id))))
            .await
    }

    /// `GET /uploaded-file/{id}/download`, the content in memory; a file larger than
    /// [`MAX_DOWNLOAD_IN_MEMORY`] is refused (download it to a path).
    pub async fn download_uploaded_file(&self, id: &str) -> Result<Vec<u8>> {
        let (request, mut response) = self.open_download(id).await?;
        let mut content = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| self.inner.stream_error(&request, &e))?
        {
            if content.len() + chunk.len() > MAX_DOWNLOAD_IN_MEMORY {
                return Err(GovernError::local(
                    request.call,
                    format!(
                        "the file is larger than {} MiB: download it to a path with download(path)",
                        MAX_DOWNLOAD_IN_MEMORY >> 20
                    ),
                ));
            }
            content.extend_from_slice(&chunk);
        }
        Ok(content)
    }

    /// `GET /uploaded-file/{id}/download`, streamed to `path`: written to a temporary
    /// file beside it, which replaces `path` only once complete (a failed download
    /// leaves `path` as it was). Returns the number of bytes written.
    pub async fn download_uploaded_file_to(&self, id: &str, path: &Path) -> Result<u64> {
        let call = self.call_name();
        let local = |what: &str, e: std::io::Error| {
            GovernError::local(call, format!("cannot {what} {}: {e}", path.display()))
        };
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        // Refused before any request: a folder that cannot take the file.
        let temp = tempfile::Builder::new()
            .prefix(".govscript-download-")
            .tempfile_in(&dir)
            .map_err(|e| local("write", e))?;
        let (request, mut response) = self.open_download(id).await?;
        let mut out =
            tokio::fs::File::from_std(temp.as_file().try_clone().map_err(|e| local("write", e))?);
        let mut written = 0u64;
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| self.inner.stream_error(&request, &e))?
        {
            out.write_all(&chunk).await.map_err(|e| local("write", e))?;
            written += chunk.len() as u64;
        }
        out.flush().await.map_err(|e| local("write", e))?;
        out.sync_all().await.map_err(|e| local("write", e))?;
        drop(out);
        temp.persist(path).map_err(|e| local("write", e.error))?;
        Ok(written)
    }

    async fn open_download(&self, id: &str) -> Result<(Request, reqwest::Response)> {
        let mut request = Request::get(format!("/uploaded-file/{}/download", segment(id)));
        request.call = self.call_name();
        self.inner.open_raw(request, None).await
    }
}
