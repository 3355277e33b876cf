//! How entry results print: maps, arrays and JSON documents as pretty JSON (coloured
//! on a terminal), Govern handles and documents as one line (type, id, name).
use crate::bindings::JsonRef;
use crate::bindings::convert::to_json;
use rhai::{Array, Dynamic, Engine, Scope};
use serde_json::Value;
use std::io::IsTerminal;

/// ANSI styles used by the REPL.
pub mod ansi {
    /// Reset.
    pub const RESET: &str = "\x1b[0m";
    /// Keys and types.
    pub const CYAN: &str = "\x1b[36m";
    /// Strings.
    pub const GREEN: &str = "\x1b[32m";
    /// Numbers.
    pub const YELLOW: &str = "\x1b[33m";
    /// Keywords, booleans and null.
    pub const MAGENTA: &str = "\x1b[35m";
    /// Errors.
    pub const RED: &str = "\x1b[31m";
    /// Hints and comments.
    pub const DIM: &str = "\x1b[90m";
}

/// Whether to colour output: a terminal, and `NO_COLOR` unset or empty.
pub fn use_color() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Wraps `text` in `style` when `color` is on.
pub fn paint(text: &str, style: &str, color: bool) -> String {
    if color {
        format!("{style}{text}{}", ansi::RESET)
    } else {
        text.to_string()
    }
}

/// The text to print for an entry's value (`None` for `()`).
pub fn render(engine: &Engine, value: &Dynamic, color: bool) -> Option<String> {
    if value.is_unit() {
        return None;
    }
    if let Ok(json) = to_json(value) {
        return Some(json_text(&json, color));
    }
    if let Some(items) = value.read_lock::<Array>() {
        let lines: Vec<String> = items
            .iter()
            .map(|v| {
                format!(
                    "  {}",
                    render(engine, v, color).unwrap_or_else(|| "()".into())
                )
            })
            .collect();
        return Some(format!("[\n{}\n]", lines.join(",\n")));
    }
    Some(summary(engine, value, color))
}

/// One line for a handle or document: `GovernArtifactDefinition ar.1 "Churn model"`.
pub fn summary(engine: &Engine, value: &Dynamic, color: bool) -> String {
    let type_name = engine.map_type_name(value.type_name()).to_string();
    let mut scope = Scope::new();
    scope.push_dynamic("v", value.clone());
    // `to_string` and `get_raw` read what the value holds: no request is sent.
    let id = engine
        .eval_expression_with_scope::<String>(&mut scope, "v.to_string()")
        .ok()
        .and_then(|s| {
            let inner = s
                .strip_prefix(&type_name)?
                .strip_prefix('(')?
                .strip_suffix(')')?;
            Some(inner.to_string())
        });
    let name = engine
        .eval_expression_with_scope::<Dynamic>(&mut scope, "v.get_raw()")
        .ok()
        .and_then(|raw| {
            raw.read_lock::<JsonRef>()
                .and_then(|r| name_of(&r.snapshot()))
        });
    let mut out = paint(&type_name, ansi::CYAN, color);
    if let Some(id) = id {
        out.push(' ');
        out.push_str(&id);
    }
    if let Some(name) = name {
        out.push(' ');
        out.push_str(&paint(&Value::String(name).to_string(), ansi::GREEN, color));
    }
    out
}

/// A document's `name`, or the `name` of one of its top-level objects (list items
/// wrap the object they describe).
fn name_of(document: &Value) -> Option<String> {
    let as_name = |v: &Value| v.get("name").and_then(Value::as_str).map(str::to_string);
    as_name(document).or_else(|| document.as_object()?.values().find_map(as_name))
}

/// Pretty JSON, coloured when `color` is on.
pub fn json_text(value: &Value, color: bool) -> String {
    if !color {
        return serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string());
    }
    let mut out = String::new();
    write_json(&mut out, value, 0);
    out
}

fn write_json(out: &mut String, value: &Value, depth: usize) {
    let pad = |d: usize| "  ".repeat(d);
    match value {
        Value::Null | Value::Bool(_) => {
            out.push_str(&paint(&value.to_string(), ansi::MAGENTA, true))
        }
        Value::Number(_) => out.push_str(&paint(&value.to_string(), ansi::YELLOW, true)),
        Value::String(_) => out.push_str(&paint(&value.to_string(), ansi::GREEN, true)),
        Value::Array(items) if items.is_empty() => out.push_str("[]"),
        Value::Object(map) if map.is_empty() => out.push_str("{}"),
        Value::Array(items) => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                out.push_str(&pad(depth + 1));
                write_json(out, item, depth + 1);
                out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
            out.push_str(&pad(depth));
            out.push(']');
        }
        Value::Object(map) => {
            out.push_str("{\n");
            for (i, (key, item)) in map.iter().enumerate() {
                out.push_str(&pad(depth + 1));
                out.push_str(&paint(
                    &Value::String(key.clone()).to_string(),
                    ansi::CYAN,
                    true,
                ));
                out.push_str(": ");
                write_json(out, item, depth + 1);
                out.push_str(if i + 1 < map.len() { ",\n" } else { "\n" });
            }
            out.push_str(&pad(depth));
            out.push('}');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_json_without_color_and_ansi_with_it() {
        let v = serde_json::json!({"a": [1, "x", null]});
        assert_eq!(
            json_text(&v, false),
            "{\n  \"a\": [\n    1,\n    \"x\",\n    null\n  ]\n}"
        );
        let c = json_text(&v, true);
        assert!(c.contains("\x1b[32m\"x\"\x1b[0m"), "{c}");
    }
}
