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
