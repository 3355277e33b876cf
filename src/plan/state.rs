//! What a plan holds while the script runs: the changes recorded, and the planned
//! state of each object they changed, indexed so that lists and searches can overlay
//! it ([`super::overlay`], [`super::search`]).
use super::file::Change;
use super::target;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};

/// What the plan holds for an object it changed.
#[derive(Debug, Clone)]
pub enum Planned {
    /// Its planned document.
    Present(Value),
    /// Planned to be deleted.
    Deleted,
}

/// Where an artifact id sorts in a search without a sort: by artifact number, then
/// id; planned ids (`ar.planned.N`) after every real one, in creation order (a new
/// artifact gets the next number).
pub type Order = (u8, i64, String);

/// The [`Order`] of the artifact `id`.
pub fn order(id: &str) -> Order {
    if let Some(n) = id.strip_prefix("ar.planned.").and_then(|n| n.parse().ok()) {
        return (1, n, String::new());
    }
    let number = id
        .strip_prefix("ar.")
        .and_then(|n| n.parse().ok())
        .unwrap_or(i64::MAX);
    (0, number, id.to_string())
}

/// The plan so far.
#[derive(Debug, Default)]
pub struct State {
    /// `(issue number, arrival, change)`.
    pub changes: Vec<(u64, u64, Change)>,
    /// Planned objects by path.
    pub objects: HashMap<String, Planned>,
    /// The artifacts among [`State::objects`], by their [`Order`] (their ids).
    pub artifacts: BTreeMap<Order, String>,
    /// The objects the plan creates, in order (their paths).
    pub born: Vec<String>,
    /// Planned ids of creations.
    pub planned_ids: HashSet<String>,
    /// Planned ids given so far.
    pub created: u64,
    /// What the plan could not decide (a search condition it cannot evaluate), once each.
    pub notes: Vec<String>,
}

impl State {
    /// Records `object`'s planned state.
    pub fn set(&mut self, object: &str, planned: Planned) {
        if let Some(id) = target::artifact_id(object) {
            self.artifacts.insert(order(id), id.to_string());
        }
        self.objects.insert(object.to_string(), planned);
    }

    /// The planned document of `object`, if the plan has it present.
    pub fn present(&self, object: &str) -> Option<&Value> {
        match self.objects.get(object) {
            Some(Planned::Present(doc)) => Some(doc),
            _ => None,
        }
    }

    /// Adds `note` unless it is there already.
    pub fn note(&mut self, note: String) {
        if !self.notes.contains(&note) {
            self.notes.push(note);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn planned_artifacts_sort_after_real_ones_in_creation_order() {
        let mut ids = ["ar.planned.2", "ar.10", "ar.planned.1", "ar.9"];
        ids.sort_by_key(|id| order(id));
        assert_eq!(ids, ["ar.9", "ar.10", "ar.planned.1", "ar.planned.2"]);
    }
}
