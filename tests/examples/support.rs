//! Helpers of the example scripts' tests: a run of a script of `scripts/`, reads of the
//! sandbox's state, the CSV files scripts write, and review times moved into the past.
use crate::common::{self, API, Sandbox, rights::art};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::Path;

/// A run of `scripts/NAME` on `sandbox` (to add flags, keys, arguments).
pub fn example(sandbox: &Sandbox, name: &str) -> common::Run {
    let path = common::root().join("scripts").join(name);
    let source = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
    sandbox.script(&source)
}

/// `example(..)` with `args` as the script's arguments.
pub fn example_with(sandbox: &Sandbox, name: &str, args: &[&str]) -> common::Run {
    args.iter()
        .fold(example(sandbox, name), |run, a| run.script_arg(a))
}

/// The sign-off of `artifact` at `step`, read over HTTP.
pub fn signoff(sandbox: &Sandbox, artifact: &str, step: &str) -> Value {
    sandbox.ok(
        "GET",
        &format!("{API}/artifact/{artifact}/workflow/step/{step}/signoff"),
        None,
    )
}

/// The rows of the CSV file at `path`, as maps from column to value.
pub fn csv_rows(path: &Path) -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    reader
        .deserialize()
        .map(|r| r.unwrap_or_else(|e| panic!("{path:?}: {e}")))
        .collect()
}

/// Moves every review (feedback and approval) of a sign-off `days` days into the past,
/// straight in the sandbox's database: the API stamps reviews with the current time.
pub fn backdate_reviews(sandbox: &Sandbox, artifact: &str, step: &str, days: i64) {
    let mut so = signoff(sandbox, artifact, step);
    let shift = |review: &mut Value| {
        for key in ["createdOn", "lastModifiedOn"] {
            let at = review[key].as_i64().expect("a review time in ms");
            review[key] = json!(at - days * 86_400_000);
        }
    };
    let mut count = 0;
    for feedback in so["feedbackResponses"].as_array_mut().into_iter().flatten() {
        shift(feedback);
        count += 1;
    }
    if !so["approverResponse"].is_null() {
        shift(&mut so["approverResponse"]);
        count += 1;
    }
    assert!(count > 0, "{artifact} {step} has no review");
    common::rights::store_doc(sandbox, "signoffs", &format!("{artifact}/{step}"), Some(so));
}

/// Whether artifact `id` is archived, read over HTTP.
pub fn archived(sandbox: &Sandbox, id: &str) -> bool {
    sandbox.ok("GET", &art(id), None)["artifact"]["status"]["archived"] == true
}
