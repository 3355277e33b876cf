//! What the engine calls by itself to print a value (`print(x)`, `debug(x)`, `"${x}"`),
//! registered once for every type in the bare modules `run` and `watch` use.
//!
//! Every Govern type has its own `to_string` and `to_debug`: some 180 functions, a
//! good part of the cost of building the bare modules for a script that names a few
//! Govern functions (`runtime::reach`). Into a bare module they go into a table
//! instead, keyed by name and argument type, and two functions taking [`Dynamic`]
//! (which the engine tries when no function has a value's exact type) call the one
//! the table holds for the value given. Where the table holds none, they print the
//! value as Rhai's standard package does (its own `to_string(Dynamic)`, which they
//! hide). Documented modules (`docs`, the REPL) keep one function per type, with its
//! signature.
//!
//! Comparisons (`==`, `!=`) keep a function per type: one taking [`Dynamic`] would
//! also be found before Rhai's built-in operators for its own types (`"a" == "b"`
//! inside `contains`), whose every rule it would have to repeat.
use rhai::{Dynamic, EvalAltResult, FuncRegistration, Module, NativeCallContext, RhaiFunc, Shared};
use std::any::TypeId;
use std::collections::HashMap;
use std::fmt::Write;
use std::sync::{OnceLock, RwLock};

/// The names dispatched through the table.
const NAMES: [&str; 2] = ["to_string", "to_debug"];

/// A function of the table: its name (an index into [`NAMES`]) and argument type.
type Key = (usize, TypeId);

fn table() -> &'static RwLock<HashMap<Key, RhaiFunc>> {
    static TABLE: OnceLock<RwLock<HashMap<Key, RhaiFunc>>> = OnceLock::new();
    TABLE.get_or_init(RwLock::default)
}

/// The table's key for `name` of `types`, if `name` is dispatched through it.
fn key(name: &str, types: &[TypeId]) -> Option<Key> {
    let index = NAMES.iter().position(|n| *n == name)?;
    match *types {
        [one] => Some((index, one)),
        _ => None,
    }
}

/// Whether the functions called `name` go into the table (see [`insert`]).
pub fn dispatches(name: &str) -> bool {
    NAMES.contains(&name)
}

/// Puts `func`, the function `name` (which [`dispatches`]) of argument `types`, into
/// the table.
pub fn insert(name: &str, types: &[TypeId], func: RhaiFunc) {
    if let Some(key) = key(name, types) {
        table()
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .insert(key, func);
    }
}

/// Registers the dispatching functions into `module`.
pub fn register_dispatch(module: &mut Module) {
    for (index, name) in NAMES.iter().enumerate() {
        let func = move |ctx: Option<NativeCallContext>, args: &mut [&mut Dynamic]| {
            dispatch(index, ctx, args)
        };
        FuncRegistration::new(*name)
            .in_global_namespace()
            .set_into_module_raw(
                module,
                vec![TypeId::of::<Dynamic>()],
                RhaiFunc::Method {
                    func: Shared::new(func),
                    has_context: true,
                    is_pure: true,
                    is_volatile: false,
                },
            );
    }
}

/// Calls the table's `NAMES[index]` for `args` (one value), or prints it as Rhai does.
fn dispatch(
    index: usize,
    ctx: Option<NativeCallContext>,
    args: &mut [&mut Dynamic],
) -> Result<Dynamic, Box<EvalAltResult>> {
    let key = (index, args[0].type_id());
    let found = table()
        .read()
        .unwrap_or_else(|p| p.into_inner())
        .get(&key)
        .and_then(|f| f.get_native_fn().cloned());
    if let Some(func) = found {
        return func(ctx, args);
    }
    // As Rhai's standard package prints a value no function converts.
    let value = &args[0];
    let mut text = String::new();
    let _ = if index == 0 {
        write!(text, "{value}")
    } else {
        write!(text, "{value:?}")
    };
    Ok(match &ctx {
        Some(ctx) => ctx.engine().map_type_name(&text).to_string(),
        None => text,
    }
    .into())
}

#[cfg(test)]
mod tests {
    use super::{NAMES, table};
    use crate::runtime::shared_modules::govern_modules;

    /// Every conversion to text of the documented modules, one per type, is in the
    /// table the bare modules dispatch through (with, when this process built them, the
    /// built-ins').
    #[test]
    fn the_table_holds_every_conversion_to_text_of_the_documented_modules() {
        let mut engine = rhai::Engine::new_raw();
        for module in govern_modules(true) {
            engine.register_global_module(module.clone());
        }
        let documented = engine
            .gen_fn_signatures(true)
            .iter()
            .filter(|s| NAMES.iter().any(|n| s.starts_with(&format!("{n}("))))
            .count();
        govern_modules(false);
        let table = table().read().expect("the table");
        assert!(documented > 100, "{documented}");
        assert!(table.len() >= documented, "{} < {documented}", table.len());
    }
}
