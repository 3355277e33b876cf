//! Instance administration (protocol §2.6, §2.7): logs, custom audit entries, the
//! usage summary, general settings, licensing and the IAM settings (SSO, LDAP, Azure
//! AD), and the client's own credentials (`api_key`, `internal_ticket`).
use super::request::segment;
use super::{GovernClient, Request, Result};
use secrecy::ExposeSecret;
use serde_json::Value;

/// The general settings' path.
const GENERAL_SETTINGS: &str = "/admin/general-settings";

/// The three IAM settings documents (Python's DSS classes `DSSSSOSettings`,
/// `DSSLDAPSettings`, `DSSAzureADSettings`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Iam {
    /// `sso-settings`.
    Sso,
    /// `ldap-settings`.
    Ldap,
    /// `azure-ad-settings`.
    AzureAd,
}

impl Iam {
    /// The last path segment (`sso-settings`).
    pub fn segment(self) -> &'static str {
        match self {
            Iam::Sso => "sso-settings",
            Iam::Ldap => "ldap-settings",
            Iam::AzureAd => "azure-ad-settings",
        }
    }
}

impl GovernClient {
    /// `GET /admin/logs/`: the names of the log files.
    pub async fn list_logs(&self) -> Result<Value> {
        self.perform_json(Request::get("/admin/logs/")).await
    }

    /// `GET /admin/logs/{name}`: the content of a log file (a JSON string).
    pub async fn get_log(&self, name: &str) -> Result<Value> {
        let request = Request::get(format!("/admin/logs/{}", segment(name)));
        self.perform_json(request).await
    }

    /// `POST /admin/audit/custom/{type}` with the entry's parameters (answer ignored).
    pub async fn log_custom_audit(&self, custom_type: &str, params: Value) -> Result<()> {
        let path = format!("/admin/audit/custom/{}", segment(custom_type));
        self.perform_empty(Request::post(path).body(params)).await
    }

    /// `GET /admin/monitoring/global-usage-summary`.
    pub async fn global_usage_summary(&self) -> Result<Value> {
        let request = Request::get("/admin/monitoring/global-usage-summary");
        self.perform_object(request).await
    }

    /// `GET /admin/general-settings`.
    pub async fn general_settings(&self) -> Result<Value> {
        self.perform_object(Request::get(GENERAL_SETTINGS)).await
    }

    /// `PUT /admin/general-settings` with the whole document (answer ignored, as
    /// Python's `_perform_empty`); returns the document sent.
    pub async fn save_general_settings(&self, settings: Value) -> Result<Value> {
        let request = Request::put(GENERAL_SETTINGS).body(settings.clone());
        self.perform_empty(request).await.map(|()| settings)
    }

    /// `GET /admin/licensing/status`.
    pub async fn licensing_status(&self) -> Result<Value> {
        self.perform_object(Request::get("/admin/licensing/status"))
            .await
    }

    /// `POST /admin/licensing/license` with the parsed license file (answer ignored).
    pub async fn set_license(&self, license: Value) -> Result<()> {
        let request = Request::post("/admin/licensing/license").body(license);
        self.perform_empty(request).await
    }

    /// `GET /admin/iam/{kind}`.
    pub async fn iam_settings(&self, kind: Iam) -> Result<Value> {
        let request = Request::get(format!("/admin/iam/{}", kind.segment()));
        self.perform_object(request).await
    }

    /// `PUT /admin//iam/{kind}`: the Python client's DSS classes join their prefix
    /// `/admin/` and `/iam/...`, so the path has two slashes; sent as Python sends it.
    /// The answer is ignored; returns the document sent.
    pub async fn save_iam_settings(&self, kind: Iam, settings: Value) -> Result<Value> {
        let request =
            Request::put(format!("/admin//iam/{}", kind.segment())).body(settings.clone());
        self.perform_empty(request).await.map(|()| settings)
    }

    /// The API key the client authenticates with (`None` with a ticket). Printing it
    /// shows `***`: every key is remembered by [`super::secrets`].
    pub fn api_key(&self) -> Option<String> {
        let key = self.inner.config.api_key.expose_secret();
        (!key.is_empty()).then(|| key.to_string())
    }

    /// The internal ticket the client authenticates with (`X-DKU-APITicket`), if any;
    /// masked in output as keys are.
    pub fn internal_ticket(&self) -> Option<String> {
        self.inner
            .config
            .internal_ticket
            .as_ref()
            .map(|t| t.expose_secret().to_string())
    }
}
