//! `client.bulk_update(query_or_ids, |raw| { ... }, #{ concurrency, rate, label })`:
//! reads prefetched concurrently ahead of the closure, the closure run on the script
//! thread in input order (script logic stays sequential), changed documents saved
//! concurrently behind it. Memory stays bounded: a read window, a save queue, and one
//! compact outcome per item.
use super::collect::Collect;
use super::inputs::Input;
use super::report::{BulkReport, Outcome, Values};
use super::stages::{self, Save};
use super::{Setup, error_text};
use crate::bindings::bridge::RhaiResult;
use crate::bindings::handle::Api;
use crate::bindings::json_ref::JsonRef;
use crate::client::batch::Done;
use rhai::{Dynamic, EvalAltResult, FnPtr, Map, NativeCallContext};
use serde_json::Value;

const CALL: &str = "GovernClient.bulk_update";

/// What the closure made of one document.
enum Edit {
    /// It returned `false`: nothing to send.
    Skip,
    /// It threw: the item failed with this message.
    Failed(String),
    /// The document is as it was read.
    Unchanged,
    /// The document to save.
    Changed(Value),
}

/// Runs `f` on a live copy of `doc` (what `get_raw()` gives). Errors that end the
/// whole script (`exit()`, a limit, a stop) are returned, not made an item's failure.
fn edit(ctx: &NativeCallContext, f: &FnPtr, doc: &Value) -> RhaiResult<Edit> {
    let raw = JsonRef::new(doc.clone());
    match f.call_within_context::<Dynamic>(ctx, (Dynamic::from(raw.clone()),)) {
        Ok(answer) if answer.as_bool() == Ok(false) => Ok(Edit::Skip),
        Ok(_) => {
            let edited = raw.snapshot();
            Ok(if &edited == doc {
                Edit::Unchanged
            } else {
                Edit::Changed(edited)
            })
        }
        Err(e) if ends_the_script(&e) => Err(e),
        Err(e) => Ok(Edit::Failed(error_text(&e))),
    }
}

/// Whether `e` stops the script rather than failing one item.
fn ends_the_script(e: &EvalAltResult) -> bool {
    matches!(
        e.unwrap_inner(),
        EvalAltResult::Exit(..)
            | EvalAltResult::ErrorTerminated(..)
            | EvalAltResult::ErrorTooManyOperations(..)
            | EvalAltResult::ErrorStackOverflow(..)
    )
}

/// `client.bulk_update(query_or_ids, f, options)`.
pub fn bulk_update(
    ctx: &NativeCallContext,
    api: &Api,
    source: Dynamic,
    f: FnPtr,
    options: &Map,
) -> RhaiResult<BulkReport> {
    let setup = Setup::new(CALL, api, options)?;
    let runtime = setup.runtime();
    let (total, mut reads) = setup.prefetch(api, CALL, source, true)?;
    let concurrency = setup.options.batch.concurrency;
    let (to_save, saved) = stages::saves(
        runtime,
        &api.client,
        &setup.throttle,
        concurrency,
        setup.stop.clone(),
    );
    let mut collect = Collect::start(&setup.options.label, total, setup.quiet, Some(saved));
    let ignore = &mut |_: usize, _: Value| {};
    let mut fatal = None;
    while let Some(done) = reads.blocking_recv() {
        collect.drain(ignore);
        let (input, read): (Input, _) = match done {
            Done::Skipped(input) => {
                collect.push(input.id, input.line, Some((Outcome::Skipped, None)));
                continue;
            }
            Done::Lost(input, why) => {
                collect.push(input.id, input.line, Some((Outcome::Failed, Some(why))));
                continue;
            }
            Done::Ran(ran) => ran,
        };
        let doc = match read {
            Err(e) => {
                let failed = (Outcome::Failed, Some(e.message()));
                collect.push(input.id, input.line, Some(failed));
                continue;
            }
            // After a stop (or an error ending the script) nothing more is edited.
            Ok(_) if (setup.stop)() || fatal.is_some() => {
                collect.push(input.id, input.line, Some((Outcome::Skipped, None)));
                continue;
            }
            Ok(doc) => doc,
        };
        let end = match edit(ctx, &f, &doc) {
            Ok(Edit::Skip) => (Outcome::Skipped, None),
            Ok(Edit::Failed(_)) if (setup.stop)() => (Outcome::Skipped, None),
            Ok(Edit::Failed(why)) => (Outcome::Failed, Some(why)),
            Ok(Edit::Unchanged) => (Outcome::Unchanged, None),
            Err(e) => {
                // No more reads are started; those under way end as skipped.
                setup.halt();
                fatal = Some(e);
                (Outcome::Skipped, None)
            }
            Ok(Edit::Changed(edited)) => {
                let index = collect.push(input.id.clone(), input.line, None);
                let save = Save {
                    index,
                    id: input.id,
                    doc: edited,
                    base: doc,
                    merge: false,
                };
                if to_save.blocking_send(save).is_err() {
                    let why = "the save could not be started".to_string();
                    collect.end(index, Outcome::Failed, Some(why));
                }
                continue;
            }
        };
        collect.push(input.id, input.line, Some(end));
    }
    drop(to_save);
    let (items, progress) = collect.finish(ignore);
    let report = BulkReport::new("bulk_update", items, Values::Artifacts(api.clone()));
    progress.finish(&report.summary());
    match fatal {
        Some(e) => Err(e),
        None => Ok(report),
    }
}
