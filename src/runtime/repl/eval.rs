//! Evaluating REPL entries: one engine and scope for the session, functions kept
//! across entries, errors rendered with their position, Ctrl-C reset after each entry.
use crate::bindings::Cancel;
use crate::runtime::diagnostics::Diagnostic;
use rhai::{AST, Dynamic, Engine, EvalAltResult, LexError, ParseErrorType, Position, Scope};
use std::sync::Arc;

/// What an entry gave.
pub enum Outcome {
    /// Its value (`()` for statements).
    Value(Dynamic),
    /// A syntax or runtime error, rendered for the terminal.
    Error(String),
    /// The entry called `exit()`: leave the REPL.
    Exit,
}

/// The session's engine and state.
pub struct Evaluator {
    /// The engine, set up as for `govscript run`.
    pub engine: Engine,
    /// Variables that persist between entries.
    pub scope: Scope<'static>,
    /// Functions defined so far.
    fns: AST,
    cancel: Arc<Cancel>,
    /// The session's audit hook: each entry's records name it (`origin`) and its hash.
    pub audit: Option<Arc<crate::audit::hook::AuditHook>>,
}

impl Evaluator {
    /// A session on `engine`; `cancel` is cleared after each entry.
    pub fn new(engine: Engine, cancel: Arc<Cancel>) -> Self {
        Self {
            engine,
            scope: Scope::new(),
            fns: AST::empty(),
            cancel,
            audit: None,
        }
    }

    /// Runs `source` (named `origin` in errors) in the session.
    pub fn eval(&mut self, source: &str, origin: &str) -> Outcome {
        if let Some(hook) = &self.audit {
            hook.set_run(crate::audit::hook::RunInfo::new(origin, source));
        }
        let outcome = self.eval_inner(source, origin);
        // A Ctrl-C stopped this entry (or came just after it): the next one starts clean.
        self.cancel.reset();
        outcome
    }

    fn eval_inner(&mut self, source: &str, origin: &str) -> Outcome {
        let mut ast = match self.engine.compile_with_scope(&self.scope, source) {
            Ok(ast) => ast,
            Err(e) => return Outcome::Error(Diagnostic::from_parse(&e).render(origin, source)),
        };
        ast.set_source(origin);
        let merged = self.fns.merge(&ast);
        let result = self
            .engine
            .eval_ast_with_scope::<Dynamic>(&mut self.scope, &merged);
        // Functions stay defined even when the rest of the entry failed.
        self.fns = self.fns.merge(&ast.clone_functions_only());
        match result {
            Ok(value) => Outcome::Value(value),
            Err(e) => match *e {
                EvalAltResult::Exit(..) => Outcome::Exit,
                // Stopped by Ctrl-C: the token says why ("interrupted (Ctrl-C)").
                EvalAltResult::ErrorTerminated(token, _) => {
                    Outcome::Error(format!("error: {token}\n"))
                }
                other => Outcome::Error(
                    Diagnostic::from_eval(other, &self.engine).render(origin, source),
                ),
            },
        }
    }

    /// Names of the functions the user defined.
    pub fn script_fns(&self) -> Vec<String> {
        self.fns
            .iter_functions()
            .map(|f| f.name.to_string())
            .collect()
    }
}

/// Whether `input` is an unfinished entry (open bracket, string or expression) that
/// should continue on the next line, rather than a syntax error to report.
pub fn is_incomplete(parser: &Engine, input: &str) -> bool {
    let Err(e) = parser.compile(input) else {
        return false;
    };
    let at_end = at_end(input, e.position());
    match e.err_type() {
        ParseErrorType::UnexpectedEOF => true,
        ParseErrorType::MissingToken(..) => at_end,
        ParseErrorType::BadInput(LexError::UnterminatedString) => true,
        _ => false,
    }
}

/// Whether `pos` is past the last character of `input`.
fn at_end(input: &str, pos: Position) -> bool {
    let (Some(line), Some(column)) = (pos.line(), pos.position()) else {
        return true;
    };
    let lines: Vec<&str> = input.lines().collect();
    let last = lines.len().max(1);
    let width = lines
        .get(last - 1)
        .map_or(0, |l| l.trim_end().chars().count());
    line > last || (line == last && column > width)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_brackets_and_strings_continue() {
        let e = Engine::new_raw();
        for open in [
            "fn f() {",
            "let x = [1,",
            "let s = \"abc",
            "let x = 1 +",
            "f(1,",
        ] {
            assert!(is_incomplete(&e, open), "{open}");
        }
        for done in ["let x = ;", "let x = 1;", "f(1 2)", "}"] {
            assert!(!is_incomplete(&e, done), "{done}");
        }
    }
}
