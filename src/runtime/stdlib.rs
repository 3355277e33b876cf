//! The Rhai modules shipped inside the binary (`import "govern/signoffs" as s;`),
//! compiled on first import and then shared by every engine of the process.
use rhai::module_resolvers::ModuleResolver;
use rhai::{Engine, EvalAltResult, Module, Position, Scope, Shared};
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

/// Modules shipped inside the binary, importable as `import "govern/<name>" as x;`.
const STDLIB: &[(&str, &str)] = &[
    (
        "govern/report",
        include_str!("../../stdlib/govern/report.rhai"),
    ),
    (
        "govern/signoffs",
        include_str!("../../stdlib/govern/signoffs.rhai"),
    ),
    ("govern/lint", include_str!("../../stdlib/govern/lint.rhai")),
    (
        "govern/lint_shapes",
        include_str!("../../stdlib/govern/lint_shapes.rhai"),
    ),
    (
        "govern/lint_definition",
        include_str!("../../stdlib/govern/lint_definition.rhai"),
    ),
    (
        "govern/lint_signoffs",
        include_str!("../../stdlib/govern/lint_signoffs.rhai"),
    ),
    (
        "govern/lint_roles",
        include_str!("../../stdlib/govern/lint_roles.rhai"),
    ),
    ("govern/bulk", include_str!("../../stdlib/govern/bulk.rhai")),
];

/// Every embedded module: its import path and its source.
pub fn modules() -> &'static [(&'static str, &'static str)] {
    STDLIB
}

/// The source of an embedded stdlib module (`govern/signoffs`), for error rendering.
pub fn source(name: &str) -> Option<&'static str> {
    STDLIB.iter().find(|(n, _)| *n == name).map(|(_, s)| *s)
}

/// Resolves the embedded stdlib: each module is compiled and evaluated once per
/// process, by the first engine importing it (its functions then run in whichever
/// engine calls them). A module that failed to load is not remembered, so a
/// later import (a later watched file) tries again.
#[derive(Debug, Default, Clone, Copy)]
pub struct StdlibResolver;

/// Modules loaded so far, by name.
fn loaded() -> &'static Mutex<HashMap<&'static str, Shared<Module>>> {
    static LOADED: OnceLock<Mutex<HashMap<&'static str, Shared<Module>>>> = OnceLock::new();
    LOADED.get_or_init(Mutex::default)
}

impl ModuleResolver for StdlibResolver {
    fn resolve(
        &self,
        engine: &Engine,
        _source: Option<&str>,
        path: &str,
        pos: Position,
    ) -> Result<Shared<Module>, Box<EvalAltResult>> {
        let Some(&(name, text)) = STDLIB.iter().find(|(n, _)| *n == path) else {
            return Err(EvalAltResult::ErrorModuleNotFound(path.into(), pos).into());
        };
        let lock = || loaded().lock().unwrap_or_else(|p| p.into_inner());
        if let Some(module) = lock().get(name) {
            return Ok(module.clone());
        }
        // Not held while loading: a module importing another embedded one enters this
        // resolver again on the same thread (`govern/lint` imports `govern/lint_shapes`),
        // which would wait for itself. Two engines importing at once may both load it:
        // the first one stored is kept.
        // A resolver may only fail with "not found" or "in module".
        let in_module = |e: Box<EvalAltResult>| EvalAltResult::ErrorInModule(name.into(), e, pos);
        let mut ast = engine.compile(text).map_err(|e| in_module(e.into()))?;
        // Errors inside the module then name it, and render its own lines.
        ast.set_source(name);
        let module: Shared<Module> = Module::eval_ast_as_new(Scope::new(), &ast, engine)
            .map_err(in_module)?
            .into();
        Ok(lock().entry(name).or_insert(module).clone())
    }
}
