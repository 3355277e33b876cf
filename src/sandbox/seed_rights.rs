//! The demo seed's identities and rights (`seed/rights.json`), applied after the rest of
//! the demo seed; a file of its own so that it can be dropped or replaced whole.
//!
//! - groups `readers` (alice), `contributors` (bob), `project_managers` (carol) and
//!   `govern_managers` (dave; `isGovernArchitect`), added to their members' groups;
//! - a user API key `<login>-sandbox-key` for each non-admin user (`alice-sandbox-key`
//!   …), stored hashed as every key;
//! - role assignments: `bp.system.business_initiative` and `bp.system.dataiku_project`
//!   read by `readers`, edited by `contributors`, managed by `project_managers` (and a
//!   business initiative by its `sponsor`); `bp.model_review` read by the three
//!   original groups, edited by its `owner`, managed by `risk_officers` when its risk is
//!   High;
//! - `bp.model_review` has permissions of its own (contributors may not create);
//! - roles `ro.reader`, `ro.contributor`, `ro.project_manager` and the default
//!   permissions, only where none are stored yet.
use super::auth::{key_id, string_list};
use super::error::{ApiError, ApiResult};
use super::rights::perms::DEFAULT_KEY;
use super::store::{Db, Table};
use serde::Deserialize;
use serde_json::{Value, json};

/// The suffix of the seeded user keys: `alice` has `alice-sandbox-key`.
pub const KEY_SUFFIX: &str = "-sandbox-key";

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RightsSeed {
    roles: Vec<Value>,
    default_permissions: Value,
    groups: Vec<SeedGroup>,
    user_keys: Vec<String>,
    role_assignments: Vec<Value>,
    blueprint_permissions: Vec<Value>,
}

#[derive(Deserialize)]
struct SeedGroup {
    #[serde(flatten)]
    doc: serde_json::Map<String, Value>,
    members: Vec<String>,
}

fn id_of<'a>(doc: &'a Value, key: &str) -> ApiResult<&'a str> {
    doc[key]
        .as_str()
        .ok_or_else(|| ApiError::internal(format!("seed/rights.json: an entry without {key}")))
}

/// Applies `seed/rights.json`.
pub fn apply(db: &Db) -> ApiResult<()> {
    let seed: RightsSeed = serde_json::from_str(include_str!("seed/rights.json"))
        .map_err(|e| ApiError::internal(format!("invalid seed file seed/rights.json: {e}")))?;
    for role in &seed.roles {
        let id = id_of(role, "id")?;
        if db.get(Table::Roles, id)?.is_none() {
            db.put(Table::Roles, id, role)?;
        }
    }
    if db.get(Table::Settings, DEFAULT_KEY)?.is_none() {
        db.put(Table::Settings, DEFAULT_KEY, &seed.default_permissions)?;
    }
    for g in seed.groups {
        let doc = Value::Object(g.doc);
        let name = id_of(&doc, "name")?.to_string();
        db.put(Table::Groups, &name, &doc)?;
        for login in &g.members {
            join(db, login, &name)?;
        }
    }
    for login in &seed.user_keys {
        add_user_key(db, login)?;
    }
    for ra in &seed.role_assignments {
        db.put(Table::RoleAssignments, id_of(ra, "blueprintId")?, ra)?;
    }
    for p in &seed.blueprint_permissions {
        db.put(Table::BlueprintPermissions, id_of(p, "blueprintId")?, p)?;
    }
    Ok(())
}

/// Adds group `group` to the stored user `login`'s groups.
fn join(db: &Db, login: &str, group: &str) -> ApiResult<()> {
    let mut user = db
        .get(Table::Users, login)?
        .ok_or_else(|| ApiError::internal(format!("seed/rights.json: no user {login}")))?;
    let mut groups = string_list(&user["groups"]);
    if !groups.iter().any(|g| g == group) {
        groups.push(group.to_string());
    }
    user["groups"] = json!(groups);
    db.put(Table::Users, login, &user)
}

/// Stores the user key `<login>-sandbox-key` of `login` (its hash, as every key).
fn add_user_key(db: &Db, login: &str) -> ApiResult<()> {
    let secret = format!("{login}{KEY_SUFFIX}");
    let doc = json!({
        "id": format!("uk.{login}-sandbox"),
        "kind": "user",
        "login": login,
        "label": format!("{login}'s sandbox key"),
        "description": "Seeded by the sandbox's demo data (README: test your script as a restricted user)",
        "createdOn": super::now_ms(),
        "createdBy": "admin",
        "globalPermissions": {"admin": false},
    });
    db.put(Table::ApiKeys, &key_id(&secret), &doc)
}
