//! The `FILE` value a handler script gets: `#{ path, name, size, content }`.
//!
//! `content` by extension (case-insensitive):
//! - `.csv` / `.tsv`: an array of maps, one per row, keyed by the header row; values
//!   are strings (`parse_int`/`parse_float` convert them);
//! - `.json`: the parsed value; `.jsonl` / `.ndjson`: an array, one value per line;
//! - anything else: the text (UTF-8), or `()` for binary files.
//!
//! Parsed content takes many times the file's size in memory (a 29 MB CSV took a
//! watcher to 3.3 GB), so a file over `--max-file-mb` ([`DEFAULT_MAX_FILE_MB`] by
//! default) is refused: it fails with the reason, and nothing is read.
use crate::bindings::convert::to_dynamic;
use rhai::{Array, Dynamic, Map};
use std::io::Read;
use std::path::Path;

/// The default of `--max-file-mb`.
pub const DEFAULT_MAX_FILE_MB: u64 = 8;

/// Builds `FILE` for the claimed file at `path`, dropped as `name`. Fails, naming the
/// file, if it cannot be read or parsed, or is larger than `max_bytes`.
pub fn file_value(path: &Path, name: &str, max_bytes: u64) -> Result<Dynamic, String> {
    let too_big = |size: u64| {
        format!(
            "{name} is {:.1} MB, over the {} MB limit (--max-file-mb): not read; split it or raise the limit",
            size as f64 / 1e6,
            max_bytes / 1_000_000
        )
    };
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read {name}: {e}"))?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    if size > max_bytes {
        return Err(too_big(size));
    }
    // Read at most one byte more than allowed, in case it grew since.
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read {name}: {e}"))?;
    if bytes.len() as u64 > max_bytes {
        return Err(too_big(bytes.len() as u64));
    }
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
    crate::runtime::natives::files::parse_rows(bytes, delimiter, name).map(Dynamic::from)
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
    fn a_file_over_the_size_limit_is_refused_unread() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.csv");
        std::fs::write(&path, "id\n".repeat(1000)).unwrap();
        let e = file_value(&path, "big.csv", 2_000_000 / 1000).unwrap_err();
        assert!(e.contains("big.csv") && e.contains("--max-file-mb"), "{e}");
        assert!(file_value(&path, "big.csv", 3000).is_ok());
    }

    #[test]
    fn json_and_text_and_binary() {
        let v = parse(br#"[{"id":"ar.1","n":2}]"#, "s.json").unwrap();
        assert_eq!(v.into_array().unwrap().len(), 1);
        assert_eq!(parse(b"hello", "a.txt").unwrap().to_string(), "hello");
        assert!(parse(&[0xff, 0xfe, 0], "a.bin").unwrap().is_unit());
    }
}
