//! What a client knows existed, and when: the evidence that rules an object out as
//! the one a POST with a lost answer created (see [`super::verify`]).
use super::verify::Candidate;
use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, MutexGuard};
use std::time::Instant;

/// What this client knows exists, and which creations are in flight. It grows by a
/// few dozen bytes per object created or seen by a check, for the client's lifetime.
#[derive(Debug, Default)]
pub(super) struct Sightings {
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    /// Objects some call of this client created (`artifact ar.12`): never another's.
    claimed: HashSet<String>,
    /// When each object was first seen by a check.
    seen: HashMap<String, Instant>,
    /// The newest numbered id of each kind known so far (prefix, number).
    newest: HashMap<String, (String, u64)>,
    /// Verified creations in flight per slot.
    in_flight: HashMap<String, usize>,
}

/// `ar.12` as `("ar.", 12)`; `None` for an id not ending in a number after a prefix.
pub(super) fn numbered(id: &str) -> Option<(String, u64)> {
    let split = id.rfind(|c: char| !c.is_ascii_digit())? + 1;
    let n = id.get(split..)?.parse().ok()?;
    Some((id[..split].to_string(), n))
}

impl State {
    fn know(&mut self, kind: &str, id: &str) {
        let Some((prefix, n)) = numbered(id) else {
            return;
        };
        let newest = self
            .newest
            .entry(kind.to_string())
            .or_insert_with(|| (prefix.clone(), n));
        if newest.0 == prefix && n > newest.1 {
            newest.1 = n;
        }
    }
}

impl Sightings {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Records that a call of this client created `id` of `kind` (its answer said so).
    pub(super) fn claim(&self, kind: &str, id: &str) {
        let mut state = self.lock();
        state.claimed.insert(format!("{kind} {id}"));
        state.know(kind, id);
    }

    /// The newest numbered id of `kind` known so far, as `(prefix, number)`.
    pub(super) fn newest(&self, kind: &str) -> Option<(String, u64)> {
        self.lock().newest.get(kind).cloned()
    }

    /// Records `found` (objects of `kind` a check read) and returns those not known
    /// to be older than a POST sent at `sent`: not claimed by a call, not seen before
    /// `sent`, and not `older` by their creation time.
    pub(super) fn not_older(
        &self,
        kind: &str,
        found: Vec<Candidate>,
        sent: Instant,
        older: impl Fn(Option<i64>) -> bool,
    ) -> Vec<Candidate> {
        let now = Instant::now();
        let mut state = self.lock();
        let mut fresh = Vec::new();
        for candidate in found {
            let key = format!("{kind} {}", candidate.id);
            let first_seen = *state.seen.entry(key.clone()).or_insert(now);
            state.know(kind, &candidate.id);
            if !state.claimed.contains(&key) && first_seen >= sent && !older(candidate.created_on) {
                fresh.push(candidate);
            }
        }
        fresh
    }

    /// Counts a creation in `slot` as in flight until the guard is dropped.
    pub(super) fn enter<'a>(&'a self, slot: &'a str) -> InFlight<'a> {
        *self.lock().in_flight.entry(slot.to_string()).or_default() += 1;
        InFlight {
            sightings: self,
            slot,
        }
    }
}

/// A creation in flight in its slot, while alive.
pub(super) struct InFlight<'a> {
    sightings: &'a Sightings,
    slot: &'a str,
}

impl InFlight<'_> {
    /// Whether no other creation of the same slot is in flight.
    pub(super) fn alone(&self) -> bool {
        self.sightings.lock().in_flight.get(self.slot) == Some(&1)
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        let mut state = self.sightings.lock();
        if let Some(n) = state.in_flight.get_mut(self.slot) {
            *n -= 1;
            if *n == 0 {
                state.in_flight.remove(self.slot);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn found(ids: &[&str]) -> Vec<Candidate> {
        ids.iter()
            .map(|id| Candidate {
                id: id.to_string(),
                created_on: None,
                answer: Value::Null,
            })
            .collect()
    }

    fn ids(candidates: &[Candidate]) -> Vec<&str> {
        candidates.iter().map(|c| c.id.as_str()).collect()
    }

    #[test]
    fn ids_split_into_prefix_and_number() {
        assert_eq!(numbered("ar.12"), Some(("ar.".to_string(), 12)));
        assert_eq!(numbered("fb-7"), Some(("fb-".to_string(), 7)));
        assert_eq!(numbered("opaque"), None);
        assert_eq!(numbered("12"), None);
    }

    #[test]
    fn claimed_and_earlier_seen_objects_are_older_and_later_seen_ones_are_not() {
        let sightings = Sightings::default();
        sightings.claim("artifact", "ar.3");
        let before = Instant::now();
        let first = sightings.not_older("artifact", found(&["ar.3", "ar.4"]), before, |_| false);
        assert_eq!(ids(&first), ["ar.4"]);
        // ar.4 was seen before a POST sent now: older for it, not for the earlier one.
        let now = Instant::now();
        let later = sightings.not_older("artifact", found(&["ar.4", "ar.5"]), now, |_| false);
        assert_eq!(ids(&later), ["ar.5"]);
        let again = sightings.not_older("artifact", found(&["ar.4"]), before, |_| false);
        assert_eq!(ids(&again), ["ar.4"]);
        assert_eq!(sightings.newest("artifact"), Some(("ar.".to_string(), 5)));
    }

    #[test]
    fn a_creation_is_alone_only_without_another_of_its_slot_in_flight() {
        let sightings = Sightings::default();
        let a = sightings.enter("s");
        assert!(a.alone());
        let b = sightings.enter("s");
        let other = sightings.enter("t");
        assert!(!a.alone() && other.alone());
        drop(b);
        assert!(a.alone());
    }
}
