//! Instance administration (protocol §2.6, §2.7), global-admin only: logs and custom
//! audit entries ([`audit`]), the usage summary ([`usage`]), the general and IAM
//! settings ([`settings`]) and licensing ([`licensing`]).
//!
//! What the sandbox models: one log, `audit.log`, whose lines are the audit entries
//! (custom ones and the sandbox's own records of settings and license changes) as JSON
//! with the acting identity and time; the usage summary counts the stored objects;
//! settings are whole documents replaced by a save, whose known keys (those of the
//! seeded document) must keep their JSON type; a license is checked for its shape only
//! (no signature check: the sandbox has no Dataiku key).
pub mod audit;
pub mod defaults;
pub mod licensing;
pub mod settings;
pub mod usage;

use super::state::AppState;
use axum::Router;
use axum::routing::{get, post};

/// The routes, relative to `/dip/publicapi` (the front collapses `/admin//iam/...`,
/// the Python client's save path, into `/admin/iam/...`).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/logs", get(audit::list_logs))
        .route("/admin/logs/{name}", get(audit::get_log))
        .route("/admin/audit/custom/{kind}", post(audit::custom))
        .route(
            "/admin/monitoring/global-usage-summary",
            get(usage::summary),
        )
        .route(
            "/admin/general-settings",
            get(settings::get_general).put(settings::put_general),
        )
        .route(
            "/admin/iam/{kind}",
            get(settings::get_iam).put(settings::put_iam),
        )
        .route("/admin/licensing/status", get(licensing::status))
        .route("/admin/licensing/license", post(licensing::set_license))
}
