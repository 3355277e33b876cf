//! Keys addressing Govern objects, and the path parts they fill in a [`super::Resource`].
use std::fmt;

/// A key whose parts fill a resource's path template, in order.
pub trait PathKey: Clone + PartialEq + fmt::Display + Send + Sync + 'static {
    /// The path parts, outermost first (`[blueprint id, version id]`).
    fn parts(&self) -> Vec<&str>;
}

/// A key one level below a parent key: the parent's parts and one more id.
pub trait ChildKey<P>: PathKey {
    /// The key of the child `id` of `parent`.
    fn child(parent: &P, id: String) -> Self;
}

/// The key of objects with no path parts of their own (the client, the designer,
/// the admin handlers): the host they talk to, for printing only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Root(pub String);

impl fmt::Display for Root {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl PathKey for Root {
    fn parts(&self) -> Vec<&str> {
        Vec::new()
    }
}

impl PathKey for String {
    fn parts(&self) -> Vec<&str> {
        vec![self.as_str()]
    }
}

impl ChildKey<Root> for String {
    fn child(_: &Root, id: String) -> Self {
        id
    }
}

/// A blueprint version: blueprint id and version id.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct VersionKey {
    /// Blueprint id (`bp.x`).
    pub blueprint_id: String,
    /// Version id (`bv.y`).
    pub version_id: String,
}

impl fmt::Display for VersionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}, {}", self.blueprint_id, self.version_id)
    }
}

impl PathKey for VersionKey {
    fn parts(&self) -> Vec<&str> {
        vec![&self.blueprint_id, &self.version_id]
    }
}

impl ChildKey<String> for VersionKey {
    fn child(blueprint_id: &String, version_id: String) -> Self {
        Self {
            blueprint_id: blueprint_id.clone(),
            version_id,
        }
    }
}

/// A sign-off configuration: a blueprint version and a workflow step.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ConfigKey {
    /// The blueprint version.
    pub version: VersionKey,
    /// The workflow step id.
    pub step_id: String,
}

impl fmt::Display for ConfigKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}, {}", self.version, self.step_id)
    }
}

impl PathKey for ConfigKey {
    fn parts(&self) -> Vec<&str> {
        vec![
            &self.version.blueprint_id,
            &self.version.version_id,
            &self.step_id,
        ]
    }
}

impl ChildKey<VersionKey> for ConfigKey {
    fn child(version: &VersionKey, step_id: String) -> Self {
        Self {
            version: version.clone(),
            step_id,
        }
    }
}
