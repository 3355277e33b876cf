//! Sign-off semantics: statuses and their state machine, membership, request bodies and
//! the operations.
pub mod membership;
pub mod ops;
pub mod requests;
pub mod reviews;
pub mod state;
pub mod status;
