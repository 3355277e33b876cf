//! Dates and durations for scripts, backed by jiff: `now()`, `timestamp(..)`, `days(n)`,
//! `duration("7d")`, arithmetic (`ts - days(30)`, `ts - ts`) and comparisons.
//!
//! A `Timestamp` is an instant (UTC, millisecond epoch as Govern stores them); a
//! `Duration` is an exact length of time, a day being 24 hours (months and years have
//! no fixed length, so they are refused rather than guessed).
use crate::bindings::bridge::{RhaiResult, local_error};
use crate::bindings::def::def;
use crate::bindings::register::Register;
use jiff::{SignedDuration, Span, SpanRelativeTo, Timestamp, civil, tz::TimeZone};
use rhai::INT;

/// The script's `Duration`: an exact, signed length of time.
type Duration = SignedDuration;

const SECONDS_PER_DAY: i64 = 86_400;

/// `call: message` as a catchable script error.
fn fail<T>(call: &str, message: impl Into<String>) -> RhaiResult<T> {
    Err(local_error(call, message))
}

/// Parses RFC 3339 (`2026-01-31T12:00:00Z`, any offset), a date (`2026-01-31`, midnight
/// UTC) or a civil date-time without offset (read as UTC).
fn parse_timestamp(text: &str) -> RhaiResult<Timestamp> {
    let text = text.trim();
    if let Ok(ts) = text.parse::<Timestamp>() {
        return Ok(ts);
    }
    let civil = text.parse::<civil::DateTime>().or_else(|_| {
        text.parse::<civil::Date>()
            .map(|d| d.to_datetime(civil::Time::midnight()))
    });
    match civil.and_then(|dt| dt.to_zoned(TimeZone::UTC)) {
        Ok(zoned) => Ok(zoned.timestamp()),
        Err(_) => fail(
            "timestamp",
            format!(
                "cannot read '{text}' as a date: expected RFC 3339 (2026-01-31T12:00:00Z) \
                 or a date (2026-01-31)"
            ),
        ),
    }
}

fn from_epoch_ms(ms: INT) -> RhaiResult<Timestamp> {
    Timestamp::from_millisecond(ms).or_else(|_| {
        fail(
            "timestamp",
            format!("{ms} ms since 1970 is out of the supported range (years -9999 to 9999)"),
        )
    })
}

/// Parses `7d`, `36h`, `1w 2d`, `90m`, `1 day 2 hours` or ISO 8601 (`P7D`, `PT36H`).
fn parse_duration(text: &str) -> RhaiResult<Duration> {
    let span: Span = match text.trim().parse() {
        Ok(s) => s,
        Err(_) => {
            return fail(
                "duration",
                format!(
                    "cannot read '{text}' as a duration: expected e.g. \"7d\", \"36h\", \
                     \"1w 2d\", \"90m\", \"30s\" or ISO 8601 \"P7D\""
                ),
            );
        }
    };
    if span.get_months() != 0 || span.get_years() != 0 {
        return fail(
            "duration",
            format!("'{text}': months and years have no fixed length; use days or weeks"),
        );
    }
    span.to_duration(SpanRelativeTo::days_are_24_hours())
        .or_else(|e| fail("duration", format!("'{text}': {e}")))
}

fn units(call: &str, n: INT, seconds_per_unit: i64) -> RhaiResult<Duration> {
    n.checked_mul(seconds_per_unit)
        .map(Duration::from_secs)
        .map_or_else(|| fail(call, format!("{n} is too large")), Ok)
}

fn add(call: &str, ts: Timestamp, d: Duration) -> RhaiResult<Timestamp> {
    ts.checked_add(d).or_else(|_| {
        fail(
            call,
            format!("{ts} {call} {} is out of range", show_duration(d)),
        )
    })
}

/// `7d 2h 3m 4s`, `-36h`, `0s`, `1.5s` (milliseconds kept when present).
fn show_duration(d: Duration) -> String {
    let sign = if d.is_negative() { "-" } else { "" };
    let total = d.as_secs().unsigned_abs();
    let millis = d.subsec_millis().unsigned_abs();
    let mut parts = Vec::new();
    let (days, rest) = (total / 86_400, total % 86_400);
    let (hours, rest) = (rest / 3_600, rest % 3_600);
    let (minutes, seconds) = (rest / 60, rest % 60);
    for (n, unit) in [(days, "d"), (hours, "h"), (minutes, "m")] {
        if n > 0 {
            parts.push(format!("{n}{unit}"));
        }
    }
    if millis > 0 {
        parts.push(format!("{seconds}.{millis:03}s"));
    } else if seconds > 0 || parts.is_empty() {
        parts.push(format!("{seconds}s"));
    }
    format!("{sign}{}", parts.join(" "))
}

/// RFC 3339 in UTC, to the millisecond when there are any.
fn show_timestamp(ts: Timestamp) -> String {
    if ts.subsec_millisecond() == 0 {
        format!("{ts:.0}")
    } else {
        format!("{ts:.3}")
    }
}

/// Registers the `Timestamp` and `Duration` types and their functions.
pub fn register(engine: &mut impl Register) {
    engine.register_type_doc::<Timestamp>(
        "Timestamp",
        &["/// An instant in time (UTC, millisecond precision): `now()`, `timestamp(\"2026-01-31\")`, `ts - days(7)`."],
    );
    engine.register_type_doc::<Duration>(
        "Duration",
        &["/// An exact length of time (a day is 24 hours): `days(7)`, `duration(\"36h\")`, `ts - ts`."],
    );
    register_constructors(engine);
    register_arithmetic(engine);
    register_comparisons(engine);
    register_accessors(engine);
}

fn register_constructors(engine: &mut impl Register) {
    def(
        engine,
        "now",
        &["Timestamp"],
        "The current time.",
        Timestamp::now,
    );
    def(
        engine,
        "timestamp",
        &["text: String", "Timestamp"],
        "Reads a date: RFC 3339 (`\"2026-01-31T12:00:00Z\"`, any offset), or a date \
         (`\"2026-01-31\"`, midnight UTC); anything else is an error saying what is expected.",
        |text: &str| parse_timestamp(text),
    );
    def(
        engine,
        "timestamp",
        &["epoch_ms: int", "Timestamp"],
        "The instant `epoch_ms` milliseconds after 1970-01-01 UTC (how Govern stores times).",
        from_epoch_ms,
    );
    def(
        engine,
        "duration",
        &["text: String", "Duration"],
        "Reads a duration: `\"7d\"`, `\"36h\"`, `\"1w 2d\"`, `\"90m\"`, `\"30s\"` or ISO 8601 \
         `\"P7D\"`. Months and years are refused (no fixed length).",
        |text: &str| parse_duration(text),
    );
    def(
        engine,
        "days",
        &["n: int", "Duration"],
        "`n` days of 24 hours.",
        |n: INT| units("days", n, SECONDS_PER_DAY),
    );
    def(
        engine,
        "hours",
        &["n: int", "Duration"],
        "`n` hours.",
        |n: INT| units("hours", n, 3_600),
    );
    def(
        engine,
        "minutes",
        &["n: int", "Duration"],
        "`n` minutes.",
        |n: INT| units("minutes", n, 60),
    );
    def(
        engine,
        "seconds",
        &["n: int", "Duration"],
        "`n` seconds.",
        |n: INT| units("seconds", n, 1),
    );
}

fn register_arithmetic(engine: &mut impl Register) {
    def(
        engine,
        "+",
        &["ts: Timestamp", "d: Duration", "Timestamp"],
        "The instant `d` after `ts`.",
        |ts: Timestamp, d: Duration| add("+", ts, d),
    );
    def(
        engine,
        "-",
        &["ts: Timestamp", "d: Duration", "Timestamp"],
        "The instant `d` before `ts`.",
        |ts: Timestamp, d: Duration| match d.checked_neg() {
            Some(back) => add("-", ts, back),
            None => fail("-", "duration out of range"),
        },
    );
    def(
        engine,
        "-",
        &["a: Timestamp", "b: Timestamp", "Duration"],
        "The time from `b` to `a` (negative if `a` is earlier).",
        |a: Timestamp, b: Timestamp| a.duration_since(b),
    );
    def(
        engine,
        "+",
        &["a: Duration", "b: Duration", "Duration"],
        "The sum of two durations.",
        |a: Duration, b: Duration| {
            a.checked_add(b)
                .map_or_else(|| fail("+", "duration out of range"), Ok)
        },
    );
    def(
        engine,
        "-",
        &["a: Duration", "b: Duration", "Duration"],
        "The difference of two durations.",
        |a: Duration, b: Duration| {
            a.checked_sub(b)
                .map_or_else(|| fail("-", "duration out of range"), Ok)
        },
    );
    def(
        engine,
        "*",
        &["d: Duration", "n: int", "Duration"],
        "`d` repeated `n` times.",
        |d: Duration, n: INT| match i32::try_from(n).ok().and_then(|n| d.checked_mul(n)) {
            Some(product) => Ok(product),
            None => fail("*", "duration out of range"),
        },
    );
}

/// `==`, `!=`, `<`, `<=`, `>`, `>=` on two values of the same type.
fn register_comparisons(engine: &mut impl Register) {
    macro_rules! compare {
        ($ty:ty) => {
            let doc = "Compares two values of the same type (earlier / shorter is less).";
            def(engine, "==", &[], doc, |a: $ty, b: $ty| a == b);
            def(engine, "!=", &[], doc, |a: $ty, b: $ty| a != b);
            def(engine, "<", &[], doc, |a: $ty, b: $ty| a < b);
            def(engine, "<=", &[], doc, |a: $ty, b: $ty| a <= b);
            def(engine, ">", &[], doc, |a: $ty, b: $ty| a > b);
            def(engine, ">=", &[], doc, |a: $ty, b: $ty| a >= b);
        };
    }
    compare!(Timestamp);
    compare!(Duration);
}

fn register_accessors(engine: &mut impl Register) {
    use crate::bindings::def::prop;
    prop(
        engine,
        "epoch_ms",
        "Milliseconds since 1970-01-01 UTC (how Govern stores times).",
        |ts: &mut Timestamp| -> INT { ts.as_millisecond() },
    );
    def(
        engine,
        "date",
        &["self: Timestamp", "String"],
        "The UTC calendar date, `YYYY-MM-DD`.",
        |ts: &mut Timestamp| ts.to_zoned(TimeZone::UTC).date().to_string(),
    );
    for name in ["to_string", "to_debug"] {
        def(
            engine,
            name,
            &["self: Timestamp", "String"],
            "RFC 3339 in UTC: `2026-01-31T12:00:00Z`.",
            |ts: &mut Timestamp| show_timestamp(*ts),
        );
        def(
            engine,
            name,
            &["self: Duration", "String"],
            "The duration in days, hours, minutes and seconds: `7d 2h`.",
            |d: &mut Duration| show_duration(*d),
        );
    }
    prop(
        engine,
        "days",
        "Whole days (24 hours) in the duration, rounded toward zero.",
        |d: &mut Duration| -> INT { d.as_secs() / SECONDS_PER_DAY },
    );
    prop(
        engine,
        "hours",
        "Whole hours in the duration, rounded toward zero.",
        |d: &mut Duration| -> INT { d.as_secs() / 3_600 },
    );
    prop(
        engine,
        "minutes",
        "Whole minutes in the duration, rounded toward zero.",
        |d: &mut Duration| -> INT { d.as_secs() / 60 },
    );
    prop(
        engine,
        "seconds",
        "Whole seconds in the duration, rounded toward zero.",
        |d: &mut Duration| -> INT { d.as_secs() },
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_show_in_days_hours_minutes_seconds() {
        assert_eq!(show_duration(Duration::from_hours(170)), "7d 2h");
        assert_eq!(show_duration(Duration::from_secs(-90)), "-1m 30s");
        assert_eq!(show_duration(Duration::ZERO), "0s");
        assert_eq!(show_duration(Duration::from_millis(1_500)), "1.500s");
    }

    #[test]
    fn durations_read_friendly_and_iso_forms() {
        assert_eq!(parse_duration("7d").ok(), Some(Duration::from_hours(168)));
        assert_eq!(
            parse_duration("1w 2d").ok(),
            Some(Duration::from_hours(216))
        );
        assert_eq!(parse_duration("PT36H").ok(), Some(Duration::from_hours(36)));
        assert!(parse_duration("1 month").is_err());
        assert!(parse_duration("soon").is_err());
    }
}
