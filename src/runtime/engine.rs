//! Engine set-up shared by every mode: Govern bindings, limits, output routing,
//! the `govern()` entry point and the module resolver for `stdlib/`.
//!
//! Rhai's standard package, the Govern bindings and the built-ins are built once per
//! process and shared (`runtime::shared_modules`): an engine then costs only its own
//! state, `govern()`, `GovernClient(..)`, `exit()` (see `run::execute`), its callbacks
//! and limits; `run` registers only what its script can reach ([`build_for`],
//! `runtime::reach`).
use super::reach::Reach;
use super::shared_modules::shared_modules;
use super::stdlib::StdlibResolver;
use crate::bindings::{self, Bridge, ScriptClient};
use crate::client::ClientConfig;
use crate::client::secrets::redact;
use rhai::module_resolvers::{FileModuleResolver, ModuleResolversCollection};
use rhai::{Dynamic, Engine};
use std::io::Write;
use std::path::Path;
use std::sync::{Arc, Mutex};

/// The source of an embedded stdlib module (`govern/signoffs`), for error rendering.
pub use super::stdlib::source as stdlib_source;

pub use super::shared_modules::{
    prepare, prepare_govern_in_background, prepare_in_background, prepare_standard_in_background,
    reach_only, run_bare, signatures,
};

/// What `Engine::new()` gives its interner; kept since engines are built raw.
const MAX_STRINGS_INTERNED: usize = 256;

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
