//! The sign-off status state machine (protocol §5).
use crate::sandbox::error::{ApiError, ApiResult};

/// Every sign-off status.
pub const STATUSES: [&str; 6] = [
    "NOT_STARTED",
    "WAITING_FOR_FEEDBACK",
    "WAITING_FOR_APPROVAL",
    "APPROVED",
    "REJECTED",
    "ABANDONED",
];

/// Statuses that end a sign-off.
pub fn is_final(s: &str) -> bool {
    matches!(s, "APPROVED" | "REJECTED" | "ABANDONED")
}

/// Whether `update-status` may move a sign-off from `from` to `to`.
///
/// APPROVED and REJECTED are reachable only through an approval; NOT_STARTED (a reset)
/// only from a final status; ABANDONED from any non-final status.
pub fn allowed(from: &str, to: &str) -> bool {
    match (from, to) {
        (f, t) if f == t => false,
        (_, "APPROVED" | "REJECTED") => false,
        ("NOT_STARTED", "WAITING_FOR_FEEDBACK" | "WAITING_FOR_APPROVAL" | "ABANDONED") => true,
        ("WAITING_FOR_FEEDBACK", "WAITING_FOR_APPROVAL" | "ABANDONED") => true,
        ("WAITING_FOR_APPROVAL", "WAITING_FOR_FEEDBACK" | "ABANDONED") => true,
        (f, "NOT_STARTED" | "WAITING_FOR_FEEDBACK" | "WAITING_FOR_APPROVAL") if is_final(f) => true,
        _ => false,
    }
}

/// Validates an `update-status` move, with Govern's wording on refusal.
pub fn check(from: &str, to: &str) -> ApiResult<()> {
    if !STATUSES.contains(&to) {
        return Err(ApiError::validation(format!(
            "Unknown sign-off status '{to}' (expected one of {})",
            STATUSES.join(", ")
        )));
    }
    if allowed(from, to) {
        return Ok(());
    }
    let hint = if matches!(to, "APPROVED" | "REJECTED") {
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
        assert!(allowed("NOT_STARTED", "WAITING_FOR_FEEDBACK"));
        assert!(allowed("NOT_STARTED", "WAITING_FOR_APPROVAL"));
        assert!(allowed("NOT_STARTED", "ABANDONED"));
        assert!(!allowed("NOT_STARTED", "APPROVED"));
        assert!(!allowed("WAITING_FOR_FEEDBACK", "NOT_STARTED"));
        assert!(allowed("WAITING_FOR_FEEDBACK", "WAITING_FOR_APPROVAL"));
        assert!(!allowed("WAITING_FOR_APPROVAL", "NOT_STARTED"));
        assert!(allowed("WAITING_FOR_APPROVAL", "WAITING_FOR_FEEDBACK"));
        assert!(allowed("APPROVED", "NOT_STARTED"));
        assert!(allowed("REJECTED", "WAITING_FOR_APPROVAL"));
        assert!(!allowed("APPROVED", "ABANDONED"));
        let e = check("WAITING_FOR_FEEDBACK", "NOT_STARTED").unwrap_err();
        assert_eq!(
            e.detailed,
            "Unable to set the status to 'NOT_STARTED' when current status is 'WAITING_FOR_FEEDBACK'"
        );
    }
}
