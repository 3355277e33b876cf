//! HTTP front: path normalisation, request recording, authentication, routing.
use super::auth;
use super::error::ApiError;
use super::routes;
use super::store::Store;
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::Uri;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use std::io::Write;
use std::sync::{Arc, Mutex};

/// Shared server state.
pub struct Inner {
    /// The database.
    pub store: Store,
    /// Request recorder (`--record`).
    pub recorder: Option<Mutex<std::fs::File>>,
}

/// Cheaply clonable handle on [`Inner`].
#[derive(Clone)]
pub struct AppState(pub Arc<Inner>);

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

const MAX_BODY: usize = 64 << 20;

/// The whole application: an outer router whose middleware normalises, records and
/// authenticates before the inner router matches (route-level middleware would run after).
pub fn app(state: AppState) -> Router {
    let api = routes::api();
    let inner = Router::new()
        .nest("/dip/publicapi", api.clone())
        .nest("/public/api", api)
        .fallback(no_route)
        .with_state(state.clone());
    Router::new()
        .fallback_service(inner)
        .layer(middleware::from_fn_with_state(state, front))
}

async fn no_route(uri: Uri) -> ApiError {
    ApiError::not_found("Endpoint", uri.path())
}

async fn front(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let (mut parts, body) = req.into_parts();
    let bytes: Bytes = match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(b) => b,
        Err(_) => {
            return ApiError::validation("Request body unreadable or too large").into_response();
        }
    };
    if let Some(rec) = &state.recorder {
        record(rec, parts.method.as_str(), &parts.uri, &bytes);
    }
    if let Some(uri) = normalize(&parts.uri) {
        parts.uri = uri;
    }
    match auth::authenticate(&state.store, &parts.headers) {
        Ok(p) => {
            parts.extensions.insert(p);
        }
        Err(e) => return e.into_response(),
    }
    let method = parts.method.clone();
    let path = parts.uri.path().to_string();
    let resp = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    govern_shaped(resp, method.as_str(), &path).await
}

/// Rewrites router/extractor errors (plain text or empty, e.g. 405 or a bad path
/// segment) into Govern's JSON error shape; JSON responses pass through.
async fn govern_shaped(resp: Response, method: &str, path: &str) -> Response {
    let status = resp.status();
    let is_json = resp
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if status.as_u16() < 400 || is_json {
        return resp;
    }
    let text = match axum::body::to_bytes(resp.into_body(), MAX_BODY).await {
        Ok(b) => String::from_utf8_lossy(&b).to_string(),
        Err(_) => String::new(),
    };
    let detail = if text.trim().is_empty() {
        format!(
            "{method} {path}: {}",
            status.canonical_reason().unwrap_or("error")
        )
    } else {
        format!("{method} {path}: {text}")
    };
    ApiError::with_status(status, detail).into_response()
}

/// Appends `{"method","target","body"}`: never headers, so never keys.
fn record(rec: &Mutex<std::fs::File>, method: &str, uri: &Uri, body: &[u8]) {
    let target = uri
        .path_and_query()
        .map_or_else(|| uri.path().to_string(), |pq| pq.as_str().to_string());
    let line = serde_json::json!({
        "method": method,
        "target": target,
        "body": String::from_utf8_lossy(body),
    });
    if let Ok(mut f) = rec.lock() {
        let _ = writeln!(f, "{line}");
    }
}

/// Collapses repeated slashes and drops a trailing slash; `None` if already normal.
pub fn normalize(uri: &Uri) -> Option<Uri> {
    let path = uri.path();
    let mut clean = String::with_capacity(path.len());
    for c in path.chars() {
        if c == '/' && clean.ends_with('/') {
            continue;
        }
        clean.push(c);
    }
    if clean.len() > 1 && clean.ends_with('/') {
        clean.pop();
    }
    if clean.is_empty() {
        clean.push('/');
    }
    if clean == path {
        return None;
    }
    let target = match uri.query() {
        Some(q) => format!("{clean}?{q}"),
        None => clean,
    };
    target.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn collapses_and_trims() {
        let u: axum::http::Uri = "//dip/publicapi//admin//iam/x/?a=1".parse().unwrap();
        assert_eq!(
            normalize(&u).unwrap().to_string(),
            "/dip/publicapi/admin/iam/x?a=1"
        );
        let ok: axum::http::Uri = "/dip/publicapi/blueprints".parse().unwrap();
        assert!(normalize(&ok).is_none());
    }
}
