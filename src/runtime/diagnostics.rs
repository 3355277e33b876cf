//! Rendering script errors: `file:line:column`, the source line, a caret, the message.
use crate::bindings::ScriptError;
use rhai::{Engine, EvalAltResult, ParseError, Position};

/// A script error ready to print.
#[derive(Debug)]
pub struct Diagnostic {
    /// What went wrong.
    pub message: String,
    /// Where, if known.
    pub position: Position,
    /// Notes such as the call chain or expected signatures.
    pub notes: Vec<String>,
    /// The module the position is in, when it is not the script itself
    /// (`govern/signoffs`, or a module file's path).
    pub origin: Option<String>,
}

impl Diagnostic {
    /// From a syntax error.
    pub fn from_parse(error: &ParseError) -> Self {
        Self {
            message: format!("syntax error: {}", error.err_type()),
            position: error.position(),
            notes: Vec::new(),
            origin: None,
        }
    }

    /// From a runtime error, looking through nested function calls to the innermost
    /// position. `engine` supplies signatures for "wrong arguments" hints.
    pub fn from_eval(error: EvalAltResult, engine: &Engine) -> Self {
        let mut notes = Vec::new();
        let mut error = error;
        let mut origin = None;
        loop {
            match error {
                EvalAltResult::ErrorInFunctionCall(name, source, inner, pos) => {
                    let at = origin
                        .as_deref()
                        .map(|o| format!(" in {o}"))
                        .unwrap_or_default();
                    notes.push(format!(
                        "in call to function '{name}' at {}{at}",
                        describe(pos)
                    ));
                    // The function's own body is in `source` (a module's name), if any.
                    if !source.is_empty() {
                        origin = Some(source);
                    }
                    error = *inner;
                }
                EvalAltResult::ErrorInModule(name, inner, pos) => {
                    notes.push(format!("in module '{name}' imported at {}", describe(pos)));
                    origin = Some(name);
                    error = *inner;
                }
                other => {
                    notes.reverse();
                    let mut diagnostic = Self::leaf(other, engine, notes);
                    diagnostic.origin = origin;
                    return diagnostic;
                }
            }
        }
    }

    fn leaf(error: EvalAltResult, engine: &Engine, mut notes: Vec<String>) -> Self {
        let position = error.position();
        let message = match &error {
            EvalAltResult::ErrorRuntime(value, _) => match value.read_lock::<ScriptError>() {
                Some(e) => e.to_string(),
                None => format!("uncaught error: {value}"),
            },
            EvalAltResult::ErrorTerminated(token, _) => format!("Script terminated: {token}"),
            EvalAltResult::ErrorFunctionNotFound(signature, _) => {
                let name = signature.split([' ', '(']).next().unwrap_or_default();
                // Each candidate once: several types may declare the same signature text.
                let mut known: Vec<String> = engine
                    .gen_fn_signatures(false)
                    .into_iter()
                    .filter(|s| s.starts_with(&format!("{name}(")))
                    .collect();
                known.sort();
                known.dedup();
                if known.is_empty() {
                    format!("function not found: {signature}")
                } else {
                    notes.extend(known.into_iter().map(|s| format!("expected: {s}")));
                    format!("wrong arguments: {signature}")
                }
            }
            other => {
                let text = other.to_string();
                // Rhai appends " (line x, position y)"; the location is printed separately.
                match text.rfind(" (line ") {
                    Some(i) if !position.is_none() => text[..i].to_string(),
                    _ => text,
                }
            }
        };
        Self {
            message,
            position,
            notes,
            origin: None,
        }
    }

    /// Renders for a terminal: message, location, source line with caret, notes.
    /// `file` and `source` are the script's; a position inside a module is shown
    /// with the module's name and its own source.
    pub fn render(&self, file: &str, source: &str) -> String {
        let module_source;
        let (file, source) = match self.origin.as_deref() {
            Some(origin) if origin != file => {
                module_source = super::engine::stdlib_source(origin)
                    .map(str::to_string)
                    .or_else(|| std::fs::read_to_string(origin).ok())
                    .unwrap_or_default();
                (origin, module_source.as_str())
            }
            _ => (file, source),
        };
        let mut out = format!("error: {}\n", self.message);
        if let (Some(line), Some(column)) = (self.position.line(), self.position.position()) {
            out.push_str(&format!("  --> {file}:{line}:{column}\n"));
            if let Some(text) = source.lines().nth(line - 1) {
                let gutter = line.to_string().len();
                let (text, column) = excerpt(text, column);
                // Columns count characters, not bytes; tabs keep their width.
                let pad: String = text
                    .chars()
                    .take(column.saturating_sub(1))
                    .map(|c| if c == '\t' { '\t' } else { ' ' })
                    .collect();
                out.push_str(&format!(
                    "{:gutter$} |\n{line} | {text}\n{:gutter$} | {pad}^\n",
                    "", ""
                ));
            }
        } else {
            out.push_str(&format!("  --> {file}\n"));
        }
        for note in &self.notes {
            out.push_str(&format!("  = {note}\n"));
        }
        // A key typed into the failing line, or into a message, is never shown.
        crate::client::secrets::redact(&out).into_owned()
    }
}

/// Characters of a source line shown around the error column at most.
const EXCERPT_CHARS: usize = 120;

/// `line` cut to about [`EXCERPT_CHARS`] characters around `column` (1-based, in
/// characters), with `…` where it was cut; returns the excerpt and the column in it.
fn excerpt(line: &str, column: usize) -> (String, usize) {
    let chars: Vec<char> = line.chars().collect();
    if chars.len() <= EXCERPT_CHARS {
        return (line.to_string(), column);
    }
    let at = column.saturating_sub(1).min(chars.len());
    let start = at.saturating_sub(EXCERPT_CHARS / 2);
    let end = (start + EXCERPT_CHARS).min(chars.len());
    let mut text = String::new();
    let mut column = at - start + 1;
    if start > 0 {
        text.push('…');
        column += 1;
    }
    text.extend(&chars[start..end]);
    if end < chars.len() {
        text.push('…');
    }
    (text, column)
}

fn describe(pos: Position) -> String {
    match (pos.line(), pos.position()) {
        (Some(l), Some(c)) => format!("line {l}, column {c}"),
        _ => "unknown position".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_line_is_cut_around_the_column() {
        let line = format!("{}ERR{}", "a".repeat(5000), "b".repeat(5000));
        let (text, column) = excerpt(&line, 5001);
        assert!(text.chars().count() <= EXCERPT_CHARS + 2, "{}", text.len());
        assert!(text.starts_with('…') && text.ends_with('…'));
        assert_eq!(text.chars().nth(column - 1), Some('E'));
        assert_eq!(excerpt("short", 3), ("short".to_string(), 3));
    }
}
