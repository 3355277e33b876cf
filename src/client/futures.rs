//! Long tasks (futures, `/futures*`) and the admin calls that start them: user resync,
//! external users and groups, provisioning. Each start answers a future state
//! (`jobId`, `hasResult`, `result`).
use super::request::segment;
use super::{GovernClient, Request, Result};
use serde_json::{Value, json};

impl GovernClient {
    /// `GET /futures/?withScenarios=False&withNotScenarios=True&allUsers=`: the states.
    pub async fn list_futures(&self, all_users: bool) -> Result<Vec<Value>> {
        let request = Request::get("/futures/")
            .query("withScenarios", false)
            .query("withNotScenarios", true)
            .query("allUsers", all_users);
        self.perform_list(request).await
    }

    /// `GET /futures/{job}?peek=`: the state (without its result when peeking).
    pub async fn get_future_state(&self, job_id: &str, peek: bool) -> Result<Value> {
        let request = Request::get(format!("/futures/{}", segment(job_id))).query("peek", peek);
        self.perform_object(request).await
    }

    /// `DELETE /futures/{job}`: aborts the task.
    pub async fn abort_future(&self, job_id: &str) -> Result<()> {
        let request = Request::delete(format!("/futures/{}", segment(job_id)));
        self.perform_empty(request).await
    }

    /// `POST /admin/users/actions/resync-multi`: the given logins, or everyone (no body).
    pub async fn start_resync_users(&self, logins: Option<Value>) -> Result<Value> {
        let mut request = Request::post("/admin/users/actions/resync-multi");
        request.body = logins;
        self.perform_object(request).await
    }

    /// `POST /admin/users/{login}/actions/resync`.
    pub async fn start_resync_user(&self, login: &str) -> Result<Value> {
        let path = format!("/admin/users/{}/actions/resync", segment(login));
        self.perform_object(Request::post(path)).await
    }

    /// `GET /admin/external-groups?userSourceType=`.
    pub async fn start_fetch_external_groups(&self, source: &str) -> Result<Value> {
        let request = Request::get("/admin/external-groups").query("userSourceType", source);
        self.perform_object(request).await
    }

    /// `GET /admin/external-users?userSourceType=&login=&email=&groupName=` (the
    /// filters only when given).
    pub async fn start_fetch_external_users(
        &self,
        source: &str,
        login: Option<String>,
        email: Option<String>,
        group_name: Option<String>,
    ) -> Result<Value> {
        let request = Request::get("/admin/external-users")
            .query("userSourceType", source)
            .query("login", login)
            .query("email", email)
            .query("groupName", group_name);
        self.perform_object(request).await
    }

    /// `POST /admin/users/actions/provision` with `{userSourceType, users}`.
    pub async fn start_provision_users(&self, source: &str, users: Value) -> Result<Value> {
        let request = Request::post("/admin/users/actions/provision")
            .body(json!({"userSourceType": source, "users": users}));
        self.perform_object(request).await
    }
}
