//! POSTs that must not be applied twice. When a POST's outcome is unknown (the
//! connection broke after sending, or a gateway gave up), its client method reads
//! whether it took effect before sending it again: a create is looked up, a status
//! change is read back. Idempotent POSTs (delegations, recurrence) are simply re-sent.
use super::error::Result;
use super::{GovernClient, Request};
use serde_json::{Value, json};
use std::future::Future;
use std::sync::atomic::Ordering;

impl GovernClient {
    /// Sends `request` (a POST); if its outcome is unknown, `applied()` reads whether
    /// it took effect: `Some(answer)` stands for the lost answer, `None` re-sends once.
    pub async fn post_verified<F, Fut>(&self, request: Request, applied: F) -> Result<Value>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Option<Value>>>,
    {
        let error = match self.perform_json(request.clone()).await {
            Err(e) if e.outcome_unknown() => e,
            other => return other,
        };
        tracing::debug!(
            "{}: outcome unknown ({}); checking",
            request.describe(),
            error.kind
        );
        match applied().await {
            Ok(Some(answer)) => {
                tracing::debug!("{}: it was applied", request.describe());
                Ok(answer)
            }
            Ok(None) => {
                self.stats().retries.fetch_add(1, Ordering::Relaxed);
                tracing::debug!("{}: not applied; sending it again", request.describe());
                self.perform_json(request).await
            }
            // The check itself failed: report the original failure.
            Err(_) => Err(error),
        }
    }

    /// Artifacts of `blueprint_version` named exactly `name`, newest first
    /// (by `createdOn`, then id), through `POST /artifacts/search`.
    pub(super) async fn find_artifacts_named(
        &self,
        blueprint_version: &Value,
        name: &str,
    ) -> Result<Vec<Value>> {
        let query = json!({
            "artifactSearchSource": {"type": "all"},
            "artifactFilters": [
                {"type": "blueprintVersions", "blueprintVersionIds": [blueprint_version]},
                {"type": "field", "conditionType": "EQUALS", "condition": name, "caseSensitive": true},
            ],
            "artifactSearchPagination": {"pageSize": 1000, "lastArtifactId": null},
        });
        let answer = self
            .perform_object(Request::post("/artifacts/search").body(query).read_only())
            .await?;
        let mut found: Vec<Value> = answer
            .get("uiArtifacts")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|hit| hit.get("artifact").cloned())
            .filter(|a| a.get("name").and_then(Value::as_str) == Some(name))
            .collect();
        let created = |a: &Value| a.get("createdOn").and_then(Value::as_i64).unwrap_or(0);
        let number = |a: &Value| {
            a.get("id")
                .and_then(Value::as_str)
                .and_then(|id| id.rsplit('.').next())
                .and_then(|n| n.parse::<u64>().ok())
                .unwrap_or(0)
        };
        found.sort_by_key(|a| std::cmp::Reverse((created(a), number(a))));
        Ok(found)
    }
}
