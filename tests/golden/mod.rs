//! Golden-request replay generated from `tests/data/govern-golden-requests.json`: the
//! golden calls ([`calls`]), the engine's registered signatures ([`registry`]), the
//! receiver of each call-name prefix ([`receivers`]), the statements derived from a
//! call ([`derive`]), the few written by hand ([`overrides`]) and what the recorder
//! answers a call's reads ([`answers`]).
pub mod answers;
pub mod calls;
pub mod derive;
pub mod multipart;
pub mod overrides;
pub mod receivers;
pub mod registry;
