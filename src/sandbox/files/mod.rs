//! Uploaded files (protocol §2.17): `POST /uploaded-files` (multipart, §1.6),
//! `GET` and `DELETE /uploaded-file/{id}`, `GET /uploaded-file/{id}/download` (§1.7).
//!
//! Storage: the content is a file on disk, in the folder `<database>.files/` beside the
//! database, named by the file's id (`uf.N`); its description is a row of the
//! `uploaded_files` table. An upload streams to a temporary file in that folder, which
//! takes its name only once complete and under the limit (`--max-upload-mb`, default
//! 100 MiB; 413 beyond, with nothing stored), so the folder never holds a partial file
//! under an id. The front does not read an upload's body (its own cap is for JSON).
//!
//! Description: `id`, `name`, `size` (bytes), `contentType` (the part's own type, else
//! `application/octet-stream`: the Python client sends none), `owner` (the uploader's
//! login, or the global key's id) and `uploadDate` (epoch ms). Downloads are sent as
//! stored, `application/octet-stream` with `Content-Disposition: attachment`, never
//! compressed (the sandbox has no compression layer; the Python client would hand the
//! compressed bytes to the caller, §1.7).
//!
//! Rights (Govern 13.5+): the sandbox never attaches a file to an artifact, so every
//! file is an orphan, which only global admins, Govern managers (architects) and its
//! owner may read, download or delete; to anyone else it does not exist (404).
mod multipart;

use super::auth::Principal;
use super::error::{ApiError, ApiResult};
use super::state::AppState;
use super::store::Table;
use crate::protocol::upload::{FileBody, quote_param};
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use serde_json::{Value, json};
use std::path::PathBuf;
use tokio::io::AsyncWriteExt;

/// What Govern calls an uploaded file in messages.
const NOUN: &str = "Uploaded file";

/// Bytes of a refused upload still read (and dropped) so that its client, still
/// sending, reads the 413 instead of a broken connection; past it the connection closes.
const DRAIN_CAP: u64 = 256 << 20;

/// Room for the multipart framing around the file in a declared `Content-Length`.
const FRAMING_ALLOWANCE: u64 = 64 << 10;

/// The routes, relative to `/dip/publicapi`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/uploaded-files", post(upload))
        .route("/uploaded-file/{id}", get(describe).delete(delete))
        .route("/uploaded-file/{id}/download", get(download))
}

/// Whether the front must leave this request's body unread (an upload, streamed here).
pub fn streams_body(method: &Method, path: &str) -> bool {
    method == Method::POST
        && ["/dip/publicapi", "/public/api"]
            .iter()
            .any(|api| path.strip_prefix(api) == Some("/uploaded-files"))
}

/// The folder holding the uploaded files' content.
fn folder(st: &AppState) -> PathBuf {
    let mut name = st.store.path().as_os_str().to_os_string();
    name.push(".files");
    PathBuf::from(name)
}

fn too_large(limit: u64) -> ApiError {
    ApiError::too_large(
        StatusCode::PAYLOAD_TOO_LARGE,
        format!(
            "Uploaded file too large: at most {} MiB accepted (see --max-upload-mb)",
            limit >> 20
        ),
    )
}

fn io_error(what: &str, e: std::io::Error) -> ApiError {
    ApiError::internal(format!("cannot {what} the uploaded file: {e}"))
}

/// `POST /uploaded-files`: stores the `file` part; answers its description.
async fn upload(
    State(st): State<AppState>,
    Extension(me): Extension<Principal>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<Json<Value>> {
    let limit = st.limits.max_upload_bytes;
    let text = |name| {
        headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
    };
    let boundary = multipart::boundary(text(header::CONTENT_TYPE).unwrap_or_default())?;
    let mut reader = multipart::Reader::new(body, &boundary);
    let declared = text(header::CONTENT_LENGTH).and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit.saturating_add(FRAMING_ALLOWANCE)) {
        reader.discard(DRAIN_CAP).await;
        return Err(too_large(limit));
    }
    let part = reader.head().await?;
    if part.name != "file" {
        return Err(ApiError::validation(format!(
            "The upload's part must be named \"file\", not {:?}",
            part.name
        )));
    }
    let dir = folder(&st);
    tokio::fs::create_dir_all(&dir)
        .await
        .map_err(|e| io_error("store", e))?;
    let temp = tempfile::Builder::new()
        .prefix(".upload-")
        .tempfile_in(&dir)
        .map_err(|e| io_error("store", e))?;
    let mut out = tokio::fs::File::from_std(
        temp.as_file()
            .try_clone()
            .map_err(|e| io_error("store", e))?,
    );
    let mut size = 0u64;
    // On any early return `temp` is dropped, which deletes it: nothing is stored.
    while let Some(chunk) = reader.next_chunk().await? {
        size += chunk.len() as u64;
        if size > limit {
            drop(out);
            drop(temp);
            reader.discard(DRAIN_CAP).await;
            return Err(too_large(limit));
        }
        out.write_all(&chunk)
            .await
            .map_err(|e| io_error("store", e))?;
    }
    out.flush().await.map_err(|e| io_error("store", e))?;
    drop(out);
    let content_type = part
        .content_type
        .unwrap_or_else(|| "application/octet-stream".into());
    let doc = st
        .store
        .write_async(move |db| {
            let id = format!("uf.{}", db.next_id("uploaded-file")?);
            let doc = json!({
                "id": id,
                "name": part.filename,
                "size": size,
                "contentType": content_type,
                "owner": me.login,
                "uploadDate": super::now_ms(),
            });
            // Named last: a failed write leaves no file under an id.
            db.put(Table::UploadedFiles, &id, &doc)?;
            temp.persist(dir.join(&id))
                .map_err(|e| io_error("store", e.error))?;
            Ok(doc)
        })
        .await?;
    Ok(Json(doc))
}

/// The description of `id`, if `me` may see it; a 404 otherwise.
async fn find(st: &AppState, me: &Principal, id: String) -> ApiResult<Value> {
    let shown = id.clone();
    let doc = st
        .store
        .read_async(move |db| db.get(Table::UploadedFiles, &id))
        .await?
        .ok_or_else(|| ApiError::not_found(NOUN, &shown))?;
    let owns = doc["owner"].as_str() == Some(me.login.as_str());
    if me.admin || me.architect || owns {
        Ok(doc)
    } else {
        Err(ApiError::not_found(NOUN, &shown))
    }
}

/// `GET /uploaded-file/{id}`.
async fn describe(
    State(st): State<AppState>,
    Extension(me): Extension<Principal>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    find(&st, &me, id).await.map(Json)
}

/// `GET /uploaded-file/{id}/download`: the content, streamed from disk.
async fn download(
    State(st): State<AppState>,
    Extension(me): Extension<Principal>,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let doc = find(&st, &me, id.clone()).await?;
    let file = tokio::fs::File::open(folder(&st).join(&id))
        .await
        .map_err(|e| io_error("read", e))?;
    let size = file
        .metadata()
        .await
        .map_err(|e| io_error("read", e))?
        .len();
    let name = quote_param(doc["name"].as_str().unwrap_or_default());
    let disposition =
        HeaderValue::from_bytes(format!("attachment; filename=\"{name}\"").as_bytes())
            .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/octet-stream"),
            ),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CONTENT_LENGTH, HeaderValue::from(size)),
        ],
        Body::new(FileBody::new(file, size)),
    )
        .into_response())
}

/// `DELETE /uploaded-file/{id}`: the description, then the content.
async fn delete(
    State(st): State<AppState>,
    Extension(me): Extension<Principal>,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    find(&st, &me, id.clone()).await?;
    let key = id.clone();
    st.store
        .write_async(move |db| db.delete(Table::UploadedFiles, &key))
        .await?;
    match tokio::fs::remove_file(folder(&st).join(&id)).await {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(io_error("delete", e)),
        _ => Ok(StatusCode::NO_CONTENT),
    }
}
