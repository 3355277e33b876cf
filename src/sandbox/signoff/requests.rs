//! Typed request bodies and query strings of the sign-off endpoints.
use super::status::{ApprovalStatus, FeedbackStatus, SignoffStatus};
use crate::sandbox::error::{ApiError, ApiResult};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// `?groupId=` of `feedback` and `delegate-feedback`.
#[derive(Debug, Clone, Deserialize)]
pub struct GroupIdQuery {
    /// The feedback group.
    #[serde(rename = "groupId")]
    pub group_id: String,
}

/// A user to notify of a status change.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Recipient {
    /// The user's login.
    pub user_login: String,
    /// The feedback group through which the user is notified.
    #[serde(default)]
    pub group_id: Option<String>,
}

/// The fields of an `update-status` body.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateStatusRequest {
    /// The status to move to.
    pub target_status: Option<SignoffStatus>,
    /// Who is notified (`null`: everyone concerned).
    #[serde(default)]
    pub users_to_send_email_to: Option<Vec<Recipient>>,
    /// On a reset, whether to reload the configuration from the blueprint version.
    #[serde(default, deserialize_with = "lenient_bool")]
    pub reload_conf_for_reset: bool,
}

impl UpdateStatusRequest {
    /// The target status, or the 400 Govern answers without one.
    pub fn target(&self) -> ApiResult<SignoffStatus> {
        self.target_status
            .ok_or_else(|| ApiError::validation("targetStatus is required"))
    }
}

/// The body of `update-status`: the fields object or, as older clients send, a bare status.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(try_from = "Value")]
pub struct UpdateStatusBody(pub UpdateStatusRequest);

impl TryFrom<Value> for UpdateStatusBody {
    type Error = String;
    fn try_from(v: Value) -> Result<Self, String> {
        match v {
            Value::String(s) => Ok(Self(UpdateStatusRequest {
                target_status: Some(s.parse()?),
                ..UpdateStatusRequest::default()
            })),
            other => serde_json::from_value(other)
                .map(Self)
                .map_err(|e| e.to_string()),
        }
    }
}

/// The body of feedback and approval requests: `{"status", "comment"?}`.
#[derive(Debug, Clone, Deserialize)]
#[serde(bound = "S: Deserialize<'de>")]
pub struct ReviewRequest<S> {
    /// The feedback or approval status (required, but read as optional to name it).
    pub status: Option<S>,
    /// Free text; absent or `null` removes it.
    pub comment: Option<String>,
}

impl<S> Default for ReviewRequest<S> {
    fn default() -> Self {
        Self {
            status: None,
            comment: None,
        }
    }
}

impl<S: Copy> ReviewRequest<S> {
    /// The status, or `The <what> status is required`.
    pub fn required_status(&self, what: &str) -> ApiResult<S> {
        self.status
            .ok_or_else(|| ApiError::validation(format!("The {what} status is required")))
    }
}

/// Body of `feedback` requests.
pub type FeedbackRequest = ReviewRequest<FeedbackStatus>;
/// Body of `approval` requests.
pub type ApprovalRequest = ReviewRequest<ApprovalStatus>;

/// A boolean sent as JSON `true`/`false` or as a string (`"True"`, `"1"`, `"yes"` …);
/// anything else is `false`.
fn lenient_bool<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Bool(b) => b,
        Value::String(s) => parse_bool(&s).unwrap_or(false),
        _ => false,
    })
}

/// A query/JSON boolean: `True`, `true`, `1` … (case-insensitive).
pub fn parse_bool(v: &str) -> Option<bool> {
    match v.to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" => Some(true),
        "false" | "0" | "no" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sandbox::extract::parse_body;

    #[test]
    fn update_status_bodies() {
        let UpdateStatusBody(r) = parse_body(br#""ABANDONED""#).expect("bare");
        assert_eq!(r.target_status, Some(SignoffStatus::Abandoned));
        let UpdateStatusBody(r) = parse_body(
            br#"{"targetStatus": "NOT_STARTED", "usersToSendEmailTo": null, "reloadConfForReset": "True"}"#,
        )
        .expect("object");
        assert_eq!(r.target().ok(), Some(SignoffStatus::NotStarted));
        assert!(r.reload_conf_for_reset);
        let UpdateStatusBody(r) = parse_body(b"").expect("empty");
        assert_eq!(r.target().unwrap_err().detailed, "targetStatus is required");
        let e = parse_body::<UpdateStatusBody>(br#"{"targetStatus": "DONE"}"#).unwrap_err();
        assert!(
            e.detailed
                .contains("Unknown sign-off status 'DONE' (expected one of ")
        );
        let e = parse_body::<UpdateStatusBody>(br#"{"usersToSendEmailTo": [{}]}"#).unwrap_err();
        assert!(
            e.detailed.contains("missing field `userLogin`"),
            "{}",
            e.detailed
        );
    }

    #[test]
    fn review_bodies() {
        let r: FeedbackRequest =
            parse_body(br#"{"status": "MAJOR_ISSUE", "comment": null}"#).expect("feedback");
        assert_eq!(
            r.required_status("feedback").ok(),
            Some(FeedbackStatus::MajorIssue)
        );
        assert_eq!(r.comment, None);
        let r: ApprovalRequest = parse_body(br#"{"status": null}"#).expect("null status");
        assert_eq!(
            r.required_status("approval").unwrap_err().detailed,
            "The approval status is required"
        );
        let e = parse_body::<ApprovalRequest>(br#"{"status": "MINOR_ISSUE"}"#).unwrap_err();
        assert!(e.detailed.contains(
            "Invalid approval status 'MINOR_ISSUE' (expected one of APPROVED, REJECTED, ABANDONED)"
        ));
    }
}
