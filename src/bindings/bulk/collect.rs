//! The script-thread side of a batch: its items in input order, its progress, and
//! the answers of its saves as they come back.
use super::report::{Item, Outcome};
use super::stages::Saved;
use crate::runtime::progress::Progress;
use serde_json::Value;
use tokio::sync::mpsc;

/// Items collected so far, with the saves still out.
pub struct Collect {
    items: Vec<Item>,
    progress: Progress,
    saved: Option<mpsc::UnboundedReceiver<Saved>>,
}

impl Collect {
    /// Collects the items of a batch called `label` (of `total` items when known);
    /// `saved` brings back its saves' answers, if it saves.
    pub fn start(
        label: &str,
        total: Option<u64>,
        quiet: bool,
        saved: Option<mpsc::UnboundedReceiver<Saved>>,
    ) -> Self {
        let capacity = total.map_or(0, |t| usize::try_from(t).unwrap_or(0));
        Self {
            items: Vec::with_capacity(capacity),
            progress: Progress::start(label, total, quiet),
            saved,
        }
    }

    /// Adds the next item (ended, or [`Outcome::Pending`] while its save is out);
    /// returns its index.
    pub fn push(
        &mut self,
        id: String,
        line: Option<rhai::INT>,
        end: Option<(Outcome, Option<String>)>,
    ) -> usize {
        let mut item = Item::new(id, line);
        if let Some((outcome, error)) = end {
            item.end(outcome, error);
            self.progress.advance(1);
        }
        self.items.push(item);
        self.items.len() - 1
    }

    /// Ends the item at `index` (a save that could not even be handed over).
    pub fn end(&mut self, index: usize, outcome: Outcome, error: Option<String>) {
        if let Some(item) = self.items.get_mut(index) {
            item.end(outcome, error);
            self.progress.advance(1);
        }
    }

    /// Takes in the saves that ended so far; `on_saved(index, document)` gets each
    /// saved document.
    pub fn drain(&mut self, on_saved: &mut dyn FnMut(usize, Value)) {
        while let Some(saved) = self.saved.as_mut().and_then(|rx| rx.try_recv().ok()) {
            self.apply(saved, on_saved);
        }
    }

    fn apply(&mut self, saved: Saved, on_saved: &mut dyn FnMut(usize, Value)) {
        let (outcome, error) = match saved.result {
            Some(Ok(document)) => {
                on_saved(saved.index, document);
                (Outcome::Done, None)
            }
            Some(Err(e)) => (Outcome::Failed, Some(e.message())),
            None => (Outcome::Skipped, None),
        };
        self.end(saved.index, outcome, error);
    }

    /// Waits for every save still out (the sender must be dropped first), then
    /// returns the items and the progress display, to finish with the summary.
    pub fn finish(mut self, on_saved: &mut dyn FnMut(usize, Value)) -> (Vec<Item>, Progress) {
        if let Some(mut rx) = self.saved.take() {
            while let Some(saved) = rx.blocking_recv() {
                self.apply(saved, on_saved);
            }
        }
        // A save whose answer never came (its task ended abnormally) is not done.
        for item in &mut self.items {
            if item.outcome == Outcome::Pending {
                let why = "the save ended abnormally: check whether it was applied";
                item.end(Outcome::Failed, Some(why.into()));
            }
        }
        (self.items, self.progress)
    }
}
