//! Artifacts (`/artifacts`, `/artifact/{id}`).
use super::error::{ErrorKind, GovernError};
use super::request::segment;
use super::shape::Shape;
use super::verify::{Candidate, Creation, Verdict};
use super::{GovernClient, Request, Result};
use serde_json::{Value, json};

/// The id in the answer of `POST /artifacts`.
fn artifact_id(answer: &Value) -> Option<&str> {
    answer.get("artifactId").and_then(Value::as_str)
}

/// `bp.x / bv.y` for a blueprint version id, for messages.
fn version_label(version: &Value) -> String {
    match (version.get("blueprintId"), version.get("versionId")) {
        (Some(Value::String(bp)), Some(Value::String(bv))) => format!("{bp} / {bv}"),
        _ => version.to_string(),
    }
}

/// A found artifact as a candidate for the one a lost creation made.
fn candidate(artifact: Value) -> Option<Candidate> {
    let id = artifact.get("id")?.as_str()?.to_string();
    Some(Candidate {
        created_on: artifact.get("createdOn").and_then(Value::as_i64),
        answer: json!({ "artifactId": id }),
        id,
    })
}

impl GovernClient {
    /// `POST /artifacts`: creates an artifact and returns its id. If the outcome is
    /// unknown, an artifact of that blueprint version with that name (trimmed, as the
    /// server stores it) that did not exist before is taken as the created one; none
    /// means it was not created (sent again); if that cannot be told, the error says
    /// the outcome is unknown and names the artifacts to check.
    pub async fn create_artifact(&self, artifact: Value) -> Result<String> {
        let request = Request::post("/artifacts").body(artifact.clone());
        let described = request.describe();
        let version = artifact.get("blueprintVersionId").cloned();
        let name = artifact.get("name").and_then(Value::as_str).map(str::trim);
        let answer = match (&version, name) {
            (Some(version), Some(name)) if !name.is_empty() => {
                let creation = Creation {
                    kind: "artifact".into(),
                    slot: format!("artifact {version} {name}"),
                    what: format!("artifacts named '{name}' in {}", version_label(version)),
                    advice: "Check them (get_artifact(id)) before creating it again.".into(),
                };
                self.create_verified(request, creation, artifact_id, || async {
                    let found = self.find_artifacts_named(version, name).await?;
                    Ok(found.into_iter().filter_map(candidate).collect())
                })
                .await?
            }
            // Nothing to look for: the server refuses it, or sends it again harmlessly.
            _ => self.perform_json(request).await?,
        };
        artifact_id(&answer)
            .map(str::to_string)
            .ok_or_else(|| GovernError {
                call: self.call_name().into(),
                request: Some(described),
                kind: Box::new(ErrorKind::InvalidResponse(
                    "the answer has no artifactId".into(),
                )),
            })
    }

    /// `GET /artifact/{id}`: the artifact document (the answer's `artifact` key).
    pub async fn get_artifact(&self, artifact_id: &str) -> Result<Value> {
        let path = format!("/artifact/{}", segment(artifact_id));
        self.perform_shaped(Request::get(path), Shape::ObjectAt("artifact"))
            .await
    }

    /// `PUT /artifact/{id}`: saves the whole document, returns the saved one.
    pub async fn save_artifact(&self, artifact_id: &str, artifact: Value) -> Result<Value> {
        let path = format!("/artifact/{}", segment(artifact_id));
        let request = Request::put(path).body(artifact);
        self.perform_shaped(request, Shape::ObjectAt("artifact"))
            .await
    }

    /// `DELETE /artifact/{id}`.
    pub async fn delete_artifact(&self, artifact_id: &str) -> Result<()> {
        let path = format!("/artifact/{}", segment(artifact_id));
        self.perform_empty(Request::delete(path)).await
    }

    /// `GET /artifact/{id}/signoffs`: the runtime sign-offs of an artifact.
    pub async fn list_signoffs(&self, artifact_id: &str) -> Result<Vec<Value>> {
        let path = format!("/artifact/{}/signoffs", segment(artifact_id));
        self.perform_list(Request::get(path)).await
    }

    /// `POST /artifact/{id}/workflow/step/{step}/signoff/create`. If the outcome is
    /// unknown, a sign-off found at that step counts as created: there is one per step
    /// and the server refuses a second, so sending it again can only fail.
    pub async fn create_signoff(&self, artifact_id: &str, step_id: &str) -> Result<()> {
        let path = format!(
            "/artifact/{}/workflow/step/{}/signoff/create",
            segment(artifact_id),
            segment(step_id)
        );
        let signoff = super::signoffs::SignoffRef::new(artifact_id, step_id);
        let request = Request::post(path);
        self.post_verified(request, |_| async {
            match self.get_signoff(&signoff).await {
                Ok(_) => Ok(Verdict::state_reached(true)),
                Err(e) if e.status() == Some(404) => Ok(Verdict::NotApplied),
                Err(e) => Err(e),
            }
        })
        .await
        .map(|_| ())
    }

    /// Artifacts of `blueprint_version` whose name is `name` (trimmed: the server
    /// stores names trimmed), through `POST /artifacts/search`.
    pub async fn find_artifacts_named(
        &self,
        blueprint_version: &Value,
        name: &str,
    ) -> Result<Vec<Value>> {
        let name = name.trim();
        let query = json!({
            "artifactSearchSource": {"type": "all"},
            "artifactFilters": [
                {"type": "blueprintVersions", "blueprintVersionIds": [blueprint_version]},
                {"type": "field", "conditionType": "EQUALS", "condition": name, "caseSensitive": true},
            ],
        });
        let answer = self.search_artifacts(&query, 1000, None).await?;
        Ok(answer
            .get("uiArtifacts")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|hit| hit.get("artifact").cloned())
            .filter(|a| a.get("name").and_then(Value::as_str).map(str::trim) == Some(name))
            .collect())
    }
}
