//! `govscript docs --coverage`: for every class and member of the Python client, the
//! Rhai function implementing it, read from the engine's registry, or `missing`.
use super::python::{MemberKind, PythonClient};
use super::reference::{Entry, Reference};
use serde::Serialize;

/// Coverage of the whole Python client.
#[derive(Debug, Serialize)]
pub struct Coverage {
    /// The Python client version compared against.
    pub client_version: String,
    /// Members implemented, over all classes.
    pub covered: usize,
    /// Members of all classes.
    pub total: usize,
    /// Classes whose type the engine registers.
    pub delivered_classes: usize,
    /// Every class, in the Python client's order.
    pub classes: Vec<ClassCoverage>,
}

/// Coverage of one Python class.
#[derive(Debug, Serialize)]
pub struct ClassCoverage {
    /// `GovernArtifact`.
    pub name: String,
    /// `dataikuapi.govern.artifact`.
    pub module: String,
    /// Whether the engine registers a type of this name.
    pub delivered: bool,
    /// Members implemented.
    pub covered: usize,
    /// Members.
    pub total: usize,
    /// Each member.
    pub members: Vec<MemberCoverage>,
}

/// One Python member and what implements it.
#[derive(Debug, Serialize)]
pub struct MemberCoverage {
    /// `get_definition`, `blueprint_id`, `__init__`.
    pub name: String,
    /// Method, property, attribute or constructor.
    pub kind: MemberKind,
    /// The Python signature of a method or constructor (`(self, step_id)`), else empty.
    pub python: String,
    /// The Rhai function (`get_definition(self: GovernArtifact) -> GovernArtifactDefinition`),
    /// or `None`: missing.
    pub rhai: Option<String>,
}

impl Coverage {
    /// Compares `python` with what `reference` (the engine's registry) implements.
    pub fn measure(python: &PythonClient, reference: &Reference) -> Self {
        let classes: Vec<ClassCoverage> = python
            .classes
            .iter()
            .map(|class| {
                let rhai_type = reference.type_doc(&class.name);
                let members: Vec<MemberCoverage> = class
                    .members
                    .iter()
                    .map(|m| MemberCoverage {
                        name: m.name.clone(),
                        kind: m.kind,
                        python: m.signature.clone(),
                        rhai: implementation(reference, &class.name, &m.name, m.kind),
                    })
                    .collect();
                ClassCoverage {
                    name: class.name.clone(),
                    module: class.module.clone(),
                    delivered: rhai_type.is_some(),
                    covered: members.iter().filter(|m| m.rhai.is_some()).count(),
                    total: members.len(),
                    members,
                }
            })
            .collect();
        Self {
            client_version: python.client_version.clone(),
            covered: classes.iter().map(|c| c.covered).sum(),
            total: classes.iter().map(|c| c.total).sum(),
            delivered_classes: classes.iter().filter(|c| c.delivered).count(),
            classes,
        }
    }

    /// The report as markdown: one section per class, totals per class and overall.
    pub fn to_markdown(&self) -> String {
        let mut out = format!(
            "# Coverage of the Python client {}\n\n\
             Each public member of the Python Govern classes, and the Rhai function that \
             implements it or `missing`.\n",
            self.client_version
        );
        for c in &self.classes {
            let state = if c.delivered {
                ""
            } else {
                " (type not in the engine)"
            };
            out.push_str(&format!(
                "\n## {} ({}): {}/{}{state}\n\n",
                c.name, c.module, c.covered, c.total
            ));
            for m in &c.members {
                let rhai = m
                    .rhai
                    .as_ref()
                    .map_or_else(|| "missing".to_string(), |r| format!("`{r}`"));
                let python = format!("{}.{}{}", c.name, m.name, m.python);
                out.push_str(&format!("- `{python}` -> {rhai}\n"));
            }
        }
        out.push_str(&format!(
            "\nTotal: {}/{} members covered; {}/{} classes delivered.\n",
            self.covered,
            self.total,
            self.delivered_classes,
            self.classes.len()
        ));
        out
    }
}

/// The Rhai function implementing member `name` of class `class`: a method or property
/// of the type named like the class, or, for a constructor, the global function of
/// that name. A Python static method (`GovernFuture.from_resp`) is found in the static
/// module named like the class too (`GovernFuture::from_resp(client, resp)`).
fn implementation(
    reference: &Reference,
    class: &str,
    name: &str,
    kind: MemberKind,
) -> Option<String> {
    let find = |entries: &[Entry]| entries.iter().find(|e| e.name == name).cloned();
    match kind {
        MemberKind::Constructor => reference
            .globals
            .iter()
            .find(|e| e.name == class)
            .map(Entry::signature),
        MemberKind::Method => {
            let t = reference.type_doc(class)?;
            find(&t.methods)
                .map(|e| e.method_signature(class))
                .or_else(|| static_member(reference, class, name))
        }
        MemberKind::Property | MemberKind::Attribute => {
            let t = reference.type_doc(class)?;
            find(&t.properties).map(|e| format!("{}: {} (property)", e.name, e.returns))
        }
    }
}

/// The function `name` of the static module `class` (`GovernFuture::from_resp`).
fn static_member(reference: &Reference, class: &str, name: &str) -> Option<String> {
    let qualified = format!("{class}::{name}");
    reference
        .globals
        .iter()
        .find(|e| e.name == qualified)
        .map(Entry::signature)
}
