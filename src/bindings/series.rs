//! Time series: `GovernClient.create_time_series` / `get_time_series` and
//! `GovernTimeSeries` (`get_values`, `push_values`, `delete`; Python's
//! `time_series_id` and `client` attributes come with the kind).
//!
//! Timestamps are epoch milliseconds. A datapoint or bound whose timestamp looks like
//! seconds (magnitude from 10^8 to 10^11: a date from 1973 on in seconds, but only
//! January 1970 to March 1973 in milliseconds) or is no integer is refused before
//! anything is sent: Govern would store it in 1970 without a word.
use super::arg::JsonArray;
use super::convert::to_dynamic;
use super::handle::Handle;
use super::kinds::{GovernClient, GovernTimeSeries};
use super::method::methods;
use rhai::{Array, INT, Module};
use serde_json::Value;

type Series = Handle<GovernTimeSeries>;

/// The items of a datapoints argument (checked to be an array by [`JsonArray`]).
fn points(datapoints: JsonArray) -> Vec<Value> {
    match datapoints.0 {
        Value::Array(items) => items,
        _ => Vec::new(),
    }
}

/// Registers the time-series family.
pub fn register(module: &mut Module) {
    methods! { module; Handle<GovernClient> as c {
        /// Creates a time series holding `datapoints` (`[#{timestamp, value}]`,
        /// timestamps in epoch milliseconds, values any JSON); returns its handle.
        fn create_time_series(; datapoints: Option<JsonArray> = None) -> Series {
            let points = datapoints.map(points).unwrap_or_default();
            let id = c.run(c.client().create_time_series(points))?;
            Ok(c.handle(id))
        }
        /// A handle on the time series `time_series_id` (no request until it is used).
        fn get_time_series(time_series_id: String) -> Series {
            Ok(c.handle(time_series_id))
        }
    }}

    methods! { module; Handle<GovernTimeSeries> as s {
        /// The datapoints (`#{timeSeriesId, timestamp, value}`), ordered by timestamp;
        /// with `min_timestamp` / `max_timestamp` (epoch ms) only those strictly
        /// between them: Govern 15 excludes both bounds.
        fn get_values(; min_timestamp: Option<INT> = None, max_timestamp: Option<INT> = None) -> Array {
            let values = s.run(s.client().get_time_series_values(&s.key, min_timestamp, max_timestamp))?;
            Ok(values.iter().map(to_dynamic).collect())
        }
        /// Adds `datapoints` (`[#{timestamp, value}]`, each sent with `timeSeriesId`).
        /// `upsert: false` keeps the value already stored at a timestamp instead of
        /// overwriting it.
        fn push_values(datapoints: JsonArray; upsert: bool = true) -> () {
            s.run(s.client().push_time_series_values(&s.key, points(datapoints), upsert))
        }
        /// Deletes the datapoints strictly between `min_timestamp` and `max_timestamp`
        /// (epoch ms, both excluded), or every datapoint when neither is given; the
        /// series itself stays.
        fn delete(; min_timestamp: Option<INT> = None, max_timestamp: Option<INT> = None) -> () {
            s.run(s.client().delete_time_series_values(&s.key, min_timestamp, max_timestamp))
        }
    }}
}
