//! The modules every engine of a process shares, each built once: Rhai's standard
//! package, the Govern bindings (methods, then types and properties) and govscript's
//! built-ins.
//!
//! The standard package is lazy: its functions are looked up in Rhai's manifests when
//! a script first calls them, and registered in full only when something lists them
//! (`docs`, `definitions`, REPL completion). The Govern modules and the built-ins are
//! documented (doc comments, parameter names and types) or, for `run` and `watch`,
//! bare ([`run_bare`]); `run` builds the bare ones holding only what its script can
//! reach by the names it uses ([`reach_only`], `runtime::reach`). Error hints read the
//! documented ones, built when needed ([`signatures`]).
//!
//! `run` builds them on three threads at once: the standard package from the
//! process's start ([`prepare_standard_in_background`]), the Govern modules once the
//! script is read ([`prepare_govern_in_background`]), and the built-ins on the
//! script's thread while it waits for them ([`shared_modules`]).
use super::reach::Reach;
use crate::bindings;
use rhai::packages::{Package, StandardPackage};
use rhai::{Engine, Module, Shared};
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

/// Whether this process's engines get the bare modules (see [`run_bare`]).
static BARE: AtomicBool = AtomicBool::new(false);

/// Makes the engines this process builds carry the Govern functions and the built-ins
/// bare: callable as ever, but without doc comments or parameter names and types,
/// which cost a `format!` or two per registered function to build. For `run` and
/// `watch`, which list no functions; their error hints read the documented modules,
/// built then ([`signatures`]). Call it before the first engine is built.
pub fn run_bare() {
    BARE.store(true, Ordering::Relaxed);
}

fn bare() -> bool {
    BARE.load(Ordering::Relaxed)
}

/// The names this process's script uses, when its bare modules hold only what they
/// reach (see [`reach_only`]).
static ONLY: OnceLock<HashSet<String>> = OnceLock::new();

/// Makes the bare modules of this process (see [`run_bare`]) hold only the functions
/// a script can reach by `names` (`runtime::reach::Scan::names`): `run` builds one
/// engine, for one script. Call it before the first engine is built; a later call
/// changes nothing.
pub fn reach_only(names: HashSet<String>) {
    let _ = ONLY.set(names);
}

/// A module (or modules) built once per process, documented and bare.
struct Built<T> {
    documented: OnceLock<T>,
    bare: OnceLock<T>,
}

impl<T> Built<T> {
    const fn new() -> Self {
        Self {
            documented: OnceLock::new(),
            bare: OnceLock::new(),
        }
    }

    /// The documented or the bare one, built now by `build` if it is not yet (bare
    /// ones limited to what [`reach_only`] names).
    fn get(&self, documented: bool, build: impl FnOnce() -> T) -> &T {
        let slot = if documented {
            &self.documented
        } else {
            &self.bare
        };
        slot.get_or_init(|| {
            let build = || bindings::register::with_docs(documented, build);
            match ONLY.get().filter(|_| !documented) {
                Some(names) => bindings::register::with_only(names, build),
                None => build(),
            }
        })
    }
}

static GOVERN: Built<[Shared<Module>; 2]> = Built::new();
static BUILTINS: Built<Shared<Module>> = Built::new();

/// Rhai's standard package, lazy: each function is looked up in Rhai's manifests the
/// first time a script calls it; listing functions registers them all.
fn standard_package() -> &'static Shared<Module> {
    static STANDARD: OnceLock<Shared<Module>> = OnceLock::new();
    STANDARD.get_or_init(|| StandardPackage::new_lazy().as_shared_module())
}

/// The Govern methods, then the Govern types and properties, documented or bare (see
/// [`run_bare`]).
pub(crate) fn govern_modules(documented: bool) -> &'static [Shared<Module>; 2] {
    GOVERN.get(documented, || {
        let (types, methods) = bindings::modules();
        [methods.into(), types.into()]
    })
}

/// The general-purpose built-ins (`assert`, `to_json`, ...), documented or bare.
fn builtins_module(documented: bool) -> &'static Shared<Module> {
    BUILTINS.get(documented, || {
        let mut module = Module::new();
        super::builtins::register(&mut module);
        super::natives::register(&mut module);
        // Their errors, like the Govern functions', are `GovernError`s.
        bindings::error::register(&mut module);
        bindings::finish_module(&mut module);
        module.into()
    })
}

/// The modules an engine for a script that can `reach` so far shares, in
/// registration order (a later one is searched first): Rhai's standard package, the
/// Govern methods, the Govern types and properties (for a script that can reach them),
/// then the built-ins (for one that can reach them or Govern).
pub(super) fn shared_modules(reach: Reach) -> Vec<&'static Shared<Module>> {
    let documented = !bare();
    // The built-ins first: while another thread builds the Govern modules, this one
    // builds them (see `prepare_govern_in_background`).
    let builtins = (reach >= Reach::Builtins).then(|| builtins_module(documented));
    let mut modules = vec![standard_package()];
    if reach == Reach::Govern {
        modules.extend(govern_modules(documented));
    }
    modules.extend(builtins);
    modules
}

/// Builds what engines share now, on the calling thread.
pub fn prepare() {
    shared_modules(Reach::Govern);
}

/// Starts building what engines share on a thread of its own, while the caller goes
/// on (parsing, starting the async runtime, reading the script); the first engine
/// built waits for it. If no thread can start, that engine builds them itself.
pub fn prepare_in_background() {
    in_background("modules", prepare);
}

/// Starts building the Govern modules on a thread of their own (see
/// [`prepare_in_background`]), leaving the rest to whoever needs it first.
pub fn prepare_govern_in_background() {
    in_background("modules", || {
        govern_modules(!bare());
    });
}

/// Starts building Rhai's standard package, which every script needs, on a thread of
/// its own: `run` calls it first thing, before parsing its arguments.
pub fn prepare_standard_in_background() {
    in_background("std", || {
        standard_package();
    });
}

/// Runs `build` on a thread called `name`; whoever needs what it builds first waits
/// for it, or builds it if the thread could not start.
fn in_background(name: &str, build: impl FnOnce() + Send + 'static) {
    let _ = std::thread::Builder::new().name(name.into()).spawn(build);
}

/// Every function signature `engine` has, as `Engine::gen_fn_signatures(true)` lists
/// them: what error hints (suggestions, overloads) choose from. An engine with bare
/// modules (see [`run_bare`]) lists the documented ones' instead, built now, and
/// those of the Govern functions and built-ins its script could not reach.
pub fn signatures(engine: &Engine) -> Vec<String> {
    let listed = engine.gen_fn_signatures(true);
    if !bare() {
        return listed;
    }
    // A bare function lists as `name(_, _)`: take out the bare modules' (each as
    // often as they have it), keep the engine's own and the standard package's.
    let mut held: Vec<Shared<Module>> = GOVERN.bare.get().into_iter().flatten().cloned().collect();
    held.extend(BUILTINS.bare.get().cloned());
    let mut bare_ones: HashMap<String, usize> = HashMap::new();
    for signature in listing(&held) {
        *bare_ones.entry(signature).or_default() += 1;
    }
    let mut signatures: Vec<String> = listed
        .into_iter()
        .filter(|s| match bare_ones.get_mut(s) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        })
        .collect();
    signatures.extend(listing(govern_modules(true)));
    signatures.extend(listing(std::slice::from_ref(builtins_module(true))));
    signatures
}

/// The signatures of `modules` as an engine holding just them spells them.
fn listing(modules: &[Shared<Module>]) -> Vec<String> {
    let mut engine = Engine::new_raw();
    for module in modules {
        engine.register_global_module(module.clone());
    }
    engine.gen_fn_signatures(true)
}

#[cfg(test)]
mod tests;
