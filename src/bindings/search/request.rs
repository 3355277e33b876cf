//! `GovernArtifactSearchRequest` (keyset paging by `lastArtifactId`), its responses and
//! their hits.
use super::query::Query;
use crate::bindings::bridge::RhaiResult;
use crate::bindings::call::Call;
use crate::bindings::def::prop;
use crate::bindings::handle::{Api, Document, Handle};
use crate::bindings::json_ref::JsonRef;
use crate::bindings::kind::kinds;
use crate::bindings::kinds::{GovernArtifact, GovernClient};
use crate::bindings::method::methods;
use crate::bindings::register::Register;
use rhai::{Array, Dynamic, INT, Module};
use serde_json::Value;
use std::fmt;
use std::sync::{Arc, Mutex};

/// A search request's state: the query built when the request was made, and the id
/// of the last artifact fetched so far.
#[derive(Debug, Clone)]
pub struct Cursor {
    /// The built query (later changes to the query object are not seen, as in Python).
    pub query: Arc<Value>,
    /// `lastArtifactId` of the next fetch.
    pub last: Arc<Mutex<Option<String>>>,
}

impl Cursor {
    fn last(&self) -> Option<String> {
        self.last.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

impl PartialEq for Cursor {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.last, &other.last)
    }
}

impl fmt::Display for Cursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.last() {
            Some(id) => write!(f, "after {id}"),
            None => write!(f, "first page"),
        }
    }
}

kinds! {
    /// A search request: `fetch_next_batch()` pages through the hits.
    GovernArtifactSearchRequest: Handle<Cursor>;
    /// One page of hits (keyed by the id of its last hit).
    GovernArtifactSearchResponse: Document<String> raw(response);
    /// One hit (keyed by the artifact id).
    GovernArtifactSearchResponseHit: Document<String> raw(hit);
}

/// The hits of a search answer.
pub fn hits(answer: &Value) -> &[Value] {
    answer
        .get("uiArtifacts")
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// Whether `answer` is the last page of a search (it has no hits, or says there is
/// no next page).
pub fn last_page(answer: &Value) -> bool {
    hits(answer).is_empty() || answer.get("hasNextPage") == Some(&Value::Bool(false))
}

/// The artifact id of a hit (`""` if it has none: `to_artifact()` then fails).
pub fn hit_id(hit: &Value) -> String {
    crate::bindings::call::str_at(hit, "/artifact/id")
}

/// A hit as a script value.
pub fn hit(api: &Api, hit: Value) -> Dynamic {
    Dynamic::from(Document::<GovernArtifactSearchResponseHit>::new(
        api,
        hit_id(&hit),
        hit,
    ))
}

/// The built query of a query object, as the call `c` (a query that cannot be built
/// fails now, as Python's constructor does).
pub fn built<R: crate::bindings::call::Object>(
    c: &Call<'_, R>,
    query: &Query,
) -> RhaiResult<Value> {
    query.obj.build().map_err(|m| c.fail(m))
}

/// Registers the request, response and hit types and methods.
pub fn register(engine: &mut impl Register, module: &mut Module) {
    register_types(engine);
    type Request = Handle<GovernArtifactSearchRequest>;
    prop(
        engine,
        "search_query",
        "The query as built when the request was made (Python's `search_query`).",
        |r: &mut Request| JsonRef::new((*r.key.query).clone()),
    );
    prop(
        engine,
        "last_artifact_id",
        "The id of the last hit fetched so far (the paging cursor), or `()`.",
        |r: &mut Request| r.key.last().map_or(Dynamic::UNIT, Dynamic::from),
    );

    methods! { module; Handle<GovernClient> as c {
        /// A search request for `artifact_search_query` (built now: later changes to the
        /// query are not seen); page through it with `fetch_next_batch()`.
        fn new_artifact_search_request(artifact_search_query: Query) -> Handle<GovernArtifactSearchRequest> {
            let query = built(c, &artifact_search_query)?;
            Ok(c.handle(Cursor { query: Arc::new(query), last: Arc::default() }))
        }
    }}

    methods! { module; Handle<GovernArtifactSearchRequest> as r {
        /// Fetches the next page of `page_size` hits (after the last artifact fetched so
        /// far); an empty page leaves the position unchanged.
        fn fetch_next_batch(; page_size: INT = 20) -> Document<GovernArtifactSearchResponse> {
            let last = r.key.last();
            let answer = r.run(r.client().search_artifacts(&r.key.query, page_size, last.as_deref()))?;
            let page_last = hits(&answer).last().map(hit_id);
            if let Some(id) = &page_last {
                *r.key.last.lock().unwrap_or_else(|e| e.into_inner()) = Some(id.clone());
            }
            Ok(r.document(page_last.unwrap_or_default(), answer))
        }
    }}

    methods! { module; Document<GovernArtifactSearchResponse> as resp {
        /// The page's hits, as `GovernArtifactSearchResponseHit`s.
        fn get_response_hits() -> Array {
            Ok(hits(&resp.raw.snapshot()).iter().map(|h| hit(&resp.api, h.clone())).collect())
        }
    }}

    methods! { module; Document<GovernArtifactSearchResponseHit> as h {
        /// The artifact of this hit (no request).
        fn to_artifact() -> Handle<GovernArtifact> {
            if h.key.is_empty() {
                return Err(h.fail("the hit has no artifact.id"));
            }
            Ok(h.handle(h.key.clone()))
        }
    }}
}
