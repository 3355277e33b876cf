//! The embedded stdlib modules in the reference: each module's `//!` doc and its public
//! functions with their parameters and `///` doc comments, read from the module's own
//! source (parsed, not run), so nothing is kept by hand.
use super::reference::Entry;
use crate::runtime::stdlib;
use rhai::{Engine, FnAccess};
use serde::Serialize;

/// One stdlib module (`import "govern/signoffs" as signoffs;`).
#[derive(Debug, Serialize)]
pub struct ModuleDoc {
    /// The import path: `govern/signoffs`.
    pub path: String,
    /// The usual alias, the path's last part: `signoffs`.
    pub alias: String,
    /// Its `//!` doc lines.
    pub docs: Vec<String>,
    /// Its public functions, named `alias::name`, one entry per arity.
    pub functions: Vec<Entry>,
    /// A module that fails to parse (a build defect, caught by the tests).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// Doc comment lines without their `///`, `//!` or `/** */` leaders.
fn doc_lines<'a>(comments: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    comments
        .into_iter()
        .flat_map(str::lines)
        .map(|l| {
            let l = l.trim_start();
            let l = l
                .strip_prefix("///")
                .or_else(|| l.strip_prefix("//!"))
                .or_else(|| l.strip_prefix("/**"))
                .unwrap_or(l);
            let l = l.strip_suffix("*/").unwrap_or(l);
            l.strip_prefix(' ').unwrap_or(l).to_string()
        })
        .collect()
}

/// Every embedded module, in the order the stdlib lists them.
pub fn modules() -> Vec<ModuleDoc> {
    let mut engine = Engine::new_raw();
    crate::runtime::engine::set_expr_depths(&mut engine);
    stdlib::modules()
        .iter()
        .map(|(path, source)| {
            let alias = path.rsplit('/').next().unwrap_or(path).to_string();
            let mut doc = ModuleDoc {
                path: path.to_string(),
                alias: alias.clone(),
                docs: Vec::new(),
                functions: Vec::new(),
                error: None,
            };
            match engine.compile(source) {
                Ok(ast) => {
                    doc.docs = doc_lines(ast.doc().lines());
                    doc.functions = ast
                        .iter_functions()
                        // Closures compile to `anon$...` functions: not callable by name.
                        .filter(|f| f.access != FnAccess::Private && !f.name.starts_with("anon$"))
                        .map(|f| Entry {
                            name: format!("{alias}::{}", f.name),
                            params: f.params.iter().map(|p| p.to_string()).collect(),
                            keywords: Vec::new(),
                            returns: "?".into(),
                            docs: doc_lines(f.comments.iter().copied()),
                        })
                        .collect();
                    doc.functions
                        .sort_by(|a, b| (&a.name, a.params.len()).cmp(&(&b.name, b.params.len())));
                }
                Err(e) => doc.error = Some(e.to_string()),
            }
            doc
        })
        .collect()
}
