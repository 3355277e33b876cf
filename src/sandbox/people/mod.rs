//! Users and groups (protocol §2.2–§2.4, §3.13): the `/admin/users` and
//! `/admin/groups` collections, bulk user operations, the caller's own settings,
//! the infos anyone may read, activity and the authorization matrix.
//!
//! Stored documents follow the issue-13 contract (`Table::Users`, `Table::Groups`).
//! The sandbox's choices where Govern's behaviour is unknown: a user's groups must
//! exist (a typo is refused, not stored); a deleted group leaves its members' lists;
//! passwords are stored as SHA-256 and never answered; no change may leave the
//! instance without an enabled administrator; activity records nothing (0).
pub mod activity;
pub mod admins;
pub mod bulk;
pub mod docs;
pub mod groups;
pub mod me;
pub mod users;

use super::auth::Principal;
use super::collection::{self, Query, handlers};
use super::extract::{GovernJson, GovernQuery};
use super::state::AppState;
use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Extension, Router};
use serde_json::Value;

type Me = Extension<Principal>;

/// Adds the users and groups routes to `router`.
pub fn routes(router: Router<AppState>) -> Router<AppState> {
    static USERS: users::Users = users::Users;
    let create = |State(st),
                  Extension(me): Me,
                  GovernQuery(q): GovernQuery<Query>,
                  GovernJson(body): GovernJson<Value>| {
        handlers::create(&USERS, st, me, Vec::new(), q, body)
    };
    let item = get(|State(st), Extension(me): Me, Path(login): Path<String>| {
        handlers::get(&USERS, st, me, vec![login])
    })
    .put(
        |State(st),
         Extension(me): Me,
         Path(login): Path<String>,
         GovernQuery(q): GovernQuery<Query>,
         GovernJson(body): GovernJson<Value>| {
            handlers::put(&USERS, st, me, vec![login], q, body)
        },
    )
    .delete(users::delete);
    let router = collection::mount(router, &groups::Groups);
    router
        .route("/admin/users", get(users::list).post(create))
        .route("/admin/users/{login}", item)
        .route("/admin/users/{login}/activity", get(activity::one))
        .route(
            "/admin/users/actions/bulk",
            axum::routing::post(bulk::create)
                .put(bulk::edit)
                .delete(bulk::delete),
        )
        .route("/admin/users-activity", get(activity::all))
        .route("/admin/authorization-matrix", get(activity::matrix))
        .route("/users", get(me::users))
        .route("/users/{login}", get(me::user))
        .route("/groups", get(me::groups))
        .route("/current-user", get(me::get).put(me::put))
}
