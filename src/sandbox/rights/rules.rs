//! Role-assignment rules (protocol §3.9, issue-13 contract): who holds which role on an
//! artifact. A rule `{criteria, userContainers, fieldIds}` of role `r` gives `r` to the
//! users, groups and global keys it names, to the logins or group names held in the
//! artifact's fields `fieldIds`, and (a `role` container) to whoever holds another role
//! on the artifact, when every criterion matches the artifact.
use super::subject::Subject;
use crate::sandbox::error::ApiResult;
use crate::sandbox::search::index::scalar_texts;
use crate::sandbox::store::{Db, Table};
use serde_json::Value;
use std::collections::BTreeSet;

/// Who a container names: a subject, or the holders of a role.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Container {
    Subject(Subject),
    Role(String),
}

/// One rule of one role.
#[derive(Debug, Clone)]
struct Rule {
    role: String,
    criteria: Vec<Value>,
    containers: Vec<Container>,
    field_ids: Vec<String>,
}

impl Rule {
    /// Static: holds on every artifact of the blueprint, for the subjects it names.
    fn is_static(&self) -> bool {
        self.criteria.is_empty()
            && self.field_ids.is_empty()
            && self
                .containers
                .iter()
                .all(|c| matches!(c, Container::Subject(_)))
    }

    fn applies_to(&self, artifact: &Value) -> bool {
        self.criteria.iter().all(|c| criterion_matches(c, artifact))
    }
}

/// A role held by a subject.
pub type Holding = (Subject, String);

/// The rules of one blueprint.
#[derive(Debug, Clone, Default)]
pub struct Rules(Vec<Rule>);

impl Rules {
    /// The rules stored for blueprint `bp` (none when it has no role assignments).
    pub fn load(db: &Db, bp: &str) -> ApiResult<Rules> {
        Ok(db
            .get(Table::RoleAssignments, bp)?
            .map(|doc| Rules::from_doc(&doc))
            .unwrap_or_default())
    }

    /// The rules of a role-assignments document; malformed entries are skipped (the
    /// roles endpoints validate what they store).
    pub fn from_doc(doc: &Value) -> Rules {
        let mut rules = Vec::new();
        for (role, list) in doc["roleAssignmentsRules"]
            .as_object()
            .into_iter()
            .flatten()
        {
            for rule in list.as_array().into_iter().flatten() {
                rules.push(Rule {
                    role: role.clone(),
                    criteria: rule["criteria"].as_array().cloned().unwrap_or_default(),
                    containers: rule["userContainers"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(container)
                        .collect(),
                    field_ids: rule["fieldIds"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|f| f.as_str().map(str::to_string))
                        .collect(),
                });
            }
        }
        Rules(rules)
    }

    /// Whether some rule depends on the artifact (criteria, fields, role containers).
    pub fn has_dynamic(&self) -> bool {
        self.0.iter().any(|r| !r.is_static())
    }

    /// The roles the static rules give, whatever the artifact.
    pub fn static_holdings(&self) -> BTreeSet<Holding> {
        let mut out = BTreeSet::new();
        for rule in self.0.iter().filter(|r| r.is_static()) {
            for c in &rule.containers {
                if let Container::Subject(s) = c {
                    out.insert((s.clone(), rule.role.clone()));
                }
            }
        }
        out
    }

    /// Every role held on `artifact`, by whom (role containers resolved to a fixpoint).
    pub fn holdings(&self, artifact: &Value) -> BTreeSet<Holding> {
        let applying: Vec<&Rule> = self.0.iter().filter(|r| r.applies_to(artifact)).collect();
        let mut held = BTreeSet::new();
        let mut texts = Vec::new();
        for rule in &applying {
            for c in &rule.containers {
                if let Container::Subject(s) = c {
                    held.insert((s.clone(), rule.role.clone()));
                }
            }
            for f in &rule.field_ids {
                texts.clear();
                scalar_texts(&artifact["fields"][f], &mut texts);
                for name in &texts {
                    held.insert((Subject::Name(name.clone()), rule.role.clone()));
                }
            }
        }
        // A role container gives the rule's role to the holders of another role: add
        // until nothing changes (finite: subjects and roles are).
        loop {
            let mut added = Vec::new();
            for rule in &applying {
                for c in &rule.containers {
                    let Container::Role(from) = c else { continue };
                    for (s, r) in &held {
                        let pair = (s.clone(), rule.role.clone());
                        if r == from && !held.contains(&pair) {
                            added.push(pair);
                        }
                    }
                }
            }
            if added.is_empty() {
                return held;
            }
            held.extend(added);
        }
    }

    /// The roles held on `artifact` beyond the static ones (what the grants table keeps).
    pub fn dynamic_holdings(&self, artifact: &Value) -> BTreeSet<Holding> {
        let fixed = self.static_holdings();
        let mut all = self.holdings(artifact);
        all.retain(|h| !fixed.contains(h));
        all
    }
}

/// A users container of a rule (§3.8, lowercase types; `keyId` or `globalAPIKeyId`).
fn container(c: &Value) -> Option<Container> {
    let s = |k: &str| c[k].as_str().map(str::to_string);
    Some(match c["type"].as_str()? {
        "user" => Container::Subject(Subject::User(s("login")?)),
        "group" => Container::Subject(Subject::Group(s("groupName")?)),
        "global-api-key" => {
            Container::Subject(Subject::Key(s("globalAPIKeyId").or_else(|| s("keyId"))?))
        }
        "role" => Container::Role(s("roleId")?),
        _ => return None,
    })
}

/// Whether a criterion matches: `blueprint-version` (its `versionId`), `field-value`
/// (`EQUALS` the value, or `CONTAINS` it: an element of a list, a substring of a
/// text), `workflow-step` (the step is ONGOING). Other types never match.
pub fn criterion_matches(c: &Value, artifact: &Value) -> bool {
    match c["type"].as_str() {
        Some("blueprint-version") => {
            let want = c["versionId"]
                .as_str()
                .or_else(|| c["blueprintVersionId"]["versionId"].as_str());
            want.is_some() && artifact["blueprintVersionId"]["versionId"].as_str() == want
        }
        Some("field-value") => {
            let Some(field) = c["fieldId"].as_str() else {
                return false;
            };
            let (value, want) = (&artifact["fields"][field], &c["value"]);
            match c["operator"].as_str() {
                Some("EQUALS") => value == want,
                Some("CONTAINS") => match (value, want) {
                    (Value::Array(items), _) => items.contains(want),
                    (Value::String(s), Value::String(w)) => s.contains(w.as_str()),
                    _ => false,
                },
                _ => false,
            }
        }
        Some("workflow-step") => c["stepId"].as_str().is_some_and(|step| {
            artifact["workflow"]["steps"][step]["status"].as_str() == Some("ONGOING")
        }),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn art() -> Value {
        json!({
            "blueprintVersionId": {"blueprintId": "bp.x", "versionId": "bv.1"},
            "fields": {"owner": "alice", "team": ["g1", "bob"], "risk": "High"},
            "workflow": {"steps": {"s1": {"status": "FINISHED"}, "s2": {"status": "ONGOING"}}},
        })
    }

    fn holds(rules: &Rules, s: Subject, role: &str) -> bool {
        rules.holdings(&art()).contains(&(s, role.to_string()))
    }

    #[test]
    fn field_ids_name_the_logins_and_groups_held_in_the_artifact() {
        let rules = Rules::from_doc(&json!({"roleAssignmentsRules": {
            "ro.c": [{"criteria": [], "userContainers": [], "fieldIds": ["owner", "team"]}]}}));
        assert!(rules.has_dynamic());
        for name in ["alice", "g1", "bob"] {
            assert!(holds(&rules, Subject::Name(name.into()), "ro.c"), "{name}");
        }
        assert!(!holds(&rules, Subject::Name("carol".into()), "ro.c"));
        assert!(rules.static_holdings().is_empty());
    }

    #[test]
    fn criteria_must_all_match() {
        let c = |criteria: Value| {
            Rules::from_doc(&json!({"roleAssignmentsRules": {"ro.r": [{
                "criteria": criteria, "userContainers": [{"type": "user", "login": "u"}],
                "fieldIds": []}]}}))
        };
        let u = || Subject::User("u".into());
        let yes = [
            json!([{"type": "blueprint-version", "versionId": "bv.1"}]),
            json!([{"type": "field-value", "fieldId": "risk", "operator": "EQUALS", "value": "High"}]),
            json!([{"type": "field-value", "fieldId": "team", "operator": "CONTAINS", "value": "g1"}]),
            json!([{"type": "field-value", "fieldId": "risk", "operator": "CONTAINS", "value": "ig"}]),
            json!([{"type": "workflow-step", "stepId": "s2"}]),
        ];
        for criteria in yes {
            assert!(holds(&c(criteria.clone()), u(), "ro.r"), "{criteria}");
        }
        let no = [
            json!([{"type": "blueprint-version", "versionId": "bv.2"}]),
            json!([{"type": "field-value", "fieldId": "risk", "operator": "EQUALS", "value": "Low"}]),
            json!([{"type": "workflow-step", "stepId": "s1"}]),
            json!([{"type": "artifact-existing"}]),
            json!([{"type": "workflow-step", "stepId": "s2"},
                   {"type": "blueprint-version", "versionId": "bv.2"}]),
        ];
        for criteria in no {
            assert!(!holds(&c(criteria.clone()), u(), "ro.r"), "{criteria}");
        }
    }

    #[test]
    fn role_containers_pass_a_role_on_to_its_holders() {
        let rules = Rules::from_doc(&json!({"roleAssignmentsRules": {
            "ro.a": [{"criteria": [], "userContainers": [{"type": "group", "groupName": "g"}], "fieldIds": []}],
            "ro.b": [{"criteria": [], "userContainers": [{"type": "role", "roleId": "ro.a"}], "fieldIds": []}],
            "ro.c": [{"criteria": [], "userContainers": [{"type": "role", "roleId": "ro.b"}], "fieldIds": []}],
            "ro.d": [{"criteria": [], "userContainers": [{"type": "global-api-key", "keyId": "gk.1"},
                                                          {"type": "global-api-key", "globalAPIKeyId": "gk.2"},
                                                          {"type": "USER", "login": "x"}], "fieldIds": []}],
        }}));
        for role in ["ro.a", "ro.b", "ro.c"] {
            assert!(holds(&rules, Subject::Group("g".into()), role), "{role}");
        }
        assert!(holds(&rules, Subject::Key("gk.1".into()), "ro.d"));
        assert!(holds(&rules, Subject::Key("gk.2".into()), "ro.d"));
        assert!(!holds(&rules, Subject::User("x".into()), "ro.d"));
        let fixed = rules.static_holdings();
        assert!(fixed.contains(&(Subject::Group("g".into()), "ro.a".to_string())));
        let dynamic = rules.dynamic_holdings(&art());
        assert!(dynamic.contains(&(Subject::Group("g".into()), "ro.b".to_string())));
        assert!(!dynamic.contains(&(Subject::Group("g".into()), "ro.a".to_string())));
    }
}
