//! The Python client's Govern classes and public members, as listed by
//! `tools/python_members.py` into `tests/data/python-members.json` (embedded).
use serde::Deserialize;

/// The embedded list (re-generate with `tools/python_members.py`).
const MEMBERS_JSON: &str = include_str!("../../../tests/data/python-members.json");

/// The Python client's Govern classes.
#[derive(Debug, Deserialize)]
pub struct PythonClient {
    /// The `dataiku-api-client` version listed.
    pub client_version: String,
    /// Classes, in module and source order.
    pub classes: Vec<PythonClass>,
}

/// One Python class.
#[derive(Debug, Deserialize)]
pub struct PythonClass {
    /// `GovernArtifact`.
    pub name: String,
    /// `dataikuapi.govern.artifact`.
    pub module: String,
    /// Its public members, inherited ones from Govern base classes included.
    pub members: Vec<PythonMember>,
}

/// One public member of a Python class.
#[derive(Debug, Deserialize)]
pub struct PythonMember {
    /// `get_definition`, `blueprint_id`, or `__init__` for a constructor.
    pub name: String,
    /// What it is.
    pub kind: MemberKind,
    /// The Python signature of a method or constructor (`(self, step_id)`), else empty.
    #[serde(default)]
    pub signature: String,
}

/// The kinds of member, and so where the engine implements each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MemberKind {
    /// A method: a Rhai method of the class's type.
    Method,
    /// A property: a Rhai property (getter) of the class's type.
    Property,
    /// An attribute set in `__init__`: a Rhai property too.
    Attribute,
    /// `__init__` of a class users construct: the global function named like the class.
    Constructor,
}

impl PythonClient {
    /// The embedded list. It is checked in and tested, so a parse failure is a build
    /// defect; it is still reported as an error, not a panic.
    pub fn embedded() -> Result<Self, String> {
        serde_json::from_str(MEMBERS_JSON)
            .map_err(|e| format!("the embedded python-members.json is invalid: {e}"))
    }
}
