//! Registering a documented native function.
use rhai::{Engine, FuncRegistration, RhaiNativeFunc, Variant};

/// Registers a documented native function (its names and docs become engine metadata,
/// as for declared methods). `params` are `name: Type` strings, the return type last.
pub fn def<A: 'static, const N: usize, const X: bool, R: Variant + Clone, const F: bool>(
    engine: &mut Engine,
    name: &str,
    params: &[&str],
    doc: &str,
    func: impl RhaiNativeFunc<A, N, X, R, F> + Send + Sync + 'static,
) {
    let comments: Vec<String> = doc.lines().map(|l| format!("/// {l}")).collect();
    FuncRegistration::new(name)
        .with_params_info(params)
        .with_comments(comments)
        .register_into_engine(engine, func);
}

/// Registers a documented property getter (`x.name`), as [`def`] does for functions.
pub fn prop<A: 'static, const N: usize, const X: bool, R: Variant + Clone, const F: bool>(
    engine: &mut Engine,
    name: &str,
    doc: &str,
    get: impl RhaiNativeFunc<A, N, X, R, F> + Send + Sync + 'static,
) {
    def(engine, &format!("get${name}"), &[], doc, get);
}

/// Registers a documented property setter (`x.name = v`), as [`prop`] does for getters.
pub fn setter<A: 'static, const N: usize, const X: bool, R: Variant + Clone, const F: bool>(
    engine: &mut Engine,
    name: &str,
    doc: &str,
    set: impl RhaiNativeFunc<A, N, X, R, F> + Send + Sync + 'static,
) {
    def(engine, &format!("set${name}"), &[], doc, set);
}

/// Implements [`CustomType`] for a value type so that it is registered with its name
/// and doc comment: `documented_type!(GovernError = ScriptError, "The error ...")`,
/// then `engine.build_type::<ScriptError>()`.
macro_rules! documented_type {
    ($name:literal = $ty:ty, $doc:literal) => {
        impl rhai::CustomType for $ty {
            fn build(mut builder: rhai::TypeBuilder<Self>) {
                builder
                    .with_name($name)
                    .with_comments(&[concat!("/// ", $doc)]);
            }
        }
    };
}
pub(crate) use documented_type;
