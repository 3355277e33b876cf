//! Batch calls, beyond Python: `client.get_artifacts(ids)`, `client.get_definitions(ids)`,
//! `client.save_all(definitions)` and `client.bulk_update(query_or_ids, |raw| ..)`.
//!
//! Script logic stays sequential and deterministic; HTTP fans out. Requests run
//! concurrently on the tokio runtime ([`crate::client::batch`]: at most `concurrency`
//! in flight, at most `rate` per second), a closure runs on the script thread in input
//! order, and every call returns a [`BulkReport`] with one outcome per item: one
//! failed item never stops or loses the others. Ctrl-C stops issuing requests; the
//! items not attempted are reported skipped.
mod collect;
mod inputs;
mod options;
mod reads;
pub mod report;
mod save_all;
mod stages;
mod update;

pub use report::BulkReport;

use super::bridge::{RhaiResult, local_error};
use super::client::ScriptClient;
use super::handle::Api;
use super::register::{Register, documenting, wanted};
use crate::client::batch::Throttle;
use inputs::Stop;
use rhai::{
    Array, Dynamic, EvalAltResult, FnPtr, FuncRegistration, Map, Module, NativeCallContext,
    RhaiFunc, Shared,
};
use std::any::TypeId;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// What every batch call sets up: its options, its throttle and its stop switch.
/// The reads of a batch call, as they end, in input order.
type ReadsInOrder =
    tokio::sync::mpsc::Receiver<crate::client::batch::Done<inputs::Input, stages::Read>>;

struct Setup {
    options: options::Options,
    throttle: Arc<Throttle>,
    /// True once Ctrl-C was pressed or the call halted itself.
    stop: Stop,
    halted: Arc<AtomicBool>,
    runtime: tokio::runtime::Handle,
    quiet: bool,
}

impl Setup {
    /// The set-up of `call` on `api` with the options map `options`.
    fn new(call: &'static str, api: &Api, options: &Map) -> RhaiResult<Self> {
        let options = options::parse(call, options)?;
        let cancel = api.bridge.cancel().clone();
        let halted = Arc::new(AtomicBool::new(false));
        let halt = halted.clone();
        Ok(Self {
            throttle: Throttle::new(options.batch),
            options,
            stop: Arc::new(move || cancel.is_cancelled() || halt.load(Ordering::SeqCst)),
            halted,
            runtime: api.bridge.runtime().clone(),
            quiet: api.bridge.quiet(),
        })
    }

    fn runtime(&self) -> &tokio::runtime::Handle {
        &self.runtime
    }

    /// Parses `source` (ids, or a search when `search`) and starts reading its
    /// artifacts, a window ahead: the number of items when known, and the reads as they
    /// end, in input order.
    fn prefetch(
        &self,
        api: &Api,
        call: &'static str,
        source: Dynamic,
        search: bool,
    ) -> RhaiResult<(Option<u64>, ReadsInOrder)> {
        let source = inputs::parse(call, source, search)?;
        let total = source.total();
        let inputs = source.feed(
            &self.runtime,
            &api.client,
            &self.throttle,
            self.stop.clone(),
        );
        let reads = stages::reads(
            &self.runtime,
            inputs,
            &api.client,
            &self.throttle,
            self.options.batch.window(),
            self.stop.clone(),
        );
        Ok((total, reads))
    }

    /// Starts no more requests (the script is ending).
    fn halt(&self) {
        self.halted.store(true, Ordering::SeqCst);
    }
}

/// The message of a closure's error: a thrown value as it was thrown, a Govern error's
/// message, anything else as Rhai words it.
fn error_text(e: &EvalAltResult) -> String {
    match e.unwrap_inner() {
        EvalAltResult::ErrorRuntime(value, _) => match value.read_lock::<super::ScriptError>() {
            Some(error) => error.message.clone(),
            None => value.to_string(),
        },
        other => other.to_string(),
    }
}

/// The body of a registered batch call: the call context and its arguments.
type Body = fn(&NativeCallContext, &mut [&mut Dynamic]) -> RhaiResult<Dynamic>;

/// Registers the method `name` on `GovernClient`, with its `params` (the options
/// map last, which may be left out).
fn register_call(
    module: &mut Module,
    name: &'static str,
    params: &[(&str, TypeId)],
    docs: &'static [&'static str],
    body: Body,
) {
    if !wanted(name) {
        return;
    }
    for n in [params.len() - 1, params.len()] {
        let mut types = vec![TypeId::of::<ScriptClient>()];
        types.extend(params[..n].iter().map(|(_, t)| *t));
        let mut registration = FuncRegistration::new(name).in_global_namespace();
        if documenting() {
            let mut info = vec!["self: GovernClient".to_string()];
            info.extend(params[..n].iter().map(|(p, _)| p.to_string()));
            info.push("BulkReport".into());
            registration = registration.with_params_info(info).with_comments(docs);
        }
        let func = move |ctx: Option<NativeCallContext>, args: &mut [&mut Dynamic]| {
            let ctx = ctx.ok_or_else(|| local_error(name, "called without a context"))?;
            body(&ctx, args)
        };
        registration.set_into_module_raw(
            module,
            types,
            RhaiFunc::Method {
                func: Shared::new(func),
                has_context: true,
                is_pure: true,
                is_volatile: true,
            },
        );
    }
}

/// The receiver's connection.
fn client(args: &[&mut Dynamic]) -> RhaiResult<Api> {
    args.first()
        .and_then(|c| c.read_lock::<ScriptClient>().map(|c| c.api.clone()))
        .ok_or_else(|| local_error("GovernClient", "the receiver is not a GovernClient"))
}

/// The options map at `at` (empty when not given).
fn options_at(args: &mut [&mut Dynamic], at: usize) -> Map {
    args.get_mut(at)
        .map(|v| {
            std::mem::take(&mut **v)
                .try_cast::<Map>()
                .unwrap_or_default()
        })
        .unwrap_or_default()
}

/// The argument at `at`, taken out of `args`.
fn take(args: &mut [&mut Dynamic], at: usize) -> Dynamic {
    args.get_mut(at)
        .map(|v| std::mem::take(&mut **v))
        .unwrap_or_default()
}

/// Registers the batch calls and the `BulkReport` type.
pub fn register(engine: &mut impl Register, module: &mut Module) {
    report::register(engine);
    let options = ("options: Map", TypeId::of::<Map>());
    let ids = ("ids: Array", TypeId::of::<Array>());
    register_call(
        module,
        "get_artifacts",
        &[ids, options],
        &[
            "/// Reads the artifacts of `ids` concurrently (`#{ concurrency: 16, rate: (), label }`):",
            "/// a `BulkReport` whose `values()` are their handles in input order, `()` for one",
            "/// that could not be read (reported failed with Govern's message).",
        ],
        |_, args| {
            let api = client(args)?;
            let (ids, options) = (take(args, 1), options_at(args, 2));
            reads::read_all(&api, ids, &options, reads::Yield::Artifact).map(Dynamic::from)
        },
    );
    register_call(
        module,
        "get_definitions",
        &[ids, options],
        &[
            "/// Reads the definitions of the artifacts `ids` concurrently (options as `get_artifacts`):",
            "/// a `BulkReport` whose `values()` are the `GovernArtifactDefinition`s in input",
            "/// order, `()` for one that could not be read (reported failed).",
        ],
        |_, args| {
            let api = client(args)?;
            let (ids, options) = (take(args, 1), options_at(args, 2));
            reads::read_all(&api, ids, &options, reads::Yield::Definition).map(Dynamic::from)
        },
    );
    register_call(
        module,
        "save_all",
        &[("definitions: Array", TypeId::of::<Array>()), options],
        &[
            "/// Saves the changed definitions concurrently, each as its `save()` would (merged",
            "/// onto a fresh read); unchanged ones are not sent (`unchanged` in the report).",
            "/// Options: `#{ concurrency: 16, rate: (), label }`.",
        ],
        |_, args| {
            let api = client(args)?;
            let definitions = take(args, 1).try_cast::<Array>().unwrap_or_default();
            let options = options_at(args, 2);
            save_all::save_all(&api, &definitions, &options).map(Dynamic::from)
        },
    );
    register_call(
        module,
        "bulk_update",
        &[
            ("query_or_ids: Dynamic", TypeId::of::<Dynamic>()),
            ("f: FnPtr", TypeId::of::<FnPtr>()),
            options,
        ],
        &[
            "/// Edits many artifacts: `client.bulk_update(ids_or_query, |raw| { raw.fields.owner = \"x\"; })`.",
            "/// Reads are prefetched concurrently; `f` runs on each live definition document in",
            "/// input order (return `false` to skip it; a throw fails that item only); changed",
            "/// documents are saved concurrently behind it, unchanged ones not sent. Accepts ids,",
            "/// a GovernArtifactSearchQuery or a GovernArtifactSearchRequest (paged as it goes).",
            "/// Options: `#{ concurrency: 16, rate: (), label }`. Returns a `BulkReport`.",
        ],
        |ctx, args| {
            let api = client(args)?;
            let source = take(args, 1);
            let f = take(args, 2)
                .try_cast::<FnPtr>()
                .ok_or_else(|| local_error("GovernClient.bulk_update", "f must be a function"))?;
            let options = options_at(args, 3);
            update::bulk_update(ctx, &api, source, f, &options).map(Dynamic::from)
        },
    );
}
