//! `govscript apply PLAN.json`: performs exactly the planned changes, never the script.
//!
//! Creations go first, one after the other in plan order, so that the real ids replace
//! the planned ones (`ar.planned.1`) in every later change. The other changes run by
//! object: objects concurrently (at most `concurrency` at once), each object's changes
//! in plan order. Before each change its object is read again and compared with the
//! pre-image the plan was based on (for an object's later changes: with what the
//! previous one left): if it differs, the change is refused as drift, naming what
//! changed, and the object's later changes are skipped. After each change the object
//! is read back, and every value it asked for that the server dropped or stored
//! differently is reported.
use super::born::{self, created_by, exists_already};
use super::check::{self, Silent};
use super::file::{Change, Effect, Plan};
use super::ids::{Ids, intern, substitute, substitute_value};
use super::target;
use crate::audit::record::masked;
use crate::client::{GovernClient, GovernError, Method, Request};
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// How one change ended.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "lowercase", tag = "outcome", content = "reason")]
pub enum Outcome {
    /// Sent and accepted.
    Applied,
    /// Not sent: its object drifted, or the plan cannot apply it (a masked secret).
    Refused(String),
    /// Sent and refused by the server, or could not be sent.
    Failed(String),
    /// Not sent because an earlier change it depends on did not apply.
    Skipped(String),
}

/// What happened to one change of the plan.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Item {
    /// Its position in the plan (from 1).
    pub index: usize,
    /// The Python call.
    pub call: String,
    /// What it does.
    pub effect: Effect,
    /// `METHOD path`, with real ids.
    pub request: String,
    /// Its object, with real ids.
    pub object: String,
    /// How it ended.
    #[serde(flatten)]
    pub outcome: Outcome,
    /// For a creation: the id the server gave.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_id: Option<String>,
    /// Values the server did not store as sent.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub silent: Vec<Silent>,
}

/// A change with real ids: what is sent and compared.
pub(super) struct Ready {
    path: String,
    pub(super) object: String,
    query: Vec<(String, String)>,
    targets: Vec<String>,
    pub(super) body: Value,
    pub(super) planned: Value,
}

fn ready(change: &Change, ids: &Ids) -> Result<Ready, String> {
    let mut ids = ids.lock().unwrap_or_else(|p| p.into_inner()).clone();
    // Its own planned id is replaced once it is created (see `verify`).
    if let Some(own) = &change.planned_id {
        ids.remove(own);
    }
    let text = |s: &str| substitute(s, &ids);
    Ok(Ready {
        path: text(&change.path)?,
        object: text(&change.object)?,
        query: change
            .query
            .iter()
            .map(|(k, v)| Ok((k.clone(), text(v)?)))
            .collect::<Result<_, String>>()?,
        targets: change
            .targets
            .iter()
            .filter(|t| Some(*t) != change.planned_id.as_ref())
            .map(|t| text(t))
            .collect::<Result<_, _>>()?,
        body: substitute_value(&change.body, &ids)?,
        planned: substitute_value(&change.planned, &ids)?,
    })
}

/// Reads `object`'s document (`None`: not found).
pub(super) async fn read(
    client: &GovernClient,
    object: &str,
) -> Result<Option<Value>, GovernError> {
    match client.perform_json(Request::get(object.to_string())).await {
        Ok(answer) => Ok(Some(target::unwrapped(object, answer))),
        Err(e) if e.status() == Some(404) => Ok(None),
        Err(e) => Err(e),
    }
}

/// How a change is checked before it is sent.
enum Check {
    /// Its object must hold this (its pre-image, or what the previous change left).
    Expect(Value),
    /// Its object was created by this apply: the change is laid onto what it holds.
    Rebase,
    /// Nothing to check.
    None,
}

/// Applies one change, checked as `check` says. Returns its item and what the object
/// holds after it.
async fn apply_one(
    client: &GovernClient,
    index: usize,
    change: &Change,
    ids: &Ids,
    check: Check,
) -> (Item, Option<Value>) {
    let expected = match &check {
        Check::Expect(v) => Some(v),
        _ => None,
    };
    let mut item = Item {
        index: index + 1,
        call: change.call.clone(),
        effect: change.effect,
        request: format!("{} {}", change.method, change.path),
        object: change.object.clone(),
        outcome: Outcome::Applied,
        created_id: None,
        silent: Vec::new(),
    };
    let mut ready = match ready(change, ids) {
        Ok(r) => r,
        Err(planned) => {
            item.outcome =
                Outcome::Skipped(format!("it uses {planned}, whose creation did not apply"));
            return (item, None);
        }
    };
    item.request = format!("{} {}", change.method, ready.path);
    item.object = ready.object.clone();
    if change.masked {
        item.outcome = Outcome::Refused(
            "it holds a secret, which the plan file does not keep: make this change with `run`"
                .into(),
        );
        return (item, None);
    }
    let readable = target::classify(&change.method, &ready.path).readable;
    let checked = expected.is_some() && readable;
    let mut current = None;
    if checked {
        match read(client, &ready.object).await {
            Ok(now) => current = now,
            Err(e) => {
                item.outcome = Outcome::Failed(format!("cannot read it to check for drift: {e}"));
                return (item, None);
            }
        }
        let expected = expected.unwrap_or(&Value::Null);
        let Some(now) = &current else {
            item.outcome = Outcome::Refused(format!(
                "drift: {} no longer exists since the plan",
                ready.object
            ));
            return (item, None);
        };
        let changed = check::drift(expected, &masked(now));
        if !changed.is_empty() {
            item.outcome = Outcome::Refused(format!(
                "drift: {} changed since the plan: {}",
                ready.object,
                check::named(&changed)
            ));
            return (item, None);
        }
    }
    if let Some(refusal) = exists_already(client, change, &ready).await {
        item.outcome = refusal;
        return (item, None);
    }
    if matches!(check, Check::Rebase)
        && let Err(e) = born::rebase(client, change, ids, &mut ready).await
    {
        item.outcome = Outcome::Failed(e);
        return (item, None);
    }
    if let Some(before) = &change.same_named {
        match appeared(client, &ready.body, before, ids).await {
            Ok(new) if new.is_empty() => {}
            Ok(new) => {
                item.outcome = Outcome::Refused(format!(
                    "drift: an artifact with the same name and blueprint version appeared since the plan ({}): was this plan applied already?",
                    new.join(", ")
                ));
                return (item, None);
            }
            Err(e) => {
                item.outcome = Outcome::Failed(format!("cannot check for drift: {e}"));
                return (item, None);
            }
        }
    }
    let client = client.in_operation(intern(&change.call), ready.targets.clone());
    if let Some(now) = &current {
        client.note_pre_image(now);
    }
    match send(&client, change, &ready).await {
        Ok(created) => {
            if let (Some(planned), Some(real)) = (&change.planned_id, &created) {
                ids.lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .insert(planned.clone(), Some(real.clone()));
            }
            item.created_id = created;
        }
        Err(e) => {
            item.outcome = Outcome::Failed(e.to_string());
            return (item, None);
        }
    }
    let after = verify(&client, change, &ready, &mut item).await;
    (item, after)
}

/// The artifacts named as the creation `body` that exist now and neither existed at
/// plan time (`before`) nor were created by this apply.
async fn appeared(
    client: &GovernClient,
    body: &Value,
    before: &[String],
    ids: &Ids,
) -> Result<Vec<String>, GovernError> {
    let now = super::hook::same_named(client, body)
        .await?
        .unwrap_or_default();
    let ours: HashSet<String> = ids
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .values()
        .flatten()
        .cloned()
        .collect();
    Ok(now
        .into_iter()
        .filter(|id| !before.contains(id) && !ours.contains(id))
        .collect())
}

/// Sends the change; returns the id a creation got.
async fn send(
    client: &GovernClient,
    change: &Change,
    ready: &Ready,
) -> Result<Option<String>, GovernError> {
    if change.method == "POST" && ready.path == "/artifacts" {
        return client.create_artifact(ready.body.clone()).await.map(Some);
    }
    let method = Method::from_bytes(change.method.as_bytes())
        .map_err(|_| GovernError::local("apply", format!("unknown method {}", change.method)))?;
    let mut request = Request::new(method, ready.path.clone());
    request.query = ready
        .query
        .iter()
        .map(|(k, v)| (intern(k), v.clone()))
        .collect();
    if !ready.body.is_null() {
        request.body = Some(ready.body.clone());
    }
    if change.planned_id.is_some() {
        let answer = client.perform_json(request).await?;
        let id = super::resource::created_id(&ready.path, &answer);
        return Ok(id.or_else(|| answer.get("id").and_then(Value::as_str).map(str::to_string)));
    }
    client.perform_empty(request).await.map(|()| None)
}

/// Reads the object back after `change` and notes what the server did not store as
/// sent (or a deleted object still there); returns what it holds.
async fn verify(
    client: &GovernClient,
    change: &Change,
    ready: &Ready,
    item: &mut Item,
) -> Option<Value> {
    let object = match (&change.planned_id, &item.created_id) {
        (Some(planned), Some(real)) if change.effect == Effect::Create => {
            ready.object.replace(planned.as_str(), real)
        }
        _ => ready.object.clone(),
    };
    if !target::classify(&change.method, &ready.path).readable {
        return None;
    }
    let stored = read(client, &object).await.ok()?;
    match (change.effect, stored) {
        (Effect::Delete, Some(still)) => {
            item.silent.push(Silent {
                path: "(the whole document)".into(),
                sent: Value::Null,
                stored: still,
                dropped: false,
            });
            None
        }
        (_, Some(stored)) => {
            let ids = ids_of(&change.planned_id, &item.created_id);
            let planned = substitute_value(&ready.planned, &ids).unwrap_or(Value::Null);
            item.silent = check::silent_changes(change, &planned, &masked(&stored));
            Some(masked(&stored))
        }
        (_, None) => None,
    }
}

fn ids_of(planned: &Option<String>, real: &Option<String>) -> HashMap<String, Option<String>> {
    match (planned, real) {
        (Some(p), Some(r)) => HashMap::from([(p.clone(), Some(r.clone()))]),
        _ => HashMap::new(),
    }
}

/// Applies an object's changes (`indexes` of `plan`) in order.
async fn apply_group(
    client: GovernClient,
    plan: Arc<Plan>,
    indexes: Vec<usize>,
    ids: Ids,
    unborn: Arc<Vec<String>>,
) -> Vec<Item> {
    let mut items = Vec::new();
    let mut expected: Option<Value> = None;
    let mut stopped: Option<usize> = None;
    for (n, index) in indexes.into_iter().enumerate() {
        let change = &plan.changes[index];
        if let Some(earlier) = stopped {
            items.push(Item {
                index: index + 1,
                call: change.call.clone(),
                effect: change.effect,
                request: format!("{} {}", change.method, change.path),
                object: change.object.clone(),
                outcome: Outcome::Skipped(format!(
                    "change {earlier} on the same object did not apply"
                )),
                created_id: None,
                silent: Vec::new(),
            });
            continue;
        }
        // The first change checks the plan's pre-image; later ones what the previous left.
        let check = if n == 0 {
            // An object this apply created a moment ago has no plan-time state to check.
            let birth = plan
                .changes
                .iter()
                .rposition(|c| c.effect == Effect::Create && created_by(c, &change.object));
            match birth.map(|at| (at, &plan.changes[at])) {
                Some((at, birth)) if unborn.contains(&birth.object) => {
                    stopped = Some(at + 1);
                    items.push(born::skipped(index, change, &birth.object));
                    continue;
                }
                Some(_) => Check::Rebase,
                None if change.pre_image.is_null() => Check::None,
                None => Check::Expect(change.pre_image.clone()),
            }
        } else {
            expected.take().map_or(Check::None, Check::Expect)
        };
        let (item, after) = apply_one(&client, index, change, &ids, check).await;
        if !matches!(item.outcome, Outcome::Applied) {
            stopped = Some(index + 1);
        }
        expected = after;
        items.push(item);
    }
    items
}

/// Applies `plan` through `client`, `concurrency` objects at once; one item per change,
/// in plan order.
pub async fn apply(client: &GovernClient, plan: Plan, concurrency: usize) -> Vec<Item> {
    let ids: Ids = Arc::default();
    for change in &plan.changes {
        if let Some(planned) = &change.planned_id {
            ids.lock()
                .unwrap_or_else(|p| p.into_inner())
                .insert(planned.clone(), None);
        }
    }
    let plan = Arc::new(plan);
    let mut items = Vec::new();
    // Creations first, in order: later changes need their ids.
    let creations: Vec<usize> = (0..plan.changes.len())
        .filter(|i| plan.changes[*i].effect == Effect::Create)
        .collect();
    // The objects whose creation did not apply: their later changes are skipped.
    let mut unborn = Vec::new();
    for index in &creations {
        let change = &plan.changes[*index];
        let (item, _) = apply_one(client, *index, change, &ids, Check::None).await;
        if !matches!(item.outcome, Outcome::Applied) {
            unborn.push(change.object.clone());
        }
        items.push(item);
    }
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    for (index, change) in plan.changes.iter().enumerate() {
        if change.effect == Effect::Create {
            continue;
        }
        match groups
            .iter_mut()
            .find(|(object, _)| *object == change.object)
        {
            Some((_, list)) => list.push(index),
            None => groups.push((change.object.clone(), vec![index])),
        }
    }
    let unborn = Arc::new(unborn);
    let permits = Arc::new(tokio::sync::Semaphore::new(concurrency.max(1)));
    let mut tasks = tokio::task::JoinSet::new();
    for (_, indexes) in groups {
        let (client, plan, ids, permits, unborn) = (
            client.clone(),
            plan.clone(),
            ids.clone(),
            permits.clone(),
            unborn.clone(),
        );
        tasks.spawn(async move {
            let _permit = permits.acquire_owned().await;
            apply_group(client, plan, indexes, ids, unborn).await
        });
    }
    while let Some(done) = tasks.join_next().await {
        match done {
            Ok(group) => items.extend(group),
            Err(e) => tracing::error!("an apply task failed: {e}"),
        }
    }
    items.sort_by_key(|i| i.index);
    items
}
