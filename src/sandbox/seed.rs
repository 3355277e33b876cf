//! Demo data applied on the first start of a new database (`--seed demo`).
//!
//! The data lives in JSON files under `seed/`, embedded at compile time:
//! - `users.json`: users and groups (their keys and rights: [`super::seed_rights`]). `admin` is in `governance_team`, hence in feedback group
//!   `business` but not `technical`, and approver of `review` but not of `deployment` on
//!   `bp.model_review`.
//! - `blueprints.json`: the system blueprints `bp.system.*` (ACTIVE `bv.system.default`) and
//!   the custom `bp.model_review` (ACTIVE `bv.v1` with steps `draft`, `review`,
//!   `deployment`; DRAFT `bv.v2` forked from it), each version with its sign-off
//!   configurations, stored as they are.
//! - `roles.json`: the system roles `ro.reader`, `ro.contributor`, `ro.project_manager`,
//!   the default permissions and `bp.system.business_initiative`'s role assignments.
//! - `artifacts.json`: `ar.1` … `ar.22`, created through the normal creation path, then
//!   their sign-offs forced into the listed states (e.g. `ar.9` has no deployment
//!   sign-off, to exercise `create_signoff`; `ar.10` is archived).
use super::artifact;
use super::error::{ApiError, ApiResult};
use super::signoff::ops;
use super::signoff::status::{ApprovalStatus, FeedbackStatus, SignoffStatus};
use super::store::{Db, Table};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

/// `users.json`: documents stored as they are, keyed by `login` / `name`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct People {
    users: Vec<Value>,
    groups: Vec<Value>,
}

/// `roles.json`: the system roles, the default permissions and the role
/// assignments of `bp.system.business_initiative` (one empty rule list per system
/// role, which the developer guide's scenario 9 appends to), stored as they are.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Roles {
    roles: Vec<Value>,
    default_permissions: Value,
    role_assignments: Vec<Value>,
}

/// One entry of `blueprints.json`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedBlueprint {
    blueprint: Value,
    versions: Vec<SeedVersion>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SeedVersion {
    blueprint_version: Value,
    blueprint_version_trace: Value,
    #[serde(default)]
    signoff_configurations: Vec<Value>,
}

/// One entry of `artifacts.json`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SeedArtifact {
    /// The id the artifact must receive (ids are allocated in file order).
    id: String,
    blueprint: String,
    version: String,
    name: String,
    fields: Value,
    /// Workflow step → status (all visible).
    #[serde(default)]
    steps: Map<String, Value>,
    #[serde(default)]
    signoffs: Vec<SeedSignoff>,
    /// Steps whose sign-off is removed after creation.
    #[serde(default)]
    without_signoffs: Vec<String>,
    #[serde(default)]
    archived: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SeedSignoff {
    step: String,
    status: SignoffStatus,
    #[serde(default)]
    feedbacks: Vec<SeedFeedback>,
    approval: Option<SeedApproval>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SeedFeedback {
    author: String,
    group_id: String,
    status: FeedbackStatus,
    comment: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedApproval {
    author: String,
    status: ApprovalStatus,
}

fn parse<T: DeserializeOwned>(file: &str, text: &str) -> ApiResult<T> {
    serde_json::from_str(text)
        .map_err(|e| ApiError::internal(format!("invalid seed file seed/{file}: {e}")))
}

fn key<'a>(doc: &'a Value, path: &[&str]) -> ApiResult<&'a str> {
    path.iter()
        .fold(doc, |v, k| &v[*k])
        .as_str()
        .ok_or_else(|| ApiError::internal(format!("seed document without {}", path.join("."))))
}

/// Applies the whole demo seed.
pub fn apply(db: &Db) -> ApiResult<()> {
    let people: People = parse("users.json", include_str!("seed/users.json"))?;
    for u in &people.users {
        db.put(Table::Users, key(u, &["login"])?, u)?;
    }
    for g in &people.groups {
        db.put(Table::Groups, key(g, &["name"])?, g)?;
    }
    let blueprints: Vec<SeedBlueprint> =
        parse("blueprints.json", include_str!("seed/blueprints.json"))?;
    for bp in blueprints {
        db.put(
            Table::Blueprints,
            key(&bp.blueprint, &["id"])?,
            &bp.blueprint,
        )?;
        for v in bp.versions {
            let id = &v.blueprint_version["id"];
            let (b, bv) = (key(id, &["blueprintId"])?, key(id, &["versionId"])?);
            let entry = json!({
                "blueprintVersion": v.blueprint_version,
                "blueprintVersionTrace": v.blueprint_version_trace,
            });
            db.put(Table::Versions, &artifact::version_key(b, bv), &entry)?;
            for conf in &v.signoff_configurations {
                let step = key(conf, &["id", "stepId"])?;
                db.put(Table::SignoffConfigs, &ops::config_key(b, bv, step), conf)?;
            }
        }
    }
    let roles: Roles = parse("roles.json", include_str!("seed/roles.json"))?;
    for r in &roles.roles {
        db.put(Table::Roles, key(r, &["id"])?, r)?;
    }
    db.put(
        Table::Settings,
        super::roles::defaults::KEY,
        &roles.default_permissions,
    )?;
    for ra in &roles.role_assignments {
        db.put(Table::RoleAssignments, key(ra, &["blueprintId"])?, ra)?;
    }
    let artifacts: Vec<SeedArtifact> =
        parse("artifacts.json", include_str!("seed/artifacts.json"))?;
    artifacts
        .into_iter()
        .try_for_each(|a| create_artifact(db, a))?;
    super::seed_rights::apply(db)?;
    super::pages::standard::apply(db)
}

/// Creates an artifact through the normal path, then forces its sign-offs' states.
fn create_artifact(db: &Db, a: SeedArtifact) -> ApiResult<()> {
    let mut body = Map::new();
    body.insert(
        "blueprintVersionId".into(),
        json!({"blueprintId": a.blueprint, "versionId": a.version}),
    );
    body.insert("name".into(), json!(a.name));
    body.insert("fields".into(), a.fields);
    if !a.steps.is_empty() {
        let steps: Map<String, Value> = a
            .steps
            .into_iter()
            .map(|(k, status)| (k, json!({"status": status, "visible": true})))
            .collect();
        body.insert("workflow".into(), json!({ "steps": steps }));
    }
    let mut art = artifact::create(db, body)?;
    if art["id"] != a.id.as_str() {
        return Err(ApiError::internal(format!(
            "seed artifact {} was created as {}",
            a.id, art["id"]
        )));
    }
    for so in &a.signoffs {
        set_signoff(db, &a.id, so)?;
    }
    for step in &a.without_signoffs {
        db.delete(Table::Signoffs, &ops::signoff_key(&a.id, step))?;
    }
    if a.archived {
        art["status"]["archived"] = json!(true);
        db.put(Table::Artifacts, &a.id, &art)?;
    }
    Ok(())
}

/// Forces a sign-off into a state (bypassing membership checks: this is seed data).
fn set_signoff(db: &Db, ar: &str, seed: &SeedSignoff) -> ApiResult<()> {
    let mut so = ops::load(db, ar, &seed.step)?;
    let now = super::now_ms();
    let mut list = Vec::new();
    for fb in &seed.feedbacks {
        list.push(json!({
            "id": format!("fb.{}", db.next_id("feedback")?), "groupId": fb.group_id,
            "status": fb.status, "comment": fb.comment, "author": fb.author,
            "createdOn": now, "lastModifiedOn": now,
        }));
    }
    so["feedbackResponses"] = json!(list);
    if let Some(ap) = &seed.approval {
        so["approverResponse"] = json!({
            "status": ap.status, "comment": "Seeded decision", "author": ap.author,
            "createdOn": now, "lastModifiedOn": now,
        });
    }
    so["status"] = json!(seed.status);
    ops::store(db, &so)
}
