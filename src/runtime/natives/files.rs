//! Reading and writing CSV and JSON files: `csv_read`, `csv_records`, `csv_write`,
//! `csv_string`, `json_read`, `json_write`.
//!
//! CSV values are strings both ways: a row is a map keyed by the header row, and a
//! value written out is its text (`()` an empty cell, a map or array its JSON).
//! Writes are atomic: the file is written beside its target and renamed over it, so a
//! failed or interrupted write leaves the old file (or none), never half a file.
use crate::bindings::bridge::{RhaiResult, local_error};
use crate::bindings::convert::{to_dynamic, to_json};
use crate::bindings::handle::def;
use crate::bindings::register::Register;
use rhai::{Array, Dynamic, Map};
use serde_json::Value;
use std::io::Write;
use std::path::Path;

/// Reads the file at `path` for `call`, naming it in the error.
fn read(call: &str, path: &str) -> RhaiResult<Vec<u8>> {
    std::fs::read(path).map_err(|e| local_error(call, format!("cannot read {path}: {e}")))
}

/// A CSV reader over `bytes` (a leading UTF-8 byte-order mark skipped).
fn csv_reader(bytes: &[u8], delimiter: u8, flexible: bool) -> csv::Reader<&[u8]> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(flexible)
        .from_reader(bytes)
}

/// The header row, trimmed.
fn headers(reader: &mut csv::Reader<&[u8]>, name: &str) -> Result<Vec<String>, String> {
    Ok(reader
        .headers()
        .map_err(|e| format!("{name}: cannot read the header row: {e}"))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect())
}

fn row(headers: &[String], record: &csv::StringRecord) -> Map {
    headers
        .iter()
        .zip(record.iter())
        .map(|(key, value)| (key.as_str().into(), value.into()))
        .collect()
}

/// A CSV error as `NAME line N: what`.
fn csv_error(name: &str, e: &csv::Error) -> String {
    match e.position() {
        Some(p) => format!("{name} line {}: {}", p.line(), describe(e)),
        None => format!("{name}: {e}"),
    }
}

/// What went wrong with a record, without the position the line already says.
fn describe(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("{len} fields where the header has {expected_len}"),
        csv::ErrorKind::Utf8 { .. } => "not valid UTF-8".into(),
        _ => e.to_string(),
    }
}

/// Parses CSV (or TSV with `b'\t'`) into one map per row keyed by the header row;
/// the first malformed record fails, naming `name` and its line.
pub fn parse_rows(bytes: &[u8], delimiter: u8, name: &str) -> Result<Array, String> {
    let mut reader = csv_reader(bytes, delimiter, false);
    let headers = headers(&mut reader, name)?;
    let mut rows = Array::new();
    for record in reader.records() {
        let record = record.map_err(|e| csv_error(name, &e))?;
        rows.push(row(&headers, &record).into());
    }
    Ok(rows)
}

/// Parses CSV leniently: `#{ line, row }` per good record, `#{ line, error }` per
/// malformed one (wrong number of fields, not UTF-8), so a script can report a bad
/// row and go on with the others.
fn parse_records(bytes: &[u8], name: &str) -> Result<Array, String> {
    let mut reader = csv_reader(bytes, b',', true);
    let headers = headers(&mut reader, name)?;
    let mut records = Array::new();
    let mut record = csv::StringRecord::new();
    loop {
        let line = reader.position().line() as rhai::INT;
        let mut entry = Map::new();
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let line = record.position().map_or(line, |p| p.line() as rhai::INT);
                entry.insert("line".into(), line.into());
                if record.len() == headers.len() {
                    entry.insert("row".into(), row(&headers, &record).into());
                } else {
                    let what = format!(
                        "{} fields where the header has {}",
                        record.len(),
                        headers.len()
                    );
                    entry.insert("error".into(), what.into());
                }
            }
            Err(e) if matches!(e.kind(), csv::ErrorKind::Io(_)) => {
                return Err(csv_error(name, &e));
            }
            Err(e) => {
                let line = e.position().map_or(line, |p| p.line() as rhai::INT);
                entry.insert("line".into(), line.into());
                entry.insert("error".into(), describe(&e).into());
            }
        }
        records.push(entry.into());
    }
    Ok(records)
}

/// A value as the text of a CSV cell.
fn cell(value: &Dynamic) -> Result<String, String> {
    Ok(match to_json(value)? {
        Value::Null => String::new(),
        Value::String(s) => s,
        other => other.to_string(),
    })
}

/// The columns of `rows`: their keys in first-seen order.
fn columns_of(rows: &[Map]) -> Vec<String> {
    let mut columns: Vec<String> = Vec::new();
    for row in rows {
        for key in row.keys() {
            if !columns.iter().any(|c| c == key.as_str()) {
                columns.push(key.to_string());
            }
        }
    }
    columns
}

/// `rows` (maps) as CSV text under `columns` (or the rows' own keys).
fn to_csv(rows: &Array, columns: Option<&Array>) -> Result<String, String> {
    let rows: Vec<Map> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            r.clone()
                .try_cast::<Map>()
                .ok_or_else(|| format!("row {i} is a {}, not a map", r.type_name()))
        })
        .collect::<Result<_, _>>()?;
    let columns: Vec<String> = match columns {
        Some(given) => given.iter().map(|c| c.to_string()).collect(),
        None => columns_of(&rows),
    };
    let mut writer = csv::Writer::from_writer(Vec::new());
    let csv_failed = |e: csv::Error| e.to_string();
    writer.write_record(&columns).map_err(csv_failed)?;
    for (i, row) in rows.iter().enumerate() {
        let cells = columns
            .iter()
            .map(|c| row.get(c.as_str()).map_or(Ok(String::new()), cell))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| format!("row {i}: {e}"))?;
        writer.write_record(&cells).map_err(csv_failed)?;
    }
    let bytes = writer.into_inner().map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|e| e.to_string())
}

/// Writes `bytes` to `path` atomically: beside it first, then renamed over it.
fn write_atomically(path: &str, bytes: &[u8]) -> Result<(), String> {
    let target = Path::new(path);
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let failed = |e: std::io::Error| format!("cannot write {path}: {e}");
    let mut temp = tempfile::Builder::new()
        .prefix(".govscript-")
        .tempfile_in(dir)
        .map_err(failed)?;
    temp.write_all(bytes).map_err(failed)?;
    temp.as_file().sync_all().map_err(failed)?;
    temp.persist(target).map_err(|e| failed(e.error))?;
    Ok(())
}

fn csv_write(path: &str, rows: &Array, columns: Option<&Array>) -> RhaiResult<()> {
    let text = to_csv(rows, columns).map_err(|e| local_error("csv_write", e))?;
    write_atomically(path, text.as_bytes()).map_err(|e| local_error("csv_write", e))
}

fn csv_string(rows: &Array, columns: Option<&Array>) -> RhaiResult<String> {
    to_csv(rows, columns).map_err(|e| local_error("csv_string", e))
}

/// Registers the file helpers.
pub fn register(engine: &mut impl Register) {
    def(
        engine,
        "csv_read",
        &["path: String", "Array"],
        "The rows of the CSV file at `path`, one map per row keyed by the header row \
         (values are strings). A malformed record fails, naming the file and line; \
         `csv_records` reads leniently.\n\
         ```rhai\n\
         for row in csv_read(\"owners.csv\") { print(`${row.id}: ${row.owner}`); }\n\
         ```",
        |path: &str| -> RhaiResult<Array> {
            let bytes = read("csv_read", path)?;
            parse_rows(&bytes, b',', path).map_err(|e| local_error("csv_read", e))
        },
    );
    def(
        engine,
        "csv_records",
        &["path: String", "Array"],
        "The records of the CSV file at `path`, leniently: `#{ line, row }` for each \
         good record, `#{ line, error }` for a malformed one, so a script can report \
         the bad rows and go on with the others.",
        |path: &str| -> RhaiResult<Array> {
            let bytes = read("csv_records", path)?;
            parse_records(&bytes, path).map_err(|e| local_error("csv_records", e))
        },
    );
    def(
        engine,
        "csv_write",
        &["path: String", "rows: Array", "()"],
        "Writes `rows` (maps) to the CSV file at `path`, atomically; the header is the \
         rows' keys in first-seen order. `()` is an empty cell, a map or array its JSON.",
        |path: &str, rows: Array| csv_write(path, &rows, None),
    );
    def(
        engine,
        "csv_write",
        &["path: String", "rows: Array", "columns: Array", "()"],
        "Writes `rows` to the CSV file at `path` with exactly `columns`, in that order.",
        |path: &str, rows: Array, columns: Array| csv_write(path, &rows, Some(&columns)),
    );
    def(
        engine,
        "csv_string",
        &["rows: Array", "String"],
        "`rows` (maps) as CSV text, as `csv_write` would write them.",
        |rows: Array| csv_string(&rows, None),
    );
    def(
        engine,
        "csv_string",
        &["rows: Array", "columns: Array", "String"],
        "`rows` as CSV text with exactly `columns`.",
        |rows: Array, columns: Array| csv_string(&rows, Some(&columns)),
    );
    def(
        engine,
        "json_read",
        &["path: String", "?"],
        "The JSON file at `path`, parsed into maps, arrays and scalars.",
        |path: &str| -> RhaiResult<Dynamic> {
            let bytes = read("json_read", path)?;
            serde_json::from_slice::<Value>(&bytes)
                .map(|v| to_dynamic(&v))
                .map_err(|e| local_error("json_read", format!("{path} is not valid JSON: {e}")))
        },
    );
    def(
        engine,
        "json_write",
        &["path: String", "value: ?", "()"],
        "Writes `value` as pretty-printed JSON to `path`, atomically.",
        |path: &str, value: Dynamic| -> RhaiResult<()> {
            let fail = |e: String| local_error("json_write", e);
            let json = to_json(&value).map_err(fail)?;
            let mut text = serde_json::to_string_pretty(&json).map_err(|e| fail(e.to_string()))?;
            text.push('\n');
            write_atomically(path, text.as_bytes()).map_err(fail)
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(records: &Array) -> Vec<String> {
        records
            .iter()
            .map(|r| {
                let m = r.clone().cast::<Map>();
                match m.get("row") {
                    Some(row) => format!("{}:{}", m["line"], row.clone().cast::<Map>()["id"]),
                    None => format!("{}!{}", m["line"], m["error"]),
                }
            })
            .collect()
    }

    #[test]
    fn a_bad_record_is_reported_with_its_line_and_the_others_kept() {
        let records = parse_records(b"id,owner\nar.1,a\nar.2\nar.3,c\n", "o.csv").unwrap();
        assert_eq!(
            text_of(&records),
            ["2:ar.1", "3!1 fields where the header has 2", "4:ar.3"]
        );
    }

    #[test]
    fn a_strict_read_names_the_file_and_line_of_a_bad_record() {
        let e = parse_rows(b"id,owner\nar.1,a\nar.2\n", b',', "o.csv").unwrap_err();
        assert_eq!(e, "o.csv line 3: 1 fields where the header has 2");
    }

    #[test]
    fn quoted_lines_count_as_the_file_counts_them() {
        let records = parse_records(b"id,note\nar.1,\"two\nlines\"\nar.2,x,y\n", "q.csv").unwrap();
        assert_eq!(
            text_of(&records),
            ["2:ar.1", "4!3 fields where the header has 2"]
        );
    }

    #[test]
    fn rows_write_under_their_first_seen_keys_and_read_back() {
        let mut a = Map::new();
        a.insert("id".into(), "ar.1".into());
        a.insert("n".into(), Dynamic::from(2 as rhai::INT));
        let mut b = Map::new();
        b.insert("id".into(), "ar.2, quoted".into());
        b.insert("extra".into(), Dynamic::UNIT);
        let text = to_csv(&vec![a.into(), b.into()], None).unwrap();
        assert_eq!(text, "id,n,extra\nar.1,2,\n\"ar.2, quoted\",,\n");
        let back = parse_rows(text.as_bytes(), b',', "t.csv").unwrap();
        assert_eq!(
            back[1].clone().cast::<Map>()["id"].to_string(),
            "ar.2, quoted"
        );
    }

    #[test]
    fn a_row_that_is_not_a_map_is_refused_and_nothing_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        std::fs::write(&path, "old\n").unwrap();
        let rows: Array = vec![Dynamic::from(1 as rhai::INT)];
        assert!(csv_write(path.to_str().unwrap(), &rows, None).is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old\n");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
