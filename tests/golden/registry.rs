//! The methods and constructors the engine registers, read from the real binary's
//! `govscript definitions --json` (Rhai's function metadata): names, parameter names
//! and types in Python order, return types. Nothing here is typed by hand.
use crate::common::bin;
use serde_json::Value;
use std::collections::HashMap;
use std::process::Command;

/// One parameter: its Python name and script type.
#[derive(Debug, Clone)]
pub struct Param {
    /// The Python parameter name (`new_identifier`).
    pub name: String,
    /// The script type (`String`, `bool`, `Map`, `GovernUserUsersContainer`, ...).
    pub ty: String,
}

/// A method or constructor, all its registered arities folded into one.
#[derive(Debug, Clone, Default)]
pub struct Signature {
    /// Every parameter (required first, then keyword), receiver excluded.
    pub params: Vec<Param>,
    /// How many of `params` are required (the smallest registered arity).
    pub required: usize,
    /// The script type of the result (`""` when it returns nothing).
    pub returns: String,
}

/// The registered methods (by receiver type and name) and constructors (by name).
pub struct Registry {
    methods: HashMap<(String, String), Signature>,
    constructors: HashMap<String, Signature>,
}

impl Registry {
    /// Reads the metadata of the binary under test.
    pub fn load() -> Self {
        let out = Command::new(bin())
            .args(["definitions", "--json"])
            .output()
            .expect("run govscript definitions --json");
        assert!(
            out.status.success(),
            "govscript definitions --json failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        Self::from_metadata(&serde_json::from_slice(&out.stdout).expect("metadata JSON"))
    }

    /// Reads metadata in the shape of Rhai's (`{"functions": [{name, params, returnType}]}`).
    pub fn from_metadata(metadata: &Value) -> Self {
        let mut registry = Self {
            methods: HashMap::new(),
            constructors: HashMap::new(),
        };
        let functions = metadata["functions"].as_array().expect("functions");
        for f in functions {
            let name = f["name"].as_str().unwrap_or_default().to_string();
            let params: Vec<Param> = f["params"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|p| Param {
                    name: p["name"].as_str().unwrap_or_default().to_string(),
                    ty: p["type"].as_str().unwrap_or_default().to_string(),
                })
                .collect();
            let returns = f["returnType"].as_str().unwrap_or_default();
            match params.split_first() {
                Some((receiver, rest)) if receiver.name == "self" => {
                    let key = (receiver.ty.clone(), name);
                    fold(
                        registry.methods.entry(key).or_insert_with(unseen),
                        rest,
                        returns,
                    );
                }
                _ if name.starts_with("Govern") => {
                    let sig = registry.constructors.entry(name).or_insert_with(unseen);
                    fold(sig, &params, returns);
                }
                _ => {}
            }
        }
        registry
    }

    /// The method `name` of the script type `receiver`, if registered.
    pub fn method(&self, receiver: &str, name: &str) -> Option<&Signature> {
        self.methods.get(&(receiver.to_string(), name.to_string()))
    }

    /// The constructor of the script type `name` (`GovernUserUsersContainer(..)`).
    pub fn constructor(&self, name: &str) -> Option<&Signature> {
        self.constructors.get(name)
    }
}

/// A signature before any arity is folded in.
fn unseen() -> Signature {
    Signature {
        required: usize::MAX,
        ..Signature::default()
    }
}

/// Folds one registered arity into a signature: the longest parameter list, the
/// smallest arity as the required count.
fn fold(sig: &mut Signature, params: &[Param], returns: &str) {
    sig.required = sig.required.min(params.len());
    if params.len() > sig.params.len() {
        sig.params = params.to_vec();
    }
    sig.returns = returns.to_string();
}
