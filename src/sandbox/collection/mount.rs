//! Mounting a [`Collection`] on the router: its declaration's path templates become
//! axum routes (`{}` → `{p0}`, `{p1}`, …) served by the generic handlers.
use super::Query;
use super::handlers::{self, Coll};
use crate::protocol::Create;
use crate::sandbox::auth::Principal;
use crate::sandbox::extract::{GovernJson, GovernQuery};
use crate::sandbox::state::AppState;
use axum::Extension;
use axum::Router;
use axum::extract::{Path, State};
use axum::routing::{MethodRouter, get, post};
use serde_json::Value;

/// The captured key parts, in path order.
type Parts = Path<Vec<(String, String)>>;
type Me = Extension<Principal>;

/// `template` with each `{}` named for axum (`{p0}`, `{p1}`, …), without a trailing
/// `/` (the server drops it before routing: `/admin/users/` is served at `/admin/users`).
pub fn axum_path(template: &str) -> String {
    let mut pieces = template.split("{}");
    let mut out = pieces.next().unwrap_or_default().to_string();
    for (i, piece) in pieces.enumerate() {
        out.push_str(&format!("{{p{i}}}"));
        out.push_str(piece);
    }
    if out.len() > 1 && out.ends_with('/') {
        out.pop();
    }
    out
}

fn values(Path(parts): Parts) -> Vec<String> {
    parts.into_iter().map(|(_, v)| v).collect()
}

/// Adds the list, create and item routes of `c` to `router`.
pub fn mount(router: Router<AppState>, c: Coll) -> Router<AppState> {
    let r = c.resource();
    let list: MethodRouter<AppState> =
        get(move |State(st), Extension(me): Me, p: Parts| handlers::list(c, st, me, values(p)));
    let create = post(
        move |State(st),
              Extension(me): Me,
              p: Parts,
              GovernQuery(q): GovernQuery<Query>,
              GovernJson(body): GovernJson<Value>| {
            handlers::create(c, st, me, values(p), q, body)
        },
    );
    let item =
        get(move |State(st), Extension(me): Me, p: Parts| handlers::get(c, st, me, values(p)))
            .put(
                move |State(st),
                      Extension(me): Me,
                      p: Parts,
                      GovernQuery(q): GovernQuery<Query>,
                      GovernJson(body): GovernJson<Value>| {
                    handlers::put(c, st, me, values(p), q, body)
                },
            )
            .delete(move |State(st), Extension(me): Me, p: Parts| {
                handlers::delete(c, st, me, values(p))
            });
    // One `route` per path: the list and the creation often share theirs (routes
    // drop a trailing slash: Python creates roles on `/admin/roles/`).
    let (list_path, create_path) = (axum_path(r.list), axum_path(r.create));
    let (list, item) = match r.creation {
        Create::AtItemPath => (list, item.merge(create)),
        Create::None => (list, item),
        _ if create_path == list_path => (list.merge(create), item),
        _ => {
            return router
                .route(&list_path, list)
                .route(&create_path, create)
                .route(&axum_path(r.item), item);
        }
    };
    router
        .route(&list_path, list)
        .route(&axum_path(r.item), item)
}

#[cfg(test)]
mod tests {
    use super::axum_path;

    #[test]
    fn templates_become_named_captures() {
        assert_eq!(
            axum_path("/admin/blueprint/{}/version/{}"),
            "/admin/blueprint/{p0}/version/{p1}"
        );
        assert_eq!(axum_path("/admin/blueprints"), "/admin/blueprints");
    }

    #[test]
    fn a_list_path_ending_with_a_slash_used_to_become_an_unreachable_route() {
        // Python lists users at `/admin/users/`; the server drops the trailing slash
        // before routing, so a route keeping it never matched.
        assert_eq!(axum_path("/admin/groups/"), "/admin/groups");
        assert_eq!(axum_path("/"), "/");
    }
}
