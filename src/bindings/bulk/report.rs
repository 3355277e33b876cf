//! `BulkReport`: what every batch call returns, one compact outcome per item in input
//! order (id, outcome, error: no documents, so a 100,000-item run stays small).
use crate::bindings::bridge::RhaiResult;
use crate::bindings::def::{def, documented_type, prop};
use crate::bindings::handle::{Api, Handle};
use crate::bindings::kinds::GovernArtifact;
use crate::bindings::register::Register;
use rhai::{Array, Dynamic, INT, Map};
use std::sync::Arc;

/// How one item of a batch ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Read, or changed and saved.
    Done,
    /// Nothing to send: the document did not change.
    Unchanged,
    /// A request, the closure or the input failed (see the item's error).
    Failed,
    /// Not attempted: the closure returned `false`, or a stop (Ctrl-C) came first.
    Skipped,
    /// Sent, its answer not back yet (never in a finished report).
    Pending,
}

impl Outcome {
    /// The name scripts see.
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Done => "done",
            Outcome::Unchanged => "unchanged",
            Outcome::Failed => "failed",
            // A report is only handed out once every answer is in.
            Outcome::Skipped | Outcome::Pending => "skipped",
        }
    }
}

/// One item of a report.
#[derive(Debug, Clone)]
pub struct Item {
    /// The artifact id (empty when the input had none, e.g. a malformed CSV row).
    pub id: String,
    /// How it ended.
    pub outcome: Outcome,
    /// Govern's message, or the closure's, for a failed item.
    pub error: Option<String>,
    /// The input's line (CSV rows), when it had one.
    pub line: Option<INT>,
}

impl Item {
    /// The item for `id`, not finished yet.
    pub fn new(id: String, line: Option<INT>) -> Self {
        Self {
            id,
            outcome: Outcome::Pending,
            error: None,
            line,
        }
    }

    /// Ends the item with `outcome` (and `error`).
    pub fn end(&mut self, outcome: Outcome, error: Option<String>) {
        self.outcome = outcome;
        self.error = error;
    }

    /// `#{ id, outcome, error }` (and `line` when it has one).
    fn to_map(&self) -> Map {
        let mut map = Map::new();
        let id = if self.id.is_empty() {
            Dynamic::UNIT
        } else {
            Dynamic::from(self.id.clone())
        };
        map.insert("id".into(), id);
        map.insert("outcome".into(), self.outcome.name().into());
        map.insert(
            "error".into(),
            self.error.clone().map_or(Dynamic::UNIT, Dynamic::from),
        );
        if let Some(line) = self.line {
            map.insert("line".into(), Dynamic::from(line));
        }
        map
    }
}

/// What [`BulkReport::values`] gives.
#[derive(Clone)]
pub enum Values {
    /// The values, one per item (`()` for a failed one).
    Kept(Arc<Vec<Dynamic>>),
    /// An artifact handle per item not failed, made when asked for (nothing kept).
    Artifacts(Api),
}

/// The outcome of a batch call.
#[derive(Clone)]
pub struct BulkReport {
    call: &'static str,
    items: Arc<Vec<Item>>,
    values: Values,
}

documented_type!(
    "BulkReport" = BulkReport,
    "The outcome of a batch call (`bulk_update`, `save_all`, `get_definitions`...): \
     `total`, `done`, `unchanged`, `failed`, `skipped`, `ok`, `items` in input order."
);

impl BulkReport {
    /// The report of `call` (`bulk_update`) over `items`, with `values`.
    pub fn new(call: &'static str, items: Vec<Item>, values: Values) -> Self {
        Self {
            call,
            items: Arc::new(items),
            values,
        }
    }

    /// How many items ended with `outcome`.
    pub fn count(&self, outcome: Outcome) -> usize {
        self.items.iter().filter(|i| i.outcome == outcome).count()
    }

    /// `bulk_update: 1000 items, 998 done, 1 unchanged, 1 failed, 0 skipped`.
    pub fn summary(&self) -> String {
        format!(
            "{}: {} items, {} done, {} unchanged, {} failed, {} skipped",
            self.call,
            self.items.len(),
            self.count(Outcome::Done),
            self.count(Outcome::Unchanged),
            self.count(Outcome::Failed),
            self.count(Outcome::Skipped) + self.count(Outcome::Pending),
        )
    }

    fn values(&self) -> Array {
        match &self.values {
            Values::Kept(values) => values.iter().cloned().collect(),
            Values::Artifacts(api) => self
                .items
                .iter()
                .map(|item| match item.outcome {
                    Outcome::Failed => Dynamic::UNIT,
                    _ => Dynamic::from(Handle::<GovernArtifact>::new(api, item.id.clone())),
                })
                .collect(),
        }
    }
}

fn int(n: usize) -> INT {
    INT::try_from(n).unwrap_or(INT::MAX)
}

/// Registers the `BulkReport` type, its properties and methods.
pub fn register(engine: &mut impl Register) {
    engine.register_documented::<BulkReport>();
    prop(
        engine,
        "total",
        "How many items the call had.",
        |r: &mut BulkReport| int(r.items.len()),
    );
    for (name, outcome, doc) in [
        (
            "done",
            Outcome::Done,
            "How many items were read, or changed and saved.",
        ),
        (
            "unchanged",
            Outcome::Unchanged,
            "How many items were left as they were (nothing sent).",
        ),
        ("failed", Outcome::Failed, "How many items failed."),
        (
            "skipped",
            Outcome::Skipped,
            "How many items were skipped (the closure returned `false`, or Ctrl-C).",
        ),
    ] {
        prop(engine, name, doc, move |r: &mut BulkReport| {
            int(r.count(outcome))
        });
    }
    prop(
        engine,
        "ok",
        "Whether no item failed.",
        |r: &mut BulkReport| r.count(Outcome::Failed) == 0,
    );
    prop(
        engine,
        "items",
        "Every item in input order: `#{ id, outcome, error }` (`line` for CSV rows), \
         `outcome` one of \"done\", \"unchanged\", \"failed\", \"skipped\".",
        |r: &mut BulkReport| -> Array { r.items.iter().map(|i| i.to_map().into()).collect() },
    );
    def(
        engine,
        "failures",
        &["self: BulkReport", "Array"],
        "The failed items (`#{ id, outcome, error }`), in input order.",
        |r: &mut BulkReport| -> Array {
            r.items
                .iter()
                .filter(|i| i.outcome == Outcome::Failed)
                .map(|i| i.to_map().into())
                .collect()
        },
    );
    def(
        engine,
        "values",
        &["self: BulkReport", "Array"],
        "The items' values in input order, `()` for a failed one: the definitions read \
         (`get_definitions`, `save_all`), or the artifacts (`get_artifacts`, `bulk_update`).",
        |r: &mut BulkReport| -> RhaiResult<Array> { Ok(r.values()) },
    );
    def(
        engine,
        "summary",
        &["self: BulkReport", "String"],
        "One line: `bulk_update: 1000 items, 998 done, 1 unchanged, 1 failed, 0 skipped`.",
        |r: &mut BulkReport| r.summary(),
    );
    def(
        engine,
        "to_string",
        &["self: BulkReport", "String"],
        "The report as `print` shows it: its summary.",
        |r: &mut BulkReport| r.summary(),
    );
    def(
        engine,
        "to_debug",
        &["self: BulkReport", "String"],
        "The report as `debug` shows it: its summary.",
        |r: &mut BulkReport| format!("BulkReport({})", r.summary()),
    );
}
