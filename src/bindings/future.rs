//! `GovernFuture`: a long task on the instance (user resync, external users and groups,
//! provisioning), and `GovernClient.list_futures()` / `get_future()`.
//!
//! As in Python, a future remembers the last state it read (`state`, `state_is_peek`),
//! shared by every copy of it in the script. `wait_for_result()` polls with Python's
//! back-off (200 ms, ×1.1 per poll, at most 15 s), each sleep stopped at once by
//! Ctrl-C or `--script-timeout`; unlike Python, which polls forever, it fails when the
//! task ended without a result.
use super::arg::JsonArray;
use super::bridge::RhaiResult;
use super::bridge::local_error;
use super::call::{Call, Object};
use super::client::ScriptClient;
use super::convert::to_dynamic;
use super::convert::to_json;
use super::def::prop;
use super::handle::Handle;
use super::kind::kinds;
use super::kinds::GovernClient;
use super::method::methods;
use super::register::Register;
use crate::protocol::PathKey;
use rhai::{Array, Dynamic, FuncRegistration, Map, Module, Shared};
use serde_json::Value;
use std::fmt;
use std::sync::OnceLock;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// First wait of `wait_for_result()` (Python's `_ExponentialBackoff`).
const FIRST_WAIT: Duration = Duration::from_millis(200);
/// Longest wait between two polls.
const LONGEST_WAIT: Duration = Duration::from_secs(15);
/// Growth of the wait per poll.
const GROWTH: f64 = 1.1;

/// What a future knows of its task: the last state read, and whether it was peeked.
#[derive(Debug, Default)]
struct Known {
    state: Option<Value>,
    peek: bool,
}

/// Identifies a future (its job id, `None` when the start answer had none) and holds
/// what it last read, shared by its copies.
#[derive(Debug, Clone)]
pub struct FutureKey {
    job_id: Option<String>,
    known: Arc<Mutex<Known>>,
}

impl FutureKey {
    /// A future of `job_id`, knowing `state` (Python's `state_is_peek` starts true).
    pub fn new(job_id: Option<String>, state: Option<Value>) -> Self {
        Self {
            job_id,
            known: Arc::new(Mutex::new(Known { state, peek: true })),
        }
    }

    /// A future from the answer of a call that started a task.
    pub fn from_resp(resp: Value) -> Self {
        let job_id = resp
            .get("jobId")
            .and_then(Value::as_str)
            .map(str::to_string);
        Self::new(job_id, Some(resp))
    }

    fn known(&self) -> std::sync::MutexGuard<'_, Known> {
        self.known.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Whether the last state read has `hasResult: true`.
    fn has_result(&self) -> bool {
        self.known()
            .state
            .as_ref()
            .is_some_and(|s| s["hasResult"] == true)
    }

    /// The result of the last state read (`()` when it has none).
    fn result(&self) -> Dynamic {
        self.known()
            .state
            .as_ref()
            .and_then(|s| s.get("result"))
            .map_or(Dynamic::UNIT, to_dynamic)
    }
}

impl PartialEq for FutureKey {
    fn eq(&self, other: &Self) -> bool {
        self.job_id == other.job_id
    }
}

impl fmt::Display for FutureKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.job_id.as_deref().unwrap_or("None"))
    }
}

impl PathKey for FutureKey {
    fn parts(&self) -> Vec<&str> {
        self.job_id.iter().map(String::as_str).collect()
    }
}

kinds! {
    /// A long task on the instance: poll it (`get_state()`, `wait_for_result()`) or
    /// abort it.
    GovernFuture: Handle<FutureKey>;
}

type Future = Handle<GovernFuture>;

/// The job id, or a local error for a future without one.
fn job_id(f: &Call<'_, Future>) -> RhaiResult<String> {
    f.key
        .job_id
        .clone()
        .ok_or_else(|| f.fail("this future has no job id (the start answer carried none)"))
}

/// Reads the state (`peek`: without the result), remembers it and returns it.
fn read_state(f: &Call<'_, Future>, peek: bool) -> RhaiResult<Value> {
    let id = job_id(f)?;
    let state = f.run(f.client().get_future_state(&id, peek))?;
    *f.key.known() = Known {
        state: Some(state.clone()),
        peek,
    };
    Ok(state)
}

/// Waits for the task's result (unless the state known has it) and returns it.
fn wait(f: &Call<'_, Future>) -> RhaiResult<Dynamic> {
    if f.key.has_result() {
        return Ok(f.key.result());
    }
    read_state(f, false)?;
    let mut wait = FIRST_WAIT;
    while !f.key.has_result() {
        let ended = f
            .key
            .known()
            .state
            .as_ref()
            .is_some_and(|s| s["alive"] == false);
        if ended {
            return Err(f.fail("the task ended without a result (was it aborted?)"));
        }
        f.run(async move {
            tokio::time::sleep(wait).await;
            Ok(())
        })?;
        wait = wait.mul_f64(GROWTH).min(LONGEST_WAIT);
        read_state(f, false)?;
    }
    Ok(f.key.result())
}

/// A future handle on the answer of a call that started a task.
pub fn started<R: Object>(c: &Call<'_, R>, resp: Value) -> Future {
    c.handle::<GovernFuture>(FutureKey::from_resp(resp))
}

/// Registers `GovernFuture` and the client's future methods.
pub fn register(engine: &mut impl Register, module: &mut Module) {
    register_types(engine);
    prop(
        engine,
        "job_id",
        "The task's job id, or `()` (Python's `job_id`).",
        |f: &mut Future| f.key.job_id.clone().map_or(Dynamic::UNIT, Dynamic::from),
    );
    prop(
        engine,
        "state",
        "The state last read (`hasResult`, `result`, ...), or `()` (Python's `state`).",
        |f: &mut Future| {
            f.key
                .known()
                .state
                .as_ref()
                .map_or(Dynamic::UNIT, to_dynamic)
        },
    );
    prop(
        engine,
        "result_wrapper",
        "Python's function applied to the result: always `()` here (the result is returned as read).",
        |_: &mut Future| Dynamic::UNIT,
    );
    prop(
        engine,
        "state_is_peek",
        "Whether the state last read was peeked, without the result (Python's `state_is_peek`).",
        |f: &mut Future| f.key.known().peek,
    );

    methods! { module; Handle<GovernClient> as c {
        /// Lists the long tasks of this identity (`all_users`: everyone's, admin only):
        /// states as maps, or `GovernFuture`s with `as_objects`.
        fn list_futures(; as_objects: bool = false, all_users: bool = false) -> Array {
            let states = c.run(c.client().list_futures(all_users))?;
            Ok(states
                .into_iter()
                .map(|state| if as_objects {
                    Dynamic::from(started(c, state))
                } else {
                    to_dynamic(&state)
                })
                .collect())
        }
        /// A handle on the long task `job_id` (no request).
        fn get_future(job_id: String) -> Future {
            Ok(c.handle(FutureKey::new(Some(job_id), None)))
        }
        /// Starts a resync of these users from their external source; returns the task.
        fn start_resync_users_from_supplier(logins: JsonArray) -> Future {
            Ok(started(c, c.run(c.client().start_resync_users(Some(logins.0)))?))
        }
        /// Starts a resync of every user from the external sources; returns the task.
        fn start_resync_all_users_from_supplier() -> Future {
            Ok(started(c, c.run(c.client().start_resync_users(None))?))
        }
        /// Starts fetching the groups of a user source (`LDAP`, `AZURE_AD`, `CUSTOM`);
        /// the task's result is the list of group names.
        fn start_fetch_external_groups(user_source_type: String) -> Future {
            Ok(started(c, c.run(c.client().start_fetch_external_groups(&user_source_type))?))
        }
        /// Starts fetching the users of a user source, filtered by `login` or `email`
        /// (exact match), else by `group_name`; the result lists the users.
        fn start_fetch_external_users(user_source_type: String; login: Option<String> = None,
                                      email: Option<String> = None,
                                      group_name: Option<String> = None) -> Future {
            let answer = c.run(c.client().start_fetch_external_users(
                &user_source_type, login, email, group_name,
            ))?;
            Ok(started(c, answer))
        }
        /// Starts provisioning users (their attributes from the source) from a user source.
        fn start_provision_users(user_source_type: String, users: JsonArray) -> Future {
            Ok(started(c, c.run(c.client().start_provision_users(&user_source_type, users.0))?))
        }
    }}

    methods! { module; Handle<GovernFuture> as f {
        /// Aborts the task.
        fn abort() -> () {
            let id = job_id(f)?;
            f.run(f.client().abort_future(&id))
        }
        /// Reads the task's state, with its result when ready.
        fn get_state() -> Dynamic {
            Ok(to_dynamic(&read_state(f, false)?))
        }
        /// Reads the task's state without its result.
        fn peek_state() -> Dynamic {
            Ok(to_dynamic(&read_state(f, true)?))
        }
        /// The task's result; fails if it is not ready (reads the state first unless the
        /// last one read has the result).
        fn get_result() -> Dynamic {
            if !f.key.has_result() || f.key.known().peek {
                read_state(f, false)?;
            }
            if f.key.has_result() {
                Ok(f.key.result())
            } else {
                Err(f.fail("Result not ready"))
            }
        }
        /// Whether the task completed with a result (reads the state unless known).
        fn has_result() -> bool {
            if !f.key.has_result() {
                read_state(f, false)?;
            }
            Ok(f.key.has_result())
        }
        /// Waits for the task's result and returns it, polling with back-off; Ctrl-C
        /// and `--script-timeout` stop the wait.
        fn wait_for_result() -> Dynamic {
            wait(f)
        }
    }}
}

/// `GovernFuture::from_resp(client, resp)`: Python's static constructor, a future on
/// the answer of a call that started a task (its `jobId`, the answer as its state).
fn static_from_resp(client: ScriptClient, resp: Map) -> RhaiResult<Future> {
    let resp = to_json(&Dynamic::from(resp)).map_err(|m| local_error(FROM_RESP, m))?;
    Ok(Handle::new(&client.api, FutureKey::from_resp(resp)))
}

const FROM_RESP: &str = "GovernFuture.from_resp";
const WAIT_IF_NEEDED: &str = "GovernFuture.get_result_wait_if_needed";

/// `GovernFuture::get_result_wait_if_needed(client, ret)`: the result of an answer
/// that may have started a task: waits for the task when `ret` has a `jobId`, else
/// gives `ret.result`.
fn static_wait_if_needed(client: ScriptClient, ret: Map) -> RhaiResult<Dynamic> {
    if !ret.contains_key("jobId") {
        return Ok(ret.get("result").cloned().unwrap_or(Dynamic::UNIT));
    }
    let resp = to_json(&Dynamic::from(ret)).map_err(|m| local_error(WAIT_IF_NEEDED, m))?;
    let future: Future = Handle::new(&client.api, FutureKey::from_resp(resp));
    wait(&Call::new(&future, WAIT_IF_NEEDED))
}

/// The static module `GovernFuture` (Python's static members: `GovernFuture::from_resp`,
/// `GovernFuture::get_result_wait_if_needed`), built once per process.
pub fn statics() -> Shared<Module> {
    static STATICS: OnceLock<Shared<Module>> = OnceLock::new();
    STATICS
        .get_or_init(|| {
            let mut m = Module::new();
            FuncRegistration::new("from_resp")
                .with_params_info(["client: GovernClient", "resp: Map", "GovernFuture"])
                .with_comments([
                    "/// A future on the answer of a call that started a task (Python's static",
                    "/// `GovernFuture.from_resp`; no `result_wrapper`: results are returned as read).",
                ])
                .set_into_module(&mut m, static_from_resp);
            FuncRegistration::new("get_result_wait_if_needed")
                .with_params_info(["client: GovernClient", "ret: Map", "?"])
                .with_comments([
                    "/// The result of an answer that may have started a task: waits for the task",
                    "/// when `ret` has a `jobId`, else gives `ret.result`.",
                ])
                .set_into_module(&mut m, static_wait_if_needed);
            m.into()
        })
        .clone()
}
