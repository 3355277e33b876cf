//! The `FILE` value a handler script gets: `#{ path, name, size, content }`.
//!
//! `content` by extension (case-insensitive):
//! - `.csv` / `.tsv`: an array of maps, one per row, keyed by the header row; values
//!   are strings (`parse_int`/`parse_float` convert them);
//! - `.json`: the parsed value; `.jsonl` / `.ndjson`: an array, one value per line;
//! - anything else: the text (UTF-8), or `()` for binary files.
use crate::bindings::convert::to_dynamic;
use rhai::{Array, Dynamic, Map};
use std::path::Path;

/// Builds `FILE` for the claimed file at `path`, dropped as `name`. Fails, naming the
/// file, if it cannot be read or parsed.
pub fn file_value(path: &Path, name: &str) -> Result<Dynamic, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {name}: {e}"))?;
    let content = parse(&bytes, name)?;
    let mut map = Map::new();
    map.insert("path".into(), path.display().to_string().into());
    map.insert("name".into(), name.into());
    map.insert("size".into(), Dynamic::from(bytes.len() as rhai::INT));
    map.insert("content".into(), content);
    Ok(map.into())
}

fn extension(name: &str) -> String {
    Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// Parses a file's bytes according to its name's extension.
pub fn parse(bytes: &[u8], name: &str) -> Result<Dynamic, String> {
    match extension(name).as_str() {
        "csv" => csv_rows(bytes, b',', name),
        "tsv" => csv_rows(bytes, b'\t', name),
        "json" => serde_json::from_slice::<serde_json::Value>(bytes)
            .map(|v| to_dynamic(&v))
            .map_err(|e| format!("{name} is not valid JSON: {e}")),
        "jsonl" | "ndjson" => {
            let text =
                std::str::from_utf8(bytes).map_err(|e| format!("{name} is not UTF-8: {e}"))?;
            let mut rows = Array::new();
            for (i, line) in text
                .lines()
                .enumerate()
                .filter(|(_, l)| !l.trim().is_empty())
            {
                let v: serde_json::Value = serde_json::from_str(line)
                    .map_err(|e| format!("{name} line {}: not valid JSON: {e}", i + 1))?;
                rows.push(to_dynamic(&v));
            }
            Ok(rows.into())
        }
        _ => Ok(std::str::from_utf8(bytes).map_or(Dynamic::UNIT, |t| t.into())),
    }
}

fn csv_rows(bytes: &[u8], delimiter: u8, name: &str) -> Result<Dynamic, String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_reader(bytes);
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| format!("{name}: cannot read the header row: {e}"))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let mut rows = Array::new();
    for record in reader.records() {
        let record = record.map_err(|e| format!("{name}: {e}"))?;
        let mut row = Map::new();
        for (key, value) in headers.iter().zip(record.iter()) {
            row.insert(key.as_str().into(), value.into());
        }
        rows.push(row.into());
    }
    Ok(rows.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_rows_are_maps_keyed_by_header() {
        let v = parse(
            b"\xEF\xBB\xBFid, owner\nar.1,alice\n\"ar.2\",\"b, c\"\n",
            "x.CSV",
        )
        .unwrap();
        let rows = v.into_array().unwrap();
        assert_eq!(rows.len(), 2);
        let second = rows[1].clone().try_cast::<Map>().unwrap();
        assert_eq!(second["id"].to_string(), "ar.2");
        assert_eq!(second["owner"].to_string(), "b, c");
    }

    #[test]
    fn ragged_csv_and_bad_json_name_the_file() {
        assert!(parse(b"a,b\n1\n", "r.csv").unwrap_err().contains("r.csv"));
        assert!(parse(b"{", "b.json").unwrap_err().contains("b.json"));
        assert!(
            parse(b"{}\n{", "c.jsonl")
                .unwrap_err()
                .contains("c.jsonl line 2")
        );
    }

    #[test]
    fn json_and_text_and_binary() {
        let v = parse(br#"[{"id":"ar.1","n":2}]"#, "s.json").unwrap();
        assert_eq!(v.into_array().unwrap().len(), 1);
        assert_eq!(parse(b"hello", "a.txt").unwrap().to_string(), "hello");
        assert!(parse(&[0xff, 0xfe, 0], "a.bin").unwrap().is_unit());
    }
}
