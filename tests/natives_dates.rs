//! The date and duration natives (`now()`, `timestamp(..)`, `days(n)`, `duration("7d")`)
//! in scripts run by the real binary: arithmetic, comparisons, parsing and its errors.
mod common;
use common::Run;

#[test]
fn timestamps_and_durations_do_arithmetic_and_compare() {
    let out = Run::new(
        r#"
let t = timestamp("2026-01-31T12:00:00Z");
assert_eq(type_of(t), "Timestamp");
assert_eq((t + days(1)).to_string(), "2026-02-01T12:00:00Z");
assert_eq((t - hours(36)).to_string(), "2026-01-30T00:00:00Z");
assert_eq((t + minutes(90)).to_string(), "2026-01-31T13:30:00Z");
let gap = timestamp("2026-03-01") - timestamp("2026-01-31");
assert_eq(type_of(gap), "Duration");
assert_eq(gap.days, 29);
assert_eq(gap.hours, 29 * 24);
assert_eq(gap.seconds, 29 * 86400);
assert_eq((timestamp("2026-01-31") - timestamp("2026-03-01")).days, -29, "negative when earlier");
assert(t < t + seconds(1));
assert(t + days(7) > t + days(6));
assert(t == timestamp("2026-01-31T13:00:00+01:00"), "an offset names the same instant");
assert(t != t + seconds(1));
assert(days(1) == hours(24));
assert(duration("7d") == days(7));
assert(duration("1w 2d") == days(9));
assert(duration("36h") > days(1));
assert_eq((days(1) + hours(2)).to_string(), "1d 2h");
assert_eq((days(2) - hours(1)).hours, 47);
assert_eq((hours(3) * 4).hours, 12);
assert_eq(duration("PT90M").minutes, 90);
print(t);
print(days(3) + minutes(5));
"#,
    )
    .ok();
    assert_eq!(out, "2026-01-31T12:00:00Z\n3d 5m\n");
}

#[test]
fn epoch_milliseconds_round_trip_and_dates_print_as_days() {
    Run::new(
        r#"
let t = timestamp(1769860800000);
assert_eq(t.to_string(), "2026-01-31T12:00:00Z");
assert_eq(t.epoch_ms, 1769860800000);
assert_eq(t.date(), "2026-01-31");
assert_eq(timestamp(1769860800123).to_string(), "2026-01-31T12:00:00.123Z");
assert_eq(timestamp("2026-01-31T23:30:00-02:00").date(), "2026-02-01", "the date is UTC's");
assert_eq(timestamp("2026-01-31T08:15:00").to_string(), "2026-01-31T08:15:00Z", "no offset: UTC");
let before = now();
let after = now();
assert(after >= before);
assert((after - before).seconds < 60);
assert(now().epoch_ms > timestamp("2026-01-01").epoch_ms - 366 * 86400 * 1000 * 10);
"#,
    )
    .ok();
}

#[test]
fn unreadable_dates_and_durations_are_clear_catchable_errors() {
    let out = Run::new(
        r#"
let e = expect_error(|| timestamp("31/01/2026"));
print(e.message);
let e = expect_error(|| duration("a week"));
print(e.message);
let e = expect_error(|| duration("1 month"));
print(e.message);
let e = expect_error(|| timestamp(9223372036854775807));
print(e.message);
let e = expect_error(|| days(9223372036854775807));
print(e.message);
"#,
    )
    .ok();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 5, "{out}");
    assert!(
        lines[0].contains("cannot read '31/01/2026' as a date") && lines[0].contains("RFC 3339"),
        "{out}"
    );
    assert!(
        lines[1].contains("cannot read 'a week' as a duration") && lines[1].contains("\"7d\""),
        "{out}"
    );
    assert!(
        lines[2].contains("months and years have no fixed length"),
        "{out}"
    );
    assert!(lines[3].contains("out of the supported range"), "{out}");
    assert!(lines[4].contains("too large"), "{out}");
}

#[test]
fn an_uncaught_date_error_stops_the_script_naming_the_call_and_line() {
    let ran = Run::new("let x = 1;\nlet t = timestamp(\"yesterday\");\nprint(\"not reached\");\n")
        .exits(common::EXIT_SCRIPT_ERROR);
    assert!(!ran.stdout.contains("not reached"));
    assert!(
        ran.stderr.contains("timestamp") && ran.stderr.contains("'yesterday'"),
        "{}",
        ran.stderr
    );
    assert!(ran.stderr.contains("script.rhai:2:9"), "{}", ran.stderr);
}
