//! Checking a log's chain: `govscript audit verify`.
//!
//! Lines are numbered from 1. The first broken line is named: one that is not a
//! record, whose content does not match its hash (edited), or whose `prev` is not the
//! hash of the line before it (a record removed, inserted or moved there; the first
//! line must link to [`GENESIS`]). A last line without its newline is what a run
//! killed while writing leaves (each record is written with its newline in one
//! write): it is reported as a torn tail and ignored, and the chain before it is
//! checked. Appending to such a log removes the torn line first (see [`super::log`]).
use super::record::{GENESIS, hash_of};
use serde_json::{Map, Value};

/// A log whose chain holds.
#[derive(Debug, PartialEq)]
pub struct Intact {
    /// Complete records.
    pub records: usize,
    /// The hash of the last complete record ([`GENESIS`] when there is none).
    pub head: String,
    /// The line number of a torn last line, if any.
    pub torn_tail: Option<usize>,
}

/// The first line where the chain breaks.
#[derive(Debug, PartialEq)]
pub struct Broken {
    /// Its 1-based line number.
    pub line: usize,
    /// What is wrong with it.
    pub why: String,
}

impl std::fmt::Display for Broken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.why)
    }
}

/// The complete lines of a log (each with its 1-based number) and, when the last one
/// has no newline, that torn line's number.
pub fn lines(text: &[u8]) -> (Vec<(usize, &[u8])>, Option<usize>) {
    let mut out = Vec::new();
    let mut torn = None;
    let mut rest = text;
    let mut number = 0;
    while !rest.is_empty() {
        number += 1;
        match rest.iter().position(|&b| b == b'\n') {
            Some(end) => {
                out.push((number, &rest[..end]));
                rest = &rest[end + 1..];
            }
            None => {
                torn = Some(number);
                rest = &[];
            }
        }
    }
    (out, torn)
}

/// Parses one line as a record.
pub fn parse(line: &[u8]) -> Result<Map<String, Value>, String> {
    match serde_json::from_slice::<Value>(line) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err("not a record (a JSON object was expected)".into()),
        Err(e) => Err(format!("not a record ({e})")),
    }
}

/// Checks the chain of the log `text`.
pub fn verify(text: &[u8]) -> Result<Intact, Broken> {
    let (lines, torn_tail) = lines(text);
    let mut expected = GENESIS.to_string();
    for (line, bytes) in &lines {
        let broken = |why: String| Broken { line: *line, why };
        let record = parse(bytes).map_err(broken)?;
        let field = |name: &str| record.get(name).and_then(Value::as_str).map(str::to_string);
        let (Some(hash), Some(prev)) = (field("hash"), field("prev")) else {
            return Err(broken("not a record (no `hash` or `prev`)".into()));
        };
        if hash_of(&record) != hash {
            return Err(broken(
                "its content does not match its hash: the record was edited".into(),
            ));
        }
        if prev != expected {
            let why = if *line == 1 {
                "it does not start the chain: a record before it was removed".to_string()
            } else {
                format!(
                    "it does not follow line {}: a record was removed, inserted or moved here",
                    line - 1
                )
            };
            return Err(broken(why));
        }
        expected = hash;
    }
    Ok(Intact {
        records: lines.len(),
        head: expected,
        torn_tail,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::record::seal;
    use serde_json::json;

    /// A log of `n` chained records, as lines (each with its newline).
    fn log(n: usize) -> Vec<String> {
        let mut prev = GENESIS.to_string();
        (0..n)
            .map(|i| {
                let record = json!({"time": format!("t{i}"), "path": format!("/artifact/ar.{i}")});
                let (line, hash) = seal(record.as_object().cloned().expect("object"), &prev);
                prev = hash;
                line
            })
            .collect()
    }

    fn check(lines: &[String]) -> Result<Intact, Broken> {
        verify(lines.concat().as_bytes())
    }

    #[test]
    fn an_untouched_chain_verifies_and_an_empty_log_too() {
        let intact = check(&log(4)).expect("intact");
        assert_eq!((intact.records, intact.torn_tail), (4, None));
        assert_eq!(verify(b"").expect("empty").head, GENESIS);
    }

    #[test]
    fn an_edited_record_is_named() {
        let mut lines = log(4);
        lines[2] = lines[2].replace("ar.2", "ar.9");
        let broken = check(&lines).expect_err("edited");
        assert_eq!(broken.line, 3);
        assert!(broken.why.contains("edited"), "{broken}");
    }

    #[test]
    fn a_removed_an_inserted_and_a_moved_record_are_named() {
        let mut removed = log(4);
        removed.remove(1);
        assert_eq!(check(&removed).expect_err("removed").line, 2);
        let mut first_removed = log(3);
        first_removed.remove(0);
        assert_eq!(check(&first_removed).expect_err("first removed").line, 1);
        let mut inserted = log(4);
        let copy = inserted[0].clone();
        inserted.insert(3, copy);
        assert_eq!(check(&inserted).expect_err("inserted").line, 4);
        let mut moved = log(4);
        moved.swap(1, 2);
        assert_eq!(check(&moved).expect_err("moved").line, 2);
    }

    #[test]
    fn a_torn_last_line_is_reported_and_the_chain_before_it_holds() {
        let lines = log(3);
        let mut text = lines.concat();
        text.push_str(&lines[0][..20]);
        let intact = verify(text.as_bytes()).expect("intact up to the tail");
        assert_eq!((intact.records, intact.torn_tail), (3, Some(4)));
        // A torn line followed by more records is a broken chain, not a tail.
        let mut middle = lines[0][..20].to_string();
        middle.push('\n');
        let text = [lines[0].clone(), middle, lines[1].clone()].concat();
        assert_eq!(verify(text.as_bytes()).expect_err("garbage").line, 2);
    }
}
