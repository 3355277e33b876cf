//! Artifact search (protocol §3.11): AND-ed filters, one sort, keyset pagination, run
//! as SQL over the search index ([`index`]), so a page costs index lookups rather than
//! a scan of every artifact's JSON.
//!
//! Paging: the cursor is `lastArtifactId`; the next page starts strictly after that
//! artifact's sort key (ties broken by artifact number then id), read from the index,
//! so pages never repeat or skip an artifact, even while others are created.
mod field_walk;
mod filter;
pub mod index;
mod sort;

use super::artifact::{load_version, step_ids, version_ids};
use super::auth::Principal;
use super::error::{ApiError, ApiResult};
use super::rights::view::View;
use super::store::{Db, Table};
use rusqlite::OptionalExtension;
use rusqlite::types::Value as Sql;
use serde_json::{Map, Value, json};
use sort::Sort;

/// Largest page served.
const MAX_PAGE: i64 = 10_000;
/// Page size when the request gives none.
const DEFAULT_PAGE: i64 = 20;

/// The page size and cursor of a request's `artifactSearchPagination`.
fn pagination(query: &Map<String, Value>) -> ApiResult<(i64, Option<String>)> {
    let page = query
        .get("artifactSearchPagination")
        .cloned()
        .unwrap_or(Value::Null);
    let size = match &page["pageSize"] {
        Value::Null => DEFAULT_PAGE,
        v => match v.as_i64() {
            Some(n) if n >= 1 => n.min(MAX_PAGE),
            _ => {
                return Err(ApiError::validation(format!(
                    "pageSize must be a positive integer, not {v}"
                )));
            }
        },
    };
    let last = match &page["lastArtifactId"] {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        _ => return Err(ApiError::validation("lastArtifactId must be a string")),
    };
    Ok((size, last))
}

/// Runs a search request body for `me`; returns `{"uiArtifacts", "hasNextPage"}` over
/// the artifacts `me` may read.
pub fn run(db: &Db, me: &Principal, query: &Map<String, Value>) -> ApiResult<Value> {
    match query.get("artifactSearchSource").map(|s| &s["type"]) {
        None | Some(Value::Null) => {}
        Some(Value::String(t)) if t == "all" => {}
        Some(other) => {
            return Err(ApiError::validation(format!(
                "Unknown artifact search source type: {other}"
            )));
        }
    }
    let filters = match query.get("artifactFilters") {
        None | Some(Value::Null) => vec![],
        Some(Value::Array(a)) => a.clone(),
        Some(_) => return Err(ApiError::validation("artifactFilters must be a list")),
    };
    let sort = Sort::parse(query.get("artifactSearchSort"))?;
    let single = sort.single_field();
    let mut condition = filter::conditions(db, &filters, sort.join.is_empty() || single.is_some())?;
    if let Some(view) = View::load(db, me)? {
        let readable = view.search_condition(db)?;
        // Names `a.id` / `a.blueprint_id`: a field-sorted walk then joins the row.
        condition.push(readable.sql, readable.params);
        condition.driven |= readable.driven;
    }
    let (size, last) = pagination(query)?;
    let mut ids = match single {
        Some(field) if !condition.driven => {
            field_walk::page(db, field, sort.desc, &condition, size + 1, last.as_deref())?
        }
        _ => sorted_page(db, &sort, condition, size + 1, last.as_deref())?,
    };
    let has_next = ids.len() as i64 > size;
    ids.truncate(size as usize);
    let mut details = Details::default();
    let mut items = Vec::with_capacity(ids.len());
    for id in ids {
        let Some(a) = db.get(Table::Artifacts, &id)? else {
            continue;
        };
        let d = details.of(db, &a)?;
        items.push(json!({"artifact": a, "uiArtifactDetails": d}));
    }
    Ok(json!({"uiArtifacts": items, "hasNextPage": has_next}))
}

/// The ids of up to `limit` artifacts matching `condition` in `sort`'s order, strictly
/// after the artifact `last`, as one SQL query (SQLite walks an index of the order or
/// sorts the matches).
fn sorted_page(
    db: &Db,
    sort: &Sort,
    condition: filter::Condition,
    limit: i64,
    last: Option<&str>,
) -> ApiResult<Vec<String>> {
    let mut wheres = condition.sql(filter::Columns::ARTIFACT);
    let mut params: Vec<Sql> = sort.join_params.clone();
    params.extend(condition.params);
    if let Some(last) = last {
        wheres.push(sort.after());
        params.extend(cursor_key(db, sort, last)?);
    }
    let sql = format!(
        "SELECT a.id FROM search_artifacts a {} WHERE {} {} LIMIT {}",
        sort.join,
        if wheres.is_empty() {
            "1".to_string()
        } else {
            wheres.join(" AND ")
        },
        sort.order_by(),
        limit
    );
    let mut stmt = db.conn().prepare(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(params), |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The sort key of the cursor artifact `last`; if it is not (any more) there, a 400
/// unless the order is by id.
fn cursor_key(db: &Db, sort: &Sort, last: &str) -> ApiResult<Vec<Sql>> {
    let sql = format!(
        "SELECT {} FROM search_artifacts a {} WHERE a.id = ?",
        sort.select_keys(),
        sort.join
    );
    let mut params = sort.join_params.clone();
    params.push(Sql::Text(last.to_string()));
    let n = sort.keys.len();
    let key = db
        .conn()
        .query_row(&sql, rusqlite::params_from_iter(params), |r| {
            (0..n)
                .map(|i| r.get::<_, Sql>(i))
                .collect::<Result<Vec<_>, _>>()
        })
        .optional()?;
    match key {
        Some(key) => Ok(key),
        // Without a sort the key is the id itself: paging goes on past a deleted cursor.
        None if sort.by_id() => Ok(vec![
            Sql::Integer(index::id_number(last)),
            Sql::Text(last.to_string()),
        ]),
        None => Err(cursor_gone(last)),
    }
}

/// The error of a cursor `last` that is not (any more) an artifact.
fn cursor_gone(last: &str) -> ApiError {
    ApiError::validation(format!(
        "lastArtifactId {last} is not an artifact (deleted since the previous page?)"
    ))
}

/// Extra display data of hits (blueprint, step ids, user login), cached per page.
#[derive(Default)]
struct Details {
    blueprints: Map<String, Value>,
    steps: Map<String, Value>,
}

impl Details {
    fn of(&mut self, db: &Db, a: &Value) -> ApiResult<Value> {
        let (bp, bv) = version_ids(a);
        if !self.blueprints.contains_key(bp) {
            let doc = db.get(Table::Blueprints, bp)?.unwrap_or(Value::Null);
            self.blueprints.insert(bp.to_string(), doc);
        }
        let mut d = json!({"blueprint": self.blueprints[bp]});
        let version = format!("{bp}/{bv}");
        if !self.steps.contains_key(&version) {
            let steps = load_version(db, bp, bv).map_or(Value::Null, |entry| {
                json!(step_ids(&entry["blueprintVersion"]))
            });
            self.steps.insert(version.clone(), steps);
        }
        if !self.steps[&version].is_null() {
            d["workflowStepIds"] = self.steps[&version].clone();
        }
        if bp == "bp.system.user" {
            d["user"] = json!({"login": a["fields"]["login"]});
        }
        Ok(d)
    }
}
