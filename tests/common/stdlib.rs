//! Tests of the embedded stdlib modules (`stdlib/govern/*.rhai`): a script importing one
//! module, run by the real binary against a sandbox.
use crate::common::{Run, Sandbox};

/// A run against `sandbox` of `body` after `import "govern/<module>" as <module>;` and
/// `let c = govern();`.
pub fn module_script(sandbox: &Sandbox, module: &str, body: &str) -> Run {
    sandbox.script(&format!(
        "import \"govern/{module}\" as {module};\nlet c = govern();\n{body}"
    ))
}

/// Runs `body` as [`module_script`] does against a new demo sandbox: the sandbox (to
/// read back what the run changed) and the run's stdout.
pub fn run_module(module: &str, body: &str) -> (Sandbox, String) {
    let sandbox = Sandbox::start();
    let out = module_script(&sandbox, module, body).ok();
    (sandbox, out)
}
