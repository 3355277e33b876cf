//! Artifact filters (protocol §3.11) as SQL conditions over the search index, each
//! AND-ed; an unknown filter type or condition type is a Govern-style 400.
use super::index::scalar_texts;
use crate::sandbox::error::{ApiError, ApiResult};
use crate::sandbox::store::Db;
use rusqlite::OptionalExtension;
use rusqlite::types::Value as Sql;
use serde_json::Value;

/// AND-ed SQL terms and their parameters, in order.
///
/// A term names the artifact's id and blueprint through the markers `{id}` and
/// `{blueprint}`, which [`Condition::sql`] points at the table a query reads them from:
/// `search_artifacts a`, or the sort-key index `search_sort s` when a walk of that index
/// can test every term without joining the artifact's row. Other columns of the
/// artifact's row are read as `a.…` (the term is then pushed with [`Condition::push`]).
#[derive(Default)]
pub struct Condition {
    /// SQL text with `?` placeholders and the `{id}` / `{blueprint}` markers.
    sql: Vec<String>,
    /// The placeholders' values.
    pub params: Vec<Sql>,
    /// Whether a field filter drives the search (few EQUALS matches, read from the
    /// value index): its matches are then best sorted, not found along a sort index.
    pub driven: bool,
    /// Whether a term reads a column of `search_artifacts a` other than the id and
    /// blueprint (name, version, archived…): a query must then join the artifact's row.
    pub reads_row: bool,
}

/// Where a query reads the artifact's id and blueprint (the markers of a term).
#[derive(Clone, Copy)]
pub struct Columns {
    id: &'static str,
    blueprint: &'static str,
}

impl Columns {
    /// From the artifact's row, `search_artifacts a`.
    pub const ARTIFACT: Columns = Columns {
        id: "a.id",
        blueprint: "a.blueprint_id",
    };
    /// From the sort-key index, `search_sort s` (the artifact's row not joined).
    pub const SORT_KEY: Columns = Columns {
        id: "s.artifact_id",
        blueprint: "s.blueprint_id",
    };
}

impl Condition {
    /// Adds a term that may read any column of the artifact's row (`a.…`).
    pub fn push(&mut self, sql: String, params: impl IntoIterator<Item = Sql>) {
        self.reads_row = true;
        self.push_keyed(sql, params);
    }

    /// Adds a term that reads the artifact only through the `{id}` and `{blueprint}`
    /// markers (and the other index tables): it needs no join to the artifact's row.
    pub fn push_keyed(&mut self, sql: String, params: impl IntoIterator<Item = Sql>) {
        self.sql.push(sql);
        self.params.extend(params);
    }

    /// The terms, their markers read from `columns`.
    pub fn sql(&self, columns: Columns) -> Vec<String> {
        self.sql
            .iter()
            .map(|t| {
                t.replace("{id}", columns.id)
                    .replace("{blueprint}", columns.blueprint)
            })
            .collect()
    }
}

fn text(s: &str) -> Sql {
    Sql::Text(s.to_string())
}

/// `?, ?, ?` for `n` values (`NULL` for none, so that `IN (NULL)` matches nothing).
fn placeholders(n: usize) -> String {
    if n == 0 {
        "NULL".into()
    } else {
        vec!["?"; n].join(", ")
    }
}

/// The strings of an id list (a filter's `blueprintIds`, `artifactIds`).
fn id_list(f: &Value, key: &str) -> ApiResult<Vec<Sql>> {
    match &f[key] {
        Value::Null => Ok(vec![]),
        Value::Array(items) => items
            .iter()
            .map(|v| {
                v.as_str()
                    .map(text)
                    .ok_or_else(|| ApiError::validation(format!("{key} must hold strings")))
            })
            .collect(),
        _ => Err(ApiError::validation(format!("{key} must be a list"))),
    }
}

/// Up to this many matching values, an EQUALS field filter drives the search (its
/// matches are read from the value index, then sorted); past it, the search walks the
/// sort order and tests each artifact, stopping once the page is full.
const DRIVING_MATCHES: i64 = 2000;

/// The conditions of `filters` (the request's `artifactFilters`). `ordered` says that
/// the sort is served by an index (none, name, workflow): field filters are then
/// tested per artifact along it, unless an EQUALS matches few values.
pub fn conditions(db: &Db, filters: &[Value], ordered: bool) -> ApiResult<Condition> {
    let mut c = Condition::default();
    for f in filters {
        let kind = f["type"]
            .as_str()
            .ok_or_else(|| ApiError::validation("Artifact filter type is required"))?;
        match kind {
            "blueprints" => {
                let ids = id_list(f, "blueprintIds")?;
                c.push_keyed(
                    format!("{{blueprint}} IN ({})", placeholders(ids.len())),
                    ids,
                );
            }
            "blueprintVersions" => {
                let versions = f["blueprintVersionIds"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
                let mut parts = vec!["0".to_string()];
                let mut params = vec![];
                for v in &versions {
                    let (Some(bp), Some(bv)) = (v["blueprintId"].as_str(), v["versionId"].as_str())
                    else {
                        return Err(ApiError::validation(
                            "blueprintVersionIds items need blueprintId and versionId",
                        ));
                    };
                    parts.push("(a.blueprint_id = ? AND a.version_id = ?)".into());
                    params.extend([text(bp), text(bv)]);
                }
                c.push(format!("({})", parts.join(" OR ")), params);
            }
            "artifacts" => {
                let ids = id_list(f, "artifactIds")?;
                c.push_keyed(format!("{{id}} IN ({})", placeholders(ids.len())), ids);
            }
            "field" => field(db, f, ordered, &mut c)?,
            "archived" => match &f["isArchived"] {
                Value::Bool(true) => {}
                Value::Bool(false) | Value::Null => c.push("a.archived = 0".into(), []),
                _ => return Err(ApiError::validation("isArchived must be a boolean")),
            },
            other => {
                return Err(ApiError::validation(format!(
                    "Unknown artifact filter type: {other}"
                )));
            }
        }
    }
    Ok(c)
}

/// A field filter: a condition on the values of `fieldId` (any element of a list
/// field), or on the name without `fieldId`.
fn field(db: &Db, f: &Value, ordered: bool, c: &mut Condition) -> ApiResult<()> {
    let case = match &f["caseSensitive"] {
        Value::Null => false,
        Value::Bool(b) => *b,
        _ => return Err(ApiError::validation("caseSensitive must be a boolean")),
    };
    let negate = match &f["negateCondition"] {
        Value::Null => false,
        Value::Bool(b) => *b,
        _ => return Err(ApiError::validation("negateCondition must be a boolean")),
    };
    let mut cond = Vec::new();
    scalar_texts(&f["condition"], &mut cond);
    let cond = cond.concat();
    let cond = if case { cond } else { cond.to_lowercase() };
    let kind = f["conditionType"]
        .as_str()
        .ok_or_else(|| ApiError::validation("Field filter conditionType is required"))?;
    let (field_col, name_col) = if case {
        ("v.text", "a.name")
    } else {
        ("v.lower", "a.name_lower")
    };
    let test = |col: &str| -> ApiResult<(String, Vec<Sql>)> {
        Ok(match kind {
            "EQUALS" => (format!("{col} = ?"), vec![text(&cond)]),
            _ if cond.is_empty() && matches!(kind, "CONTAINS" | "START_WITH" | "END_WITH") => {
                ("1".into(), vec![])
            }
            "CONTAINS" => (format!("instr({col}, ?) > 0"), vec![text(&cond)]),
            "START_WITH" => (
                format!("substr({col}, 1, ?) = ?"),
                vec![Sql::Integer(cond.chars().count() as i64), text(&cond)],
            ),
            "END_WITH" => (
                format!("substr({col}, ?) = ?"),
                vec![Sql::Integer(-(cond.chars().count() as i64)), text(&cond)],
            ),
            other => {
                return Err(ApiError::validation(format!(
                    "Unknown field filter conditionType: {other}"
                )));
            }
        })
    };
    let not = if negate { "NOT " } else { "" };
    match &f["fieldId"] {
        Value::Null => {
            let (sql, params) = test(name_col)?;
            c.push(format!("{not}({sql})"), params);
        }
        Value::String(field_id) => {
            let (sql, params) = test(field_col)?;
            let mut all = vec![text(field_id)];
            all.extend(params);
            let drive = !ordered || (kind == "EQUALS" && few_matches(db, field_col, &all)?);
            if drive {
                c.driven = true;
                c.push_keyed(
                    format!(
                        "{{id}} {not}IN (SELECT v.artifact_id FROM search_values v \
                         WHERE v.field_id = ? AND {sql})"
                    ),
                    all,
                );
            } else {
                // `+` keeps SQLite on the (artifact_id, field_id, …) index for the probe,
                // which covers the values: one index search per probed artifact.
                let probe = sql.replacen(field_col, &format!("+{field_col}"), 1);
                c.push_keyed(
                    format!(
                        "{not}EXISTS (SELECT 1 FROM search_values v WHERE v.artifact_id = {{id}} \
                         AND v.field_id = ? AND {probe})"
                    ),
                    all,
                );
            }
        }
        _ => return Err(ApiError::validation("fieldId must be a string")),
    }
    Ok(())
}

/// Whether an EQUALS on `column` (parameters: field id, value) matches at most
/// [`DRIVING_MATCHES`] values (counted through the value index, bounded).
fn few_matches(db: &Db, column: &str, params: &[Sql]) -> ApiResult<bool> {
    let sql = format!(
        "SELECT count(*) FROM (SELECT 1 FROM search_values v WHERE v.field_id = ? \
         AND {column} = ? LIMIT {})",
        DRIVING_MATCHES + 1
    );
    let n: Option<i64> = db
        .conn()
        .prepare_cached(&sql)?
        .query_row(rusqlite::params_from_iter(params), |r| r.get(0))
        .optional()?;
    Ok(n.unwrap_or(0) <= DRIVING_MATCHES)
}
