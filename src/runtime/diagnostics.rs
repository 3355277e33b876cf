//! Rendering script errors: `file:line:column`, the source line, a caret, the message.
use super::type_names::{canonical, respell};
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
                not_found(signature, engine, &mut notes)
            }
            EvalAltResult::ErrorDotExpr(text, _) if text.starts_with("Unknown property '") => {
                if let Some(best) = misspelt_property(text, engine) {
                    notes.push(format!("did you mean {best}?"));
                }
                text.clone()
            }
            // Worded as the other stops (`interrupted (--script-timeout reached)`).
            EvalAltResult::ErrorTooManyOperations(_) => {
                "Script terminated: interrupted (--max-operations reached)".into()
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
        if let Some(hint) = self.hint(source) {
            out.push_str(&format!("  = help: {hint}\n"));
        }
        // A key typed into the failing line, or into a message, is never shown.
        crate::client::secrets::redact(&out).into_owned()
    }
}

impl Diagnostic {
    /// What to write instead, for a syntax error whose fix is known from the line:
    /// Python's `d.get_raw()["x"] = 1` has no Rhai equivalent (a call's result cannot
    /// be assigned to), but the `raw` property or a variable does the same.
    fn hint(&self, source: &str) -> Option<String> {
        if !self.message.ends_with("Expression cannot be assigned to") {
            return None;
        }
        let line = source.lines().nth(self.position.line()? - 1)?.trim();
        let (receiver, path) = line.split_once(".get_raw()")?;
        let receiver = receiver.rsplit([' ', '{', ';']).next().unwrap_or(receiver);
        let path = path.trim_end_matches(';');
        Some(format!(
            "a call's result cannot be assigned to: write `{receiver}.raw{path}`, \
             or `let raw = {receiver}.get_raw(); raw{path};`"
        ))
    }
}

/// The message for a call that matched no function: the overloads of that name for
/// the receiver's type (wrong arguments), else the closest name (a typo).
fn not_found(signature: &str, engine: &Engine, notes: &mut Vec<String>) -> String {
    let (name, args) = match signature.split_once(" (") {
        Some((name, args)) => (name, args.strip_suffix(')').unwrap_or(args)),
        None => (signature.trim(), ""),
    };
    let args: Vec<&str> = args
        .split(", ")
        .filter(|a| !a.is_empty())
        .map(canonical)
        .collect();
    let called = format!("{name} ({})", args.join(", "));
    let receiver = args.first().copied();
    let signatures = signatures(engine);
    let on_receiver = |s: &&String| receiver.is_some() && first_param_type(s) == receiver;
    let mut overloads: Vec<&String> = signatures.iter().filter(|s| fn_name(s) == name).collect();
    // Only the receiver's own overloads, when it has any: not six unrelated types'.
    if overloads.iter().any(on_receiver) {
        overloads.retain(on_receiver);
    }
    // Each candidate once: several types may declare the same signature text.
    overloads.sort();
    overloads.dedup();
    if !overloads.is_empty() {
        notes.extend(overloads.into_iter().map(|s| format!("expected: {s}")));
        return format!("wrong arguments: {called}");
    }
    let mut pool: Vec<&str> = signatures
        .iter()
        .filter(on_receiver)
        .map(|s| fn_name(s))
        .collect();
    if pool.is_empty() {
        pool = signatures.iter().map(|s| fn_name(s)).collect();
    }
    if let Some(best) = closest(name, pool) {
        notes.push(format!("did you mean {best}?"));
    }
    format!("function not found: {called}")
}

/// The property of the receiver's type spelt most like the unknown one in rhai's
/// "Unknown property 'x' - a getter is not registered for type 'T'".
fn misspelt_property(text: &str, engine: &Engine) -> Option<String> {
    let (_, rest) = text.split_once("property '")?;
    let (property, rest) = rest.split_once('\'')?;
    let (_, ty) = rest.split_once("for type '")?;
    let ty = canonical(ty.strip_suffix('\'')?);
    let signatures = signatures(engine);
    let getters: Vec<&str> = signatures
        .iter()
        .filter(|s| first_param_type(s) == Some(ty))
        .filter_map(|s| fn_name(s).strip_prefix("get$"))
        .collect();
    closest(property, getters).map(str::to_string)
}

/// Every function signature the engine has, types in their one spelling.
fn signatures(engine: &Engine) -> Vec<String> {
    super::engine::signatures(engine)
        .iter()
        .map(|s| respell(s))
        .collect()
}

/// The function name of a signature (`get_artifact(self: ..) -> ..`).
fn fn_name(signature: &str) -> &str {
    signature.split('(').next().unwrap_or_default().trim()
}

/// The type of a signature's first parameter (`GovernArtifact` in
/// `get_definition(self: GovernArtifact) -> ..`).
fn first_param_type(signature: &str) -> Option<&str> {
    let (_, params) = signature.split_once('(')?;
    let first = params.split([',', ')']).next()?;
    let (_, ty) = first.split_once(':')?;
    Some(ty.trim())
}

/// The candidate spelled most like `name`, if one is close enough to be a typo.
fn closest<'a>(name: &str, candidates: Vec<&'a str>) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .filter(|c| *c != name && c.chars().all(|ch| ch.is_alphanumeric() || ch == '_'))
        .map(|c| (strsim::damerau_levenshtein(name, c), c))
        .filter(|(distance, _)| *distance <= limit)
        .min()
        .map(|(_, c)| c)
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

    #[test]
    fn a_typo_gets_the_closest_name() {
        let names = vec!["get_definition", "get_raw", "delete"];
        assert_eq!(
            closest("get_definiton", names.clone()),
            Some("get_definition")
        );
        assert_eq!(closest("nothing_like_it", names), None);
    }
}
