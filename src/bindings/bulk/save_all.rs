//! `client.save_all(definitions)`: concurrent saves of the changed definitions only
//! (an unchanged one is not sent). Each is saved as its own `save()` would: merged
//! three-way onto a fresh read (unless `--no-conflict-check`), and the server's answer
//! becomes the document, so a second `save_all` sends nothing.
use super::Setup;
use super::collect::Collect;
use super::report::{BulkReport, Outcome, Values};
use super::stages::{self, Save};
use crate::bindings::bridge::{RhaiResult, local_error};
use crate::bindings::handle::{Api, Document};
use crate::bindings::kinds::GovernArtifactDefinition;
use rhai::{Array, Dynamic, Map};
use std::collections::HashMap;
use std::sync::Arc;

const CALL: &str = "GovernClient.save_all";

type Definition = Document<GovernArtifactDefinition>;

/// The definitions of `array`, or an error naming the first item that is none.
fn definitions(array: &Array) -> RhaiResult<Vec<Definition>> {
    array
        .iter()
        .enumerate()
        .map(|(i, value)| {
            value
                .read_lock::<Definition>()
                .map(|d| d.clone())
                .ok_or_else(|| {
                    local_error(
                        CALL,
                        format!(
                            "item {i} must be a GovernArtifactDefinition, not {}",
                            value.type_name()
                        ),
                    )
                })
        })
        .collect()
}

/// `client.save_all(definitions, options)`.
pub fn save_all(api: &Api, array: &Array, options: &Map) -> RhaiResult<BulkReport> {
    let setup = Setup::new(CALL, api, options)?;
    let docs = definitions(array)?;
    let runtime = setup.runtime();
    let (to_save, saved) = stages::saves(
        runtime,
        &api.client,
        &setup.throttle,
        setup.options.batch.concurrency,
        setup.stop.clone(),
    );
    let total = Some(docs.len() as u64);
    let mut collect = Collect::start(&setup.options.label, total, setup.quiet, Some(saved));
    let merge = api.client.checks_conflicts();
    let mut first_at: HashMap<&str, usize> = HashMap::new();
    for (index, doc) in docs.iter().enumerate() {
        let id = doc.key.clone();
        if let Some(first) = first_at.insert(&doc.key, index) {
            let why = format!("{id} is listed twice (first as item {first})");
            collect.push(id, None, Some((Outcome::Failed, Some(why))));
            continue;
        }
        let (raw, base) = (doc.raw.snapshot(), doc.base.snapshot());
        if raw == base {
            collect.push(id, None, Some((Outcome::Unchanged, None)));
            continue;
        }
        collect.push(id.clone(), None, None);
        let save = Save {
            index,
            id,
            doc: raw,
            base,
            merge,
        };
        if to_save.blocking_send(save).is_err() {
            let why = "the save could not be started".to_string();
            collect.end(index, Outcome::Failed, Some(why));
        }
    }
    drop(to_save);
    // As after `save()`: the server's answer becomes the document.
    let (items, progress) = collect.finish(&mut |index, saved| {
        if let Some(doc) = docs.get(index) {
            doc.base.replace(saved.clone());
            doc.raw.replace(saved);
        }
    });
    let values = items
        .iter()
        .zip(&docs)
        .map(|(item, doc)| match item.outcome {
            Outcome::Failed => Dynamic::UNIT,
            _ => Dynamic::from(doc.clone()),
        })
        .collect();
    let report = BulkReport::new("save_all", items, Values::Kept(Arc::new(values)));
    progress.finish(&report.summary());
    Ok(report)
}
