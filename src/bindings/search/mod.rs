//! The artifact search family (`dataikuapi/govern/artifact_search.py`): the builder
//! classes (query, sources, sorts, filters) declared as data ([`spec`]) over one generic
//! type ([`builder`]), the request / response / hit handles ([`request`]), and, beyond
//! Python, `client.search(query)`, a lazy iterator over every hit ([`iter`]).
mod builder;
mod classes;
mod iter;
mod query;
mod request;
mod spec;

pub use query::Query;
pub use request::{
    Cursor, GovernArtifactSearchRequest, GovernArtifactSearchResponseHit, hit_id, hits, last_page,
};

use crate::bindings::register::Register;
use rhai::Module;

/// Registers the search family.
pub fn register(engine: &mut impl Register, module: &mut Module) {
    classes::register(engine, module);
    query::register(module);
    request::register(engine, module);
    iter::register(engine, module);
}
