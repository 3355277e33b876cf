//! The sort of a search (name, workflow progress or a field per blueprint, ASC or DESC)
//! as SQL: a list of key expressions ending with the artifact number and id, so that the
//! order is total and a page starts strictly after the last artifact of the previous one.
use super::index::MISSING;
use crate::sandbox::error::{ApiError, ApiResult};
use rusqlite::types::Value as Sql;
use serde_json::Value;

/// The sort of one search.
pub struct Sort {
    /// A `LEFT JOIN` the keys need (the field sort), with its parameters.
    pub join: String,
    /// The join's parameters.
    pub join_params: Vec<Sql>,
    /// Key expressions, most significant first, the tie-break (`a.num`, `a.id`) last.
    pub keys: Vec<String>,
    /// Whether the order is descending (every key: the tie-break follows the direction,
    /// so that one index serves both directions).
    pub desc: bool,
    /// The sort's `(blueprintId, fieldId)` pairs (a field sort), in request order.
    pub fields: Vec<(String, String)>,
}

impl Sort {
    /// The sort of a request's `artifactSearchSort` (none: by artifact number).
    pub fn parse(sort: Option<&Value>) -> ApiResult<Sort> {
        let mut s = Sort {
            join: String::new(),
            join_params: vec![],
            keys: vec![],
            desc: false,
            fields: vec![],
        };
        let Some(sort) = sort.filter(|v| !v.is_null()) else {
            s.keys = vec!["a.num".into(), "a.id".into()];
            return Ok(s);
        };
        s.desc = match sort["direction"].as_str() {
            None | Some("ASC") => false,
            Some("DESC") => true,
            Some(other) => {
                return Err(ApiError::validation(format!(
                    "Unknown sort direction: {other} (ASC or DESC)"
                )));
            }
        };
        let column = &sort["column"];
        match column["type"].as_str() {
            Some("name") => s.keys.push("a.name_lower".into()),
            Some("workflow") => s.keys.push("a.progress".into()),
            Some("field") => {
                let mut case = String::from("CASE a.blueprint_id");
                for f in column["fields"].as_array().into_iter().flatten() {
                    let (Some(bp), Some(field)) =
                        (f["blueprintId"].as_str(), f["fieldId"].as_str())
                    else {
                        return Err(ApiError::validation(
                            "Sort fields need a blueprintId and a fieldId",
                        ));
                    };
                    case.push_str(" WHEN ? THEN ?");
                    s.join_params
                        .extend([Sql::Text(bp.into()), Sql::Text(field.into())]);
                    s.fields.push((bp.into(), field.into()));
                }
                case.push_str(" END");
                s.join = format!(
                    "LEFT JOIN search_sort s ON s.artifact_id = a.id AND s.field_id = ({case})"
                );
                // Negated when descending, so that missing values stay last.
                let sign = if s.desc { "-" } else { "" };
                s.keys.extend([
                    format!("{sign}COALESCE(s.kind, {MISSING})"),
                    "COALESCE(s.num, 0)".into(),
                    "COALESCE(s.text, '')".into(),
                ]);
            }
            other => {
                return Err(ApiError::validation(format!(
                    "Unknown artifact sort column type: {}",
                    other.unwrap_or("(none)")
                )));
            }
        }
        s.keys.extend(["a.num".into(), "a.id".into()]);
        Ok(s)
    }

    /// Whether this is the default order (by artifact number, then id).
    pub fn by_id(&self) -> bool {
        self.keys.len() == 2 && self.join.is_empty()
    }

    /// The `(blueprint, field)` of a field sort naming one blueprint (its first field
    /// if named twice, as the `CASE` of the join picks): the sort-key index serves it.
    pub fn single_field(&self) -> Option<(&str, &str)> {
        let (bp, field) = self.fields.first()?;
        self.fields
            .iter()
            .all(|(b, _)| b == bp)
            .then_some((bp.as_str(), field.as_str()))
    }

    /// `ORDER BY` clause.
    pub fn order_by(&self) -> String {
        let dir = if self.desc { " DESC" } else { "" };
        let keys: Vec<String> = self.keys.iter().map(|k| format!("{k}{dir}")).collect();
        format!("ORDER BY {}", keys.join(", "))
    }

    /// The keyset condition: rows strictly after the cursor's key (one `?` per key).
    pub fn after(&self) -> String {
        let op = if self.desc { "<" } else { ">" };
        let marks = vec!["?"; self.keys.len()].join(", ");
        format!("({}) {op} ({marks})", self.keys.join(", "))
    }

    /// The `SELECT` list of the key expressions (to read the cursor's key).
    pub fn select_keys(&self) -> String {
        self.keys.join(", ")
    }
}
