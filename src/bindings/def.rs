//! Registering documented native functions, properties and types.
use super::register::Register;
use rhai::{FuncRegistration, RhaiNativeFunc, Variant};

/// Registers a documented native function (its names and docs become engine metadata,
/// as for declared methods). `params` are `name: Type` strings, the return type last.
/// Into a bare module (see [`super::register::with_docs`]) only the function goes.
///
/// Whether the function is wanted at all ([`super::register::wanted`]) is decided
/// where `def` is called, inlined: for a run that registers a few functions, the
/// code registering each of the others (one instance per function) is never run,
/// nor even read from the binary.
#[inline(always)]
pub fn def<A: 'static, const N: usize, const X: bool, R: Variant + Clone, const F: bool>(
    engine: &mut impl Register,
    name: &str,
    params: &[&str],
    doc: &str,
    func: impl RhaiNativeFunc<A, N, X, R, F> + Send + Sync + 'static,
) {
    if super::register::wanted(name) {
        def_wanted(engine, name, params, doc, func);
    }
}

/// [`def`] of a function that is wanted.
#[inline(never)]
fn def_wanted<A: 'static, const N: usize, const X: bool, R: Variant + Clone, const F: bool>(
    engine: &mut impl Register,
    name: &str,
    params: &[&str],
    doc: &str,
    func: impl RhaiNativeFunc<A, N, X, R, F> + Send + Sync + 'static,
) {
    if !engine.documents() {
        engine.register_fn(name, func);
        return;
    }
    let comments: Vec<String> = doc.lines().map(|l| format!("/// {l}")).collect();
    if params.is_empty() {
        // Signature from the Rust types, as `register_fn` writes it.
        engine.register_fn_doc(name, &comments, func);
        return;
    }
    let registration = FuncRegistration::new(name)
        .with_params_info(params)
        .with_comments(comments);
    engine.register_with(registration, func);
}

/// Registers a documented property getter (`x.name`), as [`def`] does for functions.
#[inline(always)]
pub fn prop<A: 'static, const N: usize, const X: bool, R: Variant + Clone, const F: bool>(
    engine: &mut impl Register,
    name: &str,
    doc: &str,
    get: impl RhaiNativeFunc<A, N, X, R, F> + Send + Sync + 'static,
) {
    if super::register::wanted_property(name) {
        def_wanted(engine, &format!("get${name}"), &[], doc, get);
    }
}

/// Registers a documented property setter (`x.name = v`), as [`prop`] does for getters.
#[inline(always)]
pub fn setter<A: 'static, const N: usize, const X: bool, R: Variant + Clone, const F: bool>(
    engine: &mut impl Register,
    name: &str,
    doc: &str,
    set: impl RhaiNativeFunc<A, N, X, R, F> + Send + Sync + 'static,
) {
    if super::register::wanted_property(name) {
        def_wanted(engine, &format!("set${name}"), &[], doc, set);
    }
}

/// Gives a value type its script name and doc comment
/// (`documented_type!("GovernError" = ScriptError, "The error ...")`), registered with
/// `engine.register_documented::<ScriptError>()`.
macro_rules! documented_type {
    ($name:literal = $ty:ty, $doc:literal) => {
        impl $crate::bindings::register::TypeDoc for $ty {
            const NAME: &'static str = $name;
            const DOCS: &'static [&'static str] = &[concat!("/// ", $doc)];
        }
    };
}
pub(crate) use documented_type;
