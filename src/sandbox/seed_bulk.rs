//! `--seed bulk:N`: the demo data plus N generated artifacts of `bp.model_review`
//! (`bv.v1`), created through the normal creation path in the seed's one transaction,
//! for searching at scale. Names `Bulk model 000001` …, owners, risks and scores cycle.
use super::Seed;
use super::artifact;
use super::error::ApiResult;
use super::store::Db;
use serde_json::json;
use std::fmt;

/// Largest N accepted.
const MAX_BULK: u32 = 10_000_000;
const OWNERS: [&str; 5] = ["alice", "bob", "carol", "dave", "erin"];
const RISKS: [&str; 3] = ["Low", "Medium", "High"];

impl Seed {
    /// Parses `demo`, `none` or `bulk:N`.
    pub fn parse(s: &str) -> Result<Seed, String> {
        match s {
            "demo" => Ok(Seed::Demo),
            "none" => Ok(Seed::None),
            _ => {
                let n = s
                    .strip_prefix("bulk:")
                    .ok_or_else(|| format!("expected demo, none or bulk:N, got {s:?}"))?;
                match n.parse::<u32>() {
                    Ok(n) if (1..=MAX_BULK).contains(&n) => Ok(Seed::Bulk(n)),
                    _ => Err(format!("bulk:N needs N from 1 to {MAX_BULK}, got {n:?}")),
                }
            }
        }
    }
}

impl fmt::Display for Seed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Seed::Demo => write!(f, "demo"),
            Seed::None => write!(f, "none"),
            Seed::Bulk(n) => write!(f, "bulk:{n}"),
        }
    }
}

/// Creates `n` artifacts (after the demo seed, in its transaction).
pub fn apply(db: &Db, n: u32) -> ApiResult<()> {
    for i in 1..=n {
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
        if let serde_json::Value::Object(body) = body {
            artifact::create(db, body)?;
        }
    }
    // Statistics for the query planner (which index drives a filtered, sorted page).
    db.conn().execute_batch("ANALYZE")?;
    Ok(())
}
