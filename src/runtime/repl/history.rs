//! The REPL's history file: where it lives, and which lines never go into it.
//!
//! Path: `$GOVSCRIPT_HISTORY`, else `$XDG_STATE_HOME/govscript/history`, else
//! `~/.local/state/govscript/history`. The file is created private (mode 600) and
//! saved after every entry; a line containing any API key the session has seen, or
//! building a `GovernClient` (whose key may be refused before it is seen), is not kept.
use std::borrow::Cow;
use std::path::{Path, PathBuf};

/// The history file's path (`None` when there is no home directory).
pub fn path() -> Option<PathBuf> {
    let var = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty());
    if let Some(p) = var("GOVSCRIPT_HISTORY") {
        return Some(PathBuf::from(p));
    }
    let state = match var("XDG_STATE_HOME") {
        Some(dir) => PathBuf::from(dir),
        None => dirs::home_dir()?.join(".local").join("state"),
    };
    Some(state.join("govscript").join("history"))
}

/// Creates the file (and its folder) if missing, readable by its owner only.
pub fn prepare(path: &Path) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path).map(|_| ())
}

/// Decides which entries may be written to the history file.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    secrets: Vec<String>,
}

impl Filter {
    /// A filter that rejects lines containing any of `secrets` (empty ones are ignored).
    pub fn new(secrets: impl IntoIterator<Item = String>) -> Self {
        Self {
            secrets: secrets.into_iter().filter(|s| !s.is_empty()).collect(),
        }
    }

    /// Whether `entry` may be kept: not blank, no `GovernClient(...)`, and holding none
    /// of the given secrets nor any key a client of this process was configured with.
    pub fn allows(&self, entry: &str) -> bool {
        !entry.trim().is_empty()
            && !entry.contains("GovernClient(")
            && !self.secrets.iter().any(|s| entry.contains(s.as_str()))
            && matches!(crate::client::secrets::redact(entry), Cow::Borrowed(_))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_with_the_key_are_not_kept() {
        let f = Filter::new(["s3cret-key".to_string(), String::new()]);
        assert!(f.allows("client.get_artifact(\"ar.1\")"));
        assert!(!f.allows("let c = GovernClient(\"http://h\", \"s3cret-key\")"));
        assert!(!f.allows("   "));
        assert!(!f.allows("let c = GovernClient(\"\", \"refused-before-seen\")"));
    }

    #[test]
    fn a_short_key_given_to_govern_client_stays_out_of_the_history() {
        // What `GovernClient("http://h", "q8")` remembers when it runs.
        crate::client::secrets::remember("q8");
        let f = Filter::new([]);
        assert!(!f.allows("let typed = \"q8\""));
        assert!(f.allows("let aq8 = 1"));
    }
}
