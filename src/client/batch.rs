//! Many requests at once, bounded: at most `concurrency` in flight, at most `rate`
//! started per second, results in input order. The batch calls of the bindings
//! (`get_definitions`, `save_all`, `bulk_update`) are built on it; it knows nothing of
//! Rhai.
//!
//! - [`Throttle`] admits one request at a time: a slot among `concurrency` (a
//!   semaphore), then its turn under the rate (requests spaced `1/rate` apart, the
//!   caller asleep until then: no busy wait).
//! - [`ordered`] runs a piece of work per input as inputs arrive, at most `window`
//!   ahead of the consumer, and hands the results on in input order; once `stop()`
//!   says so, it starts no more work and hands the remaining inputs back as skipped.
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc};
use tokio::time::Instant;

/// Concurrency used when a batch call is given none: 16 requests in flight, which
/// keeps a Govern node 20 ms away busy (a bulk update of 5,000 artifacts runs about
/// 20 times faster than the Python client's loop, BENCHMARKS.md) while staying well
/// below what one node serves; `concurrency` and `rate` lower it.
pub const DEFAULT_CONCURRENCY: usize = 16;

/// Most requests in flight a batch call accepts (a typo such as `concurrency: 10000`
/// should not open ten thousand connections).
pub const MAX_CONCURRENCY: usize = 256;

/// How a batch call may load the server.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BatchOptions {
    /// Requests in flight at most.
    pub concurrency: usize,
    /// Requests started per second at most, if limited.
    pub rate: Option<f64>,
}

impl Default for BatchOptions {
    fn default() -> Self {
        Self {
            concurrency: DEFAULT_CONCURRENCY,
            rate: None,
        }
    }
}

impl BatchOptions {
    /// How many inputs are read ahead of their consumer: two per slot, so that each
    /// slot has its next request ready while the consumer works.
    pub fn window(&self) -> usize {
        self.concurrency.saturating_mul(2).max(1)
    }
}

/// Admits requests: a slot among `concurrency`, then a turn under the rate limit.
#[derive(Debug)]
pub struct Throttle {
    slots: Arc<Semaphore>,
    pacer: Option<Pacer>,
}

/// Spaces requests `interval` apart: each takes the next free instant.
#[derive(Debug)]
struct Pacer {
    interval: Duration,
    next: Mutex<Instant>,
}

impl Pacer {
    /// Waits for this request's turn.
    async fn wait(&self) {
        let turn = {
            let mut next = self.next.lock().unwrap_or_else(|p| p.into_inner());
            let turn = (*next).max(Instant::now());
            *next = turn + self.interval;
            turn
        };
        tokio::time::sleep_until(turn).await;
    }
}

impl Throttle {
    /// A throttle for `options` (a concurrency of 0 counts as 1; a rate that is not a
    /// positive number as none).
    pub fn new(options: BatchOptions) -> Arc<Self> {
        let pacer = options
            .rate
            .filter(|r| r.is_finite() && *r > 0.0)
            .map(|rate| Pacer {
                interval: Duration::from_secs_f64(1.0 / rate),
                next: Mutex::new(Instant::now()),
            });
        Arc::new(Self {
            slots: Arc::new(Semaphore::new(
                options.concurrency.clamp(1, MAX_CONCURRENCY),
            )),
            pacer,
        })
    }

    /// Waits for a slot and a turn; the request holds the permit while in flight.
    pub async fn admit(&self) -> OwnedSemaphorePermit {
        let permit = self
            .slots
            .clone()
            .acquire_owned()
            .await
            .expect("the throttle's semaphore is never closed");
        self.pace().await;
        permit
    }

    /// Waits for a turn under the rate only (a second request of an admitted one).
    pub async fn pace(&self) {
        if let Some(pacer) = &self.pacer {
            pacer.wait().await;
        }
    }

    /// Runs `request` once admitted.
    pub async fn run<F: Future>(&self, request: F) -> F::Output {
        let _permit = self.admit().await;
        request.await
    }
}

/// What [`ordered`] hands on for one input.
#[derive(Debug)]
pub enum Done<T, R> {
    /// The work ran: its result.
    Ran(R),
    /// No work was started for the input (a stop was asked for).
    Skipped(T),
    /// The work panicked (a bug): the input and the panic's message.
    Lost(T, String),
}

/// What the loop of [`ordered`] waits for.
enum Event<T, R> {
    /// The next input, or `None` once there are no more.
    Input(Option<T>),
    /// The oldest work in flight ended.
    Finished(Result<R, tokio::task::JoinError>),
}

/// Runs `work` on each input received from `inputs` on `runtime`, each in a task of
/// its own, at most `window` started ahead of the one the consumer waits for; the
/// results come out of the returned channel in input order. Once `stop()` is true no
/// more work starts: the inputs still to come are handed on as [`Done::Skipped`].
pub fn ordered<T, R, W, Fut>(
    runtime: &tokio::runtime::Handle,
    mut inputs: mpsc::Receiver<T>,
    window: usize,
    work: W,
    stop: Arc<dyn Fn() -> bool + Send + Sync>,
) -> mpsc::Receiver<Done<T, R>>
where
    T: Clone + Send + 'static,
    R: Send + 'static,
    W: Fn(T) -> Fut + Send + 'static,
    Fut: Future<Output = R> + Send + 'static,
{
    let window = window.max(1);
    let (out, results) = mpsc::channel(window);
    let spawner = runtime.clone();
    runtime.spawn(async move {
        let mut pending: std::collections::VecDeque<(T, tokio::task::JoinHandle<R>)> =
            std::collections::VecDeque::with_capacity(window);
        let mut more = true;
        loop {
            // Keep the window full while inputs come; hand the oldest on when done.
            let room = more && pending.len() < window;
            let busy = !pending.is_empty();
            let oldest = async {
                match pending.front_mut() {
                    Some((_, task)) => Some(task.await),
                    None => None,
                }
            };
            let event = tokio::select! {
                biased;
                input = inputs.recv(), if room => Event::Input(input),
                Some(finished) = oldest, if busy => Event::Finished(finished),
                else => break,
            };
            let done = match event {
                Event::Input(None) => {
                    more = false;
                    continue;
                }
                Event::Input(Some(input)) if stop() => Done::Skipped(input),
                Event::Input(Some(input)) => {
                    let task = spawner.spawn(work(input.clone()));
                    pending.push_back((input, task));
                    continue;
                }
                Event::Finished(finished) => {
                    let Some((input, _)) = pending.pop_front() else {
                        break;
                    };
                    match finished {
                        Ok(result) => Done::Ran(result),
                        Err(e) => Done::Lost(input, e.to_string()),
                    }
                }
            };
            if out.send(done).await.is_err() {
                // The consumer is gone: nothing more to hand on.
                return;
            }
        }
    });
    results
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime")
    }

    fn feed(items: Vec<usize>) -> mpsc::Receiver<usize> {
        let (tx, rx) = mpsc::channel(items.len().max(1));
        for i in items {
            tx.try_send(i).expect("room");
        }
        rx
    }

    #[test]
    fn results_keep_input_order_when_later_work_finishes_first() {
        let rt = runtime();
        let never = Arc::new(|| false);
        let mut out = ordered(
            rt.handle(),
            feed((0..20).collect()),
            6,
            |i: usize| async move {
                // Earlier inputs take longer.
                tokio::time::sleep(Duration::from_millis((20 - i as u64) * 2)).await;
                i * 10
            },
            never,
        );
        let got: Vec<usize> = std::iter::from_fn(|| out.blocking_recv())
            .map(|d| match d {
                Done::Ran(r) => r,
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(got, (0..20).map(|i| i * 10).collect::<Vec<_>>());
    }

    #[test]
    fn no_more_than_the_concurrency_is_in_flight() {
        let rt = runtime();
        let throttle = Throttle::new(BatchOptions {
            concurrency: 3,
            rate: None,
        });
        let (now, peak) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let (n, p) = (now.clone(), peak.clone());
        let mut out = ordered(
            rt.handle(),
            feed((0..30).collect()),
            10,
            move |i: usize| {
                let (t, n, p) = (throttle.clone(), n.clone(), p.clone());
                async move {
                    t.run(async {
                        let inside = n.fetch_add(1, Ordering::SeqCst) + 1;
                        p.fetch_max(inside, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(3)).await;
                        n.fetch_sub(1, Ordering::SeqCst);
                    })
                    .await;
                    i
                }
            },
            Arc::new(|| false),
        );
        let count = std::iter::from_fn(|| out.blocking_recv()).count();
        assert_eq!(count, 30);
        assert_eq!(peak.load(Ordering::SeqCst), 3);
    }

    #[test]
    fn a_stop_skips_the_inputs_not_started() {
        let rt = runtime();
        let started = Arc::new(AtomicUsize::new(0));
        let s = started.clone();
        let stop_after = started.clone();
        let mut out = ordered(
            rt.handle(),
            feed((0..50).collect()),
            1,
            move |i: usize| {
                s.fetch_add(1, Ordering::SeqCst);
                async move { i }
            },
            Arc::new(move || stop_after.load(Ordering::SeqCst) >= 5),
        );
        let done: Vec<Done<usize, usize>> = std::iter::from_fn(|| out.blocking_recv()).collect();
        assert_eq!(done.len(), 50, "every input is handed on");
        let ran = done.iter().filter(|d| matches!(d, Done::Ran(_))).count();
        assert_eq!(ran, 5);
        assert!(matches!(done[49], Done::Skipped(49)));
    }

    #[test]
    fn the_rate_spaces_requests() {
        let rt = runtime();
        let throttle = Throttle::new(BatchOptions {
            concurrency: 8,
            rate: Some(100.0),
        });
        let started = std::time::Instant::now();
        rt.block_on(async {
            for _ in 0..11 {
                throttle.run(async {}).await;
            }
        });
        // 11 requests at 100/s: the last starts 100 ms after the first, at the earliest.
        assert!(started.elapsed() >= Duration::from_millis(100));
    }
}
