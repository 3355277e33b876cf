//! Users and groups (protocol §2.2–§2.4): the calls beyond the generic ones of the
//! declared resources [`ADMIN_USERS`] and [`ADMIN_GROUPS`] (list, get, save, delete,
//! create: see [`super::resource`]): bulk user operations, a user's deletion with
//! `allowSelfDeletion`, the caller's own settings, the non-admin infos, activity and
//! the authorization matrix.
use super::resource::path;
use super::{GovernClient, Request, Result};
use crate::protocol::resources::ADMIN_USERS;
use serde_json::Value;

/// `/admin/users/actions/bulk`: create (POST), edit (PUT) or delete (DELETE) users.
const BULK: &str = "/admin/users/actions/bulk";

/// The verb of a bulk user operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bulk {
    /// `create_users`: POST.
    Create,
    /// `edit_users`: PUT.
    Edit,
    /// `delete_users`: DELETE.
    Delete,
}

impl GovernClient {
    /// `GET /admin/users/?includeSettings=`: the users as dicts.
    pub async fn list_users(&self, include_settings: bool) -> Result<Vec<Value>> {
        let request = Request::get(ADMIN_USERS.list).query("includeSettings", include_settings);
        self.perform_list(request).await
    }

    /// `DELETE /admin/users/{login}?allowSelfDeletion=`.
    pub async fn delete_user(&self, login: &str, allow_self_deletion: bool) -> Result<()> {
        let request = Request::delete(path(ADMIN_USERS.item, &[login]))
            .query("allowSelfDeletion", allow_self_deletion);
        self.perform_empty(request).await
    }

    /// A bulk operation on users with `body` (a list); returns Govern's answer as it
    /// is (a list of `{login, status, error}`), as Python parses it.
    pub async fn bulk_users(
        &self,
        verb: Bulk,
        body: Value,
        allow_self_deletion: bool,
    ) -> Result<Value> {
        let request = match verb {
            Bulk::Create => Request::post(BULK),
            Bulk::Edit => Request::put(BULK),
            Bulk::Delete => Request::delete(BULK).query("allowSelfDeletion", allow_self_deletion),
        };
        self.perform_json(request.body(body)).await
    }

    /// `GET /admin/users/{login}/activity`.
    pub async fn user_activity(&self, login: &str) -> Result<Value> {
        let path = format!("{}/activity", path(ADMIN_USERS.item, &[login]));
        self.perform_object(Request::get(path)).await
    }

    /// `GET /admin/users-activity?enabledUsersOnly=`.
    pub async fn list_users_activity(&self, enabled_users_only: bool) -> Result<Vec<Value>> {
        let request =
            Request::get("/admin/users-activity").query("enabledUsersOnly", enabled_users_only);
        self.perform_list(request).await
    }

    /// `GET /admin/authorization-matrix`: `{perUser, perGroup}`.
    pub async fn authorization_matrix(&self) -> Result<Value> {
        self.perform_object(Request::get("/admin/authorization-matrix"))
            .await
    }

    /// `GET /users` (any authenticated caller): basic information on every user.
    pub async fn list_users_info(&self) -> Result<Vec<Value>> {
        self.perform_list(Request::get("/users")).await
    }

    /// `GET /users/{login}`.
    pub async fn user_info(&self, login: &str) -> Result<Value> {
        self.perform_object(Request::get(path("/users/{}", &[login])))
            .await
    }

    /// `GET /groups` (any authenticated caller): basic information on every group.
    pub async fn list_groups_info(&self) -> Result<Vec<Value>> {
        self.perform_list(Request::get("/groups")).await
    }

    /// `GET /current-user`: the caller's own settings.
    pub async fn own_settings(&self) -> Result<Value> {
        self.perform_object(Request::get("/current-user")).await
    }

    /// `PUT /current-user` with the whole settings (the answer is ignored, as Python
    /// does); returns what was sent, which is then the document.
    pub async fn save_own_settings(&self, settings: Value) -> Result<Value> {
        let request = Request::put("/current-user").body(settings.clone());
        self.perform_empty(request).await?;
        Ok(settings)
    }
}
