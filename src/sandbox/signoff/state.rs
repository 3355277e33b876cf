//! The sign-off status state machine (protocol §5).
use super::status::SignoffStatus::{self, *};
use crate::sandbox::error::{ApiError, ApiResult};

/// Whether `update-status` may move a sign-off from `from` to `to`.
///
/// APPROVED and REJECTED are reachable only through an approval; NOT_STARTED (a reset)
/// only from a final status; ABANDONED from any non-final status.
pub fn allowed(from: SignoffStatus, to: SignoffStatus) -> bool {
    match (from, to) {
        (f, t) if f == t => false,
        (_, Approved | Rejected) => false,
        (NotStarted, WaitingForFeedback | WaitingForApproval | Abandoned) => true,
        (WaitingForFeedback, WaitingForApproval | Abandoned) => true,
        (WaitingForApproval, WaitingForFeedback | Abandoned) => true,
        (f, NotStarted | WaitingForFeedback | WaitingForApproval) => f.is_final(),
        _ => false,
    }
}

/// Validates an `update-status` move, with Govern's wording on refusal.
pub fn check(from: SignoffStatus, to: SignoffStatus) -> ApiResult<()> {
    if allowed(from, to) {
        return Ok(());
    }
    let hint = if matches!(to, Approved | Rejected) {
        " (APPROVED and REJECTED are set by submitting an approval)"
    } else {
        ""
    };
    Err(ApiError::validation(format!(
        "Unable to set the status to '{to}' when current status is '{from}'{hint}"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table() {
        assert!(allowed(NotStarted, WaitingForFeedback));
        assert!(allowed(NotStarted, WaitingForApproval));
        assert!(allowed(NotStarted, Abandoned));
        assert!(!allowed(NotStarted, Approved));
        assert!(!allowed(WaitingForFeedback, NotStarted));
        assert!(allowed(WaitingForFeedback, WaitingForApproval));
        assert!(!allowed(WaitingForApproval, NotStarted));
        assert!(allowed(WaitingForApproval, WaitingForFeedback));
        assert!(allowed(Approved, NotStarted));
        assert!(allowed(Rejected, WaitingForApproval));
        assert!(!allowed(Approved, Abandoned));
        assert!(!allowed(Abandoned, Abandoned));
        let e = check(WaitingForFeedback, NotStarted).unwrap_err();
        assert_eq!(
            e.detailed,
            "Unable to set the status to 'NOT_STARTED' when current status is 'WAITING_FOR_FEEDBACK'"
        );
        let e = check(WaitingForApproval, Approved).unwrap_err();
        assert!(
            e.detailed
                .ends_with("(APPROVED and REJECTED are set by submitting an approval)")
        );
    }
}
