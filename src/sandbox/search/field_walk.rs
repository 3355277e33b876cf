//! A page sorted by one blueprint's field, served by walking the sort-key index
//! (`search_sort_order`) from the cursor's key and testing the filters per artifact,
//! stopping once the page is full, rather than sorting every match.
//!
//! The order is the one of [`super::sort::Sort`]'s field keys: present values by kind
//! (numbers, strings, other JSON: ascending in both directions), then by number, text,
//! artifact number and id in the sort's direction; missing values (no value for the
//! field, or an artifact of another blueprint) last, by artifact number and id. Each kind
//! is one run of the index (walked forwards or backwards), the missing ones a run of
//! the artifact-number index.
use super::cursor_gone;
use super::filter::{Columns, Condition};
use super::index::{MISSING, PRESENT};
use crate::sandbox::error::ApiResult;
use crate::sandbox::store::Db;
use rusqlite::OptionalExtension;
use rusqlite::types::Value as Sql;

/// Where a page starts: the cursor's kind, and its key within that kind's run.
struct Start {
    kind: i64,
    /// `(num, text, artifact number, id)` for a present kind, `(artifact number, id)`
    /// for [`MISSING`].
    key: Vec<Sql>,
}

/// The ids of up to `limit` artifacts matching `cond`, sorted by `field` of
/// `blueprint` (descending if `desc`), strictly after the artifact `last`.
pub fn page(
    db: &Db,
    (blueprint, field): (&str, &str),
    desc: bool,
    cond: &Condition,
    limit: i64,
    last: Option<&str>,
) -> ApiResult<Vec<String>> {
    let start = match last {
        Some(last) => Some(start(db, blueprint, field, last)?),
        None => None,
    };
    let mut ids = Vec::new();
    for kind in PRESENT.into_iter().chain([MISSING]) {
        let after = match &start {
            Some(s) if kind < s.kind => continue,
            Some(s) if kind == s.kind => s.key.clone(),
            _ => vec![],
        };
        let run = Run {
            blueprint,
            field,
            kind,
            desc,
        };
        let (sql, params) = run.query(cond, after, limit - ids.len() as i64);
        let mut stmt = db.conn().prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(params), |r| r.get(0))?;
        for id in rows {
            ids.push(id?);
        }
        if ids.len() as i64 >= limit {
            break;
        }
    }
    Ok(ids)
}

/// One kind's run of the order: the artifacts whose `field` of `blueprint` holds a value
/// of `kind` (or, for [`MISSING`], none).
struct Run<'a> {
    blueprint: &'a str,
    field: &'a str,
    kind: i64,
    desc: bool,
}

impl Run<'_> {
    /// The query of up to `limit` ids of this run matching `cond`, in order, strictly
    /// after the key `after` (empty: from the run's start), and its parameters.
    ///
    /// A present kind walks the covering sort-key index; the terms of `cond` read the
    /// artifact's id and blueprint from it, so that the artifact's row is joined only
    /// when a term reads more of it (and, being last in the `FROM`, only for the
    /// candidates the other terms let through). A probe that rejects the candidate then
    /// costs one search of a covering index, which matters deep in the results, where a
    /// page may test thousands of candidates per hit.
    fn query(&self, cond: &Condition, after: Vec<Sql>, limit: i64) -> (String, Vec<Sql>) {
        let (mut sql, mut params, columns) = if self.kind == MISSING {
            (
                "SELECT a.id FROM search_artifacts a WHERE NOT EXISTS (SELECT 1 FROM search_sort s \
                 WHERE s.artifact_id = a.id AND s.field_id = ? AND s.blueprint_id = ?)"
                    .to_string(),
                vec![text(self.field), text(self.blueprint)],
                Columns::ARTIFACT,
            )
        } else {
            let join = if cond.reads_row {
                " CROSS JOIN search_artifacts a ON a.id = s.artifact_id"
            } else {
                ""
            };
            (
                format!(
                    "SELECT s.artifact_id FROM search_sort s{join} WHERE s.blueprint_id = ? \
                     AND s.field_id = ? AND s.kind = ?"
                ),
                vec![
                    text(self.blueprint),
                    text(self.field),
                    Sql::Integer(self.kind),
                ],
                Columns::SORT_KEY,
            )
        };
        let keys: &[&str] = if self.kind == MISSING {
            &["a.num", "a.id"]
        } else {
            &["s.num", "s.text", "s.artifact_num", "s.artifact_id"]
        };
        let (dir, op) = if self.desc {
            ("DESC", "<")
        } else {
            ("ASC", ">")
        };
        if !after.is_empty() {
            let marks = vec!["?"; keys.len()].join(", ");
            sql.push_str(&format!(" AND ({}) {op} ({marks})", keys.join(", ")));
            params.extend(after);
        }
        for c in cond.sql(columns) {
            sql.push_str(&format!(" AND {c}"));
        }
        params.extend(cond.params.iter().cloned());
        let order: Vec<String> = keys.iter().map(|k| format!("{k} {dir}")).collect();
        sql.push_str(&format!(" ORDER BY {} LIMIT {limit}", order.join(", ")));
        (sql, params)
    }
}

/// The cursor artifact's place in the order (a 400 if it is not an artifact).
fn start(db: &Db, blueprint: &str, field: &str, last: &str) -> ApiResult<Start> {
    let row = db
        .conn()
        .prepare_cached(
            "SELECT a.num, a.id, s.kind, s.num, s.text FROM search_artifacts a \
             LEFT JOIN search_sort s ON s.artifact_id = a.id AND s.field_id = ?2 \
             AND s.blueprint_id = ?3 WHERE a.id = ?1",
        )?
        .query_row(rusqlite::params![last, field, blueprint], |r| {
            Ok((
                r.get::<_, Sql>(0)?,
                r.get::<_, Sql>(1)?,
                r.get::<_, Option<i64>>(2)?,
                r.get::<_, Sql>(3)?,
                r.get::<_, Sql>(4)?,
            ))
        })
        .optional()?;
    let Some((anum, id, kind, num, txt)) = row else {
        return Err(cursor_gone(last));
    };
    Ok(match kind {
        Some(kind) => Start {
            kind,
            key: vec![num, txt, anum, id],
        },
        None => Start {
            kind: MISSING,
            key: vec![anum, id],
        },
    })
}

fn text(s: &str) -> Sql {
    Sql::Text(s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sandbox::search::{filter, index};
    use crate::sandbox::store::Store;
    use serde_json::json;

    /// The query plan of a walk 1 page in (a number run, after a cursor's key) with
    /// `filters`, one line per step.
    fn deep_plan(filters: serde_json::Value) -> String {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(&dir.path().join("t.db")).expect("open");
        store
            .write(|db| {
                for i in 1..=6 {
                    let owner = ["bob", "ann"][i % 2];
                    let artifact = json!({
                        "blueprintVersionId": {"blueprintId": "bp.m", "versionId": "bv.1"},
                        "name": format!("m{i}"),
                        "fields": {"owner": owner, "score": i % 3},
                    });
                    index::put(db.conn(), &format!("ar.{i}"), &artifact)?;
                }
                Ok(())
            })
            .expect("index");
        store
            .read(|db| {
                let filters = filters.as_array().cloned().unwrap_or_default();
                let cond = filter::conditions(db, &filters, true)?;
                let run = Run {
                    blueprint: "bp.m",
                    field: "score",
                    kind: PRESENT[0],
                    desc: false,
                };
                let after = vec![Sql::Real(1.0), text(""), Sql::Integer(1), text("ar.1")];
                let (sql, params) = run.query(&cond, after, 101);
                let mut stmt = db.conn().prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
                let rows = stmt.query_map(rusqlite::params_from_iter(params), |r| {
                    r.get::<_, String>(3)
                })?;
                Ok(rows.collect::<Result<Vec<_>, _>>()?.join("\n"))
            })
            .expect("plan")
    }

    /// Deep pages of a field sort with a field filter were bound by rejected probes:
    /// each candidate joined its `search_artifacts` row (for `a.blueprint_id`, `a.id`)
    /// and read the probed value from the `search_values` table after its index.
    #[test]
    fn deep_field_sorted_page_probes_filters_without_joining_the_artifact_row() {
        let plan = deep_plan(json!([
            {"type": "blueprints", "blueprintIds": ["bp.m"]},
            {"type": "field", "conditionType": "CONTAINS", "condition": "bo", "fieldId": "owner"},
        ]));
        assert!(plan.contains("COVERING INDEX search_sort_order"), "{plan}");
        assert!(
            plan.contains("COVERING INDEX search_values_artifact"),
            "{plan}"
        );
        assert!(!plan.contains("search_artifacts"), "{plan}");
        assert!(!plan.contains("TEMP B-TREE"), "{plan}");
    }

    /// A filter on the artifact's row (archived) joins it, after the sort-key walk.
    #[test]
    fn a_filter_on_the_artifact_row_joins_it_along_the_walk() {
        let plan = deep_plan(json!([
            {"type": "archived", "isArchived": false},
            {"type": "field", "conditionType": "CONTAINS", "condition": "bo", "fieldId": "owner"},
        ]));
        assert!(plan.contains("COVERING INDEX search_sort_order"), "{plan}");
        assert!(plan.contains("search_artifacts"), "{plan}");
        assert!(
            plan.contains("COVERING INDEX search_values_artifact"),
            "{plan}"
        );
        assert!(!plan.contains("TEMP B-TREE"), "{plan}");
    }
}
