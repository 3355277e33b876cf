//! Artifact search (`POST /artifacts/search`): one page of a query, keyset-paged by the
//! id of the last artifact of the previous page.
use super::{GovernClient, Request, Result};
use serde_json::{Value, json};

impl GovernClient {
    /// `POST /artifacts/search`: the page of `page_size` hits of `query` (a
    /// `GovernArtifactSearchQuery.build()` document) after `last_artifact_id` (`None`:
    /// the first page). The body is the query followed by `artifactSearchPagination`, as
    /// Python sends it. A search changes nothing, so it is retried like a GET.
    pub async fn search_artifacts(
        &self,
        query: &Value,
        page_size: i64,
        last_artifact_id: Option<&str>,
    ) -> Result<Value> {
        let mut body = query.clone();
        if let Some(map) = body.as_object_mut() {
            map.insert(
                "artifactSearchPagination".into(),
                json!({"pageSize": page_size, "lastArtifactId": last_artifact_id}),
            );
        }
        let request = Request::post("/artifacts/search").body(body).read_only();
        self.perform_object(request).await
    }
}
