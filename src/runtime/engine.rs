//! Engine set-up shared by every mode: Govern bindings, limits, output routing,
//! the `govern()` entry point and the module resolver for `stdlib/`.
//!
//! Rhai's standard package and the Govern bindings are built once per process and
//! shared (`Shared<Module>`): an engine then costs only its own state, `govern()`,
//! `GovernClient(..)`, `exit()` (see `run::execute`), its callbacks and limits. The
//! standard package is lazy: its functions are looked up in Rhai's manifests when a
//! script first calls them, and registered in full only when something lists them
//! (`docs`, `definitions`, REPL completion). `run` and `watch` share the Govern
//! functions bare, without their documentation (see [`run_bare`]), and `run` registers
//! them only for a script that can reach them ([`build_for`], `runtime::reach`).
use super::reach::Reach;
use super::stdlib::StdlibResolver;
use crate::bindings::{self, Bridge, ScriptClient};
use crate::client::ClientConfig;
use crate::client::secrets::redact;
use rhai::module_resolvers::{FileModuleResolver, ModuleResolversCollection};
use rhai::packages::{Package, StandardPackage};
use rhai::{Dynamic, Engine, Module, Shared};
use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

/// The source of an embedded stdlib module (`govern/signoffs`), for error rendering.
pub use super::stdlib::source as stdlib_source;

/// What `Engine::new()` gives its interner; kept since engines are built raw.
const MAX_STRINGS_INTERNED: usize = 256;

/// Whether this process's engines get the bare Govern modules (see [`run_bare`]).
static BARE: AtomicBool = AtomicBool::new(false);

/// Makes the engines this process builds carry the Govern functions bare: callable
/// as ever, but without doc comments or parameter names and types, which cost a
/// `format!` or two per registered function to build. For `run` and `watch`, which
/// list no functions; their error hints read the documented modules, built then
/// ([`signatures`]). Call it before the first [`build`] or [`prepare`].
pub fn run_bare() {
    BARE.store(true, Ordering::Relaxed);
}

fn bare() -> bool {
    BARE.load(Ordering::Relaxed)
}

/// Rhai's standard package, lazy: each function is looked up in Rhai's manifests the
/// first time a script calls it; listing functions registers them all.
fn standard_package() -> &'static Shared<Module> {
    static STANDARD: OnceLock<Shared<Module>> = OnceLock::new();
    STANDARD.get_or_init(|| StandardPackage::new_lazy().as_shared_module())
}

/// The Govern methods, then the Govern types and properties, documented or bare (see
/// [`run_bare`]).
pub(crate) fn govern_modules(documented: bool) -> &'static [Shared<Module>; 2] {
    let slot = if documented {
        &DOCUMENTED
    } else {
        &BARE_MODULES
    };
    slot.get_or_init(|| {
        bindings::register::with_docs(documented, || {
            let (types, methods) = bindings::modules();
            [methods.into(), types.into()]
        })
    })
}

static DOCUMENTED: OnceLock<[Shared<Module>; 2]> = OnceLock::new();
static BARE_MODULES: OnceLock<[Shared<Module>; 2]> = OnceLock::new();

static BUILTINS: OnceLock<Shared<Module>> = OnceLock::new();

/// The general-purpose built-ins (`assert`, `to_json`, ...), documented: every engine
/// has them, whether or not it has the Govern bindings.
fn builtins_module() -> &'static Shared<Module> {
    BUILTINS.get_or_init(|| {
        bindings::register::with_docs(true, || {
            let mut module = Module::new();
            super::builtins::register(&mut module);
            super::natives::register(&mut module);
            // Their errors, like the Govern functions', are `GovernError`s.
            bindings::error::register(&mut module);
            module.into()
        })
    })
}

/// The modules every engine of this process shares, in registration order (a later
/// one is searched first): Rhai's standard package, the Govern methods, the Govern
/// types and properties (for a script that can reach them), then the built-ins (for
/// one that can reach them or Govern).
fn shared_modules(reach: Reach) -> Vec<&'static Shared<Module>> {
    let mut modules = vec![standard_package()];
    if reach == Reach::Govern {
        modules.extend(govern_modules(!bare()));
    }
    if reach >= Reach::Builtins {
        modules.push(builtins_module());
    }
    modules
}

/// Builds what engines share now, on the calling thread.
pub fn prepare() {
    shared_modules(Reach::Govern);
}

/// Starts building what engines share on a thread of its own, while the caller goes
/// on (parsing, starting the async runtime, reading the script); the first
/// [`build`] waits for it. If no thread can start, [`build`] builds them itself.
pub fn prepare_in_background() {
    let _ = std::thread::Builder::new()
        .name("modules".into())
        .spawn(prepare);
}

/// Every function signature `engine` (built by [`build`]) has, as
/// `Engine::gen_fn_signatures(true)` lists them: what error hints (suggestions,
/// overloads) choose from. An engine with the bare Govern modules (see [`run_bare`])
/// lists the documented ones' instead, built now.
pub fn signatures(engine: &Engine) -> Vec<String> {
    let mut listed = engine.gen_fn_signatures(true);
    // A run whose script names no built-in has none (see `build_for`).
    if BUILTINS.get().is_none() {
        listed.extend(listing(std::slice::from_ref(builtins_module())));
    }
    if !bare() {
        return listed;
    }
    // A run whose script reaches no Govern function has none (see `build_for`).
    let Some(bare_modules) = BARE_MODULES.get() else {
        let mut signatures = listed;
        signatures.extend(listing(govern_modules(true)));
        return signatures;
    };
    // A bare function lists as `name(_, _)`: take out the bare modules' (each as
    // often as they have it), keep the engine's own and the standard package's.
    let mut bare_ones: HashMap<String, usize> = HashMap::new();
    for signature in listing(bare_modules) {
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

/// Limits that stop runaway scripts.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Maximum operations (0: unlimited).
    pub max_operations: u64,
    /// Maximum nesting of script function calls.
    pub max_call_levels: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_operations: 0,
            max_call_levels: 256,
        }
    }
}

/// How the engine talks to the outside.
pub struct EngineOptions {
    /// Bridge to the async runtime (and the Ctrl-C switch).
    pub bridge: Bridge,
    /// Connection for `govern()`, or why there is none.
    pub connection: Result<ClientConfig, String>,
    /// Suppress `debug` output.
    pub quiet: bool,
    /// Limits.
    pub limits: Limits,
    /// Directory searched first for `import "x"` (the script's own folder).
    pub script_dir: Option<std::path::PathBuf>,
}

/// Builds an engine with everything registered.
pub fn build(options: EngineOptions) -> Engine {
    build_for(options, Reach::Govern)
}

/// Builds an engine with what a script can `reach`: `run` leaves out the Govern
/// bindings, or the built-ins too, where the script names none of them
/// ([`super::reach::reach`]).
pub fn build_for(options: EngineOptions, reach: Reach) -> Engine {
    let mut engine = Engine::new_raw();
    engine.set_max_strings_interned(MAX_STRINGS_INTERNED);
    for module in shared_modules(reach) {
        engine.register_global_module(module.clone());
    }
    engine.set_max_call_levels(options.limits.max_call_levels);
    set_expr_depths(&mut engine);
    engine.set_max_operations(options.limits.max_operations);
    engine.set_max_string_size(64 << 20);
    engine.set_max_array_size(10_000_000);
    engine.set_max_map_size(10_000_000);

    // Every client of the run reports batch progress unless `--quiet`.
    let bridge = options.bridge.with_quiet(options.quiet);
    let cancel = bridge.cancel().clone();
    engine.on_progress(move |_| {
        cancel
            .is_cancelled()
            .then(|| Dynamic::from(format!("interrupted ({})", cancel.why())))
    });
    engine.on_print(|text| {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{}", redact(text));
        let _ = out.flush();
    });
    let quiet = options.quiet;
    engine.on_debug(move |text, source, pos| {
        if !quiet {
            let at = match (source, pos.line()) {
                (Some(s), Some(l)) => format!("[{s}:{l}] "),
                (None, Some(l)) => format!("[line {l}] "),
                _ => String::new(),
            };
            eprintln!("{at}{}", redact(text));
        }
    });

    if reach == Reach::Govern {
        // The script's ways to a Govern value: `GovernClient(..)`, `GovernFuture::`, `govern()`.
        bindings::register_per_run(&mut engine, &bridge);
        register_govern(&mut engine, &bridge, options.connection);
    }
    set_resolver(&mut engine, options.script_dir.as_deref());
    engine
}

/// Rhai's release limits on expression nesting (64, and 32 in a function body), in
/// every build: Rhai halves them when built with debug assertions, so a script (or a
/// stdlib module) that parses in a release build would fail in a debug one.
pub fn set_expr_depths(engine: &mut Engine) {
    engine.set_max_expr_depths(64, 32);
}

/// `govern()`: the client configured by flags, environment or profile (one per run).
fn register_govern(engine: &mut Engine, bridge: &Bridge, connection: Result<ClientConfig, String>) {
    let bridge = bridge.clone();
    let shared: Arc<Mutex<Option<ScriptClient>>> = Arc::default();
    bindings::handle::def(
        engine,
        "govern",
        &["GovernClient"],
        "The client for the instance given by --host/--api-key, GOVERN_HOST/GOVERN_API_KEY, --profile or --sandbox.",
        move || -> bindings::bridge::RhaiResult<ScriptClient> {
            let mut slot = shared.lock().unwrap_or_else(|p| p.into_inner());
            if let Some(client) = slot.as_ref() {
                return Ok(client.clone());
            }
            let config = connection
                .clone()
                .map_err(|m| bindings::bridge::local_error("govern", m))?;
            let client = bindings::connect(config, &bridge)?;
            *slot = Some(client.clone());
            Ok(client)
        },
    );
}

/// Imports resolve in the script's folder first, then in the embedded stdlib.
fn set_resolver(engine: &mut Engine, script_dir: Option<&Path>) {
    let mut resolvers = ModuleResolversCollection::new();
    if let Some(dir) = script_dir {
        resolvers.push(FileModuleResolver::new_with_path(dir));
    }
    resolvers.push(StdlibResolver);
    engine.set_module_resolver(resolvers);
}

#[cfg(test)]
mod tests {
    use super::{govern_modules, listing};

    /// What error hints of a bare run rely on: each bare function is listed as
    /// `name(_, ..)` (declared methods at least), and the documented modules hold the
    /// same functions.
    #[test]
    fn the_bare_modules_hold_the_documented_functions_without_their_docs() {
        let names = |signatures: &[String]| {
            let mut names: Vec<String> = signatures
                .iter()
                .map(|s| s.split('(').next().unwrap_or_default().to_string())
                .collect();
            names.sort();
            names
        };
        let bare = listing(govern_modules(false));
        let documented = listing(govern_modules(true));
        assert!(bare.len() > 100, "{}", bare.len());
        let definitions = |signatures: &[String]| -> Vec<String> {
            signatures
                .iter()
                .filter(|s| s.starts_with("get_definition("))
                .cloned()
                .collect()
        };
        assert!(!definitions(&bare).is_empty());
        assert!(definitions(&bare).iter().all(|s| !s.contains(':')));
        assert!(
            definitions(&documented)
                .iter()
                .any(|s| s.contains("self: GovernArtifact"))
        );
        assert_eq!(names(&bare), names(&documented));
    }
}
