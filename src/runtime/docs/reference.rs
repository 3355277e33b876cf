//! The Rhai API reference: every function and type govscript registers (Rhai's standard
//! library aside), grouped by receiver type, with signatures and doc comments.
use super::stdlib::{self, ModuleDoc};
use crate::runtime::repl::index::{FnDoc, Index, Overloads};
use crate::runtime::type_names::canonical;
use rhai::Engine;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// The whole reference.
#[derive(Debug, Serialize)]
pub struct Reference {
    /// Functions called without a receiver: `govern()`, `GovernClient(..)`, builders.
    pub globals: Vec<Entry>,
    /// Registered types, by name.
    pub types: Vec<TypeDoc>,
    /// The embedded stdlib modules (`import "govern/signoffs" as signoffs;`).
    pub modules: Vec<ModuleDoc>,
}

/// One registered type (the Python class name for Govern types).
#[derive(Debug, Serialize)]
pub struct TypeDoc {
    /// `GovernArtifact`.
    pub name: String,
    /// Whether the engine registers it by name (false for the language's own types,
    /// such as `Map`, that govscript adds methods to).
    pub registered: bool,
    /// Its doc comment lines.
    pub docs: Vec<String>,
    /// Properties (`x.artifact_id`).
    pub properties: Vec<Entry>,
    /// Methods (`x.get_definition()`), receiver left out of `params`.
    pub methods: Vec<Entry>,
}

/// One function (its overloads that differ only by trailing keyword arguments merged).
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    /// The script name.
    pub name: String,
    /// Required parameters (`name: Type`), the receiver left out.
    pub params: Vec<String>,
    /// Keyword arguments, in order: given positionally or as one trailing map.
    pub keywords: Vec<String>,
    /// What it returns (`?`: any type).
    pub returns: String,
    /// Doc comment lines.
    pub docs: Vec<String>,
}

impl Entry {
    /// `name(a: String; kw: bool) -> T`, keyword arguments after the `;`.
    pub fn signature(&self) -> String {
        let mut out = format!("{}({}", self.name, self.params.join(", "));
        if !self.keywords.is_empty() {
            out.push_str("; ");
            out.push_str(&self.keywords.join(", "));
        }
        out.push_str(&format!(") -> {}", self.returns));
        out
    }

    /// As [`Entry::signature`], with the receiver written first (`self: GovernArtifact`).
    pub fn method_signature(&self, receiver: &str) -> String {
        let mut with_self = self.clone();
        with_self.params.insert(0, format!("self: {receiver}"));
        with_self.signature()
    }
}

impl Reference {
    /// Reads the reference from `engine`'s registry.
    pub fn build(engine: &Engine) -> Self {
        let index = Index::build_own(engine);
        let registered = registered_types(engine);
        let in_globals = |d: &FnDoc| {
            index
                .globals
                .get(&d.name)
                .is_some_and(|o| o.iter().any(|g| g.signature == d.signature))
        };
        let mut globals = index.globals.clone();
        let mut types: BTreeMap<String, TypeDoc> = BTreeMap::new();
        let type_doc = |name: &str| TypeDoc {
            name: name.to_string(),
            registered: registered.contains_key(name),
            docs: registered.get(name).cloned().unwrap_or_default(),
            properties: Vec::new(),
            methods: Vec::new(),
        };
        for (id, overloads) in &index.methods {
            let Some(name) = index.type_name(*id) else {
                continue;
            };
            let mut methods = Overloads::new();
            for d in overloads.values().flatten().filter(|d| !in_globals(d)) {
                // On a type of the language (`Fn`, `Map`), only `self` functions are
                // methods; the others take it as their first argument.
                let is_self = d
                    .params
                    .first()
                    .is_some_and(|p| p.trim().starts_with("self"));
                let into = if is_self || registered.contains_key(name) {
                    &mut methods
                } else {
                    &mut globals
                };
                into.entry(d.name.clone()).or_default().push(d.clone());
            }
            if !methods.is_empty() {
                let t = types
                    .entry(name.to_string())
                    .or_insert_with(|| type_doc(name));
                t.methods = entries(&methods, true);
            }
        }
        for (id, overloads) in &index.props {
            if let Some(name) = index.type_name(*id) {
                let t = types
                    .entry(name.to_string())
                    .or_insert_with(|| type_doc(name));
                t.properties = entries(overloads, true);
            }
        }
        // Registered types without any function are listed too.
        for name in registered.keys() {
            types.entry(name.clone()).or_insert_with(|| type_doc(name));
        }
        Self {
            globals: entries(&globals, false),
            types: types.into_values().collect(),
            modules: stdlib::modules(),
        }
    }

    /// The type called `name`, if the engine registers it (or govscript adds methods to
    /// it, for the language's own types).
    pub fn type_doc(&self, name: &str) -> Option<&TypeDoc> {
        self.types.iter().find(|t| t.name == name)
    }

    /// What has no doc comment: `type T`, `T.method`, `T.property`, `function`.
    pub fn undocumented(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .globals
            .iter()
            .filter(|e| is_blank(&e.docs))
            .map(|e| e.signature())
            .collect();
        for t in &self.types {
            if t.registered && is_blank(&t.docs) {
                out.push(format!("type {}", t.name));
            }
            for e in t.properties.iter().chain(&t.methods) {
                if is_blank(&e.docs) {
                    out.push(format!("{}.{}", t.name, e.name));
                }
            }
        }
        for m in &self.modules {
            if let Some(e) = &m.error {
                out.push(format!("module {} does not parse: {e}", m.path));
            }
            if is_blank(&m.docs) {
                out.push(format!("module {}", m.path));
            }
            for f in m.functions.iter().filter(|f| is_blank(&f.docs)) {
                out.push(format!("{} (in {})", f.signature(), m.path));
            }
        }
        out
    }

    /// The reference as markdown.
    pub fn to_markdown(&self) -> String {
        let mut out = String::from(
            "# govscript API reference\n\n\
             Generated by `govscript docs` from the functions the engine registers \
             (Rhai's standard library aside: see <https://rhai.rs/book/>). Govern types \
             carry the Python client's class names; keyword arguments follow the `;` and \
             are given in order or as one trailing map (`#{name: value}`).\n\n## Global functions\n",
        );
        for e in &self.globals {
            push_entry(&mut out, "###", &e.signature(), e);
        }
        out.push_str("\n## Types\n");
        for t in &self.types {
            out.push_str(&format!("\n### {}\n\n", t.name));
            push_docs(&mut out, &t.docs);
            if !t.properties.is_empty() {
                out.push_str("\n**Properties**\n\n");
                for p in &t.properties {
                    let doc = p.docs.join(" ");
                    out.push_str(&format!("- `{}: {}`: {}\n", p.name, p.returns, doc.trim()));
                }
            }
            for e in &t.methods {
                push_entry(
                    &mut out,
                    "####",
                    &format!("{}.{}", t.name, e.signature()),
                    e,
                );
            }
        }
        out.push_str("\n## Standard library modules\n");
        for m in &self.modules {
            out.push_str(&format!(
                "\n### {}\n\n`import \"{}\" as {};`\n\n",
                m.path, m.path, m.alias
            ));
            push_docs(&mut out, &m.docs);
            for f in &m.functions {
                push_entry(&mut out, "####", &f.signature(), f);
            }
        }
        out
    }
}

fn is_blank(docs: &[String]) -> bool {
    docs.iter().all(|l| l.trim().is_empty())
}

fn push_docs(out: &mut String, docs: &[String]) {
    for line in docs {
        out.push_str(line);
        out.push('\n');
    }
}

/// One function: a heading with its signature, then its doc.
fn push_entry(out: &mut String, level: &str, signature: &str, e: &Entry) {
    out.push_str(&format!("\n{level} `{signature}`\n\n"));
    push_docs(out, &e.docs);
}

/// `name: Type` with the type in its one spelling; `_` for what rhai does not name.
fn tidy_param(param: &str) -> String {
    match param.split_once(':') {
        Some((name, ty)) => format!("{}: {}", name.trim(), tidy_type(ty)),
        None => format!("_: {}", tidy_type(param)),
    }
}

/// A type as scripts see it: one spelling, `?` for any, no Rust paths.
fn tidy_type(ty: &str) -> String {
    let ty = ty.trim();
    if ty.contains("EvalAltResult") {
        return "?".into();
    }
    // A Rust path (`alloc::string::String`) where rhai had no script name.
    let ty = if ty.contains('<') {
        ty
    } else {
        ty.rsplit("::").next().unwrap_or(ty)
    };
    match canonical(ty) {
        "" | "_" | "Dynamic" | "RhaiResult" => "?".into(),
        t => t.to_string(),
    }
}

/// Entries from overloads kept by `keep`, merging those with the same doc whose
/// parameters extend a shorter one's (the keyword arguments of one declaration).
fn entries(overloads: &Overloads, method: bool) -> Vec<Entry> {
    let mut out = Vec::new();
    for docs in overloads.values() {
        let mut kept: Vec<&FnDoc> = docs.iter().collect();
        kept.sort_by(|a, b| (a.params.len(), &a.signature).cmp(&(b.params.len(), &b.signature)));
        let mut merged: Vec<Entry> = Vec::new();
        for d in kept {
            let mut params: Vec<String> = d.params.iter().map(|p| tidy_param(p)).collect();
            if method && !params.is_empty() {
                params.remove(0);
            }
            let extends = merged.iter_mut().find(|e| {
                let all: Vec<&String> = e.params.iter().chain(&e.keywords).collect();
                e.docs == d.docs
                    && params.len() > all.len()
                    && all.iter().zip(&params).all(|(a, b)| *a == b)
            });
            match extends {
                Some(e) => {
                    let known = e.params.len() + e.keywords.len();
                    e.keywords.extend(params[known..].iter().cloned());
                }
                None => merged.push(Entry {
                    name: d.name.clone(),
                    params,
                    keywords: Vec::new(),
                    returns: tidy_type(&d.returns),
                    docs: d.docs.clone(),
                }),
            }
        }
        // The same function registered twice (one per receiver shape) is listed once.
        let mut seen = BTreeSet::new();
        out.extend(merged.into_iter().filter(|e| seen.insert(e.signature())));
    }
    out
}

/// Types the engine registers with a name, and their doc comments (from its metadata).
fn registered_types(engine: &Engine) -> BTreeMap<String, Vec<String>> {
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Metadata {
        #[serde(default)]
        custom_types: Vec<CustomType>,
    }
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct CustomType {
        display_name: String,
        #[serde(default)]
        doc_comments: Vec<String>,
    }
    let metadata: Metadata = engine
        .gen_fn_metadata_to_json(false)
        .ok()
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or(Metadata {
            custom_types: Vec::new(),
        });
    let mut out = BTreeMap::new();
    for t in metadata.custom_types {
        let docs: Vec<String> = t
            .doc_comments
            .iter()
            .flat_map(|c| c.lines())
            .map(|l| {
                let l = l.trim_start();
                let l = l.strip_prefix("///").unwrap_or(l);
                l.strip_prefix(' ').unwrap_or(l).to_string()
            })
            .collect();
        let entry: &mut Vec<String> = out.entry(t.display_name).or_default();
        if entry.is_empty() {
            *entry = docs;
        }
    }
    out
}
