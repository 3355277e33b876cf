//! What one non-admin principal may see, computed once per request from the few rule
//! and permission documents: the rights static rules and `everyone` give on each
//! blueprint, and the grant keys (blueprint, role) that give a right there. A search
//! then needs one SQL condition: the artifact's blueprint is readable as a whole, or a
//! grants row of one of the principal's subjects gives read.
use super::grants::grant_key;
use super::perms::{Perms, default_permissions, permissions_of};
use super::rules::Rules;
use super::subject::subjects_of;
use crate::sandbox::auth::Principal;
use crate::sandbox::error::ApiResult;
use crate::sandbox::store::{Db, Table};
use rusqlite::OptionalExtension;
use rusqlite::types::Value as Sql;
use std::collections::HashMap;

/// Up to this many readable artifacts, the search reads them from the indexes (then
/// sorts them); past it, it walks its order and tests each artifact.
const DRIVING_ROWS: i64 = 2000;

/// A non-admin principal's view of the artifacts.
#[derive(Debug)]
pub struct View {
    /// The principal's subject keys.
    subjects: Vec<String>,
    /// The rights on every artifact of a blueprint (static rules and `everyone`).
    whole: HashMap<String, Perms>,
    /// Per blueprint, the rights of each role (for grant keys).
    roles: HashMap<String, HashMap<String, Perms>>,
}

/// A SQL condition on the search's `a` (search_artifacts) and its parameters.
pub struct SqlCondition {
    /// SQL text with `?` placeholders.
    pub sql: String,
    /// The placeholders' values.
    pub params: Vec<Sql>,
    /// Whether the readable artifacts are few enough to drive the search.
    pub driven: bool,
}

impl View {
    /// The view of `me`; `None` for admins and Govern architects, who see everything.
    pub fn load(db: &Db, me: &Principal) -> ApiResult<Option<View>> {
        if me.admin || me.architect {
            return Ok(None);
        }
        let subjects = subjects_of(me);
        let defaults = default_permissions(db)?;
        let mut view = View {
            subjects: subjects.iter().map(|s| s.key()).collect(),
            whole: HashMap::new(),
            roles: HashMap::new(),
        };
        for bp in blueprint_ids(db)? {
            let table = permissions_of(db, &bp, Some(&defaults))?;
            let mut whole = table.everyone;
            for (s, role) in Rules::load(db, &bp)?.static_holdings() {
                if subjects.contains(&s) {
                    whole |= table.role(&role);
                }
            }
            view.whole.insert(bp.clone(), whole);
            view.roles.insert(bp, table.roles);
        }
        Ok(Some(view))
    }

    /// The grant keys that give `right` (on any blueprint, or on `only`).
    fn keys(&self, right: Perms, only: Option<&str>) -> Vec<Sql> {
        let mut out = Vec::new();
        for (bp, roles) in &self.roles {
            if only.is_some_and(|o| o != bp) {
                continue;
            }
            for (role, p) in roles {
                if p.has(right) && !p.is_empty() {
                    out.push(Sql::Text(grant_key(bp, role)));
                }
            }
        }
        out
    }

    fn subject_params(&self) -> Vec<Sql> {
        self.subjects.iter().cloned().map(Sql::Text).collect()
    }

    /// Whether `me` holds any artifact right on blueprint `bp` (what reading the
    /// blueprint and its versions needs).
    pub fn sees_blueprint(&self, db: &Db, bp: &str) -> ApiResult<bool> {
        if self.whole.get(bp).is_some_and(|p| !p.is_empty()) {
            return Ok(true);
        }
        let keys = self.keys(Perms::NONE, Some(bp));
        if keys.is_empty() || self.subjects.is_empty() {
            return Ok(false);
        }
        let sql = format!(
            "SELECT 1 FROM rights_grants WHERE subject IN ({}) AND grant_key IN ({}) LIMIT 1",
            marks(self.subjects.len()),
            marks(keys.len())
        );
        let mut params = self.subject_params();
        params.extend(keys);
        let found: Option<i64> = db
            .conn()
            .prepare_cached(&sql)?
            .query_row(rusqlite::params_from_iter(params), |r| r.get(0))
            .optional()?;
        Ok(found.is_some())
    }

    /// The condition a search adds: the artifact is readable.
    pub fn search_condition(&self, db: &Db) -> ApiResult<SqlCondition> {
        let whole: Vec<Sql> = self
            .whole
            .iter()
            .filter(|(_, p)| p.has(Perms::READ))
            .map(|(bp, _)| Sql::Text(bp.clone()))
            .collect();
        let keys = self.keys(Perms::READ, None);
        let grants = (!keys.is_empty() && !self.subjects.is_empty()).then(|| {
            let mut params = self.subject_params();
            params.extend(keys.iter().cloned());
            (
                format!(
                    "g.subject IN ({}) AND g.grant_key IN ({})",
                    marks(self.subjects.len()),
                    marks(keys.len())
                ),
                params,
            )
        });
        let whole_sql = format!("blueprint_id IN ({})", marks(whole.len()));
        // How many artifacts are readable, counted through the indexes (bounded).
        let mut parts = Vec::new();
        let mut params = Vec::new();
        if !whole.is_empty() {
            parts.push(format!("SELECT id FROM search_artifacts WHERE {whole_sql}"));
            params.extend(whole.iter().cloned());
        }
        if let Some((sql, p)) = &grants {
            parts.push(format!(
                "SELECT g.artifact_id FROM rights_grants g WHERE {sql}"
            ));
            params.extend(p.iter().cloned());
        }
        if parts.is_empty() {
            return Ok(SqlCondition {
                sql: "0".into(),
                params: vec![],
                driven: true,
            });
        }
        let union = parts.join(" UNION ALL ");
        let count: i64 = db
            .conn()
            .prepare_cached(&format!(
                "SELECT count(*) FROM ({union} LIMIT {})",
                DRIVING_ROWS + 1
            ))?
            .query_row(rusqlite::params_from_iter(params.iter().cloned()), |r| {
                r.get(0)
            })?;
        if count <= DRIVING_ROWS {
            return Ok(SqlCondition {
                sql: format!("a.id IN ({union})"),
                params,
                driven: true,
            });
        }
        let mut tests = Vec::new();
        let mut params = Vec::new();
        if !whole.is_empty() {
            tests.push(format!("a.{whole_sql}"));
            params.extend(whole);
        }
        if let Some((sql, p)) = grants {
            // Not correlated: SQLite reads the principal's grants once into a temporary
            // index, then each row is one lookup in it (a correlated EXISTS seeking the
            // grants table per row made a page sorted by name 3.3x the admin's).
            tests.push(format!(
                "a.id IN (SELECT g.artifact_id FROM rights_grants g WHERE {sql})"
            ));
            params.extend(p);
        }
        Ok(SqlCondition {
            sql: format!("({})", tests.join(" OR ")),
            params,
            driven: false,
        })
    }
}

/// `?, ?, ?` for `n` values (`NULL` for none, so that `IN (NULL)` matches nothing).
fn marks(n: usize) -> String {
    if n == 0 {
        "NULL".into()
    } else {
        vec!["?"; n].join(", ")
    }
}

/// Every blueprint id.
fn blueprint_ids(db: &Db) -> ApiResult<Vec<String>> {
    let mut stmt = db
        .conn()
        .prepare_cached(&format!("SELECT id FROM {}", Table::Blueprints.name()))?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}
