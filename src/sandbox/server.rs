//! HTTP front: size limits, authentication before any body is read, path normalisation,
//! request recording and logging, fault injection, routing.
use super::auth;
use super::error::ApiError;
use super::faults::{self, Fault};
use super::routes;
use super::state::AppState;
use super::store;
use axum::Router;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::Uri;
use axum::http::request::Parts;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use std::time::Instant;

/// Cap on an error body rewritten by [`govern_shaped`] (router and extractor messages).
const MAX_ERROR_BODY: usize = 64 << 10;

/// The whole application: an outer router whose middleware checks, authenticates, records
/// and injects faults before the inner router matches (route-level middleware would run
/// after). The body cap is the front's own, so axum's default one is off.
pub fn app(state: AppState) -> Router {
    let api = routes::api();
    let inner = Router::new()
        .nest("/dip/publicapi", api.clone())
        .nest("/public/api", api)
        .fallback(no_route)
        .with_state(state.clone());
    Router::new()
        .fallback_service(inner)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            faults::inject,
        ))
        .layer(middleware::from_fn_with_state(state, front))
        .layer(DefaultBodyLimit::disable())
}

async fn no_route(uri: Uri) -> ApiError {
    ApiError::not_found("Endpoint", uri.path())
}

async fn front(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let (mut parts, body) = req.into_parts();
    let resp = match admit(&state, &mut parts, body).await {
        Ok(req) => {
            let resp = next.run(req).await;
            govern_shaped(resp, parts.method.as_str(), parts.uri.path()).await
        }
        Err(e) => e.into_response(),
    };
    if state.log_requests && tracing::enabled!(tracing::Level::DEBUG) {
        let ms = started.elapsed().as_millis();
        let shown = shown(&state, &parts.uri).await;
        let (method, path) = (&parts.method, shown.path());
        match resp.extensions().get::<Fault>() {
            Some(f) => tracing::debug!(
                "sandbox: {method} {path} -> {} ({ms} ms, injected)",
                f.name()
            ),
            None => tracing::debug!("sandbox: {method} {path} -> {} ({ms} ms)", resp.status()),
        }
    }
    resp
}

/// Checks the head, authenticates, then (only then) reads the body within its cap.
/// Leaves `parts` describing the request (normalised path) for the log.
async fn admit(state: &AppState, parts: &mut Parts, body: Body) -> Result<Request, ApiError> {
    let method = parts.method.clone();
    // The target as `--record` keeps it, masked once, only when recording.
    let recorded = match &state.recorder {
        Some(rec) => Some((rec, shown(state, &parts.uri).await)),
        None => None,
    };
    let refuse = |e: ApiError| {
        if let Some((rec, target)) = &recorded {
            rec.record(method.as_str(), target, b"", Some(e.status.as_u16()));
        }
        e
    };
    state.limits.check_head(parts).map_err(refuse)?;
    if let Some(uri) = normalize(&parts.uri) {
        parts.uri = uri;
    }
    let (store, headers) = (state.store.clone(), parts.headers.clone());
    let identity = store::blocking(move || auth::identify(&store, &headers))
        .await
        .map_err(refuse)?;
    // An upload streams to disk under its own limit: its body is not read here.
    let body = if super::files::streams_body(&parts.method, parts.uri.path()) {
        if let Some((rec, target)) = &recorded {
            rec.record(
                method.as_str(),
                target,
                b"(file upload, not recorded)",
                None,
            );
        }
        body
    } else {
        let bytes = state.limits.read_body(parts, body).await.map_err(refuse)?;
        if let Some((rec, target)) = &recorded {
            rec.record(method.as_str(), target, &bytes, None);
        }
        Body::from(bytes)
    };
    let mut forward = Request::new(body);
    *forward.method_mut() = parts.method.clone();
    *forward.uri_mut() = parts.uri.clone();
    *forward.version_mut() = parts.version;
    *forward.headers_mut() = parts.headers.clone();
    *forward.extensions_mut() = std::mem::take(&mut parts.extensions);
    forward.extensions_mut().insert(identity.me);
    if let Some(via) = identity.via {
        forward.extensions_mut().insert(via);
    }
    Ok(forward)
}

/// `uri` as the request log and `--record` show it: with the API keys in it masked
/// (see [`auth::mask_keys`]), or only `/***` if the database cannot tell. The key
/// lookups run on the blocking pool, as every database read.
async fn shown(state: &AppState, uri: &Uri) -> Uri {
    let target = uri
        .path_and_query()
        .map_or_else(|| uri.path().to_string(), |pq| pq.as_str().to_string());
    state
        .store
        .read_async(move |db| Ok(auth::mask_keys(db, &target)))
        .await
        .ok()
        .and_then(|t| t.parse().ok())
        .unwrap_or_else(|| Uri::from_static("/***"))
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
    let text = match axum::body::to_bytes(resp.into_body(), MAX_ERROR_BODY).await {
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
