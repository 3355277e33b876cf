//! Demo data applied on the first start of a new database (`--seed demo`).
//!
//! Blueprints: see [`super::seed_blueprints`]. Users (no API keys; act as them with the
//! admin key and `X-DKU-ProxyUser`): `admin` (admin; group `governance_team`), `alice`
//! (`governance_team`), `bob` (`data_scientists`), `carol` (`risk_officers`), `dave`
//! (`data_scientists`), `erin` (`risk_officers`, `governance_team`).
//! So `admin` is in feedback group `business` but not `technical`, approver of `review`
//! but not of `deployment` on `bp.model_review`.
//!
//! Artifacts (`bp.model_review` / `bv.v1` unless said; sign-off statuses per step):
//! - ar.1 "Churn model": review ONGOING; review WAITING_FOR_FEEDBACK with feedback fb.1
//!   (alice, business, APPROVED); deployment NOT_STARTED.
//! - ar.2 "Fraud detector": review ONGOING; review NOT_STARTED; deployment NOT_STARTED.
//! - ar.3 "Credit scoring": review ONGOING; review WAITING_FOR_APPROVAL with fb.2 (alice,
//!   business, MINOR_ISSUE) and fb.3 (bob, technical, APPROVED).
//! - ar.4 "Pricing model": draft/review FINISHED, deployment ONGOING; review APPROVED
//!   (approval by admin); deployment WAITING_FOR_APPROVAL.
//! - ar.5 "Legacy scorecard": review ONGOING; review REJECTED (approval by erin).
//! - ar.6 "Abandoned PoC": review ONGOING; review ABANDONED.
//! - ar.7 "Demand forecast": draft ONGOING; review and deployment NOT_STARTED.
//! - ar.8 "Recommender v1": all steps FINISHED; review APPROVED (admin), deployment
//!   APPROVED (carol).
//! - ar.9 "Anomaly detection": deployment ONGOING; review APPROVED (admin); NO deployment
//!   sign-off (created before that configuration existed): use `create_signoff`.
//! - ar.10 "Archived model": draft ONGOING, `status.archived` true; sign-offs NOT_STARTED.
//! - ar.11 "Image classifier": review ONGOING; review WAITING_FOR_FEEDBACK, no feedback.
//! - ar.12 "Customer 360" (govern_project): exploration ONGOING.
//! - ar.13 "Supply chain optimisation" (govern_project): qualification ONGOING.
//! - ar.14 "Marketing mix" (govern_project): all steps FINISHED.
//! - ar.15 "Retail growth", ar.16 "Cost reduction" (business_initiative).
//! - ar.17 "CHURN", ar.18 "FRAUD" (dataiku_project, node `design-node`; ar.17 governed by ar.12).
//! - ar.19 "CHURN v1" (dataiku_bundle): review ONGOING; review WAITING_FOR_APPROVAL.
//! - ar.20 "CHURN v2" (dataiku_bundle): review FINISHED; review APPROVED (admin).
//! - ar.21 "Churn XGBoost" (govern_model).
//! - ar.22 "churn-prod" (project_deployer_deployment, bundle ar.20).
use super::artifact;
use super::error::ApiResult;
use super::seed_blueprints;
use super::signoff::ops;
use super::store::{Db, Table};
use serde_json::{Map, Value, json};

fn users(db: &Db) -> ApiResult<()> {
    let people = [
        ("admin", "Administrator", vec!["governance_team"], true),
        ("alice", "Alice Martin", vec!["governance_team"], false),
        ("bob", "Bob Chen", vec!["data_scientists"], false),
        ("carol", "Carol Diaz", vec!["risk_officers"], false),
        ("dave", "Dave Okafor", vec!["data_scientists"], false),
        (
            "erin",
            "Erin Novak",
            vec!["risk_officers", "governance_team"],
            false,
        ),
    ];
    for (login, name, groups, admin) in people {
        db.put(
            Table::Users,
            login,
            &json!({"login": login, "displayName": name, "email": format!("{login}@example.com"),
                    "groups": groups, "admin": admin}),
        )?;
    }
    for (name, desc) in [
        ("governance_team", "Governance team"),
        ("data_scientists", "Data scientists"),
        ("risk_officers", "Risk officers"),
    ] {
        db.put(
            Table::Groups,
            name,
            &json!({"name": name, "description": desc, "sourceType": "LOCAL", "admin": false}),
        )?;
    }
    Ok(())
}

/// Creates an artifact through the normal path; `steps` are (step, status) pairs.
fn art(
    db: &Db,
    bp: &str,
    bv: &str,
    name: &str,
    fields: Value,
    steps: &[(&str, &str)],
) -> ApiResult<String> {
    let mut body = Map::new();
    body.insert(
        "blueprintVersionId".into(),
        json!({"blueprintId": bp, "versionId": bv}),
    );
    body.insert("name".into(), json!(name));
    body.insert("fields".into(), fields);
    if !steps.is_empty() {
        let s: Map<String, Value> = steps
            .iter()
            .map(|(k, v)| (k.to_string(), json!({"status": v, "visible": true})))
            .collect();
        body.insert("workflow".into(), json!({ "steps": s }));
    }
    let a = artifact::create(db, body)?;
    Ok(a["id"].as_str().unwrap_or_default().to_string())
}

/// Forces a sign-off into a state (bypassing membership checks: this is seed data).
fn set_signoff(
    db: &Db,
    ar: &str,
    step: &str,
    status: &str,
    feedbacks: &[(&str, &str, &str, &str)],
    approval: Option<(&str, &str)>,
) -> ApiResult<()> {
    let mut so = ops::load(db, ar, step)?;
    let now = super::now_ms();
    let mut list = Vec::new();
    for (author, group, st, comment) in feedbacks {
        list.push(json!({
            "id": format!("fb.{}", db.next_id("feedback")?), "groupId": group, "status": st,
            "comment": comment, "author": author, "createdOn": now, "lastModifiedOn": now,
        }));
    }
    so["feedbackResponses"] = json!(list);
    if let Some((author, st)) = approval {
        so["approverResponse"] = json!({"status": st, "comment": "Seeded decision", "author": author,
                                        "createdOn": now, "lastModifiedOn": now});
    }
    so["status"] = json!(status);
    ops::store(db, &so)
}

/// Applies the whole demo seed.
pub fn apply(db: &Db) -> ApiResult<()> {
    users(db)?;
    seed_blueprints::apply(db)?;
    let mr = |db: &Db, name: &str, owner: &str, risk: &str, score: f64, steps: &[(&str, &str)]| {
        art(
            db,
            "bp.model_review",
            "bv.v1",
            name,
            json!({"owner": owner, "risk": risk, "score": score, "description": format!("{name} (demo)")}),
            steps,
        )
    };
    let review = [
        ("draft", "FINISHED"),
        ("review", "ONGOING"),
        ("deployment", "NOT_STARTED"),
    ];
    let deploy = [
        ("draft", "FINISHED"),
        ("review", "FINISHED"),
        ("deployment", "ONGOING"),
    ];
    let a1 = mr(db, "Churn model", "alice", "Medium", 0.87, &review)?;
    set_signoff(
        db,
        &a1,
        "review",
        "WAITING_FOR_FEEDBACK",
        &[("alice", "business", "APPROVED", "Looks good")],
        None,
    )?;
    mr(db, "Fraud detector", "bob", "High", 0.91, &review)?;
    let a3 = mr(db, "Credit scoring", "carol", "High", 0.78, &review)?;
    set_signoff(
        db,
        &a3,
        "review",
        "WAITING_FOR_APPROVAL",
        &[
            ("alice", "business", "MINOR_ISSUE", "Document the features"),
            ("bob", "technical", "APPROVED", "Solid validation"),
        ],
        None,
    )?;
    let a4 = mr(db, "Pricing model", "dave", "Low", 0.82, &deploy)?;
    set_signoff(
        db,
        &a4,
        "review",
        "APPROVED",
        &[],
        Some(("admin", "APPROVED")),
    )?;
    set_signoff(db, &a4, "deployment", "WAITING_FOR_APPROVAL", &[], None)?;
    let a5 = mr(db, "Legacy scorecard", "erin", "High", 0.55, &review)?;
    set_signoff(
        db,
        &a5,
        "review",
        "REJECTED",
        &[],
        Some(("erin", "REJECTED")),
    )?;
    let a6 = mr(db, "Abandoned PoC", "bob", "Low", 0.4, &review)?;
    set_signoff(db, &a6, "review", "ABANDONED", &[], None)?;
    mr(
        db,
        "Demand forecast",
        "alice",
        "Medium",
        0.73,
        &[("draft", "ONGOING")],
    )?;
    let a8 = mr(
        db,
        "Recommender v1",
        "dave",
        "Low",
        0.88,
        &[
            ("draft", "FINISHED"),
            ("review", "FINISHED"),
            ("deployment", "FINISHED"),
        ],
    )?;
    set_signoff(
        db,
        &a8,
        "review",
        "APPROVED",
        &[],
        Some(("admin", "APPROVED")),
    )?;
    set_signoff(
        db,
        &a8,
        "deployment",
        "APPROVED",
        &[],
        Some(("carol", "APPROVED")),
    )?;
    let a9 = mr(db, "Anomaly detection", "erin", "Medium", 0.8, &deploy)?;
    set_signoff(
        db,
        &a9,
        "review",
        "APPROVED",
        &[],
        Some(("admin", "APPROVED")),
    )?;
    db.delete(Table::Signoffs, &ops::signoff_key(&a9, "deployment"))?;
    let a10 = mr(
        db,
        "Archived model",
        "carol",
        "Low",
        0.5,
        &[("draft", "ONGOING")],
    )?;
    let mut archived = artifact::load(db, &a10)?;
    archived["status"]["archived"] = json!(true);
    db.put(Table::Artifacts, &a10, &archived)?;
    let a11 = mr(db, "Image classifier", "bob", "Medium", 0.93, &review)?;
    set_signoff(db, &a11, "review", "WAITING_FOR_FEEDBACK", &[], None)?;

    let gp = "bp.system.govern_project";
    let d = "bv.system.default";
    let p1 = art(
        db,
        gp,
        d,
        "Customer 360",
        json!({"description": "Unified customer view", "qualification_risk_rating": "Low"}),
        &[("exploration", "ONGOING")],
    )?;
    art(
        db,
        gp,
        d,
        "Supply chain optimisation",
        json!({"description": "Reduce stock-outs", "qualification_risk_rating": "Medium"}),
        &[("exploration", "FINISHED"), ("qualification", "ONGOING")],
    )?;
    art(
        db,
        gp,
        d,
        "Marketing mix",
        json!({"description": "Channel attribution", "qualification_risk_rating": "High"}),
        &[
            ("exploration", "FINISHED"),
            ("qualification", "FINISHED"),
            ("progress", "FINISHED"),
            ("rollout", "FINISHED"),
            ("delivery", "FINISHED"),
        ],
    )?;
    let bi = "bp.system.business_initiative";
    art(
        db,
        bi,
        d,
        "Retail growth",
        json!({"description": "Grow retail revenue", "sponsor": "erin"}),
        &[],
    )?;
    art(
        db,
        bi,
        d,
        "Cost reduction",
        json!({"description": "Cut operating costs", "sponsor": "carol"}),
        &[],
    )?;
    let dp = "bp.system.dataiku_project";
    art(
        db,
        dp,
        d,
        "CHURN",
        json!({"node_id": "design-node", "project_key": "CHURN", "automation_node": false, "governed_by": p1}),
        &[],
    )?;
    art(
        db,
        dp,
        d,
        "FRAUD",
        json!({"node_id": "design-node", "project_key": "FRAUD", "automation_node": false}),
        &[],
    )?;
    let db_bp = "bp.system.dataiku_bundle";
    let b1 = art(
        db,
        db_bp,
        d,
        "CHURN v1",
        json!({"node_id": "design-node", "project_key": "CHURN", "bundle_id": "v1"}),
        &[("review", "ONGOING")],
    )?;
    set_signoff(db, &b1, "review", "WAITING_FOR_APPROVAL", &[], None)?;
    let b2 = art(
        db,
        db_bp,
        d,
        "CHURN v2",
        json!({"node_id": "design-node", "project_key": "CHURN", "bundle_id": "v2"}),
        &[("review", "FINISHED")],
    )?;
    set_signoff(
        db,
        &b2,
        "review",
        "APPROVED",
        &[],
        Some(("admin", "APPROVED")),
    )?;
    art(
        db,
        "bp.system.govern_model",
        d,
        "Churn XGBoost",
        json!({"description": "Gradient boosted churn model", "algorithm": "XGBoost"}),
        &[],
    )?;
    art(
        db,
        "bp.system.project_deployer_deployment",
        d,
        "churn-prod",
        json!({"node_id": "deployer-node", "deployment_id": "churn-prod", "dataiku_bundle": b2}),
        &[],
    )?;
    Ok(())
}
