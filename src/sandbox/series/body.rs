//! What a time-series request may carry: datapoints, a window, `upsert`. Anything else
//! is a 400 answered before the store is touched.
use super::super::error::{ApiError, ApiResult};
use serde::Deserialize;
use serde_json::Value;

/// The window of a read or a delete (`timestampMin`, `timestampMax`: epoch ms, both
/// exclusive).
#[derive(Debug, Default, Deserialize)]
pub struct Window {
    /// Lower bound, excluded.
    #[serde(rename = "timestampMin")]
    pub min: Option<i64>,
    /// Upper bound, excluded.
    #[serde(rename = "timestampMax")]
    pub max: Option<i64>,
}

/// A push's query: `upsert`, as Python spells it (`True`/`False`) or lowercase.
#[derive(Debug, Default, Deserialize)]
pub struct Push {
    /// Absent: true (Govern's default).
    pub upsert: Option<String>,
}

impl Push {
    /// Whether the push overwrites values at existing timestamps.
    pub fn upsert(&self) -> ApiResult<bool> {
        match self.upsert.as_deref() {
            None | Some("True" | "true") => Ok(true),
            Some("False" | "false") => Ok(false),
            Some(other) => Err(ApiError::validation(format!(
                "Invalid value for upsert: '{other}' (expected true or false)"
            ))),
        }
    }
}

/// The `(timestamp, value)` pairs of a datapoints body (a list of
/// `{timestamp, value[, timeSeriesId]}`; `null` or empty: none). Each timestamp must be
/// an integer; a `timeSeriesId`, when `series` is known, must name it; a missing value
/// is `null`.
pub fn datapoints(body: Value, series: Option<&str>) -> ApiResult<Vec<(i64, Value)>> {
    let items = match body {
        Value::Null => return Ok(Vec::new()),
        Value::Array(items) => items,
        _ => {
            return Err(ApiError::validation(
                "The body must be a list of datapoints {timestamp, value}",
            ));
        }
    };
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            let Value::Object(mut point) = item else {
                return Err(ApiError::validation(format!(
                    "Datapoint {i} must be an object {{timestamp, value}}"
                )));
            };
            let timestamp = point
                .get("timestamp")
                .and_then(Value::as_i64)
                .ok_or_else(|| {
                    ApiError::validation(format!(
                        "Datapoint {i}: timestamp must be an integer (epoch milliseconds)"
                    ))
                })?;
            if let (Some(series), Some(given)) = (series, point.get("timeSeriesId"))
                && !given.is_null()
                && given.as_str() != Some(series)
            {
                return Err(ApiError::validation(format!(
                    "Time series IDs do not match: {given} in datapoint {i}, {series} in the path"
                )));
            }
            Ok((timestamp, point.remove("value").unwrap_or(Value::Null)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn bodies_are_checked_whole() {
        let ok = datapoints(
            json!([{"timestamp": 5, "value": {"a": 1}}, {"timestamp": -2}]),
            Some("ts.1"),
        )
        .expect("valid");
        assert_eq!(ok, vec![(5, json!({"a": 1})), (-2, Value::Null)]);
        assert!(datapoints(Value::Null, None).expect("null").is_empty());
        for bad in [
            json!({"timestamp": 1}),
            json!([1]),
            json!([{"value": 1}]),
            json!([{"timestamp": 1.5}]),
            json!([{"timestamp": "1"}]),
            json!([{"timestamp": 1, "timeSeriesId": "ts.2"}]),
        ] {
            let e = datapoints(bad.clone(), Some("ts.1")).unwrap_err();
            assert_eq!(e.status, 400, "{bad}");
        }
    }

    #[test]
    fn upsert_takes_python_and_lowercase_spellings() {
        let push = |v: Option<&str>| {
            Push {
                upsert: v.map(str::to_string),
            }
            .upsert()
        };
        assert_eq!(push(None), Ok(true));
        assert_eq!(push(Some("True")), Ok(true));
        assert_eq!(push(Some("false")), Ok(false));
        assert_eq!(push(Some("False")), Ok(false));
        assert_eq!(push(Some("yes")).unwrap_err().status, 400);
    }
}
