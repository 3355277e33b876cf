//! `client.search(query)`: every hit of a query, fetched page by page as a script
//! iterates (`for hit in client.search(q) { }`), so memory stays constant whatever the
//! number of artifacts. Beyond Python.
use super::query::Query;
use super::request::{built, hit, hit_id, hits, last_page};
use crate::bindings::bridge::RhaiResult;
use crate::bindings::handle::def;
use crate::bindings::handle::{Api, Handle};
use crate::bindings::kinds::GovernClient;
use crate::bindings::method::methods;
use crate::bindings::register::Register;
use rhai::{Array, Dynamic, EvalAltResult, INT, Module};
use serde_json::{Value, json};
use std::collections::VecDeque;
use std::sync::Arc;

const CALL: &str = "GovernClient.search";

/// Page size of `client.search()` when not given.
pub const DEFAULT_PAGE_SIZE: INT = 100;

/// The hits of a query, not fetched yet: iterating fetches them.
#[derive(Clone)]
pub struct SearchResults {
    api: Api,
    query: Arc<Value>,
    page_size: INT,
}

/// The iteration state: the current page, the cursor and whether the end was seen.
pub struct Pages {
    results: SearchResults,
    page: VecDeque<Value>,
    last: Option<String>,
    done: bool,
}

impl Pages {
    /// Fetches the next page into `page`; marks the end on an empty or last page.
    fn fetch(&mut self) -> RhaiResult<()> {
        let r = &self.results;
        let answer = r.api.run(
            CALL,
            r.api
                .client
                .search_artifacts(&r.query, r.page_size, self.last.as_deref()),
        )?;
        let page = hits(&answer);
        self.done = last_page(&answer);
        if let Some(last) = page.last() {
            self.last = Some(hit_id(last));
        }
        self.page = page.iter().cloned().collect();
        Ok(())
    }
}

impl Iterator for Pages {
    type Item = Result<Dynamic, Box<EvalAltResult>>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.page.is_empty()
            && !self.done
            && let Err(e) = self.fetch()
        {
            self.done = true;
            return Some(Err(e));
        }
        self.page.pop_front().map(|h| Ok(hit(&self.results.api, h)))
    }
}

impl IntoIterator for SearchResults {
    type Item = Result<Dynamic, Box<EvalAltResult>>;
    type IntoIter = Pages;

    fn into_iter(self) -> Pages {
        Pages {
            results: self,
            page: VecDeque::new(),
            last: None,
            done: false,
        }
    }
}

impl crate::bindings::arg::ScriptType for SearchResults {
    const NAME: &'static str = "GovernArtifactSearchResults";
}

/// Checks `page_size` (a page of 0 would never advance).
fn checked_page_size(
    c: &crate::bindings::call::Call<'_, Handle<GovernClient>>,
    n: INT,
) -> RhaiResult<INT> {
    if n < 1 {
        return Err(c.fail(format!("page_size must be at least 1, not {n}")));
    }
    Ok(n)
}

fn results(api: &Api, query: Value, page_size: INT) -> SearchResults {
    SearchResults {
        api: api.clone(),
        query: Arc::new(query),
        page_size,
    }
}

crate::bindings::def::documented_type!(
    "GovernArtifactSearchResults" = SearchResults,
    "The hits of `client.search(query)`, fetched lazily page by page as a `for` loop runs."
);

/// Registers `client.search(..)` and its result type.
pub fn register(engine: &mut impl Register, module: &mut Module) {
    engine
        .register_documented::<SearchResults>()
        .register_iterator_result::<SearchResults, Dynamic>();
    def(
        engine,
        "count",
        &["self: GovernArtifactSearchResults", "int"],
        "The number of hits (fetches every page).",
        |r: &mut SearchResults| -> RhaiResult<INT> {
            let mut n: INT = 0;
            for hit in r.clone() {
                let _ = hit?;
                n += 1;
            }
            Ok(n)
        },
    );
    def(
        engine,
        "to_array",
        &["self: GovernArtifactSearchResults", "Array"],
        "Every hit in one array: loads them all in memory, for small result sets.",
        |r: &mut SearchResults| -> RhaiResult<Array> { r.clone().into_iter().collect() },
    );

    methods! { module; Handle<GovernClient> as c {
        /// Every hit of `query` (all artifacts if not given), fetched `page_size` at a
        /// time (default 100) as `for hit in client.search(q) { }` iterates: constant
        /// memory. `.count()` and `.to_array()` fetch every page.
        fn search(query: Query; page_size: INT = DEFAULT_PAGE_SIZE) -> SearchResults {
            let query = built(c, &query)?;
            Ok(results(&c.api, query, checked_page_size(c, page_size)?))
        }
        /// Every artifact, fetched `page_size` at a time (default 100) as the script iterates.
        fn search(; page_size: INT = DEFAULT_PAGE_SIZE) -> SearchResults {
            let all = json!({"artifactSearchSource": {"type": "all"}, "artifactFilters": []});
            Ok(results(&c.api, all, checked_page_size(c, page_size)?))
        }
    }}
}
