//! The accept loop: each HTTP/1.1 connection is served by hyper with a header-read
//! timeout, at most [`Limits::max_connections`] are served at once (the next ones get a
//! Govern-style 503 and are closed), and a stop drains the open ones.
//!
//! `axum::serve` offers none of these: a client that opens connections and sends nothing
//! (or a header a byte at a time) could hold file descriptors until the process ran out.
use super::error::ApiError;
use super::limits::Limits;
use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, watch};
use tokio::task::JoinSet;

/// Connections being refused at once; past it new ones are closed at once.
const MAX_REFUSING: usize = 64;

/// Time a refused connection has to send its request head (to read its 503): short, so
/// that connections opened and left idle past the cap free their descriptors quickly.
const REFUSAL_HEAD_TIMEOUT: Duration = Duration::from_secs(1);

/// Serves `app` on `listener` until `stop` ends, then lets each open connection finish
/// its request in flight and closes it. Dropping the returned future closes them all.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: &Limits,
    stop: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let open = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let refusing = Arc::new(Semaphore::new(MAX_REFUSING));
    let refusal = refusal_app(limits.max_connections);
    let (stopping_tx, stopping) = watch::channel(false);
    let mut conns = JoinSet::new();
    tokio::pin!(stop);
    loop {
        tokio::select! {
            _ = &mut stop => break,
            Some(_) = conns.join_next(), if !conns.is_empty() => {}
            accepted = listener.accept() => {
                let tcp = match accepted {
                    Ok((tcp, _)) => tcp,
                    Err(e) => {
                        accept_failed(e).await;
                        continue;
                    }
                };
                let conn = |header_read_timeout| Conn {
                    header_read_timeout,
                    stopping: stopping.clone(),
                };
                if let Ok(permit) = open.clone().try_acquire_owned() {
                    let conn = conn(limits.header_read_timeout);
                    conns.spawn(conn.run(tcp, app.clone(), true, permit));
                } else if let Ok(permit) = refusing.clone().try_acquire_owned() {
                    let conn = conn(REFUSAL_HEAD_TIMEOUT.min(limits.header_read_timeout));
                    conns.spawn(conn.run(tcp, refusal.clone(), false, permit));
                }
                // Else `tcp` is dropped: closed at once rather than queued.
            }
        }
    }
    drop(listener);
    let _ = stopping_tx.send(true);
    while conns.join_next().await.is_some() {}
    Ok(())
}

/// What one connection task needs besides its socket.
struct Conn {
    header_read_timeout: Duration,
    stopping: watch::Receiver<bool>,
}

impl Conn {
    /// Serves one connection until the client closes it, a timeout closes it, or a stop
    /// drains it; `permit` holds its place under the cap meanwhile.
    async fn run(
        mut self,
        tcp: TcpStream,
        app: Router,
        keep_alive: bool,
        permit: OwnedSemaphorePermit,
    ) {
        let service = TowerToHyperService::new(app);
        let mut builder = http1::Builder::new();
        builder
            .timer(TokioTimer::new())
            .header_read_timeout(self.header_read_timeout)
            .keep_alive(keep_alive);
        let conn = builder.serve_connection(TokioIo::new(tcp), service);
        tokio::pin!(conn);
        let mut draining = *self.stopping.borrow();
        if draining {
            conn.as_mut().graceful_shutdown();
        }
        loop {
            tokio::select! {
                result = conn.as_mut() => {
                    if let Err(e) = result {
                        tracing::trace!("sandbox: connection closed: {e}");
                    }
                    break;
                }
                changed = self.stopping.changed(), if !draining => {
                    // A closed channel means the server is gone: drain as well.
                    let _ = changed;
                    draining = true;
                    conn.as_mut().graceful_shutdown();
                }
            }
        }
        drop(permit);
    }
}

/// The app serving connections past the cap: a Govern-style 503 for any request.
fn refusal_app(max_open: usize) -> Router {
    Router::new().fallback(move || async move { too_many_connections(max_open) })
}

fn too_many_connections(max_open: usize) -> Response {
    let mut resp = ApiError::with_status(
        StatusCode::SERVICE_UNAVAILABLE,
        format!(
            "Too many open connections to the sandbox (at most {max_open}): close idle ones or retry later"
        ),
    )
    .into_response();
    resp.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    resp
}

/// Waits a little after a failed accept: out of file descriptors (`EMFILE`) the listener
/// would otherwise fail again at once, in a busy loop.
async fn accept_failed(e: std::io::Error) {
    tracing::debug!("sandbox: accept failed: {e}");
    tokio::time::sleep(Duration::from_millis(50)).await;
}
