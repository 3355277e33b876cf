//! Time series (`/time-series`, `/time-series/{id}`): create, read a window, push
//! values, delete a window.
//!
//! Timestamps are epoch **milliseconds**. Govern stores whatever integer it gets, so a
//! timestamp in seconds lands silently in January 1970; the client refuses, before
//! sending anything, a datapoint or a bound that [`looks_like_seconds`], and a
//! datapoint whose timestamp is no integer.
use super::resource::path;
use super::{GovernClient, GovernError, Request, Result};
use crate::protocol::resources::TIME_SERIES;
use serde_json::Value;

/// The smallest timestamp taken for seconds: 10^8 (1973-03-03 in seconds; as
/// milliseconds, 1970-01-02T03:46:40Z).
pub const SECONDS_FROM: i64 = 100_000_000;
/// The first timestamp taken for milliseconds again: 10^11 (1973-03-03T09:46:40Z in
/// milliseconds; as seconds, the year 5138).
pub const SECONDS_UNTIL: i64 = 100_000_000_000;

/// Whether `timestamp` is probably in seconds: its magnitude is in
/// [`SECONDS_FROM`]`..`[`SECONDS_UNTIL`], i.e. a date from 1973 to 5138 in seconds and
/// only from 1970-01-02 to 1973-03-03 in milliseconds, when no Govern data was made.
/// Smaller values (sequence numbers, offsets, tests: the Python client's own recorded
/// calls use 1000 and 2000) and real millisecond dates pass.
pub fn looks_like_seconds(timestamp: i64) -> bool {
    (SECONDS_FROM as u64..SECONDS_UNTIL as u64).contains(&timestamp.unsigned_abs())
}

/// Why `timestamp` (named `what` in the message) is refused, if it is.
pub fn check_timestamp(what: &str, timestamp: i64) -> std::result::Result<(), String> {
    if looks_like_seconds(timestamp) {
        return Err(format!(
            "{what} {timestamp} looks like seconds, not epoch milliseconds: Govern would \
             store it in 1970; give {} (values from 10^8 to 10^11 are taken for seconds); \
             nothing was sent",
            i128::from(timestamp) * 1000
        ));
    }
    Ok(())
}

/// Why `datapoints` cannot be sent, if it cannot: each must be an object whose
/// `timestamp` is an integer of epoch milliseconds ([`check_timestamp`]).
pub fn check_datapoints(datapoints: &[Value]) -> std::result::Result<(), String> {
    for (i, point) in datapoints.iter().enumerate() {
        let what = format!("datapoints[{i}].timestamp");
        let Some(point) = point.as_object() else {
            return Err(format!(
                "datapoints[{i}] must be a map #{{timestamp, value}}; nothing was sent"
            ));
        };
        match point.get("timestamp") {
            Some(t) if t.is_i64() => check_timestamp(&what, t.as_i64().unwrap_or_default())?,
            None => return Err(format!("{what} is missing; nothing was sent")),
            Some(other) => {
                return Err(format!(
                    "{what} must be an integer of epoch milliseconds, not {other}; nothing was sent"
                ));
            }
        }
    }
    Ok(())
}

/// A local error of the current call, for input refused before sending.
fn refused(message: String) -> GovernError {
    GovernError::local(super::operation::current(), message)
}

/// `request` with the window's bounds, as Python adds them (only those given), each
/// checked first.
fn window(mut request: Request, min: Option<i64>, max: Option<i64>) -> Result<Request> {
    for (name, bound) in [("min_timestamp", min), ("max_timestamp", max)] {
        if let Some(b) = bound {
            check_timestamp(name, b).map_err(refused)?;
        }
    }
    request = request
        .query("timestampMin", min)
        .query("timestampMax", max);
    Ok(request)
}

/// The path of the series `id`.
fn item(id: &str) -> String {
    path(TIME_SERIES.item, &[id])
}

impl GovernClient {
    /// `POST /time-series` with the initial datapoints; returns the new series' id.
    /// Sent once: a lost answer is reported, not sent again (there is no way to find
    /// the series it may have made).
    pub async fn create_time_series(&self, datapoints: Vec<Value>) -> Result<String> {
        check_datapoints(&datapoints).map_err(refused)?;
        let request = Request::post(TIME_SERIES.create).body(Value::Array(datapoints));
        let described = request.describe();
        let answer = self.perform_object(request).await?;
        answer
            .pointer(TIME_SERIES.created_id)
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| GovernError {
                call: self.call_name().into(),
                request: Some(described),
                kind: Box::new(super::ErrorKind::InvalidResponse(
                    "the answer has no id".into(),
                )),
            })
    }

    /// `GET /time-series/{id}`: the datapoints strictly between `min` and `max`
    /// (epoch ms, both exclusive on Govern 15), ordered by timestamp.
    pub async fn get_time_series_values(
        &self,
        id: &str,
        min: Option<i64>,
        max: Option<i64>,
    ) -> Result<Vec<Value>> {
        let request = window(Request::get(item(id)), min, max)?;
        self.perform_list(request).await
    }

    /// `PUT /time-series/{id}?upsert=True|False`: adds the datapoints, each given
    /// `"timeSeriesId": id` as Python does (in place, else last). `upsert: false` keeps
    /// the value already stored at a timestamp.
    pub async fn push_time_series_values(
        &self,
        id: &str,
        mut datapoints: Vec<Value>,
        upsert: bool,
    ) -> Result<()> {
        check_datapoints(&datapoints).map_err(refused)?;
        for point in datapoints.iter_mut().filter_map(Value::as_object_mut) {
            point.insert("timeSeriesId".into(), Value::String(id.to_string()));
        }
        let request = Request::put(item(id))
            .body(Value::Array(datapoints))
            .query("upsert", upsert);
        // Python reads the answer as JSON (and ignores it).
        self.perform_json(request).await.map(drop)
    }

    /// `DELETE /time-series/{id}`: the datapoints strictly between `min` and `max`, or
    /// every one when neither is given (the series stays).
    pub async fn delete_time_series_values(
        &self,
        id: &str,
        min: Option<i64>,
        max: Option<i64>,
    ) -> Result<()> {
        let request = window(Request::delete(item(id)), min, max)?;
        self.perform_empty(request).await
    }
}

#[cfg(test)]
mod tests {
    use super::super::request::segment;
    use super::*;
    use serde_json::json;

    #[test]
    fn seconds_are_told_from_milliseconds() {
        for ms in [
            0,
            1,
            1000,
            2000,
            99_999_999,
            100_000_000_000,
            1_700_000_000_000,
        ] {
            assert!(!looks_like_seconds(ms), "{ms}");
        }
        for s in [100_000_000, 1_700_000_000, 99_999_999_999, -1_700_000_000] {
            assert!(looks_like_seconds(s), "{s}");
        }
        assert!(!looks_like_seconds(i64::MIN));
    }

    #[test]
    fn datapoints_need_an_integer_millisecond_timestamp() {
        assert!(
            check_datapoints(&[json!({"timestamp": 1_700_000_000_000_i64, "value": 1})]).is_ok()
        );
        let e = check_datapoints(&[
            json!({"timestamp": 1, "value": 1}),
            json!({"timestamp": 1_700_000_000}),
        ])
        .unwrap_err();
        assert!(
            e.starts_with("datapoints[1].timestamp 1700000000 looks like seconds"),
            "{e}"
        );
        assert!(e.contains("give 1700000000000"), "{e}");
        let e = check_datapoints(&[json!({"timestamp": 1.5})]).unwrap_err();
        assert!(
            e.contains("must be an integer of epoch milliseconds, not 1.5"),
            "{e}"
        );
        let e = check_datapoints(&[json!({"timestamp": "1700000000000"})]).unwrap_err();
        assert!(e.contains("must be an integer"), "{e}");
        assert!(
            check_datapoints(&[json!({"value": 1})])
                .unwrap_err()
                .contains("missing")
        );
        assert!(
            check_datapoints(&[json!(3)])
                .unwrap_err()
                .contains("must be a map")
        );
    }

    #[test]
    fn ids_stay_one_path_segment() {
        assert_eq!(item("ts.1"), "/time-series/ts.1");
        assert_eq!(item("a/b"), format!("/time-series/{}", segment("a/b")));
    }
}
