//! Artifacts (`/artifacts`, `/artifact/{id}`).
use super::error::{ErrorKind, GovernError};
use super::request::segment;
use super::shape::Shape;
use super::{GovernClient, Request, Result};
use serde_json::Value;

impl GovernClient {
    /// `POST /artifacts`: creates an artifact and returns its id. If the outcome is
    /// unknown, the newest artifact of that blueprint version with that name is taken
    /// as the created one rather than creating a second (names should be unique for
    /// this to be exact).
    pub async fn create_artifact(&self, artifact: Value) -> Result<String> {
        let request = Request::post("/artifacts").body(artifact.clone());
        let described = request.describe();
        let answer = self
            .post_verified(request, || async {
                let (Some(version), Some(name)) = (
                    artifact.get("blueprintVersionId"),
                    artifact.get("name").and_then(Value::as_str),
                ) else {
                    return Ok(None);
                };
                let found = self.find_artifacts_named(version, name).await?;
                Ok(found
                    .first()
                    .and_then(|a| a.get("id").cloned())
                    .map(|id| serde_json::json!({ "artifactId": id })))
            })
            .await?;
        answer
            .get("artifactId")
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| GovernError {
                call: super::operation::current().into(),
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

    /// `POST /artifact/{id}/workflow/step/{step}/signoff/create`.
    pub async fn create_signoff(&self, artifact_id: &str, step_id: &str) -> Result<()> {
        let path = format!(
            "/artifact/{}/workflow/step/{}/signoff/create",
            segment(artifact_id),
            segment(step_id)
        );
        let signoff = super::signoffs::SignoffRef::new(artifact_id, step_id);
        let request = Request::post(path);
        self.post_verified(request, || async {
            Ok(self.get_signoff(&signoff).await.ok())
        })
        .await
        .map(|_| ())
    }
}
