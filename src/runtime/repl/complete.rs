//! Tab completion: keywords, variables, global and script functions, and after a `.`
//! the methods and properties of the receiver's type.
//!
//! The receiver's type comes from the current value of a variable, then from the
//! declared return type of each call or property in the chain: completing never runs
//! anything, so it never sends a request.
use super::chain::{self, Root, Step};
use super::index::Index;
use super::lex::{self, Kind, is_ident_char};
use rhai::{Array, Dynamic, INT, ImmutableString, Map, Scope};
use std::any::TypeId;

/// A variable as completion sees it: its name, type and (for maps and JSON documents)
/// its keys with their types.
#[derive(Debug, Clone)]
pub struct Var {
    /// The name.
    pub name: String,
    /// The type of its current value.
    pub type_id: TypeId,
    /// Keys of a map or JSON document value, with each value's type.
    pub keys: Vec<(String, TypeId)>,
}

/// The session's names, refreshed after each entry.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    /// Variables in scope.
    pub vars: Vec<Var>,
    /// Functions the user defined.
    pub script_fns: Vec<String>,
}

impl Snapshot {
    /// Reads the names and value types of `scope` (no evaluation).
    pub fn of(scope: &Scope, script_fns: Vec<String>) -> Self {
        let vars = scope
            .iter_raw()
            .map(|(name, _, value)| Var {
                name: name.to_string(),
                type_id: value.type_id(),
                keys: keys_of(value),
            })
            .collect();
        Self { vars, script_fns }
    }

    fn var(&self, name: &str) -> Option<&Var> {
        self.vars.iter().rev().find(|v| v.name == name)
    }
}

fn keys_of(value: &Dynamic) -> Vec<(String, TypeId)> {
    if let Some(map) = value.read_lock::<Map>() {
        return map
            .iter()
            .map(|(k, v)| (k.to_string(), v.type_id()))
            .collect();
    }
    if let Some(doc) = value.read_lock::<crate::bindings::JsonRef>()
        && let serde_json::Value::Object(o) = doc.snapshot()
    {
        return o
            .keys()
            .map(|k| (k.clone(), TypeId::of::<Dynamic>()))
            .collect();
    }
    Vec::new()
}

/// One completion: what the list shows and what replaces the typed word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// Shown in the list.
    pub display: String,
    /// Inserted.
    pub replacement: String,
}

fn word(name: &str) -> Candidate {
    Candidate {
        display: name.to_string(),
        replacement: name.to_string(),
    }
}

/// A function: `name(` when it takes arguments, `name()` otherwise.
fn call(name: &str, takes_args: bool) -> Candidate {
    Candidate {
        display: name.to_string(),
        replacement: format!("{name}{}", if takes_args { "(" } else { "()" }),
    }
}

/// Completions for the word before `pos`: the byte offset where it starts, and the
/// candidates, sorted.
pub fn complete(index: &Index, snap: &Snapshot, line: &str, pos: usize) -> (usize, Vec<Candidate>) {
    let before = &line[..pos];
    let start = before
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_ident_char(c))
        .last()
        .map_or(pos, |(i, _)| i);
    let prefix = &before[start..];
    // Nothing to complete inside a string or a comment.
    let last = lex::tokens(before).last().copied();
    if last.is_some_and(|t| t.end == pos && matches!(t.kind, Kind::Str | Kind::Comment)) {
        return (pos, Vec::new());
    }
    let mut out = match before[..start].strip_suffix('.') {
        Some(receiver) if !receiver.ends_with('.') => members(index, snap, receiver),
        _ => globals(index, snap),
    };
    out.retain(|c| c.display.starts_with(prefix));
    out.sort_by(|a, b| a.display.cmp(&b.display));
    out.dedup_by(|a, b| a.display == b.display);
    (start, out)
}

fn globals(index: &Index, snap: &Snapshot) -> Vec<Candidate> {
    let mut out: Vec<Candidate> = lex::KEYWORDS.iter().map(|k| word(k)).collect();
    out.extend(snap.vars.iter().map(|v| word(&v.name)));
    out.extend(snap.script_fns.iter().map(|f| call(f, true)));
    out.extend(
        index
            .globals
            .iter()
            .map(|(name, docs)| call(name, docs.iter().any(|d| d.arity > 0))),
    );
    out
}

fn members(index: &Index, snap: &Snapshot, receiver: &str) -> Vec<Candidate> {
    let Some(chain) = chain::parse(receiver) else {
        return Vec::new();
    };
    let Some((ty, keys)) = type_of_chain(index, snap, &chain) else {
        return Vec::new();
    };
    let mut out: Vec<Candidate> = keys.into_iter().map(|k| word(&k)).collect();
    if let Some(methods) = index.methods.get(&ty) {
        out.extend(
            methods
                .iter()
                .map(|(name, docs)| call(name, docs.iter().any(|d| d.arity > 0))),
        );
    }
    if let Some(props) = index.props.get(&ty) {
        out.extend(props.keys().map(|p| word(p)));
    }
    out
}

/// The type of the chain's value, and the keys known for it (a map variable's keys).
fn type_of_chain(
    index: &Index,
    snap: &Snapshot,
    chain: &chain::Chain,
) -> Option<(TypeId, Vec<String>)> {
    let mut keys: Vec<(String, TypeId)> = Vec::new();
    let mut ty = match &chain.root {
        Root::Var(name) => {
            let var = snap.var(name)?;
            keys = var.keys.clone();
            var.type_id
        }
        Root::Call(name) => index.global_returns(name)?,
        Root::Str => TypeId::of::<ImmutableString>(),
        Root::Num => TypeId::of::<INT>(),
        Root::Array => TypeId::of::<Array>(),
        Root::Map => TypeId::of::<Map>(),
    };
    for step in &chain.steps {
        let known = std::mem::take(&mut keys);
        ty = match step {
            Step::Method(name) => index.method_returns(ty, name)?,
            Step::Prop(name) => match known.iter().find(|(k, _)| k == name) {
                Some((_, t)) if *t != TypeId::of::<Dynamic>() => *t,
                _ => index.prop_returns(ty, name)?,
            },
            Step::Index => return None,
        };
    }
    if ty == TypeId::of::<Dynamic>() {
        return None;
    }
    Some((ty, keys.into_iter().map(|(k, _)| k).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bindings::Bridge;
    use crate::runtime::engine::{self, EngineOptions, Limits};

    fn engine() -> rhai::Engine {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime");
        engine::build(EngineOptions {
            bridge: Bridge::new(runtime.handle().clone(), std::sync::Arc::default()),
            connection: Ok(crate::client::ClientConfig::new("http://127.0.0.1:9", "k")),
            quiet: true,
            limits: Limits::default(),
            script_dir: None,
        })
    }

    fn names(index: &Index, snap: &Snapshot, line: &str) -> Vec<String> {
        complete(index, snap, line, line.len())
            .1
            .into_iter()
            .map(|c| c.display)
            .collect()
    }

    #[test]
    fn members_follow_declared_return_types() {
        let engine = engine();
        let index = Index::build(&engine);
        let mut scope = Scope::new();
        scope.push_dynamic(
            "client",
            engine.eval::<Dynamic>("govern()").expect("client"),
        );
        scope.push(
            "m",
            engine.eval::<Map>("#{alpha: 1, beta: \"x\"}").expect("map"),
        );
        let snap = Snapshot::of(&scope, vec!["mine".into()]);

        let client = names(&index, &snap, "client.");
        assert!(client.contains(&"get_artifact".to_string()), "{client:?}");
        assert!(client.contains(&"host".to_string()), "{client:?}");
        let art = names(&index, &snap, r#"client.get_artifact("ar.1")."#);
        for m in [
            "get_definition",
            "list_signoffs",
            "get_signoff",
            "delete",
            "artifact_id",
        ] {
            assert!(art.contains(&m.to_string()), "{m}: {art:?}");
        }
        let def = names(
            &index,
            &snap,
            r#"client.get_artifact("ar.1").get_definition().s"#,
        );
        assert_eq!(def, vec!["save"]);
        assert_eq!(
            names(&index, &snap, "govern().get_ar"),
            vec!["get_artifact", "get_artifacts"]
        );
        assert_eq!(names(&index, &snap, "m.al"), vec!["alpha"]);
        assert!(names(&index, &snap, "m.beta.").contains(&"len".to_string()));
        let top = names(&index, &snap, "cl");
        assert!(top.contains(&"client".to_string()), "{top:?}");
        assert!(names(&index, &snap, "mi").contains(&"mine".to_string()));
        assert!(names(&index, &snap, "\"client.").is_empty());
        assert!(names(&index, &snap, "unknown_var.").is_empty());
        let (_, found) = complete(&index, &snap, "client.get_art", 14);
        assert_eq!(found[0].replacement, "get_artifact(");
    }
}
