//! Govern-style HTTP errors: `{"errorType", "message", "detailedMessage"}`.
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

const NOT_FOUND: &str = "com.dataiku.dip.exceptions.NotFoundException";
const VALIDATION: &str = "com.dataiku.dip.server.controllers.ValidationException";
const UNAUTHORIZED: &str = "com.dataiku.dip.exceptions.UnauthorizedException";
const CONFLICT: &str = "com.dataiku.dip.exceptions.CodedException";
const UNSUPPORTED: &str = "java.lang.UnsupportedOperationException";
const INTERNAL: &str = "java.lang.IllegalStateException";
const UNAVAILABLE: &str = "com.dataiku.dip.exceptions.ServiceUnavailableException";

/// An error answered to the client in Govern's JSON shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// HTTP status code.
    pub status: StatusCode,
    /// Java-like exception class name.
    pub error_type: &'static str,
    /// Short message.
    pub message: String,
    /// Message naming the object concerned.
    pub detailed: String,
}

/// Result type of sandbox handlers and store operations.
pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    fn new(status: StatusCode, error_type: &'static str, message: &str, detailed: String) -> Self {
        Self {
            status,
            error_type,
            message: message.to_string(),
            detailed,
        }
    }

    /// 404: `"<kind> not found: <id>"`.
    pub fn not_found(kind: &str, id: &str) -> Self {
        let short = format!("{kind} not found");
        Self::new(
            StatusCode::NOT_FOUND,
            NOT_FOUND,
            &short,
            format!("{short}: {id}"),
        )
    }

    /// 400 validation error.
    pub fn validation(detailed: impl Into<String>) -> Self {
        let d = detailed.into();
        Self::new(StatusCode::BAD_REQUEST, VALIDATION, &d.clone(), d)
    }

    /// 401: missing or invalid credentials.
    pub fn unauthenticated(detailed: impl Into<String>) -> Self {
        let d = detailed.into();
        Self::new(
            StatusCode::UNAUTHORIZED,
            UNAUTHORIZED,
            "Not authenticated",
            d,
        )
    }

    /// 403: authenticated but not allowed.
    pub fn forbidden(detailed: impl Into<String>) -> Self {
        let d = detailed.into();
        Self::new(StatusCode::FORBIDDEN, UNAUTHORIZED, "Not allowed", d)
    }

    /// 409: the object already exists or is in a conflicting state.
    pub fn conflict(detailed: impl Into<String>) -> Self {
        let d = detailed.into();
        Self::new(StatusCode::CONFLICT, CONFLICT, &d.clone(), d)
    }

    /// 413, 414 or 431: a request larger than the sandbox accepts.
    pub fn too_large(status: StatusCode, detailed: impl Into<String>) -> Self {
        let d = detailed.into();
        Self::new(status, VALIDATION, "Request too large", d)
    }

    /// Any other status (e.g. 405 from the router), in Govern's shape.
    pub fn with_status(status: StatusCode, detailed: impl Into<String>) -> Self {
        let d = detailed.into();
        let (error_type, message) = match status.as_u16() {
            400 => (VALIDATION, "Bad request"),
            401 => (UNAUTHORIZED, "Not authenticated"),
            403 => (UNAUTHORIZED, "Not allowed"),
            404 => (NOT_FOUND, "Not found"),
            405 => (UNSUPPORTED, "Method not allowed"),
            503 => (UNAVAILABLE, "Service unavailable"),
            _ => (INTERNAL, "Request failed"),
        };
        let d = if d.trim().is_empty() {
            message.to_string()
        } else {
            d
        };
        Self::new(status, error_type, message, d)
    }

    /// 500: a bug or a storage failure.
    pub fn internal(detailed: impl Into<String>) -> Self {
        let d = detailed.into();
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            INTERNAL,
            "Internal server error",
            d,
        )
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.error_type, self.detailed)
    }
}

impl std::error::Error for ApiError {}

impl From<rusqlite::Error> for ApiError {
    fn from(e: rusqlite::Error) -> Self {
        Self::internal(format!("storage error: {e}"))
    }
}

impl From<serde_json::Error> for ApiError {
    fn from(e: serde_json::Error) -> Self {
        Self::internal(format!("corrupt stored document: {e}"))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({
            "errorType": self.error_type,
            "message": self.message,
            "detailedMessage": self.detailed,
        });
        (self.status, axum::Json(body)).into_response()
    }
}
