//! Artifact search (protocol §3.11): AND-ed filters, one sort, keyset pagination.
use super::artifact::{load_version, step_ids};
use super::error::{ApiError, ApiResult};
use super::store::{Db, Table};
use serde_json::{Map, Value, json};
use std::cmp::Ordering;

const MAX_PAGE: usize = 10_000;

fn bp_of(a: &Value) -> &str {
    super::artifact::version_ids(a).0
}

fn num_id(a: &Value) -> u64 {
    a["id"]
        .as_str()
        .and_then(|s| s.strip_prefix("ar."))
        .and_then(|n| n.parse().ok())
        .unwrap_or(u64::MAX)
}

fn strings(v: &Value) -> Vec<&str> {
    v.as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// String forms a field filter compares against (list fields: every element).
fn scalar_texts(v: &Value) -> Vec<String> {
    match v {
        Value::Null => vec![],
        Value::String(s) => vec![s.clone()],
        Value::Array(a) => a.iter().flat_map(scalar_texts).collect(),
        other => vec![other.to_string()],
    }
}

fn field_filter(f: &Value, a: &Value) -> ApiResult<bool> {
    let cond_type = f["conditionType"].as_str().unwrap_or("EQUALS");
    let case = f["caseSensitive"].as_bool().unwrap_or(false);
    let norm = |s: &str| {
        if case {
            s.to_string()
        } else {
            s.to_lowercase()
        }
    };
    let cond = norm(f["condition"].as_str().unwrap_or(""));
    let values = match f["fieldId"].as_str() {
        Some(fid) => scalar_texts(&a["fields"][fid]),
        None => scalar_texts(&a["name"]),
    };
    let mut hit = false;
    for v in values {
        let v = norm(&v);
        hit |= match cond_type {
            "EQUALS" => v == cond,
            "CONTAINS" => v.contains(&cond),
            "START_WITH" => v.starts_with(&cond),
            "END_WITH" => v.ends_with(&cond),
            other => {
                return Err(ApiError::validation(format!(
                    "Unknown field filter conditionType: {other}"
                )));
            }
        };
    }
    Ok(hit != f["negateCondition"].as_bool().unwrap_or(false))
}

fn keep(filters: &[Value], a: &Value) -> ApiResult<bool> {
    for f in filters {
        let ok = match f["type"].as_str().unwrap_or("") {
            "blueprints" => strings(&f["blueprintIds"]).contains(&bp_of(a)),
            "blueprintVersions" => f["blueprintVersionIds"]
                .as_array()
                .is_some_and(|ids| ids.iter().any(|id| *id == a["blueprintVersionId"])),
            "artifacts" => a["id"]
                .as_str()
                .is_some_and(|id| strings(&f["artifactIds"]).contains(&id)),
            "field" => field_filter(f, a)?,
            "archived" => {
                f["isArchived"].as_bool().unwrap_or(false)
                    || !a["status"]["archived"].as_bool().unwrap_or(false)
            }
            other => {
                return Err(ApiError::validation(format!(
                    "Unknown artifact filter type: {other}"
                )));
            }
        };
        if !ok {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Workflow progress: finished steps count twice, an ongoing one once.
fn progress(a: &Value) -> i64 {
    a["workflow"]["steps"]
        .as_object()
        .map(|steps| {
            steps
                .values()
                .map(|s| match s["status"].as_str() {
                    Some("FINISHED" | "SKIPPED") => 2,
                    Some("ONGOING") => 1,
                    _ => 0,
                })
                .sum()
        })
        .unwrap_or(0)
}

fn cmp_values(x: &Value, y: &Value) -> Ordering {
    match (x, y) {
        (Value::Null, Value::Null) => Ordering::Equal,
        (Value::Null, _) => Ordering::Greater,
        (_, Value::Null) => Ordering::Less,
        (Value::Number(a), Value::Number(b)) => a
            .as_f64()
            .partial_cmp(&b.as_f64())
            .unwrap_or(Ordering::Equal),
        (Value::String(a), Value::String(b)) => a.to_lowercase().cmp(&b.to_lowercase()),
        (a, b) => a.to_string().cmp(&b.to_string()),
    }
}

fn sort_key(column: &Value, a: &Value) -> Value {
    match column["type"].as_str() {
        Some("name") => a["name"].clone(),
        Some("workflow") => json!(progress(a)),
        Some("field") => column["fields"]
            .as_array()
            .and_then(|fs| {
                fs.iter()
                    .find(|f| f["blueprintId"].as_str() == Some(bp_of(a)))
            })
            .and_then(|f| f["fieldId"].as_str())
            .map_or(Value::Null, |fid| a["fields"][fid].clone()),
        _ => Value::Null,
    }
}

/// Runs a search request body; returns `{"uiArtifacts", "hasNextPage"}`.
pub fn run(db: &Db, query: &Map<String, Value>) -> ApiResult<Value> {
    let filters = match query.get("artifactFilters") {
        None | Some(Value::Null) => vec![],
        Some(Value::Array(a)) => a.clone(),
        Some(_) => return Err(ApiError::validation("artifactFilters must be a list")),
    };
    let mut hits = Vec::new();
    for (_, a) in db.list(Table::Artifacts, "")? {
        if keep(&filters, &a)? {
            hits.push(a);
        }
    }
    let sort = query
        .get("artifactSearchSort")
        .cloned()
        .unwrap_or(Value::Null);
    let desc = sort["direction"].as_str() == Some("DESC");
    let column = &sort["column"];
    hits.sort_by(|x, y| {
        let primary = if column.is_null() {
            Ordering::Equal
        } else {
            let (kx, ky) = (sort_key(column, x), sort_key(column, y));
            let o = cmp_values(&kx, &ky);
            if desc && !kx.is_null() && !ky.is_null() {
                o.reverse()
            } else {
                o
            }
        };
        primary.then_with(|| num_id(x).cmp(&num_id(y)))
    });
    let page = &query
        .get("artifactSearchPagination")
        .cloned()
        .unwrap_or(Value::Null);
    let size = page["pageSize"]
        .as_u64()
        .map_or(20, |n| n as usize)
        .clamp(1, MAX_PAGE);
    let start = match page["lastArtifactId"].as_str() {
        Some(last) => hits
            .iter()
            .position(|a| a["id"].as_str() == Some(last))
            .map_or(0, |p| p + 1),
        None => 0,
    };
    let end = (start + size).min(hits.len());
    let mut items = Vec::new();
    for a in hits.get(start..end).unwrap_or_default() {
        items.push(json!({"artifact": a, "uiArtifactDetails": details(db, a)?}));
    }
    Ok(json!({"uiArtifacts": items, "hasNextPage": end < hits.len()}))
}

/// Extra display data of a hit: blueprint name, current step name, user login.
fn details(db: &Db, a: &Value) -> ApiResult<Value> {
    let bp = bp_of(a);
    let bv = a["blueprintVersionId"]["versionId"].as_str().unwrap_or("");
    let mut d = json!({
        "blueprint": db.get(Table::Blueprints, bp)?.unwrap_or(Value::Null),
    });
    if let Ok(entry) = load_version(db, bp, bv) {
        d["workflowStepIds"] = json!(step_ids(&entry["blueprintVersion"]));
    }
    if bp == "bp.system.user" {
        d["user"] = json!({"login": a["fields"]["login"]});
    }
    Ok(d)
}
