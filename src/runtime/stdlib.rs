//! The Rhai modules shipped inside the binary (`import "govern/signoffs" as s;`),
//! compiled on first import and then shared by every engine of the process.
use rhai::module_resolvers::ModuleResolver;
use rhai::{Engine, EvalAltResult, Module, Position, Scope, Shared};
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

/// Modules shipped inside the binary, importable as `import "govern/<name>" as x;`.
const STDLIB: &[(&str, &str)] = &[
    (
        "govern/signoffs",
        include_str!("../../stdlib/govern/signoffs.rhai"),
    ),
    ("govern/bulk", include_str!("../../stdlib/govern/bulk.rhai")),
];

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
        // Held while loading: two engines importing at once load it once.
        let mut modules = loaded().lock().unwrap_or_else(|p| p.into_inner());
        if let Some(module) = modules.get(name) {
            return Ok(module.clone());
        }
        // A resolver may only fail with "not found" or "in module".
        let in_module = |e: Box<EvalAltResult>| EvalAltResult::ErrorInModule(name.into(), e, pos);
        let mut ast = engine.compile(text).map_err(|e| in_module(e.into()))?;
        // Errors inside the module then name it, and render its own lines.
        ast.set_source(name);
        let module: Shared<Module> = Module::eval_ast_as_new(Scope::new(), &ast, engine)
            .map_err(in_module)?
            .into();
        modules.insert(name, module.clone());
        Ok(module)
    }
}
