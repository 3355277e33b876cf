//! `client.get_artifacts(ids)` and `client.get_definitions(ids)`: concurrent reads,
//! results in input order, a missing artifact reported failed (the others read).
use super::Setup;
use super::collect::Collect;
use super::report::{BulkReport, Outcome, Values};
use crate::bindings::bridge::RhaiResult;
use crate::bindings::handle::{Api, Document, Handle};
use crate::bindings::kinds::{GovernArtifact, GovernArtifactDefinition};
use crate::client::batch::Done;
use rhai::{Dynamic, Map};
use serde_json::Value;
use std::sync::Arc;

/// What a read becomes in the report's values.
#[derive(Clone, Copy)]
pub enum Yield {
    /// The artifact's handle (`get_artifacts`).
    Artifact,
    /// The definition read (`get_definitions`).
    Definition,
}

impl Yield {
    fn call(self) -> &'static str {
        match self {
            Yield::Artifact => "GovernClient.get_artifacts",
            Yield::Definition => "GovernClient.get_definitions",
        }
    }

    fn value(self, api: &Api, id: String, doc: Value) -> Dynamic {
        match self {
            Yield::Artifact => Dynamic::from(Handle::<GovernArtifact>::new(api, id)),
            Yield::Definition => {
                Dynamic::from(Document::<GovernArtifactDefinition>::new(api, id, doc))
            }
        }
    }
}

/// Reads every artifact of `ids` concurrently.
pub fn read_all(api: &Api, ids: Dynamic, options: &Map, yields: Yield) -> RhaiResult<BulkReport> {
    let call = yields.call();
    let setup = Setup::new(call, api, options)?;
    let (total, mut reads) = setup.prefetch(api, call, ids, false)?;
    let mut collect = Collect::start(&setup.options.label, total, setup.quiet, None);
    let mut values = Vec::new();
    while let Some(done) = reads.blocking_recv() {
        let (input, end, value) = match done {
            Done::Skipped(input) => (input, (Outcome::Skipped, None), Dynamic::UNIT),
            Done::Lost(input, why) => (input, (Outcome::Failed, Some(why)), Dynamic::UNIT),
            Done::Ran((input, Err(e))) => {
                (input, (Outcome::Failed, Some(e.message())), Dynamic::UNIT)
            }
            Done::Ran((input, Ok(doc))) => {
                let value = yields.value(api, input.id.clone(), doc);
                (input, (Outcome::Done, None), value)
            }
        };
        collect.push(input.id, input.line, Some(end));
        values.push(value);
    }
    let (items, progress) = collect.finish(&mut |_, _| {});
    let name = call.rsplit('.').next().unwrap_or(call);
    let report = BulkReport::new(name, items, Values::Kept(Arc::new(values)));
    progress.finish(&report.summary());
    Ok(report)
}
