//! Helpers of the blueprint designer tests (`sandbox_designer*.rs`): its paths, a
//! blueprint with a version, a defined version, status changes and artifacts.
use crate::common::{ADMIN_KEY, API, Resp, Sandbox};
use serde_json::{Value, json};

/// `/admin/blueprint/{bp}`.
pub fn bp_path(bp: &str) -> String {
    format!("{API}/admin/blueprint/{bp}")
}

/// `/admin/blueprint/{bp}/version/{bv}`.
pub fn bv_path(bp: &str, bv: &str) -> String {
    format!("{API}/admin/blueprint/{bp}/version/{bv}")
}

/// The sign-off configuration of step `step` of `bp` / `bv`.
pub fn conf_path(bp: &str, bv: &str, step: &str) -> String {
    format!("{}/workflow/step/{step}/signoff", bv_path(bp, bv))
}

/// A call acting as `login` through the admin key (`X-DKU-ProxyUser`).
pub fn as_user(sb: &Sandbox, login: &str, method: &str, target: &str, body: Option<&str>) -> Resp {
    sb.call_with(
        method,
        target,
        body,
        Some(ADMIN_KEY),
        &[("X-DKU-ProxyUser", login)],
    )
}

/// `PUT` of a JSON document with the admin key.
pub fn put_json(sb: &Sandbox, target: &str, body: &Value) -> Resp {
    sb.call("PUT", target, Some(&body.to_string()))
}

/// Creates blueprint `bp.<id>` and an empty version `bv.v1`; returns their ids.
pub fn blueprint_with_version(sb: &Sandbox, id: &str) -> (String, String) {
    let made = sb.ok(
        "POST",
        &format!("{API}/admin/blueprints?newIdentifier={id}"),
        Some(r#"{"name": "Made here"}"#),
    );
    let bp = made["blueprint"]["id"]
        .as_str()
        .expect("blueprint id")
        .to_string();
    let v = sb.ok(
        "POST",
        &format!("{API}/admin/blueprint/{bp}/versions?newIdentifier=v1&name=V1"),
        None,
    );
    let bv = v["blueprintVersion"]["id"]["versionId"]
        .as_str()
        .expect("version id")
        .to_string();
    (bp, bv)
}

/// Saves a definition with TEXT field `f` and steps `s1`, `s2`; returns it as saved.
pub fn define(sb: &Sandbox, bp: &str, bv: &str) -> Value {
    let mut def = sb.ok("GET", &bv_path(bp, bv), None)["blueprintVersion"].clone();
    def["fieldDefinitions"] = json!({
        "f": {"label": "F", "fieldType": "TEXT", "required": false, "sourceType": "STORE"},
        "n": {"label": "N", "fieldType": "NUMBER", "required": false, "sourceType": "STORE"},
    });
    def["workflowDefinition"] =
        json!({"stepDefinitions": [{"id": "s1", "name": "S1"}, {"id": "s2", "name": "S2"}]});
    sb.ok("PUT", &bv_path(bp, bv), Some(&def.to_string()))["blueprintVersion"].clone()
}

/// Sets the version's status (the JSON string body Python sends).
pub fn set_status(sb: &Sandbox, bp: &str, bv: &str, status: &str) -> Resp {
    sb.call(
        "PUT",
        &format!("{}/status", bv_path(bp, bv)),
        Some(&json!(status).to_string()),
    )
}

/// Creates artifact `A` of `bp` / `bv` with `fields`.
pub fn create_artifact(sb: &Sandbox, bp: &str, bv: &str, fields: Value) -> Resp {
    let body = json!({"blueprintVersionId": {"blueprintId": bp, "versionId": bv}, "name": "A", "fields": fields});
    sb.call("POST", &format!("{API}/artifacts"), Some(&body.to_string()))
}

/// The artifacts of blueprint `bp`, read through the search API.
pub fn artifacts_of(sb: &Sandbox, bp: &str) -> Vec<Value> {
    sb.all_artifacts()
        .into_iter()
        .filter(|a| a["blueprintVersionId"]["blueprintId"] == bp)
        .collect()
}

/// A blueprint made for a test (`bp.<id>` with version `bv.v1`) and what a test adds to
/// it, in a few chained calls:
/// `TestBlueprint::new(&sb, "x").defined().signoff("s1", json!({...}))`.
pub struct TestBlueprint<'a> {
    sb: &'a Sandbox,
    /// The blueprint's id.
    pub bp: String,
    /// The version's id.
    pub bv: String,
}

impl<'a> TestBlueprint<'a> {
    /// Creates blueprint `bp.<id>` with an empty version `bv.v1`.
    pub fn new(sb: &'a Sandbox, id: &str) -> Self {
        let (bp, bv) = blueprint_with_version(sb, id);
        Self { sb, bp, bv }
    }

    /// Saves the definition of [`define`] (fields `f`, `n`; steps `s1`, `s2`).
    pub fn defined(self) -> Self {
        define(self.sb, &self.bp, &self.bv);
        self
    }

    /// Creates the sign-off configuration of step `step`.
    pub fn signoff(self, step: &str, conf: Value) -> Self {
        let target = conf_path(&self.bp, &self.bv, step);
        self.sb.ok("POST", &target, Some(&conf.to_string()));
        self
    }

    /// Saves the blueprint's role assignment rules (`{"ro.x": [rule, ...]}`).
    pub fn role_rules(self, rules: Value) -> Self {
        let doc = json!({"blueprintId": self.bp, "roleAssignmentsRules": rules});
        let target = format!("{API}/admin/blueprint-role-assignments");
        self.sb.ok("POST", &target, Some(&doc.to_string()));
        self
    }
}

/// Creates role `ro.<id>` with the JSON `body`.
pub fn create_role(sb: &Sandbox, id: &str, body: &str) {
    sb.ok(
        "POST",
        &format!("{API}/admin/roles/?newIdentifier={id}"),
        Some(body),
    );
}
