//! `is_plan()` for scripts: whether this run plans its changes instead of making them.
use crate::bindings::Bridge;
use crate::bindings::def::def;
use rhai::Engine;

/// Registers `is_plan()`, true when `bridge`'s clients plan (`run --plan`, `--dry-run`).
pub fn register(engine: &mut Engine, bridge: &Bridge) {
    let planning = bridge.operation_hooks().0.iter().any(|h| h.plans());
    def(
        engine,
        "is_plan",
        &["bool"],
        "Whether this run makes a plan (`run --plan FILE`, `run --dry-run`): changes are recorded, not sent, and reads of changed objects see their planned state.",
        move || planning,
    );
}
