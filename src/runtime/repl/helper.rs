//! The rustyline helper: completion, history hints, highlighting and multi-line
//! validation, wired to the session's index and variables.
use super::commands;
use super::complete::{self, Snapshot};
use super::display::ansi;
use super::eval::is_incomplete;
use super::help::COMMANDS;
use super::highlight::highlight;
use super::index::Index;
use rhai::Engine;
use rustyline::completion::{Completer, FilenameCompleter, Pair};
use rustyline::highlight::{CmdKind, Highlighter};
use rustyline::hint::{Hinter, HistoryHinter};
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{Context, Helper};
use std::borrow::Cow;
use std::rc::Rc;

/// Everything the line editor asks the REPL.
pub struct ReplHelper {
    index: Rc<Index>,
    /// Variables and functions of the session, refreshed after each entry.
    pub snapshot: Snapshot,
    parser: Engine,
    hinter: HistoryHinter,
    files: FilenameCompleter,
    color: bool,
}

impl ReplHelper {
    /// A helper over `index`; `color` turns highlighting and hints on.
    pub fn new(index: Rc<Index>, color: bool) -> Self {
        Self {
            index,
            snapshot: Snapshot::default(),
            // Only parses (to tell an open entry from a finished one): no functions needed.
            parser: Engine::new_raw(),
            hinter: HistoryHinter::new(),
            files: FilenameCompleter::new(),
            color,
        }
    }

    fn complete_command(&self, line: &str, pos: usize) -> rustyline::Result<(usize, Vec<Pair>)> {
        let before = &line[..pos];
        if let Some(rest) = before.strip_prefix(".load ") {
            let (start, found) = self.files.complete_path(rest, rest.len())?;
            return Ok((start + ".load ".len(), found));
        }
        if let Some(rest) = before.strip_prefix(".help ") {
            let mut names: Vec<&str> = self.index.custom_types();
            names.extend(self.index.globals.keys().map(String::as_str));
            names.sort_unstable();
            names.dedup();
            let pairs = names
                .into_iter()
                .filter(|n| n.starts_with(rest.trim_start()))
                .map(|n| Pair {
                    display: n.to_string(),
                    replacement: n.to_string(),
                })
                .collect();
            return Ok((pos - rest.trim_start().len(), pairs));
        }
        let pairs = COMMANDS
            .iter()
            .map(|(c, _)| c.split(' ').next().unwrap_or(c))
            .filter(|c| c.starts_with(before))
            .map(|c| Pair {
                display: c.to_string(),
                replacement: c.to_string(),
            })
            .collect();
        Ok((0, pairs))
    }
}

impl Completer for ReplHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        if line.starts_with('.') {
            return self.complete_command(line, pos);
        }
        let (start, found) = complete::complete(&self.index, &self.snapshot, line, pos);
        let pairs = found
            .into_iter()
            .map(|c| Pair {
                display: c.display,
                replacement: c.replacement,
            })
            .collect();
        Ok((start, pairs))
    }
}

impl Hinter for ReplHelper {
    type Hint = String;

    fn hint(&self, line: &str, pos: usize, ctx: &Context<'_>) -> Option<String> {
        if self.color {
            self.hinter.hint(line, pos, ctx)
        } else {
            None
        }
    }
}

impl Highlighter for ReplHelper {
    fn highlight<'l>(&self, line: &'l str, _: usize) -> Cow<'l, str> {
        if self.color && !line.starts_with('.') {
            Cow::Owned(highlight(line))
        } else {
            Cow::Borrowed(line)
        }
    }

    fn highlight_hint<'h>(&self, hint: &'h str) -> Cow<'h, str> {
        if self.color {
            Cow::Owned(format!("{}{hint}{}", ansi::DIM, ansi::RESET))
        } else {
            Cow::Borrowed(hint)
        }
    }

    fn highlight_char(&self, _: &str, _: usize, kind: CmdKind) -> bool {
        self.color && kind != CmdKind::MoveCursor
    }
}

impl Validator for ReplHelper {
    fn validate(&self, ctx: &mut ValidationContext) -> rustyline::Result<ValidationResult> {
        let input = ctx.input();
        if commands::is_command(input) || !is_incomplete(&self.parser, input) {
            Ok(ValidationResult::Valid(None))
        } else {
            Ok(ValidationResult::Incomplete)
        }
    }
}

impl Helper for ReplHelper {}
