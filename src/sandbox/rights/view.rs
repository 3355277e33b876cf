//! What one non-admin principal may see, computed from the few rule and permission
//! documents and kept between requests ([`super::cache`]): the rights static rules and
//! `everyone` give on each blueprint, the grant keys (blueprint, role) that give a right
//! there, and the artifacts the principal's grants make readable. A search then needs
//! one SQL condition: the artifact's blueprint is readable as a whole, or it is in the
//! readable set.
use super::cache;
use super::grants::grant_key;
use super::perms::{Perms, default_permissions, permissions_of};
use super::rules::Rules;
use super::subject::subjects_of;
use crate::sandbox::auth::Principal;
use crate::sandbox::error::ApiResult;
use crate::sandbox::store::{Db, Table};
use rusqlite::OptionalExtension;
use rusqlite::types::Value as Sql;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

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
    /// The artifacts a grant of the principal lets it read.
    granted: HashSet<String>,
    /// Whether the readable artifacts are few enough to drive a search.
    driven: bool,
    /// The view's key in the cache (what [`cache::FUNCTION`] is called with).
    key: String,
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
    /// Cached until a write that can change rights.
    pub fn load(db: &Db, me: &Principal) -> ApiResult<Option<Arc<View>>> {
        if me.admin || me.architect {
            return Ok(None);
        }
        let subjects = subjects_of(me);
        let subject_keys: Vec<String> = subjects.iter().map(|s| s.key()).collect();
        let key = cache::key(db, &subject_keys)?;
        if let Some(view) = cache::get(&key) {
            return Ok(Some(view));
        }
        let defaults = default_permissions(db)?;
        let mut view = View {
            subjects: subject_keys,
            whole: HashMap::new(),
            roles: HashMap::new(),
            granted: HashSet::new(),
            driven: true,
            key: key.clone(),
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
        view.granted = view.read_granted(db)?;
        view.driven = view.whole_count(db)? + view.granted.len() as i64 <= DRIVING_ROWS;
        let view = Arc::new(view);
        cache::put(key, view.clone());
        Ok(Some(view))
    }

    /// Whether a grant of the principal lets it read artifact `id`.
    pub fn grants_read(&self, id: &str) -> bool {
        self.granted.contains(id)
    }

    /// The blueprints the principal reads whole.
    fn whole_read(&self) -> Vec<Sql> {
        self.whole
            .iter()
            .filter(|(_, p)| p.has(Perms::READ))
            .map(|(bp, _)| Sql::Text(bp.clone()))
            .collect()
    }

    /// `subject IN (mine) AND grant_key IN (giving read)` on the grants table `g`, and
    /// its parameters; `None` when no grant can give read.
    fn grants_sql(&self) -> Option<(String, Vec<Sql>)> {
        let keys = self.keys(Perms::READ, None);
        if keys.is_empty() || self.subjects.is_empty() {
            return None;
        }
        let sql = format!(
            "g.subject IN ({}) AND g.grant_key IN ({})",
            marks(self.subjects.len()),
            marks(keys.len())
        );
        let mut params = self.subject_params();
        params.extend(keys);
        Some((sql, params))
    }

    /// The artifacts the principal's grants make readable.
    fn read_granted(&self, db: &Db) -> ApiResult<HashSet<String>> {
        let Some((sql, params)) = self.grants_sql() else {
            return Ok(HashSet::new());
        };
        let mut stmt = db.conn().prepare(&format!(
            "SELECT g.artifact_id FROM rights_grants g WHERE {sql}"
        ))?;
        let rows = stmt.query_map(rusqlite::params_from_iter(params), |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// How many artifacts are in the blueprints the principal reads whole (counted
    /// through the blueprint index).
    fn whole_count(&self, db: &Db) -> ApiResult<i64> {
        let whole = self.whole_read();
        if whole.is_empty() {
            return Ok(0);
        }
        let sql = format!(
            "SELECT count(*) FROM search_artifacts WHERE blueprint_id IN ({})",
            marks(whole.len())
        );
        Ok(db
            .conn()
            .prepare(&sql)?
            .query_row(rusqlite::params_from_iter(whole), |r| r.get(0))?)
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

    /// The condition a search adds: the artifact is readable. Few readable artifacts
    /// drive the search (read from the indexes, then sorted); past
    /// [`DRIVING_ROWS`], each artifact the search tries is tested: its blueprint is
    /// read whole, or the cached readable set holds it.
    pub fn search_condition(&self, _db: &Db) -> ApiResult<SqlCondition> {
        let whole = self.whole_read();
        let whole_sql = format!("blueprint_id IN ({})", marks(whole.len()));
        let grants = self.grants_sql();
        if self.driven {
            let mut parts = Vec::new();
            let mut params = Vec::new();
            if !whole.is_empty() {
                parts.push(format!("SELECT id FROM search_artifacts WHERE {whole_sql}"));
                params.extend(whole);
            }
            if let Some((sql, p)) = grants {
                parts.push(format!(
                    "SELECT g.artifact_id FROM rights_grants g WHERE {sql}"
                ));
                params.extend(p);
            }
            let sql = if parts.is_empty() {
                "0".to_string()
            } else {
                format!("a.id IN ({})", parts.join(" UNION ALL "))
            };
            return Ok(SqlCondition {
                sql,
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
        if !self.granted.is_empty() {
            // One hash lookup per row tried (a correlated EXISTS seeking the grants
            // table per row made a page sorted by name 3.3x the admin's; a set read
            // from the grants on each request made the unsorted page 2.2x).
            tests.push(format!("{}(?, a.id)", cache::FUNCTION));
            params.push(Sql::Text(self.key.clone()));
        }
        if tests.is_empty() {
            tests.push("0".into());
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
