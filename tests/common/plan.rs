//! Plan / apply in tests: plan a script into a file, apply a plan file, read what the
//! sandbox was sent while planning, and ask the Python client (`tests/python/plan_oracle.py`).
use super::{Ran, Sandbox, bin};
use serde_json::Value;
use std::path::Path;
use std::process::Command;

/// `govscript apply PLAN` against `sandbox` (no audit unless `args` asks): the outcome.
pub fn apply(sandbox: &Sandbox, plan: &Path, args: &[&str]) -> Ran {
    let mut cmd = Command::new(bin());
    cmd.arg("apply").arg(plan).args(args);
    if !args.contains(&"--audit-log") {
        cmd.arg("--no-audit");
    }
    cmd.env("GOVERN_HOST", &sandbox.url)
        .env("GOVERN_API_KEY", &sandbox.key)
        .env("GOVSCRIPT_CONFIG", plan.with_extension("no-config.toml"))
        .env_remove("GOVSCRIPT_AUDIT_LOG")
        .env_remove("GOVERN_PROFILE");
    Ran::from(cmd.output().expect("run govscript apply"))
}

/// Plans `source` into `plan` against `sandbox`: its stdout.
pub fn plan_into(sandbox: &Sandbox, source: &str, plan: &Path) -> String {
    sandbox
        .script(source)
        .arg("--plan")
        .arg(plan.to_str().expect("utf-8 path"))
        .ok()
}

/// A JSON file's content.
pub fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("read")).expect("JSON")
}

/// The requests `sandbox` received after the first `since` that may change something
/// (anything but a `GET` or a search).
pub fn writes_after(sandbox: &Sandbox, since: usize) -> Vec<Value> {
    sandbox
        .recorded()
        .split_off(since)
        .into_iter()
        .filter(|r| {
            r["method"] != "GET" && !r["target"].as_str().is_some_and(|t| t.ends_with("/search"))
        })
        .collect()
}

/// The `RESULT` of `plan_oracle.py COMMAND ARGS` against `sandbox`, or `None` (the
/// test skipped, visibly) when the Python client is not available.
pub fn oracle(sandbox: &Sandbox, command: &str, args: &[&str]) -> Option<Value> {
    if !super::python_client_available() {
        return None;
    }
    let mut all = vec![sandbox.url.as_str(), sandbox.key.as_str(), command];
    all.extend(args);
    let out = super::python::run_script("plan_oracle.py", &all);
    Some(super::python::result_line(&out))
}

/// A script that gives `ar.2` (owner `bob` in the demo seed) the owner `zed`: the
/// change most plan tests plan, apply or overlay.
pub const ZED_OWNS_AR2: &str = r#"let d = govern().get_artifact("ar.2").get_definition();
d.raw.fields.owner = "zed";
d.save();"#;
