//! Record times: UTC, RFC 3339 with milliseconds (`2026-11-30T04:30:00.123Z`), so that
//! they sort as text, and the bounds `audit show --since/--until` take.
use std::time::{SystemTime, UNIX_EPOCH};

/// `time` as `YYYY-MM-DDTHH:MM:SS.mmmZ`.
pub fn format(time: SystemTime) -> String {
    let millis = time
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0);
    let (days, ms) = (millis.div_euclid(86_400_000), millis.rem_euclid(86_400_000));
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        ms / 3_600_000,
        ms / 60_000 % 60,
        ms / 1000 % 60,
        ms % 1000
    )
}

/// Year, month and day of a day number since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// Checks a `--since`/`--until` bound: a UTC time written as records write it, cut
/// anywhere after the day (`2026-11-30`, `2026-11-30T04`, `2026-11-30T04:30:00Z`).
pub fn check_bound(bound: &str) -> Result<String, String> {
    let bound = bound.strip_suffix('Z').unwrap_or(bound);
    let shape = "dddd-dd-ddTdd:dd:dd.ddd";
    let fits = bound.len() >= 10
        && bound.len() <= shape.len()
        && bound.chars().zip(shape.chars()).all(|(c, s)| match s {
            'd' => c.is_ascii_digit(),
            other => c == other,
        });
    if fits {
        Ok(bound.to_string())
    } else {
        Err(format!(
            "{bound:?} is not a UTC time such as 2026-11-30 or 2026-11-30T04:30:00Z"
        ))
    }
}

/// Whether the record time `time` is at or after `since` (a checked bound).
pub fn at_or_after(time: &str, since: &str) -> bool {
    time >= since
}

/// Whether the record time `time` is within `until` (a checked bound, inclusive at its
/// precision: `--until 2026-11-30` includes that whole day).
pub fn at_or_before(time: &str, until: &str) -> bool {
    time.get(..until.len()).unwrap_or(time) <= until
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn times_format_as_utc_rfc3339() {
        let t = UNIX_EPOCH + Duration::from_millis(1_796_013_000_123);
        assert_eq!(format(t), "2026-11-30T04:30:00.123Z");
        assert_eq!(format(UNIX_EPOCH), "1970-01-01T00:00:00.000Z");
        assert_eq!(
            format(UNIX_EPOCH + Duration::from_secs(951_782_400)),
            "2000-02-29T00:00:00.000Z"
        );
    }

    #[test]
    fn bounds_compare_at_their_precision() {
        let t = "2026-11-30T04:30:00.123Z";
        let day = check_bound("2026-11-30").expect("day");
        assert!(at_or_after(t, &day) && at_or_before(t, &day));
        let hour = check_bound("2026-11-30T04").expect("hour");
        assert!(at_or_before(t, &hour));
        assert!(!at_or_before(
            t,
            &check_bound("2026-11-30T04:29:59Z").expect("t")
        ));
        assert!(!at_or_after(
            t,
            &check_bound("2026-12-01").expect("next day")
        ));
        assert!(check_bound("yesterday").is_err() && check_bound("2026-1-3").is_err());
    }
}
