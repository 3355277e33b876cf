//! Endpoint table: one route file per endpoint family.
mod artifacts;
mod blueprints;
mod instance;
mod search;
mod signoffs;

use super::collection;
use super::designer;
use super::roles;
use super::state::AppState;
use axum::Router;
use axum::routing::{get, post, put};

/// Routes relative to `/dip/publicapi` (also mounted under `/public/api`).
pub fn api() -> Router<AppState> {
    const SO: &str = "/artifact/{ar}/workflow/step/{step}/signoff";
    let designed = designer::COLLECTIONS
        .iter()
        .chain(roles::COLLECTIONS)
        .fold(Router::new(), |r, c| collection::mount(r, *c));
    let designed = super::people::routes(designed);
    let designed = super::pages::routes(designed);
    designed
        .merge(super::keys::routes())
        .merge(super::futures::routes())
        .merge(super::series::routes())
        .merge(super::files::routes())
        .merge(super::admin::routes())
        .route(
            roles::defaults::PATH,
            get(roles::defaults::get).put(roles::defaults::put),
        )
        .route(
            "/admin/blueprint/{bp}/version/{bv}/status",
            put(designer::status::set_status),
        )
        .route("/auth/info", get(instance::auth_info))
        .route("/instance-info", get(instance::instance_info))
        .route("/blueprints", get(blueprints::list))
        .route("/blueprint/{bp}", get(blueprints::get_one))
        .route("/blueprint/{bp}/versions", get(blueprints::versions))
        .route("/blueprint/{bp}/version/{bv}", get(blueprints::version))
        .route("/artifacts", post(artifacts::create))
        .route("/artifacts/search", post(search::search))
        .route(
            "/artifact/{ar}",
            get(artifacts::get_one)
                .put(artifacts::save)
                .delete(artifacts::delete),
        )
        .route("/artifact/{ar}/signoffs", get(artifacts::signoffs))
        .route(&format!("{SO}/create"), post(artifacts::create_signoff))
        .route(SO, get(signoffs::get_one))
        .route(
            &format!("{SO}/schedule-reset"),
            post(signoffs::schedule_reset),
        )
        .route(&format!("{SO}/details"), get(signoffs::details))
        .route(
            &format!("{SO}/update-status"),
            post(signoffs::update_status),
        )
        .route(&format!("{SO}/feedback"), post(signoffs::add_feedback))
        .route(
            &format!("{SO}/feedback/{{fb}}"),
            axum::routing::put(signoffs::edit_feedback).delete(signoffs::delete_feedback),
        )
        .route(
            &format!("{SO}/delegate-feedback"),
            post(signoffs::delegate_feedback),
        )
        .route(
            &format!("{SO}/approval"),
            post(signoffs::add_approval)
                .put(signoffs::edit_approval)
                .delete(signoffs::delete_approval),
        )
        .route(
            &format!("{SO}/delegate-approval"),
            post(signoffs::delegate_approval),
        )
}
