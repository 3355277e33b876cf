//! JSON text exactly as Python's `json.dumps` writes it with default settings
//! (`", "` and `": "` separators, non-ASCII escaped as `\uXXXX`), so that request
//! bodies are byte-identical to the official client's.
use serde::Serialize;
use serde_json::ser::{Formatter, Serializer};
use std::io::{self, Write};

/// A `serde_json` formatter reproducing `json.dumps` defaults.
struct PythonFormatter;

impl Formatter for PythonFormatter {
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        if first { Ok(()) } else { w.write_all(b", ") }
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        if first { Ok(()) } else { w.write_all(b", ") }
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        for c in fragment.chars() {
            if c.is_ascii() {
                w.write_all(&[c as u8])?;
            } else {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    write!(w, "\\u{unit:04x}")?;
                }
            }
        }
        Ok(())
    }
}

/// Serialises `value` as Python's `json.dumps(value)` would.
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> String {
    let mut out = Vec::new();
    let mut ser = Serializer::with_formatter(&mut out, PythonFormatter);
    // Serialising a serde_json::Value into memory cannot fail.
    if value.serialize(&mut ser).is_err() {
        return String::from("null");
    }
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn matches_python_json_dumps() {
        let v = json!({"targetStatus": "NOT_STARTED", "usersToSendEmailTo": [{"userLogin": "u1"}], "n": null, "b": true});
        assert_eq!(
            to_string(&v),
            r#"{"targetStatus": "NOT_STARTED", "usersToSendEmailTo": [{"userLogin": "u1"}], "n": null, "b": true}"#
        );
        assert_eq!(
            to_string(&json!("h\u{e9}llo \u{2713} \u{1F600}")),
            r#""h\u00e9llo \u2713 \ud83d\ude00""#
        );
        assert_eq!(
            to_string(&json!([1.5, 3.0, "a\"b\n"])),
            r#"[1.5, 3.0, "a\"b\n"]"#
        );
    }
}
