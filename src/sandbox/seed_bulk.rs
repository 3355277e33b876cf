//! `--seed bulk:N[,rules:R]`: the demo data plus N generated artifacts of
//! `bp.model_review` (`bv.v1`), created through the normal creation path in the seed's
//! one transaction, for searching at scale. Names `Bulk model 000001` …, owners, risks
//! and scores cycle. With `rules:R`, `bp.model_review`'s demo role assignments are
//! replaced by R generated rules ([`rules`]) before the artifacts are made, for
//! measuring rights at scale.
use super::Seed;
use super::artifact;
use super::error::ApiResult;
use super::store::{Db, Table};
use serde_json::{Value, json};
use std::fmt;

/// Largest N accepted.
const MAX_BULK: u32 = 10_000_000;
/// Largest R accepted.
const MAX_RULES: u32 = 10_000;
const OWNERS: [&str; 5] = ["alice", "bob", "carol", "dave", "erin"];
const RISKS: [&str; 3] = ["Low", "Medium", "High"];
const ROLES: [&str; 3] = ["ro.reader", "ro.contributor", "ro.project_manager"];

/// What `bulk:N[,rules:R]` generates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BulkSeed {
    /// Generated artifacts.
    pub artifacts: u32,
    /// Generated role-assignment rules on `bp.model_review` (0: the demo's own).
    pub rules: u32,
}

impl Seed {
    /// Parses `demo`, `none` or `bulk:N[,rules:R]`.
    pub fn parse(s: &str) -> Result<Seed, String> {
        match s {
            "demo" => Ok(Seed::Demo),
            "none" => Ok(Seed::None),
            _ => {
                let spec = s
                    .strip_prefix("bulk:")
                    .ok_or_else(|| format!("expected demo, none or bulk:N[,rules:R], got {s:?}"))?;
                let (n, rules) = match spec.split_once(',') {
                    Some((n, r)) => (n, Some(r)),
                    None => (spec, None),
                };
                let artifacts = match n.parse::<u32>() {
                    Ok(n) if (1..=MAX_BULK).contains(&n) => n,
                    _ => return Err(format!("bulk:N needs N from 1 to {MAX_BULK}, got {n:?}")),
                };
                let rules = match rules {
                    None => 0,
                    Some(r) => match r.strip_prefix("rules:").map(str::parse::<u32>) {
                        Some(Ok(r)) if (1..=MAX_RULES).contains(&r) => r,
                        _ => {
                            return Err(format!(
                                "bulk:N,rules:R needs R from 1 to {MAX_RULES}, got {r:?}"
                            ));
                        }
                    },
                };
                Ok(Seed::Bulk(BulkSeed { artifacts, rules }))
            }
        }
    }
}

impl fmt::Display for Seed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Seed::Demo => write!(f, "demo"),
            Seed::None => write!(f, "none"),
            Seed::Bulk(BulkSeed {
                artifacts,
                rules: 0,
            }) => write!(f, "bulk:{artifacts}"),
            Seed::Bulk(BulkSeed { artifacts, rules }) => {
                write!(f, "bulk:{artifacts},rules:{rules}")
            }
        }
    }
}

/// Creates the rules, then the artifacts (after the demo seed, in its transaction).
pub fn apply(db: &Db, bulk: BulkSeed) -> ApiResult<()> {
    if bulk.rules > 0 {
        let doc =
            json!({"blueprintId": "bp.model_review", "roleAssignmentsRules": rules(bulk.rules)});
        db.put(Table::RoleAssignments, "bp.model_review", &doc)?;
    }
    for i in 1..=bulk.artifacts {
        let i = i as usize;
        let body = json!({
            "blueprintVersionId": {"blueprintId": "bp.model_review", "versionId": "bv.v1"},
            "name": format!("Bulk model {i:06}"),
            "fields": {
                "owner": OWNERS[i % OWNERS.len()],
                "risk": RISKS[i % RISKS.len()],
                "score": (i % 100) as f64 / 100.0,
                "description": format!("Generated artifact {i}"),
            },
        });
        if let Value::Object(body) = body {
            artifact::create(db, body)?;
        }
    }
    // Statistics for the query planner (which index drives a filtered, sorted page).
    db.conn().execute_batch("ANALYZE")?;
    Ok(())
}

/// `count` rules: owners contribute (`fieldIds: ["owner"]`), `risk_officers` read
/// High-risk models, then a cycle of a static group rule, a risk criterion, a
/// workflow-step criterion and an owner rule with a risk criterion, for generated
/// groups and users (`bulk_team_K`, `bulk_user_K`) no seed user belongs to.
pub fn rules(count: u32) -> Value {
    let mut by_role = serde_json::Map::new();
    for k in 0..count as usize {
        let (role, rule) = match k {
            0 => (
                "ro.contributor",
                json!({"criteria": [], "userContainers": [], "fieldIds": ["owner"]}),
            ),
            1 => (
                "ro.reader",
                json!({"criteria": [risk("High")],
                       "userContainers": [{"type": "group", "groupName": "risk_officers"}],
                       "fieldIds": []}),
            ),
            _ => {
                let team = json!({"type": "group", "groupName": format!("bulk_team_{k}")});
                let user = json!({"type": "user", "login": format!("bulk_user_{k}")});
                let rule = match k % 4 {
                    0 => json!({"criteria": [], "userContainers": [team], "fieldIds": []}),
                    1 => json!({"criteria": [risk(RISKS[k % 3])], "userContainers": [team],
                                "fieldIds": []}),
                    2 => json!({"criteria": [{"type": "workflow-step", "stepId": "review"}],
                                "userContainers": [user], "fieldIds": []}),
                    _ => json!({"criteria": [risk(RISKS[k % 3])], "userContainers": [],
                                "fieldIds": ["owner"]}),
                };
                (ROLES[k % ROLES.len()], rule)
            }
        };
        let list = by_role.entry(role).or_insert_with(|| json!([]));
        if let Value::Array(a) = list {
            a.push(rule);
        }
    }
    Value::Object(by_role)
}

fn risk(value: &str) -> Value {
    json!({"type": "field-value", "fieldId": "risk", "operator": "EQUALS", "value": value})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bulk_specs_parse_and_print_back() {
        for s in ["bulk:10", "bulk:10000,rules:50"] {
            assert_eq!(Seed::parse(s).map(|x| x.to_string()), Ok(s.to_string()));
        }
        for bad in [
            "bulk:0",
            "bulk:10,rules:0",
            "bulk:10,rule:5",
            "bulk:10,rules:x",
        ] {
            assert!(Seed::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn generated_rules_count_what_was_asked() {
        let rules = rules(50);
        let n: usize = rules
            .as_object()
            .map(|m| m.values().filter_map(Value::as_array).map(Vec::len).sum())
            .unwrap_or(0);
        assert_eq!(n, 50);
    }
}
