//! Fault injection (`--fault-rate`, `--fault-seed`, `--fault-reads`, `--latency`): the
//! sandbox misbehaves as a busy Govern behind a proxy does, so scripts and the client's
//! retry layer can be tested against it.
//!
//! A faulted request gets one of three outcomes, equally likely:
//! - `503` with `Retry-After` (1 s unless `--fault-retry-after`), nothing applied;
//! - the connection dropped *before* the request is applied;
//! - the connection dropped *after* it is applied, before the answer (the client cannot
//!   know whether its change was made).
//!
//! A "dropped connection" is a response whose body fails at once: hyper then closes the
//! connection without sending the buffered head, so the client sees a connection error.
use super::error::ApiError;
use super::state::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::pin::Pin;
use std::sync::Mutex;
use std::task::{Context, Poll};
use std::time::Duration;

/// Fault-injection settings; the default injects nothing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FaultConfig {
    /// Probability (0.0–1.0) that an eligible request is faulted.
    pub rate: f64,
    /// Seed of the fault generator: the same seed and the same sequence of requests give
    /// the same faults. `None` seeds from the OS.
    pub seed: Option<u64>,
    /// Whether reads (GET, HEAD, artifact searches) are faulted too; by default only
    /// mutating requests are.
    pub include_reads: bool,
    /// Delay added to every request.
    pub latency: Duration,
    /// Seconds a faulted 503 asks the client to wait (`Retry-After`).
    pub retry_after_secs: u64,
}

/// What happened to a faulted request (also a response extension, for the request log).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Answered 503 with `Retry-After`, nothing applied.
    Unavailable,
    /// Connection dropped, nothing applied.
    DropBefore,
    /// Applied, then the connection dropped before the answer.
    DropAfter,
}

impl Fault {
    /// Short name used in logs.
    pub fn name(self) -> &'static str {
        match self {
            Fault::Unavailable => "503 with Retry-After",
            Fault::DropBefore => "connection dropped before apply",
            Fault::DropAfter => "connection dropped after apply",
        }
    }
}

/// The running injector: the settings and the seeded generator.
pub struct Injector {
    config: FaultConfig,
    rng: Mutex<StdRng>,
}

impl Injector {
    /// An injector for `config`.
    pub fn new(config: FaultConfig) -> Self {
        let rng = match config.seed {
            Some(s) => StdRng::seed_from_u64(s),
            None => StdRng::from_os_rng(),
        };
        Self {
            config,
            rng: Mutex::new(rng),
        }
    }

    /// Whether this injector ever does anything.
    pub fn active(&self) -> bool {
        self.config.rate > 0.0 || !self.config.latency.is_zero()
    }

    /// Seconds a faulted 503 asks to wait.
    pub fn retry_after_secs(&self) -> u64 {
        self.config.retry_after_secs
    }

    /// Draws the fault for one request (`None` most of the time).
    pub fn draw(&self, method: &Method, path: &str) -> Option<Fault> {
        if self.config.rate <= 0.0 || (!self.config.include_reads && is_read(method, path)) {
            return None;
        }
        let mut rng = self.rng.lock().ok()?;
        if rng.random::<f64>() >= self.config.rate {
            return None;
        }
        Some(match rng.random_range(0..3u8) {
            0 => Fault::Unavailable,
            1 => Fault::DropBefore,
            _ => Fault::DropAfter,
        })
    }
}

/// Reads change nothing: GET, HEAD and the artifact search (a POST).
pub fn is_read(method: &Method, path: &str) -> bool {
    *method == Method::GET || *method == Method::HEAD || path.ends_with("/artifacts/search")
}

/// Middleware applying latency and faults (after authentication, before routing).
pub async fn inject(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let injector = &state.faults;
    if !injector.active() {
        return next.run(req).await;
    }
    if !injector.config.latency.is_zero() {
        tokio::time::sleep(injector.config.latency).await;
    }
    let path = req.uri().path().to_string();
    let Some(fault) = injector.draw(req.method(), &path) else {
        return next.run(req).await;
    };
    tracing::debug!(method = %req.method(), path, fault = fault.name(), "injected fault");
    let mut resp = match fault {
        Fault::Unavailable => {
            let mut r = ApiError::with_status(
                StatusCode::SERVICE_UNAVAILABLE,
                "Service unavailable (fault injected by the sandbox): retry later",
            )
            .into_response();
            r.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from(injector.retry_after_secs()),
            );
            r
        }
        Fault::DropBefore => dropped(),
        Fault::DropAfter => {
            drop(next.run(req).await);
            dropped()
        }
    };
    resp.extensions_mut().insert(fault);
    resp
}

/// A response whose body fails on its first poll, so the connection is closed.
fn dropped() -> Response {
    Response::new(Body::new(FailingBody))
}

/// A body that fails at once.
struct FailingBody;

impl http_body::Body for FailingBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, std::io::Error>>> {
        Poll::Ready(Some(Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionAborted,
            "connection dropped by fault injection",
        ))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(rate: f64, seed: u64) -> FaultConfig {
        FaultConfig {
            rate,
            seed: Some(seed),
            ..FaultConfig::default()
        }
    }

    #[test]
    fn same_seed_same_faults() {
        let draws = |seed| {
            let inj = Injector::new(config(0.5, seed));
            (0..200)
                .map(|_| inj.draw(&Method::PUT, "/dip/publicapi/artifact/ar.1"))
                .collect::<Vec<_>>()
        };
        assert_eq!(draws(7), draws(7));
        assert_ne!(draws(7), draws(8));
        let faulted = draws(7).iter().filter(|f| f.is_some()).count();
        assert!((60..140).contains(&faulted), "{faulted} of 200 at 0.5");
    }

    #[test]
    fn reads_are_spared_unless_asked() {
        let inj = Injector::new(config(1.0, 1));
        assert_eq!(inj.draw(&Method::GET, "/dip/publicapi/artifact/ar.1"), None);
        assert_eq!(
            inj.draw(&Method::POST, "/dip/publicapi/artifacts/search"),
            None
        );
        assert!(
            inj.draw(&Method::DELETE, "/dip/publicapi/artifact/ar.1")
                .is_some()
        );
        let all = Injector::new(FaultConfig {
            include_reads: true,
            ..config(1.0, 1)
        });
        assert!(
            all.draw(&Method::GET, "/dip/publicapi/artifact/ar.1")
                .is_some()
        );
        assert!(!Injector::new(FaultConfig::default()).active());
    }
}
