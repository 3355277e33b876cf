//! Custom pages (`/admin/custom-page*`, `/custom-page*`, protocol §2.12, §3.10, §10):
//! the pages as a generic collection whose hooks keep Govern's rules ([`page`]), the
//! display order ([`order`]), the readers' routes, which hide pages not marked visible
//! from all but administrators and Govern architects ([`read`]), and the built-in
//! standard pages ([`standard`]).
//!
//! Invariant: the order (in `Table::Settings`) names every stored page exactly once; a
//! creation appends the new page, a deletion removes it, a saved order must name them all.
pub mod order;
pub mod page;
pub mod read;
pub mod standard;

use super::collection::Collection;
use super::state::AppState;
use axum::Router;
use axum::routing::get;

/// The collections of this family, mounted by `routes::api`.
pub static COLLECTIONS: &[&dyn Collection] = &[&page::CustomPages];

/// Adds the family to `router`: the collection, the order and the readers' routes.
pub fn routes(router: Router<AppState>) -> Router<AppState> {
    COLLECTIONS
        .iter()
        .fold(router, |r, c| super::collection::mount(r, *c))
        .route(order::PATH, get(order::get).put(order::put))
        .route("/custom-pages", get(read::list))
        .route("/custom-page/{cp}", get(read::get_one))
}
