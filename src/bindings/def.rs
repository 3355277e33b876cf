//! Registering documented native functions, properties and types.
use super::register::Register;
use rhai::{FuncRegistration, RhaiNativeFunc, Variant};

/// Registers a documented native function (its names and docs become engine metadata,
/// as for declared methods). `params` are `name: Type` strings, the return type last.
/// Into a bare module (see [`super::register::with_docs`]) only the function goes, if
/// the script can reach it (see [`super::register::wanted`]).
pub fn def<A: 'static, const N: usize, const X: bool, R: Variant + Clone, const F: bool>(
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
pub fn prop<A: 'static, const N: usize, const X: bool, R: Variant + Clone, const F: bool>(
    engine: &mut impl Register,
    name: &str,
    doc: &str,
    get: impl RhaiNativeFunc<A, N, X, R, F> + Send + Sync + 'static,
) {
    def(engine, &format!("get${name}"), &[], doc, get);
}

/// Registers a documented property setter (`x.name = v`), as [`prop`] does for getters.
pub fn setter<A: 'static, const N: usize, const X: bool, R: Variant + Clone, const F: bool>(
    engine: &mut impl Register,
    name: &str,
    doc: &str,
    set: impl RhaiNativeFunc<A, N, X, R, F> + Send + Sync + 'static,
) {
    def(engine, &format!("set${name}"), &[], doc, set);
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
