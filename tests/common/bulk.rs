//! Tests of batch calls over the artifacts a `bulk:N` seed generates: the search that
//! finds them and the requests the sandbox was sent.
use crate::common::Sandbox;

/// Binds the client as `c` and `q`, a search of the artifacts of a `bulk:N` seed.
pub const SEARCH_BULK: &str = r#"
let c = govern();
let q = GovernArtifactSearchQuery();
q.add_artifact_filter(GovernArtifactFilterFieldValue("START_WITH", "Bulk model "));
"#;

/// The requests the sandbox recorded with `method` on a path starting with `prefix`.
pub fn sent(sandbox: &Sandbox, method: &str, prefix: &str) -> Vec<String> {
    sandbox
        .recorded()
        .iter()
        .filter(|r| r["method"] == method)
        .filter_map(|r| r["target"].as_str().map(str::to_string))
        .filter(|t| t.starts_with(prefix))
        .collect()
}
