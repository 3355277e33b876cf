//! Datapoint storage: one row per `(series, timestamp)` in the `time_series_points`
//! table, keyed `<series>/<timestamp as 20 sortable digits>`, so that a series' points
//! are one range of the primary key, in timestamp order, and a window (both bounds
//! exclusive, as Govern 15) is a narrower range of it.
use super::super::error::ApiResult;
use super::super::store::{Db, Table};
use rusqlite::params;
use serde_json::{Value, json};

/// The key of `series`' datapoint at `timestamp`: the timestamp with its sign bit
/// flipped (negative ones first), in 20 digits, so that text order is numeric order.
fn key(series: &str, timestamp: i64) -> String {
    format!("{series}/{:020}", (timestamp as u64) ^ (1 << 63))
}

/// The exclusive key bounds of the window `(min, max)` of `series`: no bound is the
/// whole series (`<series>/` is below each of its keys, `<series>0` above them: `0`
/// follows `/`).
fn range(series: &str, min: Option<i64>, max: Option<i64>) -> (String, String) {
    (
        min.map_or_else(|| format!("{series}/"), |t| key(series, t)),
        max.map_or_else(|| format!("{series}0"), |t| key(series, t)),
    )
}

/// The datapoints of `series` strictly between `min` and `max`, by timestamp.
pub fn window(db: &Db, series: &str, min: Option<i64>, max: Option<i64>) -> ApiResult<Vec<Value>> {
    let (low, high) = range(series, min, max);
    let sql = format!(
        "SELECT body FROM {} WHERE id > ?1 AND id < ?2 ORDER BY id",
        Table::TimeSeriesPoints.name()
    );
    let mut stmt = db.conn().prepare_cached(&sql)?;
    let rows = stmt.query_map(params![low, high], |r| r.get::<_, String>(0))?;
    let mut out = Vec::new();
    for row in rows {
        out.push(serde_json::from_str(&row?)?);
    }
    Ok(out)
}

/// Deletes the datapoints of `series` strictly between `min` and `max`; returns how many.
pub fn delete(db: &Db, series: &str, min: Option<i64>, max: Option<i64>) -> ApiResult<usize> {
    let (low, high) = range(series, min, max);
    let sql = format!(
        "DELETE FROM {} WHERE id > ?1 AND id < ?2",
        Table::TimeSeriesPoints.name()
    );
    Ok(db
        .conn()
        .prepare_cached(&sql)?
        .execute(params![low, high])?)
}

/// Stores `points` in `series`, in order: with `upsert` a later value overwrites the
/// one at its timestamp; without, the value already there (stored before, or earlier
/// in `points`) is kept.
pub fn push(db: &Db, series: &str, points: Vec<(i64, Value)>, upsert: bool) -> ApiResult<()> {
    for (timestamp, value) in points {
        let key = key(series, timestamp);
        if !upsert && db.get(Table::TimeSeriesPoints, &key)?.is_some() {
            continue;
        }
        let point = json!({"timeSeriesId": series, "timestamp": timestamp, "value": value});
        db.put(Table::TimeSeriesPoints, &key, &point)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_sort_as_their_timestamps() {
        let stamps = [i64::MIN, -5, -1, 0, 1, 9, 10, 1_700_000_000_000, i64::MAX];
        let keys: Vec<String> = stamps.iter().map(|t| key("ts.1", *t)).collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted);
        let (low, high) = range("ts.1", None, None);
        assert!(keys.iter().all(|k| low < *k && *k < high));
        // Another series whose id extends this one's is outside its range.
        assert!(key("ts.10", 0) > high);
        assert!(key("ts.0", 0) < low);
    }
}
