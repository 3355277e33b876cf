//! The statuses of sign-offs, feedbacks and approvals (protocol §4).
//!
//! Each is a serde enum read from its Govern name; an unknown name is refused with a message
//! listing the valid ones (the message becomes the 400 answered by the request extractor).
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

macro_rules! status_enum {
    ($(#[$doc:meta])* $name:ident, $unknown:literal, { $($(#[$vdoc:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "&'static str")]
        pub enum $name {
            $($(#[$vdoc])* $variant),+
        }

        impl $name {
            /// Every value, in Govern's order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The Govern name.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text),+
                }
            }
        }

        impl FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                Self::ALL.iter().copied().find(|v| v.as_str() == s).ok_or_else(|| {
                    let valid: Vec<&str> = Self::ALL.iter().map(|v| v.as_str()).collect();
                    format!(concat!($unknown, " '{}' (expected one of {})"), s, valid.join(", "))
                })
            }
        }

        impl TryFrom<String> for $name {
            type Error = String;
            fn try_from(s: String) -> Result<Self, String> {
                s.parse()
            }
        }

        impl From<$name> for &'static str {
            fn from(v: $name) -> Self {
                v.as_str()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

status_enum!(
    /// The status of a runtime sign-off (`targetStatus` of `update-status`).
    SignoffStatus, "Unknown sign-off status", {
        /// Not started (also the result of a reset).
        NotStarted = "NOT_STARTED",
        /// Feedback requested.
        WaitingForFeedback = "WAITING_FOR_FEEDBACK",
        /// Final approval requested.
        WaitingForApproval = "WAITING_FOR_APPROVAL",
        /// Approved (through an approval only).
        Approved = "APPROVED",
        /// Rejected (through an approval only).
        Rejected = "REJECTED",
        /// Abandoned.
        Abandoned = "ABANDONED",
    }
);

status_enum!(
    /// The status of a feedback.
    FeedbackStatus, "Invalid feedback status", {
        /// No issue.
        Approved = "APPROVED",
        /// A minor issue.
        MinorIssue = "MINOR_ISSUE",
        /// A major issue.
        MajorIssue = "MAJOR_ISSUE",
    }
);

status_enum!(
    /// The status of the final approval; the sign-off takes the same status.
    ApprovalStatus, "Invalid approval status", {
        /// Approved.
        Approved = "APPROVED",
        /// Rejected.
        Rejected = "REJECTED",
        /// Abandoned.
        Abandoned = "ABANDONED",
    }
);

impl SignoffStatus {
    /// Whether the status ends a sign-off.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Approved | Self::Rejected | Self::Abandoned)
    }
}

impl From<ApprovalStatus> for SignoffStatus {
    fn from(s: ApprovalStatus) -> Self {
        match s {
            ApprovalStatus::Approved => Self::Approved,
            ApprovalStatus::Rejected => Self::Rejected,
            ApprovalStatus::Abandoned => Self::Abandoned,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_govern_names() {
        for s in SignoffStatus::ALL {
            let json = serde_json::to_value(s).expect("serialize");
            assert_eq!(json, s.as_str());
            assert_eq!(
                serde_json::from_value::<SignoffStatus>(json).expect("deserialize"),
                *s
            );
        }
        assert_eq!("MINOR_ISSUE".parse(), Ok(FeedbackStatus::MinorIssue));
    }

    #[test]
    fn unknown_values_list_the_valid_ones() {
        let e = serde_json::from_value::<ApprovalStatus>(serde_json::json!("OK")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "Invalid approval status 'OK' (expected one of APPROVED, REJECTED, ABANDONED)"
        );
        let e = "approved".parse::<FeedbackStatus>().unwrap_err();
        assert_eq!(
            e,
            "Invalid feedback status 'approved' (expected one of APPROVED, MINOR_ISSUE, MAJOR_ISSUE)"
        );
        let e = "BOGUS".parse::<SignoffStatus>().unwrap_err();
        assert!(e.starts_with("Unknown sign-off status 'BOGUS' (expected one of NOT_STARTED, "));
    }
}
