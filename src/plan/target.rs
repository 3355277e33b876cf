//! Which object a mutating request changes, and how a `GET` of that object answers.
//!
//! The object of a `PUT` or `DELETE` is its path; a creation's is the item path the new
//! object will have (a declared resource's creation: see [`super::resource`]); a
//! sign-off call's (`.../signoff/update-status`, `/feedback`, `/approval`) is the
//! sign-off. Everything else (a `PUT` or `DELETE` of a path that is no declared
//! document included) is a call on its own path, with no document the plan can read or
//! predict.
use super::file::Effect;
use crate::protocol::resources;
use serde_json::{Map, Value};

/// What a mutating request does, as the plan understands it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// What it does.
    pub effect: Effect,
    /// The object's path (for a creation: `None` until a planned id is given).
    pub object: Option<String>,
    /// Whether the object can be read with a `GET` of [`Target::object`].
    pub readable: bool,
}

/// The sign-off path (`/artifact/{ar}/workflow/step/{step}/signoff`) of a sign-off
/// call's path, and the rest after it.
pub fn signoff_of(path: &str) -> Option<(&str, &str)> {
    let at = path.find("/signoff")?;
    let (signoff, rest) = path.split_at(at + "/signoff".len());
    let parts: Vec<&str> = signoff.split('/').collect();
    let is_signoff = parts.len() == 7
        && parts[1] == "artifact"
        && parts[3] == "workflow"
        && parts[4] == "step"
        && parts[6] == "signoff";
    (is_signoff && (rest.is_empty() || rest.starts_with('/'))).then_some((signoff, rest))
}

/// Whether `path` is an artifact's item path (`/artifact/{id}`).
pub fn is_artifact(path: &str) -> bool {
    artifact_id(path).is_some()
}

/// The id in an artifact item path.
pub fn artifact_id(path: &str) -> Option<&str> {
    path.strip_prefix("/artifact/")
        .filter(|id| !id.is_empty() && !id.contains('/'))
}

/// Whether `path` matches the declared template `template` (`{}`: one segment).
fn matches(template: &str, path: &str) -> bool {
    parts(template, path).is_some()
}

/// The segments of `path` standing for `template`'s `{}`s (still escaped), if it
/// matches the template.
pub fn parts<'p>(template: &str, path: &'p str) -> Option<Vec<&'p str>> {
    let (t, p): (Vec<&str>, Vec<&str>) = (template.split('/').collect(), path.split('/').collect());
    let mut out = Vec::new();
    if t.len() != p.len() {
        return None;
    }
    for (t, p) in t.iter().zip(&p) {
        match *t {
            "{}" if !p.is_empty() => out.push(*p),
            _ if t == p => {}
            _ => return None,
        }
    }
    Some(out)
}

/// The key of a `GET` answer of `path` that holds the document, if it is wrapped.
pub fn wrap_of(path: &str) -> Option<&'static str> {
    if is_artifact(path) {
        return Some("artifact");
    }
    resources::ALL
        .iter()
        .find(|r| matches(r.item, path))
        .and_then(|r| r.wrap)
}

/// Whether `path` is a declared document (an artifact, a sign-off or a resource item),
/// which a `GET` of the same path reads.
fn readable(path: &str) -> bool {
    is_artifact(path)
        || signoff_of(path).is_some_and(|(_, rest)| rest.is_empty())
        || resources::ALL.iter().any(|r| matches(r.item, path))
}

/// What the mutating request `method path` does.
pub fn classify(method: &str, path: &str) -> Target {
    let own = |effect| Target {
        effect,
        object: Some(path.to_string()),
        readable: readable(path),
    };
    match method {
        "PUT" if signoff_of(path).is_some_and(|(_, rest)| !rest.is_empty()) => signoff_action(path),
        // A call on a path that is no declared document (settings, an order, a
        // status): recorded as a call on its path.
        "PUT" | "DELETE" if !readable(path) => own(Effect::Action),
        "PUT" => own(Effect::Update),
        "DELETE" if signoff_of(path).is_some_and(|(_, rest)| !rest.is_empty()) => {
            signoff_action(path)
        }
        "DELETE" => own(Effect::Delete),
        "POST" if path == "/artifacts" => Target {
            effect: Effect::Create,
            object: None,
            readable: true,
        },
        "POST" if path.ends_with("/signoff/create") => {
            let signoff = path.trim_end_matches("/create");
            Target {
                effect: Effect::Create,
                object: Some(signoff.to_string()),
                readable: true,
            }
        }
        "POST" if signoff_of(path).is_some() => signoff_action(path),
        "POST" if super::resource::creation_of(path).is_some() => Target {
            effect: Effect::Create,
            object: None,
            readable: true,
        },
        _ => Target {
            effect: Effect::Action,
            object: Some(path.to_string()),
            readable: false,
        },
    }
}

/// A call on a sign-off: its object is the sign-off.
fn signoff_action(path: &str) -> Target {
    let signoff = signoff_of(path).map_or(path, |(s, _)| s);
    Target {
        effect: Effect::Action,
        object: Some(signoff.to_string()),
        readable: true,
    }
}

/// `document` as a `GET` of `path` answers it (under its wrapping key, if any).
pub fn wrapped(path: &str, document: Value) -> Value {
    match wrap_of(path) {
        Some(key) => {
            let mut map = Map::new();
            map.insert(key.to_string(), document);
            Value::Object(map)
        }
        None => document,
    }
}

/// The document in a `GET` answer of `path` (the part under its wrapping key).
pub fn unwrapped(path: &str, answer: Value) -> Value {
    match (wrap_of(path), answer) {
        (Some(key), Value::Object(mut map)) => map.remove(key).unwrap_or(Value::Null),
        (_, answer) => answer,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_classified_by_their_object() {
        let signoff = "/artifact/ar.1/workflow/step/review/signoff";
        let update = classify("PUT", "/artifact/ar.1");
        assert_eq!(
            (update.effect, update.object.as_deref()),
            (Effect::Update, Some("/artifact/ar.1"))
        );
        assert_eq!(classify("POST", "/artifacts").effect, Effect::Create);
        let status = classify("POST", &format!("{signoff}/update-status"));
        assert_eq!(
            (status.effect, status.object.as_deref()),
            (Effect::Action, Some(signoff))
        );
        let approval = classify("PUT", &format!("{signoff}/approval"));
        assert_eq!(approval.object.as_deref(), Some(signoff));
        let created = classify("POST", &format!("{signoff}/create"));
        assert_eq!(
            (created.effect, created.object.as_deref()),
            (Effect::Create, Some(signoff))
        );
        assert_eq!(classify("DELETE", "/artifact/ar.1").effect, Effect::Delete);
        assert!(!classify("POST", "/admin/users/actions/bulk").readable);
        let settings = classify("PUT", "/admin/general-settings");
        assert_eq!(
            (settings.effect, settings.readable),
            (Effect::Action, false)
        );
    }

    #[test]
    fn documents_are_wrapped_as_their_get_answers_them() {
        assert_eq!(wrap_of("/artifact/ar.1"), Some("artifact"));
        assert_eq!(wrap_of("/admin/blueprint/bp.x"), Some("blueprint"));
        assert_eq!(wrap_of("/admin/role/ro.x"), None);
        let doc = serde_json::json!({"id": "ar.1"});
        let answer = wrapped("/artifact/ar.1", doc.clone());
        assert_eq!(answer["artifact"], doc);
        assert_eq!(unwrapped("/artifact/ar.1", answer), doc);
    }
}
