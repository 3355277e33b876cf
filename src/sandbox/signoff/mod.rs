//! Sign-off semantics: the status state machine, membership, and the operations.
pub mod membership;
pub mod ops;
pub mod reviews;
pub mod state;
