//! Read-your-writes for artifact searches (`POST /artifacts/search`): each page is the
//! server's page with the plan laid over it. A hit the plan deletes is dropped; one it
//! changes comes back in its planned state, or is dropped if that no longer matches
//! the query ([`super::query`]); an artifact it creates, or changes so that it now
//! matches, is added where the search shows it.
//!
//! Paging stays keyset-paged by `lastArtifactId`, so no hit is repeated or skipped:
//! without a sort, hits are in artifact-id order and a page holds the planned
//! artifacts between the cursor and the server page's last hit (the rest after the
//! server's last page, planned creations last); a cursor that is a planned id is past
//! every real artifact and is answered from the plan alone. With a sort, hits stay
//! where the server put them and planned creations follow the last page; an artifact
//! changed to match is not added (noted in the plan). A page emptied by the plan is
//! followed by the server's next one, so an empty page still means the end.
use super::hook::{PlanHook, own_read};
use super::query;
use super::state::{Order, Planned, State, order};
use crate::client::operation::OperationCall;
use crate::client::{Request, Result};
use serde_json::{Value, json};
use std::collections::HashSet;
use std::ops::Bound;

/// The server's page size when a request gives none.
const DEFAULT_PAGE: usize = 20;

/// The artifact id of a hit.
fn hit_id(hit: &Value) -> &str {
    hit.pointer("/artifact/id")
        .and_then(Value::as_str)
        .unwrap_or_default()
}

/// Whether `doc` matches `query`; a condition the plan cannot evaluate is noted and
/// counts as `unknown`.
fn verdict(state: &mut State, query: &Value, doc: &Value, unknown: bool) -> bool {
    match query::matches(query, doc) {
        Ok(m) => m,
        Err(condition) => {
            state.note(format!(
                "a search uses {condition}, which the plan cannot evaluate on planned artifacts: its results may include or miss artifacts this plan changes or creates"
            ));
            unknown
        }
    }
}

/// The planned artifacts whose order is in `range`, that matching `query` belong to
/// the page but the server did not return (`served`).
fn extras(
    state: &mut State,
    query: &Value,
    range: (Bound<Order>, Bound<Order>),
    served: &HashSet<String>,
) -> Vec<(Order, Value)> {
    let candidates: Vec<(Order, String)> = state
        .artifacts
        .range(range)
        .map(|(o, id)| (o.clone(), id.clone()))
        .collect();
    let mut out = Vec::new();
    for (o, id) in candidates {
        if served.contains(&id) {
            continue;
        }
        let Some(doc) = state.present(&format!("/artifact/{id}")).cloned() else {
            continue;
        };
        // A planned creation with an undecidable query is left out (and noted).
        if verdict(state, query, &doc, false) {
            out.push((o, json!({ "artifact": doc })));
        }
    }
    out
}

/// The server's hits as the plan leaves them.
fn laid_over(state: &mut State, query: &Value, hits: &[Value]) -> Vec<(Order, Value)> {
    let mut out = Vec::new();
    for hit in hits {
        let id = hit_id(hit);
        match state.objects.get(&format!("/artifact/{id}")).cloned() {
            Some(Planned::Deleted) => {}
            Some(Planned::Present(doc)) => {
                if verdict(state, query, &doc, true) {
                    let mut hit = hit.clone();
                    hit["artifact"] = doc;
                    out.push((order(id), hit));
                }
            }
            None => out.push((order(id), hit.clone())),
        }
    }
    out
}

/// A search answer of `hits` (at most `size`: more says there is a next page).
fn page(mut hits: Vec<Value>, size: usize, more: bool) -> Value {
    let more = more || hits.len() > size;
    hits.truncate(size);
    json!({ "uiArtifacts": hits, "hasNextPage": more })
}

/// The planned answer of the search `op`, or `None` when the plan changed no artifact
/// (the server answers it).
pub async fn overlay(hook: &PlanHook, op: &OperationCall<'_>) -> Result<Option<Value>> {
    let request = op.request;
    if request.path != "/artifacts/search" || hook.state().artifacts.is_empty() {
        return Ok(None);
    }
    let body = request.body.clone().unwrap_or(Value::Null);
    let pagination = &body["artifactSearchPagination"];
    let size = pagination["pageSize"]
        .as_u64()
        .map_or(DEFAULT_PAGE, |n| n.max(1) as usize);
    let mut cursor = pagination["lastArtifactId"].as_str().map(str::to_string);
    let mut query = body.clone();
    if let Some(map) = query.as_object_mut() {
        map.remove("artifactSearchPagination");
    }
    let by_id = query::by_id(&query);
    if !by_id {
        hook.state().note(
            "a search with a sort shows artifacts this plan changes at their current place and those it creates after the last page; one the plan changes so that it matches is not added".into(),
        );
    }
    // Past every real artifact: the plan's creations alone.
    if let Some(last) = cursor.as_deref().filter(|c| c.starts_with("ar.planned.")) {
        let mut state = hook.state();
        let after = (Bound::Excluded(order(last)), Bound::Unbounded);
        let hits = extras(&mut state, &query, after, &HashSet::new());
        return Ok(Some(page(
            hits.into_iter().map(|(_, h)| h).collect(),
            size,
            false,
        )));
    }
    loop {
        let mut body = body.clone();
        body["artifactSearchPagination"] = json!({"pageSize": size, "lastArtifactId": cursor});
        let search = Request::post("/artifacts/search").body(body).read_only();
        let answer = own_read(op, search).await?;
        let hits = answer["uiArtifacts"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let last_page = hits.is_empty() || answer["hasNextPage"] == Value::Bool(false);
        let server_last = hits.last().map(|h| hit_id(h).to_string());
        let mut state = hook.state();
        let mut out = laid_over(&mut state, &query, &hits);
        let served: HashSet<String> = hits.iter().map(|h| hit_id(h).to_string()).collect();
        let from = cursor
            .as_deref()
            .map_or(Bound::Unbounded, |c| Bound::Excluded(order(c)));
        if by_id {
            let to = match (&server_last, last_page) {
                (Some(last), false) => Bound::Included(order(last)),
                _ => Bound::Unbounded,
            };
            out.extend(extras(&mut state, &query, (from, to), &served));
            out.sort_by(|a, b| a.0.cmp(&b.0));
        } else if last_page {
            let planned = (Bound::Included(order("ar.planned.0")), Bound::Unbounded);
            out.extend(extras(&mut state, &query, planned, &served));
        }
        if out.is_empty() && !last_page {
            cursor = server_last;
            continue;
        }
        let hits = out.into_iter().map(|(_, h)| h).collect();
        return Ok(Some(page(hits, size, !last_page)));
    }
}
