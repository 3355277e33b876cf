//! The plan as an operation hook: every mutating operation is answered without being
//! sent, and recorded as a [`Change`].
//!
//! Each change keeps the pre-image it was based on: the document its call read first
//! (a merge-save's read), else the object's planned state, else a `GET` of the object
//! made here (sign-off transitions, deletions). Reads go to the server except reads of
//! an object this plan changed: a `GET` of it answers its planned document, of a
//! planned deletion a 404, and of anything under a planned id (not created yet) a clear
//! error. Lists of declared resources ([`super::overlay`]) and artifact searches
//! ([`super::search`]) are the server's answer with the plan laid over it.
//!
//! A creation of any declared resource is planned from its declaration
//! ([`super::resource`]); other mutating calls are recorded as calls on their path.
//!
//! Changes are kept in issue order ([`crate::client::Operation::seq`]), so concurrent
//! saves record the same plan whichever reaches here first.
use super::file::{Change, Effect};
use super::signoff;
use super::state::{Planned, State};
use super::target::{self, Target};
use crate::audit::record::masked;
use crate::client::operation::{Decision, HookFuture, OpKind, OperationCall};
use crate::client::{ErrorKind, GovernClient, GovernError, OperationHook, Request, Result};
use serde_json::{Value, json};
use std::sync::Mutex;

tokio::task_local! {
    /// Set while the plan itself reads the server (a list or search it overlays).
    static OWN: ();
}

/// Answers mutating operations with planned results and records them.
#[derive(Debug, Default)]
pub struct PlanHook {
    state: Mutex<State>,
}

/// A 404 for a read or change of `path`, which the plan deletes.
fn deleted(op: &OperationCall<'_>, path: &str) -> GovernError {
    GovernError {
        call: op.call.to_string(),
        request: Some(op.request.describe()),
        kind: Box::new(ErrorKind::Api {
            status: 404,
            error_type: "com.dataiku.dip.exceptions.NotFoundException".into(),
            message: format!("{path} is deleted by this plan"),
            detailed_message: None,
            retry_after: None,
        }),
    }
}

impl PlanHook {
    /// An empty plan.
    pub fn new() -> Self {
        Self::default()
    }

    pub(super) fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The changes recorded so far, in issue order.
    pub fn changes(&self) -> Vec<Change> {
        let mut changes = self.state().changes.clone();
        changes.sort_by_key(|(seq, arrival, _)| (*seq, *arrival));
        changes.into_iter().map(|(_, _, c)| c).collect()
    }

    /// What the plan could not decide, to show with it.
    pub fn notes(&self) -> Vec<String> {
        self.state().notes.clone()
    }

    /// A planned read: the planned answer, an error, or `None` (ask the server).
    fn read(&self, op: &OperationCall<'_>) -> Result<Option<Value>> {
        let path = op.request.path.as_str();
        let state = self.state();
        match state.objects.get(path) {
            Some(Planned::Present(doc)) => return Ok(Some(target::wrapped(path, doc.clone()))),
            Some(Planned::Deleted) => return Err(deleted(op, path)),
            None => {}
        }
        if let Some(id) = path.split('/').find(|s| state.planned_ids.contains(*s)) {
            return Err(GovernError::local(
                op.call,
                format!(
                    "{id} is planned, not created yet: {} cannot be read in a plan",
                    op.request.describe()
                ),
            ));
        }
        Ok(None)
    }

    /// The document `target`'s object held before this change.
    async fn pre_image(&self, op: &OperationCall<'_>, target: &Target) -> Result<Value> {
        let Some(object) = &target.object else {
            return Ok(Value::Null);
        };
        match self.state().objects.get(object) {
            Some(Planned::Present(doc)) => return Ok(doc.clone()),
            Some(Planned::Deleted) => return Err(deleted(op, object)),
            None => {}
        }
        if let Some(pre) = op.pre_image {
            return Ok(pre.clone());
        }
        if !target.readable || target.effect == Effect::Create {
            return Ok(Value::Null);
        }
        let answer = op.client.perform_json(Request::get(object.clone())).await?;
        Ok(target::unwrapped(object, answer))
    }

    /// Plans the mutating operation `op`: records it and returns its planned answer.
    async fn plan(&self, op: &OperationCall<'_>) -> Result<Value> {
        let request = op.request;
        let method = request.method.as_str();
        let mut target = target::classify(method, &request.path);
        // A `PUT` of anything but a document (a time series' datapoints) saves none.
        if target.effect == Effect::Update && !request.body.as_ref().is_some_and(Value::is_object) {
            target = Target {
                effect: Effect::Action,
                object: Some(request.path.clone()),
                readable: false,
            };
        }
        let pre = self.pre_image(op, &target).await?;
        let body = request.body.clone().unwrap_or(Value::Null);
        let creation = match target.effect {
            Effect::Create => super::resource::creation(&request.path, &request.query, &body),
            _ => None,
        };
        let same_named = match target.effect {
            // The server's artifacts: what apply will compare with.
            Effect::Create if request.path == "/artifacts" => {
                OWN.scope((), same_named(op.client, &body)).await?
            }
            _ => None,
        };
        let mut state = self.state();
        let mut next_id = |prefix: &str| {
            state.created += 1;
            format!("{prefix}.planned.{}", state.created)
        };
        let mut planned_id = None;
        let (planned, answer) = match target.effect {
            Effect::Create if request.path == "/artifacts" => {
                let id = next_id("ar");
                let mut doc = json!({ "id": id });
                if let (Some(doc), Some(fields)) = (doc.as_object_mut(), body.as_object()) {
                    doc.extend(fields.iter().map(|(k, v)| (k.clone(), v.clone())));
                    doc.insert("id".into(), json!(id));
                }
                target.object = Some(format!("/artifact/{id}"));
                planned_id = Some(id.clone());
                (doc, json!({ "artifactId": id }))
            }
            Effect::Create if let Some(creation) = &creation => {
                let id = match &creation.named {
                    Some(id) => id.clone(),
                    None => {
                        let id = next_id(&super::resource::planned_prefix(creation.resource));
                        planned_id = Some(id.clone());
                        id
                    }
                };
                target.object = Some(creation.object(&id));
                let doc = creation.document(&body, &id);
                let answer = creation.answer(&doc, &id);
                (doc, answer)
            }
            Effect::Create => {
                let signoff = target.object.clone().unwrap_or_default();
                let parts: Vec<&str> = signoff.split('/').collect();
                let (artifact, step) = (parts.get(2), parts.get(5));
                let doc = json!({
                    "signoffId": { "artifactId": artifact, "stepId": step },
                    "status": "NOT_STARTED",
                    "feedbackResponses": [],
                    "approverResponse": null,
                });
                (doc, json!({}))
            }
            Effect::Update => (body.clone(), Value::Null),
            Effect::Delete => (Value::Null, Value::Null),
            Effect::Action => match target::signoff_of(&request.path) {
                Some((_, rest)) => {
                    let group = request
                        .query
                        .iter()
                        .find(|(k, _)| *k == "groupId")
                        .map(|(_, v)| v.as_str());
                    let (planned, answer) =
                        signoff::planned(method, rest, &body, &pre, group, || next_id("fb"));
                    // A new feedback's planned id: later changes may name it.
                    planned_id = answer
                        .get("id")
                        .and_then(Value::as_str)
                        .filter(|id| id.contains(".planned."))
                        .map(str::to_string);
                    (planned, answer)
                }
                // An irregular call: a `PUT` of a document answers it as saved.
                None if method == "PUT" && (body.is_object() || body.is_array()) => {
                    (Value::Null, body.clone())
                }
                None => (Value::Null, json!({})),
            },
        };
        let object = target
            .object
            .clone()
            .unwrap_or_else(|| request.path.clone());
        let answer = match target.effect {
            Effect::Update => target::wrapped(&object, planned.clone()),
            _ => answer,
        };
        if let Some(id) = &planned_id {
            state.planned_ids.insert(id.clone());
        }
        if target.effect == Effect::Create {
            state.born.push(object.clone());
        }
        match target.effect {
            Effect::Delete => state.set(&object, Planned::Deleted),
            _ if target.readable && !planned.is_null() => {
                state.set(&object, Planned::Present(planned.clone()));
            }
            _ => {}
        }
        let mut targets = op.targets.to_vec();
        targets.extend(planned_id.clone().filter(|id| !targets.contains(id)));
        let change = record(op, target.effect, object, &pre, &body, &planned, planned_id);
        let arrival = state.changes.len() as u64;
        let change = Change {
            targets,
            same_named,
            ..change
        };
        state.changes.push((op.seq, arrival, change));
        Ok(answer)
    }
}

/// Sends `request` as part of `op` (the plan reading the server for a list or search it
/// overlays): no hook of this plan sees it.
pub(super) async fn own_read(op: &OperationCall<'_>, request: Request) -> Result<Value> {
    OWN.scope((), op.client.perform_json(request)).await
}

/// The change `op` makes, its documents masked.
fn record(
    op: &OperationCall<'_>,
    effect: Effect,
    object: String,
    pre: &Value,
    body: &Value,
    planned: &Value,
    planned_id: Option<String>,
) -> Change {
    let request = op.request;
    let redacted = |s: &str| crate::client::secrets::redact(s).into_owned();
    let (pre, shown_body, planned) = (masked(pre), masked(body), masked(planned));
    let path = redacted(&request.path);
    let query: Vec<(String, String)> = request
        .query
        .iter()
        .map(|(k, v)| ((*k).to_string(), redacted(v)))
        .collect();
    let secret = shown_body != *body
        || path != request.path
        || query.iter().zip(&request.query).any(|(a, b)| a.1 != b.1);
    let patch = serde_json::to_value(json_patch::diff(&pre, &planned)).unwrap_or(Value::Null);
    Change {
        call: op.call.to_string(),
        method: request.method.as_str().to_string(),
        path,
        query,
        targets: Vec::new(),
        effect,
        object: redacted(&object),
        pre_image: pre,
        body: shown_body,
        patch,
        planned,
        planned_id,
        same_named: None,
        masked: secret,
    }
}

/// The ids of the artifacts an artifact creation's `body` would share its name and
/// blueprint version with (sorted), or `None` when the body names neither.
pub async fn same_named(client: &GovernClient, body: &Value) -> Result<Option<Vec<String>>> {
    let (Some(version), Some(name)) = (
        body.get("blueprintVersionId"),
        body.get("name").and_then(Value::as_str),
    ) else {
        return Ok(None);
    };
    let found = client.find_artifacts_named(version, name).await?;
    let mut ids: Vec<String> = found
        .iter()
        .filter_map(|a| a.get("id").and_then(Value::as_str).map(str::to_string))
        .collect();
    ids.sort();
    Ok(Some(ids))
}

impl OperationHook for PlanHook {
    fn before<'a>(&'a self, op: &'a OperationCall<'a>) -> HookFuture<'a, Result<Decision>> {
        Box::pin(async move {
            if OWN.try_with(|_| ()).is_ok() {
                return Ok(Decision::Send);
            }
            if op.kind == OpKind::Read {
                let answer = if op.request.method != reqwest::Method::GET {
                    super::search::overlay(self, op).await?
                } else {
                    match self.read(op)? {
                        Some(answer) => Some(answer),
                        None => super::overlay::list(self, op).await?,
                    }
                };
                return Ok(answer.map_or(Decision::Send, Decision::Answer));
            }
            self.plan(op).await.map(Decision::Answer)
        })
    }

    fn plans(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::operation::OperationCall;
    use crate::client::{ClientConfig, GovernClient};

    /// A save of `id` from `client`'s operation, based on a pre-image (so the hook
    /// reads nothing).
    async fn save(hook: &PlanHook, client: &GovernClient, id: &str) {
        let request = Request::put(format!("/artifact/{id}")).body(json!({"id": id, "v": 2}));
        let pre = json!({"id": id, "v": 1});
        let op = client.operation().expect("an operation");
        let call = OperationCall {
            call: op.call,
            kind: OpKind::Mutate,
            request: &request,
            targets: &op.targets,
            pre_image: Some(&pre),
            client,
            seq: op.seq,
        };
        let decision = hook.before(&call).await.expect("planned");
        assert!(matches!(decision, Decision::Answer(_)));
    }

    #[tokio::test]
    async fn concurrent_saves_are_recorded_in_issue_order_whichever_arrives_first() {
        let client =
            GovernClient::new(ClientConfig::new("http://127.0.0.1:9", "k")).expect("client");
        let first = client.in_operation("GovernArtifactDefinition.save", vec!["ar.1".into()]);
        let second = client.in_operation("GovernArtifactDefinition.save", vec!["ar.2".into()]);
        let hook = PlanHook::new();
        // The later-issued save reaches the hook first.
        save(&hook, &second, "ar.2").await;
        save(&hook, &first, "ar.1").await;
        let order: Vec<String> = hook.changes().into_iter().map(|c| c.path).collect();
        assert_eq!(order, ["/artifact/ar.1", "/artifact/ar.2"]);
    }
}
