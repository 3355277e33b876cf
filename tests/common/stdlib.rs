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
