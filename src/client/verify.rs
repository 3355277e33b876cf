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
use super::sightings::{Sightings, numbered};
use super::{GovernClient, Request};
use serde_json::Value;
use std::future::Future;
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

impl Verdict {
    /// For a POST that moves something to a state: applied when that state is found
    /// (whoever put it there: it is what was asked), else not applied.
    pub(super) fn state_reached(reached: bool) -> Self {
        if reached {
            Verdict::Applied(Value::Null)
        } else {
            Verdict::NotApplied
        }
    }
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
    /// Operation hooks see it once, re-sent or not.
    pub(super) async fn post_verified<F, Fut>(&self, request: Request, check: F) -> Result<Value>
    where
        F: Fn(Sent) -> Fut,
        Fut: Future<Output = Result<Verdict>>,
    {
        // One operation, however many times it is sent and checked.
        self.operate(request, |request| self.send_verified(request, check))
            .await
    }

    /// [`Self::post_verified`]'s loop: sends, checks, sends again.
    async fn send_verified<F, Fut>(&self, request: Request, check: F) -> Result<Value>
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
            let error = match self.inner.perform_json(request.clone()).await {
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
        let flight = sightings.enter(&creation.slot);
        let newest_before = sightings.newest(&creation.kind);
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
        let older = |created_on| self.created_before(created_on, sent);
        let fresh = self
            .sightings()
            .not_older(&creation.kind, found, sent.at, older);
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
}
