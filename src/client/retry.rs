//! Retries as one layer: which failures are retried, how long to wait, and a budget
//! that stops retrying when the server is clearly down.
//!
//! Retried: connection failures (the request never left), 429 and 503 (the server
//! says it did not process it), and for reads and idempotent writes (GET, PUT, DELETE)
//! also 502, 504, timeouts and connections dropped mid-answer. A POST whose outcome is
//! unknown is not re-sent here: its client method first reads whether it was applied
//! (see `GovernError::outcome_unknown`). A DELETE answered 404 on a retry after an
//! attempt whose outcome was unknown was done by that attempt: it succeeds.
use super::error::{ErrorKind, GovernError};
use super::request::Request;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// How many times, and how patiently, requests are retried.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    /// Attempts per request, the first included (1: no retries).
    pub max_attempts: u32,
    /// First backoff ceiling; doubled at each attempt (full jitter below it).
    pub base_delay: Duration,
    /// Backoff ceiling.
    pub max_delay: Duration,
    /// Longest `Retry-After` honoured; a longer one fails at once.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(5),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

/// Counts of what a client did, for the run's summary.
#[derive(Debug, Default)]
pub struct ClientStats {
    /// Requests sent (each attempt counts).
    pub requests: AtomicU64,
    /// Attempts after the first.
    pub retries: AtomicU64,
}

impl ClientStats {
    /// `(requests, retries)` so far.
    pub fn snapshot(&self) -> (u64, u64) {
        (
            self.requests.load(Ordering::Relaxed),
            self.retries.load(Ordering::Relaxed),
        )
    }
}

/// A token bucket shared by a client's requests, as the AWS SDKs' standard mode:
/// a retry costs tokens; a success gives back what its retries cost, or one token if
/// it needed none; when the bucket is empty failures are returned at once instead of
/// hammering a server that is down. Occasional faults cost nothing in the end; only
/// retries that keep failing drain it.
#[derive(Debug)]
pub struct RetryBudget {
    tokens: Mutex<u32>,
}

/// Tokens in a full bucket.
const CAPACITY: u32 = 500;
/// Cost of retrying after an error the server answered (503, 429...).
const RETRY_COST: u32 = 5;
/// Cost of retrying after a timeout or a dropped connection.
const TIMEOUT_COST: u32 = 10;

impl Default for RetryBudget {
    fn default() -> Self {
        Self {
            tokens: Mutex::new(CAPACITY),
        }
    }
}

impl RetryBudget {
    /// Takes the cost of one retry after `error`: the tokens taken, or `None` when
    /// the budget is spent.
    pub fn take(&self, error: &GovernError) -> Option<u32> {
        let cost = match error.kind.as_ref() {
            ErrorKind::Timeout { .. } | ErrorKind::Interrupted { .. } => TIMEOUT_COST,
            _ => RETRY_COST,
        };
        let mut tokens = self.tokens.lock().unwrap_or_else(|p| p.into_inner());
        if *tokens < cost {
            return None;
        }
        *tokens -= cost;
        Some(cost)
    }

    /// Gives tokens back after a success: what its retries `spent`, or one.
    pub fn refund(&self, spent: u32) {
        let mut tokens = self.tokens.lock().unwrap_or_else(|p| p.into_inner());
        *tokens = (*tokens + spent.max(1)).min(CAPACITY);
    }
}

/// Whether `error` of `request` may be retried as is.
pub fn retryable(request: &Request, error: &GovernError) -> bool {
    let idempotent = request.method != reqwest::Method::POST || request.read_only;
    match error.kind.as_ref() {
        ErrorKind::Connect { .. } => true,
        ErrorKind::Api { status, .. } => match status {
            429 | 503 => true,
            502 | 504 => idempotent,
            _ => false,
        },
        ErrorKind::Timeout { .. } | ErrorKind::Interrupted { .. } => idempotent,
        _ => false,
    }
}

/// Whether `error` leaves open that the request was applied: the connection broke
/// after sending, it timed out, or a gateway gave up waiting for the server.
pub fn may_have_applied(error: &GovernError) -> bool {
    match error.kind.as_ref() {
        ErrorKind::Timeout { .. } | ErrorKind::Interrupted { .. } => true,
        ErrorKind::Api { status, .. } => matches!(status, 502 | 504),
        _ => false,
    }
}

/// Whether `error` of a retried `request` means an earlier attempt did it: a DELETE
/// answered 404, after an attempt that [`may_have_applied`], was deleted by that one.
pub fn already_deleted(request: &Request, error: &GovernError) -> bool {
    request.method == reqwest::Method::DELETE && error.status() == Some(404)
}

/// How long to wait before attempt `attempt + 1` (1-based `attempt` just failed):
/// the server's `Retry-After` if it gave one, else a random delay below an
/// exponentially growing ceiling ("full jitter"). `None`: the server asks for a wait
/// longer than the policy accepts.
pub fn delay(policy: &RetryPolicy, attempt: u32, error: &GovernError) -> Option<Duration> {
    if let ErrorKind::Api {
        retry_after: Some(secs),
        ..
    } = error.kind.as_ref()
    {
        let wait = Duration::from_secs(*secs);
        return (wait <= policy.max_retry_after).then_some(wait);
    }
    let ceiling = policy
        .base_delay
        .saturating_mul(1 << attempt.saturating_sub(1).min(16))
        .min(policy.max_delay);
    let millis = ceiling.as_millis() as u64;
    Some(Duration::from_millis(rand::random_range(0..=millis)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(status: u16, retry_after: Option<u64>) -> GovernError {
        GovernError {
            call: "T.f".into(),
            request: None,
            kind: Box::new(ErrorKind::Api {
                status,
                error_type: "x".into(),
                message: "m".into(),
                detailed_message: None,
                retry_after,
            }),
        }
    }

    #[test]
    fn posts_are_retried_only_when_the_server_did_not_process_them() {
        let post = Request::post("/x");
        let put = Request::put("/x");
        assert!(retryable(&post, &api(503, None)) && retryable(&post, &api(429, None)));
        assert!(!retryable(&post, &api(502, None)) && retryable(&put, &api(502, None)));
        assert!(!retryable(&put, &api(500, None)) && !retryable(&put, &api(404, None)));
    }

    #[test]
    fn only_a_delete_answered_404_counts_as_done_by_an_earlier_attempt() {
        let timeout = GovernError {
            call: "T.f".into(),
            request: None,
            kind: Box::new(ErrorKind::Timeout {
                host: "h".into(),
                seconds: 1,
            }),
        };
        assert!(may_have_applied(&timeout) && may_have_applied(&api(504, None)));
        assert!(!may_have_applied(&api(503, None)) && !may_have_applied(&api(404, None)));
        assert!(already_deleted(&Request::delete("/x"), &api(404, None)));
        assert!(!already_deleted(&Request::delete("/x"), &api(403, None)));
        assert!(!already_deleted(&Request::put("/x"), &api(404, None)));
    }

    #[test]
    fn retry_after_is_honoured_and_backoff_stays_under_its_ceiling() {
        let policy = RetryPolicy::default();
        assert_eq!(
            delay(&policy, 1, &api(503, Some(2))),
            Some(Duration::from_secs(2))
        );
        assert_eq!(delay(&policy, 1, &api(503, Some(3600))), None);
        for attempt in 1..10 {
            let wait = delay(&policy, attempt, &api(502, None)).expect("a delay");
            assert!(wait <= policy.max_delay);
        }
    }

    #[test]
    fn the_budget_runs_out_and_refills_on_success() {
        let budget = RetryBudget::default();
        let error = api(503, None);
        let granted = (0..1000)
            .take_while(|_| budget.take(&error).is_some())
            .count();
        assert_eq!(granted as u32, CAPACITY / RETRY_COST);
        budget.refund(1);
        assert!(budget.take(&error).is_none(), "one token is not a retry");
        budget.refund(RETRY_COST);
        assert_eq!(budget.take(&error), Some(RETRY_COST));
    }
}
