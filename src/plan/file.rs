//! The plan file: what `run --plan` wrote and `apply` reads.
//!
//! One JSON document: a format name and version, where and from what the plan was
//! made (host, script and its SHA-256, time), the changes in issue order, and a
//! checksum: the SHA-256 of the canonical text of everything else. A file whose
//! checksum does not match (edited by hand or damaged) or whose version this
//! govscript does not know is refused whole. The checksum shows edits; it is no
//! signature (anyone can recompute it): review the plan you apply.
//!
//! A plan holds no secret: secret-named fields of documents are masked (a change whose
//! body held one is marked and cannot be applied from the file) and API keys are
//! redacted from paths.
use crate::audit::record::{canonical, sha256_hex};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::path::Path;

/// The value of `format` in every plan file.
pub const FORMAT: &str = "govscript-plan";
/// The version of the layout this govscript writes and reads.
pub const VERSION: u64 = 1;

/// What a change does to its object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Effect {
    /// Creates an object (the server gives its id; a planned id stands for it).
    Create,
    /// Replaces an object's document (`PUT`).
    Update,
    /// Deletes an object.
    Delete,
    /// Another call that acts on an object (a sign-off transition, a feedback).
    Action,
}

/// One change the script would make: one mutating operation.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Change {
    /// Python call, `Class.method`.
    pub call: String,
    /// HTTP method.
    pub method: String,
    /// Path below `/dip/publicapi` (planned ids where the object is planned).
    pub path: String,
    /// Query parameters, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub query: Vec<(String, String)>,
    /// The ids the call acts on.
    pub targets: Vec<String>,
    /// What it does.
    pub effect: Effect,
    /// The path of the object whose state it changes (read for drift and checks).
    pub object: String,
    /// The object as the change found it (`null`: none, e.g. a creation).
    pub pre_image: Value,
    /// The request body (`null`: none).
    pub body: Value,
    /// RFC 6902 patch from the pre-image to the planned state.
    pub patch: Value,
    /// The object's planned state after the change (`null`: deleted or unknown).
    pub planned: Value,
    /// For a creation: the id standing for the server's (`ar.planned.1`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub planned_id: Option<String>,
    /// For an artifact's creation: the ids of the artifacts of its blueprint version with
    /// its name when the plan was made; `apply` refuses it when another has appeared
    /// since (the plan applied twice, or someone created it meanwhile).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub same_named: Option<Vec<String>>,
    /// A secret field of the body was masked: the file cannot apply it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub masked: bool,
}

/// A whole plan.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Plan {
    /// Always [`FORMAT`].
    pub format: String,
    /// The layout version ([`VERSION`]).
    pub version: u64,
    /// The Govern base URL the plan was made against.
    pub host: String,
    /// The script, as given.
    pub script: String,
    /// SHA-256 (hex) of the script's text.
    pub script_sha256: String,
    /// When the plan was made (RFC 3339, UTC).
    pub created: String,
    /// The changes, in issue order.
    pub changes: Vec<Change>,
    /// What the plan could not decide (a search condition it cannot evaluate on planned
    /// documents), for the reviewer.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// SHA-256 of the canonical text of the plan without this field.
    #[serde(default)]
    pub checksum: String,
}

impl Plan {
    /// Whether the plan changes anything.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// The checksum of the plan's content.
    fn compute_checksum(&self) -> String {
        let mut value = serde_json::to_value(self).unwrap_or(Value::Null);
        if let Some(map) = value.as_object_mut() {
            map.remove("checksum");
        }
        sha256_hex(canonical(&value).as_bytes())
    }

    /// Sets the checksum (before writing).
    pub fn seal(&mut self) {
        self.checksum = self.compute_checksum();
    }

    /// The plan as pretty JSON text, sealed.
    pub fn to_json(&self) -> String {
        let mut sealed = self.clone();
        sealed.seal();
        serde_json::to_string_pretty(&sealed).unwrap_or_default()
    }

    /// Writes the plan to `path` atomically (a temporary file renamed over it).
    pub fn write(&self, path: &Path) -> std::io::Result<()> {
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let mut temp = tempfile::NamedTempFile::new_in(dir)?;
        std::io::Write::write_all(&mut temp, self.to_json().as_bytes())?;
        std::io::Write::write_all(&mut temp, b"\n")?;
        temp.persist(path).map_err(|e| e.error)?;
        Ok(())
    }

    /// Reads and checks a plan file: its format, version and checksum.
    pub fn read(path: &Path) -> Result<Self, String> {
        let shown = path.display();
        let text =
            std::fs::read_to_string(path).map_err(|e| format!("cannot read {shown}: {e}"))?;
        Self::parse(&text).map_err(|e| format!("{shown}: {e}"))
    }

    /// Parses and checks a plan's text (see [`Plan::read`]).
    pub fn parse(text: &str) -> Result<Self, String> {
        let value: Value =
            serde_json::from_str(text).map_err(|e| format!("not a plan file (not JSON: {e})"))?;
        if value.get("format").and_then(Value::as_str) != Some(FORMAT) {
            return Err(format!("not a plan file (no \"format\": \"{FORMAT}\")"));
        }
        match value.get("version").and_then(Value::as_u64) {
            Some(VERSION) => {}
            Some(other) => {
                return Err(format!(
                    "plan format version {other} is not supported (this govscript reads version {VERSION}): make the plan again with this govscript"
                ));
            }
            None => return Err("the plan has no format version".into()),
        }
        let plan: Plan =
            serde_json::from_value(value).map_err(|e| format!("malformed plan: {e}"))?;
        if plan.checksum != plan.compute_checksum() {
            return Err(
                "the plan's checksum does not match its content: it was edited or damaged since it was made; refusing to apply it (make the plan again)".into(),
            );
        }
        Ok(plan)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn plan() -> Plan {
        Plan {
            format: FORMAT.into(),
            version: VERSION,
            host: "http://h".into(),
            script: "s.rhai".into(),
            script_sha256: "00".into(),
            created: "2026-01-01T00:00:00Z".into(),
            changes: vec![Change {
                call: "GovernArtifactDefinition.save".into(),
                method: "PUT".into(),
                path: "/artifact/ar.1".into(),
                query: Vec::new(),
                targets: vec!["ar.1".into()],
                effect: Effect::Update,
                object: "/artifact/ar.1".into(),
                pre_image: json!({"a": 1}),
                body: json!({"a": 2}),
                patch: json!([{"op": "replace", "path": "/a", "value": 2}]),
                planned: json!({"a": 2}),
                planned_id: None,
                same_named: None,
                masked: false,
            }],
            notes: Vec::new(),
            checksum: String::new(),
        }
    }

    #[test]
    fn a_written_plan_reads_back_the_same() {
        let text = plan().to_json();
        let mut read = Plan::parse(&text).expect("parses");
        read.checksum.clear();
        assert_eq!(read, plan());
    }

    #[test]
    fn an_edited_plan_is_refused() {
        let text = plan().to_json().replace("\"a\": 2", "\"a\": 3");
        let error = Plan::parse(&text).expect_err("refused");
        assert!(error.contains("checksum does not match"), "{error}");
    }

    #[test]
    fn an_unknown_version_is_refused_naming_it() {
        let text = plan().to_json().replace("\"version\": 1", "\"version\": 7");
        let error = Plan::parse(&text).expect_err("refused");
        assert!(error.contains("version 7 is not supported"), "{error}");
    }
}
