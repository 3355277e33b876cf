//! POSTs that must not be applied twice. When a POST's outcome is unknown (the
//! connection broke after sending, or a gateway gave up), its client method reads
//! whether it took effect before sending it again. Nothing is read on the normal path.
//!
//! A creation is judged applied only from an object that did not exist before it was
//! sent. Objects are ruled out as older when this client already had them (another
//! call's answer, or seen by an earlier check before this POST left), when the server
//! stamped them (`createdOn`) before the POST can have arrived (the server's clock is
//! learnt from its `Date` headers, see [`super::clock`]), or when their id sorts before
//! one this client knew before sending. One object left that is provably new is the
//! lost answer; none means not applied (sent again); anything else is reported as an
//! unknown outcome naming what was found, never guessed.
use super::error::{ErrorKind, GovernError, Result};
use super::{GovernClient, Request};
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::sync::Mutex;
use std::sync::atomic::Ordering;
use std::time::{Instant, SystemTime};

/// What a check of an unknown outcome found.
pub(super) enum Verdict {
    /// Applied: the value stands for the lost answer.
    Applied(Value),
    /// Not applied: safe to send again.
    NotApplied,
    /// Cannot be told; says what was found and what to check.
    Unknown(String),
}

/// When the first attempt of a POST left.
#[derive(Debug, Clone, Copy)]
pub(super) struct Sent {
    at: Instant,
    wall: SystemTime,
}

/// An object that may be the one a POST created, as a check read it.
pub(super) struct Candidate {
    /// Its id (`ar.12`, `fb.3`).
    pub id: String,
    /// Server creation time (epoch ms), when the server gives one.
    pub created_on: Option<i64>,
    /// What the POST would have answered had it created this object.
    pub answer: Value,
}

/// A creating POST, described for its verification.
pub(super) struct Creation {
    /// Kind of object, and where its ids are unique (`artifact`,
    /// `feedback on ar.2 / review`).
    pub kind: String,
    /// What the created object would match: creations with the same content share it.
    pub slot: String,
    /// What was looked for, for messages (`artifacts named 'x' in bp.x / bv.y`).
    pub what: String,
    /// How to check by hand, for messages.
    pub advice: String,
}

/// What this client knows exists, and which creations are in flight.
#[derive(Debug, Default)]
pub struct Sightings {
    state: Mutex<SightingState>,
}

#[derive(Debug, Default)]
struct SightingState {
    /// Objects some call of this client created (`artifact ar.12`): never another's.
    claimed: HashSet<String>,
    /// When each object was first seen by a check.
    seen: HashMap<String, Instant>,
    /// The newest numbered id of each kind known so far (prefix, number).
    newest: HashMap<String, (String, u64)>,
    /// Verified creations in flight per slot.
    in_flight: HashMap<String, usize>,
}

/// `ar.12` as `("ar.", 12)`.
fn numbered(id: &str) -> Option<(String, u64)> {
    let split = id.rfind(|c: char| !c.is_ascii_digit())? + 1;
    let n = id.get(split..)?.parse().ok()?;
    Some((id[..split].to_string(), n))
}

impl SightingState {
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
    fn lock(&self) -> std::sync::MutexGuard<'_, SightingState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Records that a call of this client created `id` (its answer said so).
    pub(super) fn claim(&self, kind: &str, id: &str) {
        let mut state = self.lock();
        state.claimed.insert(format!("{kind} {id}"));
        state.know(kind, id);
    }
}

/// Counts a creation in flight in its slot while alive.
struct InFlight<'a> {
    sightings: &'a Sightings,
    slot: &'a str,
}

impl<'a> InFlight<'a> {
    fn enter(sightings: &'a Sightings, slot: &'a str) -> Self {
        *sightings
            .lock()
            .in_flight
            .entry(slot.to_string())
            .or_default() += 1;
        Self { sightings, slot }
    }

    fn alone(&self) -> bool {
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

impl GovernClient {
    fn sightings(&self) -> &Sightings {
        &self.inner.sightings
    }

    fn server_clock(&self) -> &super::clock::ServerClock {
        &self.inner.clock
    }

    /// Sends `request` (a POST); while its outcome is unknown, `check` reads whether it
    /// took effect (given when the first attempt left): applied stands for the lost
    /// answer, not applied sends it again (within the retry policy's attempts), and an
    /// unknown verdict or a failed check is an error saying that the outcome is unknown.
    pub(super) async fn post_verified<F, Fut>(&self, request: Request, check: F) -> Result<Value>
    where
        F: Fn(Sent) -> Fut,
        Fut: Future<Output = Result<Verdict>>,
    {
        let sent = Sent {
            at: Instant::now(),
            wall: SystemTime::now(),
        };
        let mut attempts = 1;
        loop {
            let error = match self.perform_json(request.clone()).await {
                Err(e) if e.outcome_unknown() => e,
                other => return other,
            };
            let described = request.describe();
            tracing::debug!("{described}: outcome unknown ({}); checking", error.kind);
            let found = match check(sent).await {
                Ok(Verdict::Applied(answer)) => {
                    tracing::debug!("{described}: it was applied");
                    return Ok(answer);
                }
                Ok(Verdict::NotApplied) if attempts < self.retry_policy().max_attempts => {
                    attempts += 1;
                    self.stats().retries.fetch_add(1, Ordering::Relaxed);
                    tracing::debug!("{described}: not applied; sending it again");
                    continue;
                }
                // Not applied and out of attempts: the original failure is the truth.
                Ok(Verdict::NotApplied) => return Err(error),
                Ok(Verdict::Unknown(found)) => found,
                Err(e) => format!("checking whether it was applied failed: {}", e.kind),
            };
            return Err(GovernError {
                kind: Box::new(ErrorKind::OutcomeUnknown {
                    cause: error.kind.to_string(),
                    found,
                }),
                ..error
            });
        }
    }

    /// Whether an object the server stamped `created_on` provably existed before a
    /// POST sent at `sent` reached it.
    pub(super) fn created_before(&self, created_on: Option<i64>, sent: Sent) -> bool {
        let not_before = self.server_clock().not_before(sent.wall);
        matches!((created_on, not_before), (Some(c), Some(nb)) if c < nb)
    }

    /// Sends a creating POST; while its outcome is unknown, `find` lists the objects
    /// that match it, as the server stores them, and only one that did not exist
    /// before is taken for the lost answer. `id_of` reads the id in an answer.
    pub(super) async fn create_verified<F, Fut>(
        &self,
        request: Request,
        creation: Creation,
        id_of: fn(&Value) -> Option<&str>,
        find: F,
    ) -> Result<Value>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<Vec<Candidate>>>,
    {
        let sightings = self.sightings();
        let flight = InFlight::enter(sightings, &creation.slot);
        let newest_before = sightings.lock().newest.get(&creation.kind).cloned();
        let (flight, creation, newest, find) = (&flight, &creation, &newest_before, &find);
        let answer = self
            .post_verified(request, |sent| async move {
                let found = find().await?;
                Ok(self.judge(creation, found, sent, newest.as_ref(), flight.alone()))
            })
            .await?;
        if let Some(id) = id_of(&answer) {
            sightings.claim(&creation.kind, id);
        }
        Ok(answer)
    }

    /// Which of `found` is what a POST sent at `sent` created, if that can be known.
    fn judge(
        &self,
        creation: &Creation,
        found: Vec<Candidate>,
        sent: Sent,
        newest_before: Option<&(String, u64)>,
        alone: bool,
    ) -> Verdict {
        let now = Instant::now();
        let mut state = self.sightings().lock();
        let mut fresh = Vec::new();
        for candidate in found {
            let key = format!("{} {}", creation.kind, candidate.id);
            let first_seen = *state.seen.entry(key.clone()).or_insert(now);
            state.know(&creation.kind, &candidate.id);
            let older = state.claimed.contains(&key)
                || first_seen < sent.at
                || self.created_before(candidate.created_on, sent);
            if !older {
                fresh.push(candidate);
            }
        }
        drop(state);
        let ids = || {
            fresh
                .iter()
                .map(|c| c.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let unknown = |why: String| {
            Verdict::Unknown(format!(
                "{why}; it was not sent again, so as not to do it twice. {}",
                creation.advice
            ))
        };
        let [one] = fresh.as_slice() else {
            return match fresh.len() {
                0 => Verdict::NotApplied,
                n => unknown(format!(
                    "{n} {} appeared that this client did not create ({}): one may be this call's",
                    creation.what,
                    ids()
                )),
            };
        };
        // Provably new: stamped after the POST can have arrived, or numbered after the
        // newest id this client knew before sending. Numbered before it looks older (ids
        // need not grow, so that is reported, not taken as "not applied").
        let stamped_after =
            one.created_on.is_some() && self.server_clock().not_before(sent.wall).is_some();
        let order = match (numbered(&one.id), newest_before) {
            (Some((prefix, n)), Some((known_prefix, known))) if prefix == *known_prefix => {
                Some(n.cmp(known))
            }
            _ => None,
        };
        let exists = format!(
            "{} exist that this client did not create ({})",
            creation.what,
            ids()
        );
        if !alone {
            unknown(format!(
                "{exists}, while other calls of this client were creating the same: \
                 which one is this call's cannot be told"
            ))
        } else if order.is_some_and(|o| o.is_le()) {
            unknown(format!(
                "{exists}, numbered before an object this client knew before sending"
            ))
        } else if stamped_after || order.is_some_and(|o| o.is_gt()) {
            Verdict::Applied(one.answer.clone())
        } else {
            unknown(format!(
                "{exists}, and nothing shows whether it is older than this call"
            ))
        }
    }

    /// Artifacts of `blueprint_version` whose name is `name` (trimmed: the server
    /// stores names trimmed), through `POST /artifacts/search`.
    pub(super) async fn find_artifacts_named(
        &self,
        blueprint_version: &Value,
        name: &str,
    ) -> Result<Vec<Value>> {
        let name = name.trim();
        let query = json!({
            "artifactSearchSource": {"type": "all"},
            "artifactFilters": [
                {"type": "blueprintVersions", "blueprintVersionIds": [blueprint_version]},
                {"type": "field", "conditionType": "EQUALS", "condition": name, "caseSensitive": true},
            ],
            "artifactSearchPagination": {"pageSize": 1000, "lastArtifactId": null},
        });
        let answer = self
            .perform_object(Request::post("/artifacts/search").body(query).read_only())
            .await?;
        Ok(answer
            .get("uiArtifacts")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|hit| hit.get("artifact").cloned())
            .filter(|a| a.get("name").and_then(Value::as_str).map(str::trim) == Some(name))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::numbered;

    #[test]
    fn ids_split_into_prefix_and_number() {
        assert_eq!(numbered("ar.12"), Some(("ar.".to_string(), 12)));
        assert_eq!(numbered("fb-7"), Some(("fb-".to_string(), 7)));
        assert_eq!(numbered("opaque"), None);
        assert_eq!(numbered("12"), None);
    }
}
