//! Where bindings register their types and functions: a per-run [`Engine`], or the
//! [`Module`] built once per process and shared by every engine (see
//! `runtime::engine`).
//!
//! [`Register`] gives a `Module` the registration calls of an `Engine`, with the same
//! metadata (parameter types spelled with the registered type names), so a family's
//! `register(engine, module)` is written once and fills either.
//!
//! Modules are filled documented (doc comments, parameter names and types: what
//! `docs`, `definitions`, the REPL and error hints read) or bare (names and types to
//! dispatch on only, for `run` and `watch`), as [`with_docs`] chooses; and whole, or
//! holding only what a script can reach by the names it uses ([`with_only`]).
use rhai::{Engine, FuncRegistration, Module, RhaiNativeFunc, Variant};
use std::any::TypeId;
use std::cell::Cell;
use std::collections::HashSet;

thread_local! {
    /// Whether what this thread registers into a [`Module`] is documented.
    static DOCUMENTED: Cell<bool> = const { Cell::new(true) };
    /// The names a script uses, when this thread registers only what they reach.
    static ONLY: Cell<Option<&'static HashSet<String>>> = const { Cell::new(None) };
}

/// Runs `build` with what it registers into modules limited to the functions a
/// script can reach by `names` (see [`wanted`]); types and iterators all go in.
pub fn with_only<T>(names: &'static HashSet<String>, build: impl FnOnce() -> T) -> T {
    let before = ONLY.replace(Some(names));
    let built = build();
    ONLY.set(before);
    built
}

/// Whether the function `name` goes into the module being built: always, unless
/// [`with_only`] limits it to what a script reaches, which is a function it calls by
/// name, the getter and setter (`get$x`, `set$x`) of a property it uses, and what the
/// engine calls itself: operators, indexers and conversions to text
/// (`super::implicit`).
pub fn wanted(name: &str) -> bool {
    let Some(names) = ONLY.get() else {
        return true;
    };
    if let Some(property) = name
        .strip_prefix("get$")
        .or_else(|| name.strip_prefix("set$"))
    {
        return names.contains(property);
    }
    let called_by_name = name.chars().all(|c| c.is_alphanumeric() || c == '_');
    !called_by_name || super::implicit::dispatches(name) || names.contains(name)
}

/// Runs `build` with what it registers into modules documented or bare (names and
/// dispatch types only: no doc comments, parameter names or type names, which cost a
/// `format!` each); the default is documented. Calls run the same either way.
pub fn with_docs<T>(documented: bool, build: impl FnOnce() -> T) -> T {
    let before = DOCUMENTED.replace(documented);
    let built = build();
    DOCUMENTED.set(before);
    built
}

/// Whether registrations into modules on this thread carry their documentation now.
pub fn documenting() -> bool {
    DOCUMENTED.get()
}

/// Something types and native functions can be registered into.
pub trait Register {
    /// Whether what is registered here keeps its documentation: always for an engine
    /// (a run's few own functions), as [`documenting`] says for a module.
    fn documents(&self) -> bool;

    /// Registers `T` under the script name `name` (what `type_of` and errors show).
    fn register_type_with_name<T: Variant + Clone>(&mut self, name: &str) -> &mut Self;

    /// Registers `T` under `name` with its doc comment lines (`/// ...`), which
    /// `govscript docs` shows.
    fn register_type_doc<T: Variant + Clone>(&mut self, name: &str, docs: &[&str]) -> &mut Self;

    /// Registers a type that documents itself ([`TypeDoc`]).
    fn register_documented<T: TypeDoc>(&mut self) -> &mut Self {
        self.register_type_doc::<T>(T::NAME, T::DOCS)
    }

    /// Registers a prepared function (names, docs), as [`FuncRegistration`] describes it.
    fn register_with<A: 'static, const N: usize, const X: bool, R: Variant + Clone, const F: bool>(
        &mut self,
        registration: FuncRegistration,
        func: impl RhaiNativeFunc<A, N, X, R, F> + Send + Sync + 'static,
    ) -> &mut Self;

    /// Registers a function under `name` with doc comment lines; its signature shows
    /// `_: Type` parameters, as [`Register::register_fn`]'s.
    fn register_fn_doc<
        A: 'static,
        const N: usize,
        const X: bool,
        R: Variant + Clone,
        const F: bool,
        FUNC: RhaiNativeFunc<A, N, X, R, F> + Send + Sync + 'static,
    >(
        &mut self,
        name: &str,
        comments: &[String],
        func: FUNC,
    ) -> &mut Self;

    /// Registers a function under `name`; its signature shows `_: Type` parameters.
    fn register_fn<
        A: 'static,
        const N: usize,
        const X: bool,
        R: Variant + Clone,
        const F: bool,
        FUNC: RhaiNativeFunc<A, N, X, R, F> + Send + Sync + 'static,
    >(
        &mut self,
        name: &str,
        func: FUNC,
    ) -> &mut Self;

    /// Registers the getter of the property `name` (`x.name`): `func(&mut T) -> R`.
    fn register_get<A: 'static, const X: bool, R: Variant + Clone, const F: bool>(
        &mut self,
        name: &str,
        get: impl RhaiNativeFunc<A, 1, X, R, F> + Send + Sync + 'static,
    ) -> &mut Self {
        self.register_fn(&format!("get${name}"), get)
    }

    /// Registers an index getter `x[i]`: `func(&mut T, I) -> R`.
    fn register_indexer_get<A: 'static, const X: bool, R: Variant + Clone, const F: bool>(
        &mut self,
        get: impl RhaiNativeFunc<A, 2, X, R, F> + Send + Sync + 'static,
    ) -> &mut Self {
        self.register_fn("index$get$", get)
    }

    /// Registers an index setter `x[i] = v`: `func(&mut T, I, V)`.
    fn register_indexer_set<A: 'static, const X: bool, const F: bool>(
        &mut self,
        set: impl RhaiNativeFunc<A, 3, X, (), F> + Send + Sync + 'static,
    ) -> &mut Self {
        self.register_fn("index$set$", set)
    }

    /// Makes `T` iterable with `for x in t`.
    fn register_iterator<T>(&mut self) -> &mut Self
    where
        T: Variant + Clone + IntoIterator,
        <T as IntoIterator>::Item: Variant + Clone;

    /// Makes `T` iterable with `for x in t`, each step able to fail (a page fetch).
    fn register_iterator_result<T, X>(&mut self) -> &mut Self
    where
        T: Variant + Clone + IntoIterator<Item = Result<X, Box<rhai::EvalAltResult>>>,
        X: Variant + Clone;
}

/// A script type with its name and doc comment (see `def::documented_type!`).
pub trait TypeDoc: Variant + Clone {
    /// The script name.
    const NAME: &'static str;
    /// Doc comment lines, each starting with `///`.
    const DOCS: &'static [&'static str];
}

impl Register for Engine {
    fn documents(&self) -> bool {
        true
    }

    fn register_type_with_name<T: Variant + Clone>(&mut self, name: &str) -> &mut Self {
        Engine::register_type_with_name::<T>(self, name)
    }

    fn register_type_doc<T: Variant + Clone>(&mut self, name: &str, docs: &[&str]) -> &mut Self {
        Engine::register_type_with_name::<T>(self, name);
        // An engine keeps type docs in its modules: one small module carries them.
        let mut module = Module::new();
        module.set_custom_type_with_comments::<T>(name, docs);
        self.register_global_module(module.into())
    }

    fn register_with<
        A: 'static,
        const N: usize,
        const X: bool,
        R: Variant + Clone,
        const F: bool,
    >(
        &mut self,
        registration: FuncRegistration,
        func: impl RhaiNativeFunc<A, N, X, R, F> + Send + Sync + 'static,
    ) -> &mut Self {
        registration.register_into_engine(self, func);
        self
    }

    fn register_fn<
        A: 'static,
        const N: usize,
        const X: bool,
        R: Variant + Clone,
        const F: bool,
        FUNC: RhaiNativeFunc<A, N, X, R, F> + Send + Sync + 'static,
    >(
        &mut self,
        name: &str,
        func: FUNC,
    ) -> &mut Self {
        Engine::register_fn(self, name, func)
    }

    fn register_fn_doc<
        A: 'static,
        const N: usize,
        const X: bool,
        R: Variant + Clone,
        const F: bool,
        FUNC: RhaiNativeFunc<A, N, X, R, F> + Send + Sync + 'static,
    >(
        &mut self,
        name: &str,
        comments: &[String],
        func: FUNC,
    ) -> &mut Self {
        FuncRegistration::new(name)
            .with_comments(comments)
            .register_into_engine(self, func);
        self
    }

    fn register_iterator<T>(&mut self) -> &mut Self
    where
        T: Variant + Clone + IntoIterator,
        <T as IntoIterator>::Item: Variant + Clone,
    {
        Engine::register_iterator::<T>(self)
    }

    fn register_iterator_result<T, X>(&mut self) -> &mut Self
    where
        T: Variant + Clone + IntoIterator<Item = Result<X, Box<rhai::EvalAltResult>>>,
        X: Variant + Clone,
    {
        Engine::register_iterator_result::<T, X>(self)
    }
}

impl Register for Module {
    fn documents(&self) -> bool {
        documenting()
    }

    fn register_type_with_name<T: Variant + Clone>(&mut self, name: &str) -> &mut Self {
        self.set_custom_type::<T>(name)
    }

    fn register_type_doc<T: Variant + Clone>(&mut self, name: &str, docs: &[&str]) -> &mut Self {
        if !documenting() {
            return self.set_custom_type::<T>(name);
        }
        self.set_custom_type_with_comments::<T>(name, docs)
    }

    fn register_with<
        A: 'static,
        const N: usize,
        const X: bool,
        R: Variant + Clone,
        const F: bool,
    >(
        &mut self,
        registration: FuncRegistration,
        func: impl RhaiNativeFunc<A, N, X, R, F> + Send + Sync + 'static,
    ) -> &mut Self {
        registration
            .in_global_namespace()
            .set_into_module(self, func);
        self
    }

    fn register_fn<
        A: 'static,
        const N: usize,
        const X: bool,
        R: Variant + Clone,
        const F: bool,
        FUNC: RhaiNativeFunc<A, N, X, R, F> + Send + Sync + 'static,
    >(
        &mut self,
        name: &str,
        func: FUNC,
    ) -> &mut Self {
        self.register_fn_doc(name, &[], func)
    }

    fn register_fn_doc<
        A: 'static,
        const N: usize,
        const X: bool,
        R: Variant + Clone,
        const F: bool,
        FUNC: RhaiNativeFunc<A, N, X, R, F> + Send + Sync + 'static,
    >(
        &mut self,
        name: &str,
        comments: &[String],
        func: FUNC,
    ) -> &mut Self {
        if !wanted(name) {
            return self;
        }
        if !documenting() {
            if super::implicit::dispatches(name) {
                let types = FUNC::param_types();
                super::implicit::insert(name, &types, func.into_rhai_function(true, false));
                return self;
            }
            FuncRegistration::new(name)
                .in_global_namespace()
                .set_into_module(self, func);
            return self;
        }
        // What `Engine::register_fn` records: `_: Type` per parameter, then the return
        // type unless `()`, each spelled with the registered type names.
        let mut info: Vec<String> = FUNC::param_names()
            .iter()
            .map(|t| format!("_: {}", type_name(self, t)))
            .collect();
        if FUNC::return_type() != TypeId::of::<()>() {
            info.push(type_name(self, FUNC::return_type_name()));
        }
        let registration = FuncRegistration::new(name)
            .with_params_info(info)
            .with_comments(comments);
        self.register_with(registration, func)
    }

    fn register_iterator<T>(&mut self) -> &mut Self
    where
        T: Variant + Clone + IntoIterator,
        <T as IntoIterator>::Item: Variant + Clone,
    {
        self.set_iterable::<T>()
    }

    fn register_iterator_result<T, X>(&mut self) -> &mut Self
    where
        T: Variant + Clone + IntoIterator<Item = Result<X, Box<rhai::EvalAltResult>>>,
        X: Variant + Clone,
    {
        self.set_iterable_result::<T, X>()
    }
}

/// The script name of the Rust type `name` (`&mut` kept), as an engine holding only
/// `module` would format it.
fn type_name(module: &Module, name: &str) -> String {
    if let Some(inner) = name.strip_prefix("&mut ") {
        let mapped = type_name(module, inner);
        return if mapped == inner {
            name.to_string()
        } else {
            format!("&mut {mapped}")
        };
    }
    match module.get_custom_type_display_by_name(name) {
        Some(display) => display.to_string(),
        None => plain_engine().map_type_name(name).to_string(),
    }
}

/// An engine with nothing registered, for Rhai's own type names (built once: this
/// runs for every function registered into the shared module).
fn plain_engine() -> &'static Engine {
    static PLAIN: std::sync::OnceLock<Engine> = std::sync::OnceLock::new();
    PLAIN.get_or_init(Engine::new_raw)
}
