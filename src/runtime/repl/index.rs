//! The engine's own function registry, indexed for completion and help: global
//! functions, the methods and properties of each type, and type names. Nothing here
//! is a hand-kept list: whatever is registered (with its doc comments) shows up.
use rhai::{Array, Dynamic, Engine, FLOAT, INT, ImmutableString, Map};
use std::any::TypeId;
use std::collections::{BTreeMap, HashMap};

/// One registered function, as help and completion show it.
#[derive(Debug, Clone)]
pub struct FnDoc {
    /// The script name (`get_artifact`; a property's name without `get$`).
    pub name: String,
    /// `get_artifact(artifact_id: String) -> GovernArtifact`.
    pub signature: String,
    /// Parameters after the receiver (for methods) or all of them.
    pub arity: usize,
    /// The return type's name (`GovernArtifact`, `Dynamic`, ...).
    pub returns: String,
    /// Doc comment lines, without the `///`.
    pub docs: Vec<String>,
    /// Parameters as registered (`name: Type`), the receiver first for methods.
    pub params: Vec<String>,
}

/// Functions by name, each with its overloads.
pub type Overloads = BTreeMap<String, Vec<FnDoc>>;

/// What completion and help know about the engine.
#[derive(Debug, Default)]
pub struct Index {
    /// Functions called without a receiver.
    pub globals: Overloads,
    /// Methods by receiver type.
    pub methods: HashMap<TypeId, Overloads>,
    /// Properties (getters) by receiver type.
    pub props: HashMap<TypeId, Overloads>,
    names: HashMap<TypeId, String>,
    ids: HashMap<String, TypeId>,
}

/// Types of the language itself: their functions are globals, not Govern methods.
fn builtin_types() -> [(TypeId, &'static str); 8] {
    [
        (TypeId::of::<()>(), "()"),
        (TypeId::of::<bool>(), "bool"),
        (TypeId::of::<ImmutableString>(), "String"),
        (TypeId::of::<char>(), "char"),
        (TypeId::of::<INT>(), "int"),
        (TypeId::of::<FLOAT>(), "float"),
        (TypeId::of::<Array>(), "Array"),
        (TypeId::of::<Map>(), "Map"),
    ]
}

/// Other spellings of the built-in type names found in signatures.
const ALIASES: &[(&str, &str)] = &[
    ("string", "String"),
    ("&str", "String"),
    ("str", "String"),
    ("ImmutableString", "String"),
    ("i64", "int"),
    ("INT", "int"),
    ("f64", "float"),
    ("FLOAT", "float"),
    ("array", "Array"),
    ("map", "Map"),
];

/// Whether `name` is a plain identifier (not an operator, getter or indexer).
fn is_callable_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_alphanumeric() || c == '_')
}

/// The type part of a `name: Type` parameter, without `&mut`.
fn param_type(info: &str) -> Option<&str> {
    let (_, ty) = info.split_once(':')?;
    let ty = ty.trim().trim_start_matches("&mut ").trim();
    (!ty.is_empty() && ty != "?" && ty != "_").then_some(ty)
}

/// A return type as scripts see it: `Result<T, Box<EvalAltResult>>` is `T`.
fn return_type(raw: &str) -> String {
    let raw = raw.trim();
    if raw.is_empty() {
        return "()".into();
    }
    if raw == "RhaiResult" {
        return "Dynamic".into();
    }
    match raw.strip_prefix("Result<").and_then(|r| r.split_once(',')) {
        Some((ok, _)) => ok.trim().to_string(),
        None => raw.to_string(),
    }
}

impl Index {
    /// Reads every function of `engine`, standard packages included.
    pub fn build(engine: &Engine) -> Self {
        Self::collect(engine, true)
    }

    /// Reads the functions govscript registers, without Rhai's standard packages.
    pub fn build_own(engine: &Engine) -> Self {
        Self::collect(engine, false)
    }

    fn collect(engine: &Engine, include_standard_packages: bool) -> Self {
        let mut index = Self::default();
        for (id, name) in builtin_types() {
            index.names.insert(id, name.to_string());
            index.ids.insert(name.to_string(), id);
        }
        for (alias, name) in ALIASES {
            if let Some(&id) = index.ids.get(*name) {
                index.ids.insert((*alias).to_string(), id);
            }
        }
        let entries = engine.collect_fn_metadata(
            None,
            |info| {
                let m = info.metadata;
                let typed: Vec<(TypeId, String)> = m
                    .params_info
                    .iter()
                    .zip(m.param_types.iter())
                    .filter_map(|(p, id)| {
                        param_type(p).map(|t| (*id, engine.map_type_name(t).to_string()))
                    })
                    .collect();
                // A static module's function (`GovernFuture::from_resp`) is named with
                // its module, and is a global: its first parameter is no receiver.
                let name = if info.namespace.is_empty() {
                    m.name.to_string()
                } else {
                    format!("{}::{}", info.namespace, m.name)
                };
                let doc = FnDoc {
                    name,
                    signature: m.gen_signature(|t| engine.map_type_name(t).into()),
                    arity: m.num_params,
                    returns: return_type(&m.return_type),
                    docs: m
                        .comments
                        .iter()
                        .flat_map(|c| c.lines().map(str::to_string).collect::<Vec<_>>())
                        .map(|l| {
                            let l = l.trim_start();
                            let l = l.strip_prefix("///").unwrap_or(l);
                            l.strip_prefix(' ').unwrap_or(l).to_string()
                        })
                        .collect(),
                    params: m.params_info.iter().map(|p| p.to_string()).collect(),
                };
                let is_self = m.params_info.first().is_some_and(|p| {
                    let p = p.trim();
                    p == "self" || p.starts_with("self:")
                });
                Some((doc, m.param_types.first().copied(), is_self, typed))
            },
            include_standard_packages,
        );
        let builtins: Vec<TypeId> = builtin_types().iter().map(|(id, _)| *id).collect();
        for (_, _, _, typed) in &entries {
            for (id, name) in typed {
                index.names.entry(*id).or_insert_with(|| name.clone());
                index.ids.entry(name.clone()).or_insert(*id);
            }
        }
        for (mut doc, receiver, is_self, _) in entries {
            if let Some(prop) = doc.name.strip_prefix("get$") {
                if let Some(id) = receiver {
                    doc.name = prop.to_string();
                    index
                        .props
                        .entry(id)
                        .or_default()
                        .entry(doc.name.clone())
                        .or_default()
                        .push(doc);
                }
                continue;
            }
            if doc.name.contains("::") {
                index.globals.entry(doc.name.clone()).or_default().push(doc);
                continue;
            }
            if !is_callable_name(&doc.name) {
                continue;
            }
            let custom_receiver = receiver
                .filter(|id| *id != TypeId::of::<Dynamic>() && (is_self || !builtins.contains(id)));
            if let Some(id) = receiver.filter(|id| *id != TypeId::of::<Dynamic>()) {
                let mut method = doc.clone();
                method.arity = method.arity.saturating_sub(1);
                index
                    .methods
                    .entry(id)
                    .or_default()
                    .entry(method.name.clone())
                    .or_default()
                    .push(method);
            }
            if custom_receiver.is_none() {
                index.globals.entry(doc.name.clone()).or_default().push(doc);
            }
        }
        index
    }

    /// The script name of a type (`GovernArtifact`, `String`, ...).
    pub fn type_name(&self, id: TypeId) -> Option<&str> {
        self.names.get(&id).map(String::as_str)
    }

    /// The type called `name` (a return type or a name typed after `.help`).
    pub fn type_id(&self, name: &str) -> Option<TypeId> {
        let name = name.trim().trim_start_matches("&mut ").trim();
        self.ids.get(name).copied()
    }

    /// Types that have methods or properties and are not built into the language.
    pub fn custom_types(&self) -> Vec<&str> {
        let builtins: Vec<TypeId> = builtin_types().iter().map(|(id, _)| *id).collect();
        let mut out: Vec<&str> = self
            .names
            .iter()
            .filter(|(id, _)| !builtins.contains(id))
            .filter(|(id, _)| self.methods.contains_key(*id) || self.props.contains_key(*id))
            // Named types only: not `Fn`, integer widths, ranges or Rust paths.
            .filter(|(_, n)| {
                n.starts_with(|c: char| c.is_ascii_uppercase())
                    && n.len() > 2
                    && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            })
            .map(|(_, n)| n.as_str())
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// What calling `name` on a value of type `receiver` returns (`None`: unknown or
    /// `Dynamic`, so the chain cannot be followed without running it).
    pub fn method_returns(&self, receiver: TypeId, name: &str) -> Option<TypeId> {
        let doc = self.methods.get(&receiver)?.get(name)?.first()?;
        self.type_id(&doc.returns)
    }

    /// What reading property `name` of a `receiver` gives.
    pub fn prop_returns(&self, receiver: TypeId, name: &str) -> Option<TypeId> {
        let doc = self.props.get(&receiver)?.get(name)?.first()?;
        self.type_id(&doc.returns)
    }

    /// What the global function `name` returns.
    pub fn global_returns(&self, name: &str) -> Option<TypeId> {
        let doc = self.globals.get(name)?.first()?;
        self.type_id(&doc.returns)
    }
}
