//! `table(rows)` / `print_table(rows)` in scripts run by the real binary: the shape of
//! the table, column choice and order, cell rendering, and bad rows.
mod common;
use common::Run;

#[test]
fn table_has_one_column_per_key_in_first_seen_order_numbers_right_aligned() {
    let out = Run::new(
        r#"
let rows = [
    #{ id: "ar.1", status: "APPROVED", count: 3 },
    #{ id: "ar.22", note: "late", count: 12 },
];
print(table(rows));
"#,
    )
    .ok();
    let lines: Vec<&str> = out.lines().collect();
    // Top border, header, header separator, two rows, bottom border.
    assert_eq!(lines.len(), 6, "{out}");
    assert!(
        lines[0].starts_with('┌') && lines[5].starts_with('└'),
        "{out}"
    );
    let header: Vec<&str> = cells(lines[1]);
    // A map's keys come sorted; a key first seen in a later row comes after.
    assert_eq!(header, ["count", "id", "status", "note"], "{out}");
    assert_eq!(cells(lines[3]), ["3", "ar.1", "APPROVED", ""], "{out}");
    assert_eq!(cells(lines[4]), ["12", "ar.22", "", "late"], "{out}");
    // Every line is as wide as the others, and numbers are right-aligned.
    let width = lines[0].chars().count();
    assert!(lines.iter().all(|l| l.chars().count() == width), "{out}");
    assert!(lines[3].starts_with("│     3 ┆"), "{out}");
}

#[test]
fn columns_choose_and_order_what_is_shown() {
    let out = Run::new(
        r#"
let rows = [#{ a: 1, b: "x", c: [1, 2] }, #{ a: 2, c: #{ k: "v" }, d: now() }];
print_table(rows, ["c", "a"]);
print_table([["ar.1", true], ["ar.2", ()]], ["id", "flag"]);
"#,
    )
    .ok();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(cells(lines[1]), ["c", "a"], "{out}");
    assert_eq!(cells(lines[3]), ["[1,2]", "1"], "{out}");
    assert_eq!(cells(lines[4]), [r#"{"k":"v"}"#, "2"], "{out}");
    assert_eq!(cells(lines[7]), ["id", "flag"], "{out}");
    assert_eq!(cells(lines[9]), ["ar.1", "true"], "{out}");
    assert_eq!(cells(lines[10]), ["ar.2", ""], "{out}");
}

#[test]
fn dates_and_handles_show_as_their_text() {
    let out = Run::new(
        r#"
let t = timestamp("2026-01-31T12:00:00Z");
let artifact = GovernClient("http://127.0.0.1:9", "unused").get_artifact("ar.7");
print(table([#{ when: t, wait: days(2) + hours(3), what: artifact }], ["what", "when", "wait"]));
"#,
    )
    .ok();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        cells(lines[3]),
        ["GovernArtifact(ar.7)", "2026-01-31T12:00:00Z", "2d 3h"],
        "{out}"
    );
}

#[test]
fn a_row_that_is_not_a_map_is_a_clear_error() {
    let out = Run::new(
        r#"
let e = expect_error(|| table([#{ a: 1 }, 42]));
print(e.message);
let e = expect_error(|| table([#{ a: 1 }], ["a", 2]));
print(e.message);
print(table([]).len());
"#,
    )
    .ok();
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].contains("row 2 is a i64, expected a map"), "{out}");
    assert!(
        lines[1].contains("column 2 is a i64, expected a string"),
        "{out}"
    );
    assert_eq!(lines[2], "0", "no rows and no columns: an empty table");
}

/// The cells of a table line, trimmed: `│ a │ b │` → `["a", "b"]`.
fn cells(line: &str) -> Vec<&str> {
    let inner = line.trim().trim_start_matches('│').trim_end_matches('│');
    inner.split(['│', '┆']).map(str::trim).collect()
}
