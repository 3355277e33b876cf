//! What a batch call works on: a list of artifacts (ids, handles, hits, or maps
//! `#{ id, line }` as `bulk::from_csv` gives them), or every hit of a search, paged on
//! the runtime as the call goes (constant memory).
use crate::bindings::bridge::{RhaiResult, local_error};
use crate::bindings::handle::{Document, Handle};
use crate::bindings::kinds::{GovernArtifact, GovernArtifactDefinition};
use crate::bindings::search::{
    Cursor, GovernArtifactSearchRequest, GovernArtifactSearchResponseHit, Query, hit_id, hits,
    last_page,
};
use crate::client::GovernClient;
use crate::client::batch::Throttle;
use rhai::{Array, Dynamic, INT, Map};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::mpsc;

/// Whether a stop (Ctrl-C) was asked for.
pub type Stop = Arc<dyn Fn() -> bool + Send + Sync>;

/// Page size of the searches a batch call walks.
const SEARCH_PAGE: INT = 100;

/// One item to work on.
#[derive(Debug, Clone)]
pub struct Input {
    /// The artifact id (empty when the input has none).
    pub id: String,
    /// Its line, for inputs read from a file.
    pub line: Option<INT>,
    /// Why it fails without a request (a malformed row, a repeated id).
    pub refused: Option<String>,
}

impl Input {
    fn refused(id: String, line: Option<INT>, why: String) -> Self {
        Self {
            id,
            line,
            refused: Some(why),
        }
    }
}

/// Where a batch call's inputs come from.
pub enum Source {
    /// A list given by the script.
    Listed(Vec<Input>),
    /// Every hit of a search, after `after` when given.
    Search {
        /// The built query.
        query: Arc<Value>,
        /// The last id already fetched (a search request's cursor).
        after: Option<String>,
    },
}

/// Reads `value` as the inputs of `call`: an array (of ids, `GovernArtifact`s,
/// definitions, search hits or `#{ id, line, error }` maps), or, when `search` is
/// allowed, a `GovernArtifactSearchQuery` or `GovernArtifactSearchRequest`. An id listed
/// twice fails at its second place (two prefetched reads of one artifact would make
/// the second save undo the first). Anything else is an error before any request.
pub fn parse(call: &'static str, value: Dynamic, search: bool) -> RhaiResult<Source> {
    if search {
        if let Some(query) = value.read_lock::<Query>() {
            let built = query.obj.build().map_err(|m| local_error(call, m))?;
            return Ok(Source::Search {
                query: Arc::new(built),
                after: None,
            });
        }
        if let Some(request) = value.read_lock::<Handle<GovernArtifactSearchRequest>>() {
            let cursor: &Cursor = &request.key;
            let after = cursor
                .last
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .clone();
            return Ok(Source::Search {
                query: cursor.query.clone(),
                after,
            });
        }
    }
    let Some(array) = value.read_lock::<Array>().map(|a| a.clone()) else {
        let expected = if search {
            "an array of artifact ids, a GovernArtifactSearchQuery or a GovernArtifactSearchRequest"
        } else {
            "an array of artifact ids"
        };
        return Err(local_error(
            call,
            format!("expected {expected}, not {}", value.type_name()),
        ));
    };
    let mut first_at: HashMap<String, usize> = HashMap::with_capacity(array.len());
    let mut inputs = Vec::with_capacity(array.len());
    for (i, element) in array.into_iter().enumerate() {
        let input = element_input(call, i, element)?;
        let input = match first_at.get(&input.id) {
            Some(first) if input.refused.is_none() && !input.id.is_empty() => {
                let why = format!("{} is listed twice (first as item {first})", input.id);
                Input::refused(input.id, input.line, why)
            }
            _ => {
                first_at.entry(input.id.clone()).or_insert(i);
                input
            }
        };
        inputs.push(input);
    }
    Ok(Source::Listed(inputs))
}

/// One element of an input array (item `i`).
fn element_input(call: &'static str, i: usize, element: Dynamic) -> RhaiResult<Input> {
    let plain = |id: String| Input {
        id,
        line: None,
        refused: None,
    };
    if element.is_string() {
        return Ok(plain(element.to_string()));
    }
    if let Some(a) = element.read_lock::<Handle<GovernArtifact>>() {
        return Ok(plain(a.key.clone()));
    }
    if let Some(d) = element.read_lock::<Document<GovernArtifactDefinition>>() {
        return Ok(plain(d.key.clone()));
    }
    if let Some(h) = element.read_lock::<Document<GovernArtifactSearchResponseHit>>() {
        return Ok(plain(h.key.clone()));
    }
    if let Some(map) = element.read_lock::<Map>() {
        return map_input(call, i, &map);
    }
    Err(local_error(
        call,
        format!(
            "item {i} must be an artifact id (or a GovernArtifact, or #{{ id }}), not {}",
            element.type_name()
        ),
    ))
}

/// `#{ id, line }`, or `#{ line, error }` for an input known to fail.
fn map_input(call: &'static str, i: usize, map: &Map) -> RhaiResult<Input> {
    let line = map.get("line").and_then(|l| l.as_int().ok());
    let id = map
        .get("id")
        .filter(|v| v.is_string())
        .map(|v| v.to_string());
    match (id, map.get("error").filter(|e| !e.is_unit())) {
        (id, Some(error)) => Ok(Input::refused(
            id.unwrap_or_default(),
            line,
            error.to_string(),
        )),
        (Some(id), None) => Ok(Input {
            id,
            line,
            refused: None,
        }),
        (None, None) => Err(local_error(
            call,
            format!("item {i} is a map without a string id (nor an error)"),
        )),
    }
}

impl Source {
    /// How many inputs there are, when known before starting.
    pub fn total(&self) -> Option<u64> {
        match self {
            Source::Listed(inputs) => Some(inputs.len() as u64),
            Source::Search { .. } => None,
        }
    }

    /// Hands the inputs over on `runtime`, a few at a time: a search is paged as they
    /// are taken, its requests admitted by `throttle`, until `stop()` (a failed page
    /// ends the inputs with one failed item saying so).
    pub fn feed(
        self,
        runtime: &tokio::runtime::Handle,
        client: &GovernClient,
        throttle: &Arc<Throttle>,
        stop: Stop,
    ) -> mpsc::Receiver<Input> {
        let (tx, rx) = mpsc::channel(SEARCH_PAGE as usize);
        match self {
            Source::Listed(inputs) => {
                runtime.spawn(async move {
                    for input in inputs {
                        if tx.send(input).await.is_err() {
                            return;
                        }
                    }
                });
            }
            Source::Search { query, after } => {
                let client = client.in_operation("GovernClient.search", Vec::new());
                let throttle = throttle.clone();
                runtime.spawn(walk(client, throttle, query, after, tx, stop));
            }
        }
        rx
    }
}

/// Pages through the hits of `query` after `after`, handing each artifact on.
async fn walk(
    client: GovernClient,
    throttle: Arc<Throttle>,
    query: Arc<Value>,
    mut after: Option<String>,
    tx: mpsc::Sender<Input>,
    stop: Stop,
) {
    while !stop() {
        let page = throttle
            .run(client.search_artifacts(&query, SEARCH_PAGE, after.as_deref()))
            .await;
        let answer = match page {
            Ok(answer) => answer,
            Err(e) => {
                let at = after
                    .as_deref()
                    .map_or("first page".into(), |a| format!("page after {a}"));
                let why = format!("the search failed ({at}): {}", e.message());
                let _ = tx.send(Input::refused(String::new(), None, why)).await;
                return;
            }
        };
        for hit in hits(&answer) {
            let id = hit_id(hit);
            let next = (!id.is_empty()).then(|| id.clone());
            let input = match id.is_empty() {
                true => Input::refused(id.clone(), None, "the hit has no artifact.id".into()),
                false => Input {
                    id: id.clone(),
                    line: None,
                    refused: None,
                },
            };
            if tx.send(input).await.is_err() {
                return;
            }
            after = next.or(after);
        }
        if last_page(&answer) {
            return;
        }
    }
}
