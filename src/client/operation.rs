//! Operations: one Python client call, whatever its retries, and the hooks that see it.
//!
//! A binding names the call it serves once ([`Operation`]: the Python name and the ids
//! of its receiver) and attaches it to the client it calls through
//! ([`GovernClient::in_operation`]). The operation travels with that client value, so a
//! task spawned with a clone of it still carries it (a task-local would be lost there).
//!
//! Two levels of hooks, as smithy-rs's interceptors separate them:
//! - [`OperationHook`]s see each request of an operation **once**, as the caller means
//!   it: its retries, and for a POST whose outcome was unknown the reads that verify it
//!   and its re-sending, are inside. `before` may refuse it or answer it without sending
//!   anything (a plan hands the script a planned result); `after` sees its outcome.
//!   Plan, audit, progress and bulk hang here.
//! - [`super::MutationHook`]s see each HTTP attempt of a mutating request.
//!
//! A Python call is one operation, except where it reads before it writes (`save()`
//! reads the fresh document it merges onto): those reads are read operations of the
//! same call, and the read a merge-save is based on is handed to the write as its
//! pre-image ([`GovernClient::note_pre_image`]).
use super::{GovernClient, GovernError, Request, Result};
use serde_json::Value;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

tokio::task_local! {
    static CALL: &'static str;
}

/// Runs `future` as the Python call `call` (e.g. `GovernArtifact.get_definition`), for
/// clients that carry no [`Operation`] (requests and errors made inside take its name).
pub async fn named<F: Future>(call: &'static str, future: F) -> F::Output {
    CALL.scope(call, future).await
}

/// The call [`named`] is serving, or `""` outside it.
pub fn current() -> &'static str {
    CALL.try_with(|c| *c).unwrap_or("")
}

/// One Python client call, carried explicitly by the client that serves it.
#[derive(Debug)]
pub struct Operation {
    /// `Class.method`, as in the Python client.
    pub call: &'static str,
    /// The ids of what the call acts on (its receiver's key), possibly none.
    pub targets: Vec<String>,
    /// The document a later write of this call is based on (see the module docs).
    pre_image: Mutex<Option<Value>>,
    /// When the call was issued, in this process: operations issued in turn get
    /// growing numbers, whatever order concurrent ones reach the server in.
    pub seq: u64,
}

/// The next [`Operation::seq`].
static ISSUED: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

impl Operation {
    /// The call `call` on `targets`.
    pub fn new(call: &'static str, targets: Vec<String>) -> Self {
        Self {
            call,
            targets,
            pre_image: Mutex::new(None),
            seq: ISSUED.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        }
    }
}

/// Whether an operation may change the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpKind {
    /// GETs and read-only POSTs (searches).
    Read,
    /// Everything else.
    Mutate,
}

/// One operation as hooks see it: the call, the request as the caller means it, and
/// the client sending it (hooks may read through it, e.g. the acting identity).
pub struct OperationCall<'a> {
    /// `Class.method`, or `""` when no call was named.
    pub call: &'static str,
    /// Read or mutate.
    pub kind: OpKind,
    /// The request (its first attempt; retries and verification re-send the same).
    pub request: &'a Request,
    /// The ids the call acts on.
    pub targets: &'a [String],
    /// For a write: the document it is based on, when the call read one first.
    pub pre_image: Option<&'a Value>,
    /// The client performing it.
    pub client: &'a GovernClient,
    /// The operation's issue number ([`Operation::seq`]; 0 when no call was named).
    pub seq: u64,
}

/// What an [`OperationHook::before`] decides.
#[derive(Debug)]
pub enum Decision {
    /// Go on (the next hook, then the server).
    Send,
    /// Send nothing: this is the operation's answer (e.g. a planned result).
    Answer(Value),
}

/// How an operation ended, as [`OperationHook::after`] sees it.
#[derive(Debug, Clone, Copy)]
pub enum Outcome<'a> {
    /// A hook answered it: nothing was sent.
    Answered(&'a Value),
    /// It was sent: the server's answer (`null` when it has none) or the error.
    Sent(std::result::Result<&'a Value, &'a GovernError>),
}

/// A boxed future a hook returns (hooks may await, e.g. to read the acting identity).
pub type HookFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Sees every operation once, before and after (see the module docs).
pub trait OperationHook: Send + Sync {
    /// Before anything is sent: an error refuses the operation (nothing is sent, no
    /// `after`), [`Decision::Answer`] answers it without sending.
    fn before<'a>(&'a self, op: &'a OperationCall<'a>) -> HookFuture<'a, Result<Decision>> {
        let _ = op;
        Box::pin(async { Ok(Decision::Send) })
    }

    /// After it ended, whatever its outcome (refused operations excepted).
    fn after<'a>(&'a self, op: &'a OperationCall<'a>, outcome: Outcome<'a>) -> HookFuture<'a, ()> {
        let _ = (op, outcome);
        Box::pin(async {})
    }

    /// Whether this hook plans changes instead of letting them be sent (`run --plan`):
    /// scripts see it as `is_plan()`.
    fn plans(&self) -> bool {
        false
    }
}

/// The operation hooks of a client handle, in order.
#[derive(Clone, Default)]
pub struct OperationHooks(pub Vec<Arc<dyn OperationHook>>);

impl std::fmt::Debug for OperationHooks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "OperationHooks({})", self.0.len())
    }
}

impl GovernClient {
    /// This client, serving the Python call `call` on `targets`: requests and errors
    /// carry the name, and operation hooks see the call and its targets. Clones share
    /// the operation.
    pub fn in_operation(&self, call: &'static str, targets: Vec<String>) -> Self {
        Self {
            inner: self.inner.clone(),
            op: Some(Arc::new(Operation::new(call, targets))),
            hooks: self.hooks.clone(),
        }
    }

    /// The hooks this handle's operations pass through.
    pub fn operation_hooks(&self) -> &OperationHooks {
        &self.hooks
    }

    /// The operation this client serves, if any.
    pub fn operation(&self) -> Option<&Operation> {
        self.op.as_deref()
    }

    /// Hands `document` (what the server held when this call read it) to the call's
    /// next write as its pre-image. Free when no operation hook is installed.
    pub fn note_pre_image(&self, document: &Value) {
        if let Some(op) = &self.op
            && !self.hooks.0.is_empty()
        {
            *op.pre_image.lock().unwrap_or_else(|p| p.into_inner()) = Some(document.clone());
        }
    }

    /// The Python call name requests of this client carry.
    pub(super) fn call_name(&self) -> &'static str {
        self.op.as_ref().map_or_else(current, |op| op.call)
    }

    /// Performs `request` as one operation: the operation hooks run once around
    /// `send`, whatever `send` does (retries, verification, re-sending).
    pub(super) async fn operate<F, Fut>(&self, mut request: Request, send: F) -> Result<Value>
    where
        F: FnOnce(Request) -> Fut,
        Fut: Future<Output = Result<Value>>,
    {
        request.call = self.call_name();
        let hooks = &self.hooks.0;
        if hooks.is_empty() {
            return send(request).await;
        }
        let kind = if request.is_mutating() {
            OpKind::Mutate
        } else {
            OpKind::Read
        };
        let pre_image = match (&self.op, kind) {
            (Some(op), OpKind::Mutate) => op
                .pre_image
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .take(),
            _ => None,
        };
        let view = OperationCall {
            call: request.call,
            kind,
            request: &request,
            targets: self.op.as_ref().map_or(&[], |op| op.targets.as_slice()),
            pre_image: pre_image.as_ref(),
            client: self,
            seq: self.op.as_ref().map_or(0, |op| op.seq),
        };
        for hook in hooks {
            if let Decision::Answer(answer) = hook.before(&view).await? {
                for hook in hooks {
                    hook.after(&view, Outcome::Answered(&answer)).await;
                }
                return Ok(answer);
            }
        }
        let result = send(request.clone()).await;
        let outcome = Outcome::Sent(result.as_ref());
        for hook in hooks {
            hook.after(&view, outcome).await;
        }
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_name_is_seen_inside_and_not_outside() {
        assert_eq!(current(), "");
        assert_eq!(named("A.b", async { current() }).await, "A.b");
    }

    #[tokio::test]
    async fn a_spawned_task_keeps_an_explicit_operation_but_loses_the_task_local() {
        let client = GovernClient::new(super::super::ClientConfig::new("http://127.0.0.1:9", "k"))
            .expect("client")
            .in_operation("A.b", vec!["ar.1".into()]);
        let (explicit, local) = named("A.b", async move {
            tokio::spawn(async move { (client.call_name(), current()) })
                .await
                .expect("task")
        })
        .await;
        assert_eq!((explicit, local), ("A.b", ""));
    }
}
