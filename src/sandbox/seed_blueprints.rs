//! Demo blueprints, versions and sign-off configurations (protocol §7).
//!
//! System blueprints `bp.system.*` each have an ACTIVE `bv.system.default`. The custom
//! `bp.model_review` ("Model review") has ACTIVE `bv.v1` (steps `draft`, `review`,
//! `deployment`; fields `owner` TEXT, `risk` CATEGORY Low/Medium/High, `score` NUMBER,
//! `description` TEXT) and DRAFT `bv.v2` forked from it (plus field `notes`).
//!
//! Sign-off configurations:
//! - `bp.model_review` `review`: feedback groups `business` (group `governance_team`, user
//!   `alice`) and `technical` (group `data_scientists`, user `bob`); approvers user `admin`
//!   and group `risk_officers`; not mandatory.
//! - `bp.model_review` `deployment`: approval only, approvers user `carol` and group
//!   `risk_officers`; mandatory.
//! - `bp.system.dataiku_bundle` and `bp.system.govern_bundle` `review`: feedback group
//!   `reviewers` (group `governance_team`), approvers group `risk_officers` and user `admin`.
use super::artifact::version_key;
use super::error::ApiResult;
use super::signoff::ops::config_key;
use super::store::{Db, Table};
use serde_json::{Map, Value, json};

/// A STORE field definition.
fn field(label: &str, ty: &str) -> Value {
    json!({"label": label, "description": "", "fieldType": ty, "required": false, "sourceType": "STORE"})
}

fn category(label: &str, cats: &[&str]) -> Value {
    let mut f = field(label, "CATEGORY");
    f["categories"] = json!(cats);
    f
}

fn reference(label: &str, allowed: &[&str], list: bool) -> Value {
    let mut f = field(label, "REFERENCE");
    f["allowedBlueprints"] = json!(allowed);
    if list {
        f["listConfig"] = json!({});
    }
    f
}

fn user(login: &str) -> Value {
    json!({"usersContainer": {"type": "user", "login": login}})
}

fn group(name: &str) -> Value {
    json!({"usersContainer": {"type": "group", "groupName": name}})
}

fn blueprint(db: &Db, id: &str, name: &str, icon: &str, color: &str) -> ApiResult<()> {
    db.put(
        Table::Blueprints,
        id,
        &json!({"id": id, "name": name, "icon": icon, "color": color, "backgroundColor": "#f2f2f2"}),
    )
}

/// Stores a version entry (definition + trace).
#[allow(clippy::too_many_arguments)]
fn version(
    db: &Db,
    bp: &str,
    bv: &str,
    name: &str,
    status: &str,
    origin: Option<&str>,
    fields: Vec<(&str, Value)>,
    steps: &[(&str, &str)],
) -> ApiResult<()> {
    let defs: Map<String, Value> = fields
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    let steps: Vec<Value> = steps
        .iter()
        .map(|(id, n)| json!({"id": id, "name": n, "displaySignoffAfterView": false}))
        .collect();
    let id = json!({"blueprintId": bp, "versionId": bv});
    let entry = json!({
        "blueprintVersion": {
            "id": id,
            "name": name,
            "instructions": "",
            "fieldDefinitions": defs,
            "workflowDefinition": {"stepDefinitions": steps},
            "logicalHookList": [],
            "uiDefinition": {"views": {}, "uiStepDefinitions": {}},
            "actions": {},
            "iconMode": "INHERIT",
        },
        "blueprintVersionTrace": {"blueprintVersionId": id, "status": status, "originVersionId": origin},
    });
    db.put(Table::Versions, &version_key(bp, bv), &entry)
}

/// Stores a sign-off configuration.
#[allow(clippy::too_many_arguments)]
fn signoff(
    db: &Db,
    bp: &str,
    bv: &str,
    step: &str,
    title: &str,
    mandatory: bool,
    groups: Vec<(&str, &str, Vec<Value>)>,
    approvers: Vec<Value>,
) -> ApiResult<()> {
    let groups: Vec<Value> = groups
        .into_iter()
        .map(|(id, t, users)| json!({"id": id, "title": t, "users": users}))
        .collect();
    let conf = json!({
        "id": {"blueprintId": bp, "versionId": bv, "stepId": step},
        "title": title,
        "description": format!("{title} of the {step} step"),
        "mandatory": mandatory,
        "feedbackUsersGroups": groups,
        "approvers": approvers,
        "recurrenceConfiguration": {"activated": false, "days": 0, "weeks": 0, "months": 0, "years": 0, "reloadConf": false},
    });
    db.put(Table::SignoffConfigs, &config_key(bp, bv, step), &conf)
}

const DEFAULT: &str = "bv.system.default";

/// Stores every demo blueprint, version and sign-off configuration.
pub fn apply(db: &Db) -> ApiResult<()> {
    let text = |l: &str| field(l, "TEXT");
    blueprint(
        db,
        "bp.system.govern_project",
        "Govern project",
        "work",
        "#2b66ff",
    )?;
    version(
        db,
        "bp.system.govern_project",
        DEFAULT,
        "Default",
        "ACTIVE",
        None,
        vec![
            ("description", text("Description")),
            (
                "business_initiative",
                reference(
                    "Business initiative",
                    &["bp.system.business_initiative"],
                    false,
                ),
            ),
            (
                "dataiku_item",
                reference("Dataiku items", &["bp.system.dataiku_project"], true),
            ),
            (
                "qualification_risk_rating",
                category("Risk rating", &["Low", "Medium", "High"]),
            ),
        ],
        &[
            ("exploration", "Exploration"),
            ("qualification", "Qualification"),
            ("progress", "In progress"),
            ("rollout", "Rollout"),
            ("delivery", "Delivery"),
        ],
    )?;
    blueprint(
        db,
        "bp.system.business_initiative",
        "Business initiative",
        "flag",
        "#8541aa",
    )?;
    version(
        db,
        "bp.system.business_initiative",
        DEFAULT,
        "Default",
        "ACTIVE",
        None,
        vec![
            ("description", text("Description")),
            ("sponsor", text("Sponsor")),
        ],
        &[],
    )?;
    blueprint(
        db,
        "bp.system.dataiku_project",
        "Dataiku project",
        "dku-icon-project",
        "#3b99fc",
    )?;
    version(
        db,
        "bp.system.dataiku_project",
        DEFAULT,
        "Default",
        "ACTIVE",
        None,
        vec![
            ("node_id", text("Node id")),
            ("project_key", text("Project key")),
            ("automation_node", field("Automation node", "BOOLEAN")),
            (
                "governed_by",
                reference("Governed by", &["bp.system.govern_project"], false),
            ),
        ],
        &[],
    )?;
    blueprint(
        db,
        "bp.system.dataiku_bundle",
        "Dataiku bundle",
        "dku-icon-bundle",
        "#5da0e0",
    )?;
    version(
        db,
        "bp.system.dataiku_bundle",
        DEFAULT,
        "Default",
        "ACTIVE",
        None,
        vec![
            ("node_id", text("Node id")),
            ("project_key", text("Project key")),
            ("bundle_id", text("Bundle id")),
            (
                "governed_by",
                reference("Governed by", &["bp.system.govern_bundle"], false),
            ),
        ],
        &[("review", "Review")],
    )?;
    blueprint(
        db,
        "bp.system.govern_bundle",
        "Govern bundle",
        "inventory",
        "#21a68d",
    )?;
    version(
        db,
        "bp.system.govern_bundle",
        DEFAULT,
        "Default",
        "ACTIVE",
        None,
        vec![
            ("description", text("Description")),
            (
                "dataiku_item",
                reference("Dataiku items", &["bp.system.dataiku_bundle"], true),
            ),
        ],
        &[("review", "Review")],
    )?;
    blueprint(
        db,
        "bp.system.govern_model",
        "Govern model",
        "model_training",
        "#f28c38",
    )?;
    version(
        db,
        "bp.system.govern_model",
        DEFAULT,
        "Default",
        "ACTIVE",
        None,
        vec![
            ("description", text("Description")),
            ("algorithm", text("Algorithm")),
        ],
        &[],
    )?;
    blueprint(db, "bp.system.user", "User", "person", "#777777")?;
    version(
        db,
        "bp.system.user",
        DEFAULT,
        "Default",
        "ACTIVE",
        None,
        vec![("login", text("Login")), ("email", text("Email"))],
        &[],
    )?;
    blueprint(db, "bp.system.group", "Group", "group", "#777777")?;
    version(
        db,
        "bp.system.group",
        DEFAULT,
        "Default",
        "ACTIVE",
        None,
        vec![("name", text("Name"))],
        &[],
    )?;
    blueprint(
        db,
        "bp.system.project_deployer_deployment",
        "Project deployer deployment",
        "rocket",
        "#c9483e",
    )?;
    version(
        db,
        "bp.system.project_deployer_deployment",
        DEFAULT,
        "Default",
        "ACTIVE",
        None,
        vec![
            ("node_id", text("Node id")),
            ("deployment_id", text("Deployment id")),
            (
                "dataiku_bundle",
                reference("Bundle", &["bp.system.dataiku_bundle"], false),
            ),
        ],
        &[],
    )?;
    for bp in ["bp.system.dataiku_bundle", "bp.system.govern_bundle"] {
        signoff(
            db,
            bp,
            DEFAULT,
            "review",
            "Bundle review",
            false,
            vec![("reviewers", "Reviewers", vec![group("governance_team")])],
            vec![group("risk_officers"), user("admin")],
        )?;
    }
    blueprint(
        db,
        "bp.model_review",
        "Model review",
        "fact_check",
        "#e0a030",
    )?;
    let mr_fields = || {
        vec![
            ("owner", field("Owner", "TEXT")),
            ("risk", category("Risk", &["Low", "Medium", "High"])),
            ("score", field("Score", "NUMBER")),
            ("description", field("Description", "TEXT")),
        ]
    };
    let mr_steps = [
        ("draft", "Draft"),
        ("review", "Review"),
        ("deployment", "Deployment"),
    ];
    version(
        db,
        "bp.model_review",
        "bv.v1",
        "Version 1",
        "ACTIVE",
        None,
        mr_fields(),
        &mr_steps,
    )?;
    review_signoff(db, "bv.v1")?;
    deployment_signoff(db, "bv.v1")?;
    let mut v2_fields = mr_fields();
    v2_fields.push(("notes", field("Notes", "TEXT")));
    version(
        db,
        "bp.model_review",
        "bv.v2",
        "Version 2",
        "DRAFT",
        Some("bv.v1"),
        v2_fields,
        &mr_steps,
    )?;
    review_signoff(db, "bv.v2")?;
    deployment_signoff(db, "bv.v2")?;
    Ok(())
}

fn review_signoff(db: &Db, bv: &str) -> ApiResult<()> {
    signoff(
        db,
        "bp.model_review",
        bv,
        "review",
        "Model review",
        false,
        vec![
            (
                "business",
                "Business reviewers",
                vec![group("governance_team"), user("alice")],
            ),
            (
                "technical",
                "Technical reviewers",
                vec![group("data_scientists"), user("bob")],
            ),
        ],
        vec![user("admin"), group("risk_officers")],
    )
}

fn deployment_signoff(db: &Db, bv: &str) -> ApiResult<()> {
    signoff(
        db,
        "bp.model_review",
        bv,
        "deployment",
        "Deployment approval",
        true,
        vec![],
        vec![user("carol"), group("risk_officers")],
    )
}
