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
}

impl Diagnostic {
    /// From a syntax error.
    pub fn from_parse(error: &ParseError) -> Self {
        Self {
            message: format!("syntax error: {}", error.err_type()),
            position: error.position(),
            notes: Vec::new(),
        }
    }

    /// From a runtime error, looking through nested function calls to the innermost
    /// position. `engine` supplies signatures for "wrong arguments" hints.
    pub fn from_eval(error: EvalAltResult, engine: &Engine) -> Self {
        let mut notes = Vec::new();
        let mut error = error;
        loop {
            match error {
                EvalAltResult::ErrorInFunctionCall(name, _, inner, pos) => {
                    notes.push(format!("in call to function '{name}' at {}", describe(pos)));
                    error = *inner;
                }
                EvalAltResult::ErrorInModule(name, inner, pos) => {
                    notes.push(format!("in module '{name}' imported at {}", describe(pos)));
                    error = *inner;
                }
                other => {
                    notes.reverse();
                    return Self::leaf(other, engine, notes);
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
            EvalAltResult::ErrorFunctionNotFound(signature, _) => {
                let name = signature.split([' ', '(']).next().unwrap_or_default();
                let known: Vec<String> = engine
                    .gen_fn_signatures(false)
                    .into_iter()
                    .filter(|s| s.starts_with(&format!("{name}(")))
                    .collect();
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
        }
    }

    /// Renders for a terminal: message, location, source line with caret, notes.
    pub fn render(&self, file: &str, source: &str) -> String {
        let mut out = format!("error: {}\n", self.message);
        if let (Some(line), Some(column)) = (self.position.line(), self.position.position()) {
            out.push_str(&format!("  --> {file}:{line}:{column}\n"));
            if let Some(text) = source.lines().nth(line - 1) {
                let gutter = line.to_string().len();
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
        out
    }
}

fn describe(pos: Position) -> String {
    match (pos.line(), pos.position()) {
        (Some(l), Some(c)) => format!("line {l}, column {c}"),
        _ => "unknown position".into(),
    }
}
