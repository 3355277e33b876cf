//! Who may do what (protocol §6): global-admin and Govern-architect gates, and artifact
//! rights from the blueprint's role assignments ([`rules`]) and its permissions, or the
//! default ones ([`perms`]).
//!
//! Admins and Govern architects (Govern managers: every right but users, groups and
//! settings) have every artifact right. An artifact another principal may not read is
//! answered as missing (404); a write, creation or deletion without the right is a 403
//! that changes nothing. Searches see only readable artifacts through [`view::View`],
//! over the [`grants`] table the store keeps in step.
pub mod cache;
pub mod grants;
pub mod perms;
pub mod rules;
pub mod subject;
pub mod view;

use super::artifact::version_ids;
use super::auth::Principal;
use super::error::{ApiError, ApiResult};
use super::store::{Db, Table};
pub use perms::Perms;
use rules::Rules;
use serde_json::Value;
use subject::subjects_of;

/// `/admin/` paths that need global admin rights (users, groups, API keys, logs,
/// settings, licensing, IAM); every other `/admin/` path needs Govern architect rights.
const ADMIN_ONLY: &[&str] = &[
    "/admin/user",
    "/admin/group",
    "/admin/global-api-key",
    "/admin/globalAPIKey",
    "/admin/log",
    "/admin/general-settings",
    "/admin/licensing",
    "/admin/iam",
    "/admin/authorization-matrix",
    "/admin/custom-audit",
];

/// 403 unless `me` is a global admin.
pub fn require_admin(me: &Principal) -> ApiResult<()> {
    if me.admin {
        return Ok(());
    }
    Err(ApiError::forbidden(format!(
        "Action forbidden: you are not admin ({})",
        me.login
    )))
}

/// 403 unless `me` is a global admin or a Govern architect.
pub fn require_architect(me: &Principal) -> ApiResult<()> {
    if me.admin || me.architect {
        return Ok(());
    }
    Err(ApiError::forbidden(format!(
        "Action forbidden: {} is not a Govern architect: Govern architect (or administrator) rights are required",
        me.login
    )))
}

/// The gate of a route path template: global admin for the [`ADMIN_ONLY`] families,
/// Govern architect for the rest of `/admin/`, none elsewhere.
pub fn require_for_path(me: &Principal, path: &str) -> ApiResult<()> {
    if !path.starts_with("/admin/") {
        Ok(())
    } else if ADMIN_ONLY.iter().any(|p| path.starts_with(p)) {
        require_admin(me)
    } else {
        require_architect(me)
    }
}

/// The rights of `me` on `artifact` (stored, or about to be created).
pub fn artifact_rights(db: &Db, me: &Principal, artifact: &Value) -> ApiResult<Perms> {
    if me.admin || me.architect {
        return Ok(Perms::ALL);
    }
    let (bp, _) = version_ids(artifact);
    let table = perms::permissions_of(db, bp, None)?;
    let subjects = subjects_of(me);
    let mut p = table.everyone;
    for (s, role) in Rules::load(db, bp)?.holdings(artifact) {
        if subjects.contains(&s) {
            p |= table.role(&role);
        }
    }
    Ok(p)
}

/// The artifact `id` if `me` may read it, else a 404 exactly as for a missing one.
pub fn readable(db: &Db, me: &Principal, id: &str) -> ApiResult<Value> {
    let missing = || ApiError::not_found("Artifact", id);
    let art = db.get(Table::Artifacts, id)?.ok_or_else(missing)?;
    if artifact_rights(db, me, &art)?.has(Perms::READ) {
        Ok(art)
    } else {
        Err(missing())
    }
}

/// The artifact `id` if `me` holds `right` on it: 404 if it is not readable, 403 if the
/// right is missing.
pub fn require_on(db: &Db, me: &Principal, id: &str, right: Perms) -> ApiResult<Value> {
    let art = readable(db, me, id)?;
    check(db, me, &art, right)?;
    Ok(art)
}

/// 403 unless `me` holds `right` on `artifact`.
pub fn check(db: &Db, me: &Principal, artifact: &Value, right: Perms) -> ApiResult<()> {
    if artifact_rights(db, me, artifact)?.has(right) {
        return Ok(());
    }
    let what = match right {
        r if r == Perms::CREATE => "create artifacts of blueprint",
        r if r == Perms::DELETE => "delete artifacts of blueprint",
        _ => "write artifacts of blueprint",
    };
    let (bp, _) = version_ids(artifact);
    let id = artifact["id"].as_str().unwrap_or("(new)");
    Err(ApiError::forbidden(format!(
        "Action forbidden: {} may not {what} {bp} ({id})",
        me.login
    )))
}

/// Whether `me` holds some artifact right on blueprint `bp` (what reading it needs).
pub fn sees_blueprint(db: &Db, me: &Principal, bp: &str) -> ApiResult<bool> {
    match view::View::load(db, me)? {
        Some(v) => v.sees_blueprint(db, bp),
        None => Ok(true),
    }
}

#[cfg(test)]
mod tests;
