use super::{govern_modules, listing};
use std::collections::BTreeMap;

/// How many functions each name has in `signatures`.
fn counts(signatures: &[String]) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for signature in signatures {
        let name = signature.split('(').next().unwrap_or_default();
        *counts.entry(name.to_string()).or_default() += 1;
    }
    counts
}

/// What error hints of a bare run rely on: each bare function is listed as
/// `name(_, ..)` (declared methods at least), and the documented modules hold the
/// same functions, but for the conversions to text, which the bare ones dispatch
/// through one function each (`bindings::implicit`).
#[test]
fn the_bare_modules_hold_the_documented_functions_without_their_docs() {
    let bare = listing(govern_modules(false));
    let documented = listing(govern_modules(true));
    assert!(bare.len() > 100, "{}", bare.len());
    let definitions = |signatures: &[String]| -> Vec<String> {
        signatures
            .iter()
            .filter(|s| s.starts_with("get_definition("))
            .cloned()
            .collect()
    };
    assert!(!definitions(&bare).is_empty());
    assert!(definitions(&bare).iter().all(|s| !s.contains(':')));
    assert!(
        definitions(&documented)
            .iter()
            .any(|s| s.contains("self: GovernArtifact"))
    );
    let (mut bare, mut documented) = (counts(&bare), counts(&documented));
    for name in ["to_string", "to_debug"] {
        assert_eq!(bare.remove(name), Some(1), "{name}");
        assert!(documented.remove(name).unwrap_or_default() > 10, "{name}");
    }
    assert_eq!(bare, documented);
}
