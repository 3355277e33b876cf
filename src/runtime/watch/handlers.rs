//! Which script a dropped file runs: `--on GLOB=SCRIPT` flags, then the `[[on]]`
//! entries of `DIR/.govscript-watch.toml`, then `*.rhai` files run as scripts
//! themselves. The first matching rule wins; globs match the file name.
//!
//! ```toml
//! # DIR/.govscript-watch.toml
//! concurrency = 4          # optional, as --concurrency
//! script_timeout = 120     # optional, as --script-timeout
//! max_operations = 0       # optional, as --max-operations
//! max_file_mb = 8          # optional, as --max-file-mb
//!
//! [[on]]
//! glob = "*.csv"
//! script = "handlers/update_fields.rhai"   # relative to DIR
//! ```
use globset::{Glob, GlobMatcher};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The config file's name inside the watched folder.
pub const CONFIG: &str = ".govscript-watch.toml";

/// Where a watcher saves its rules for `watch --status` (which has no `--on` flags).
pub const SAVED: &str = ".govscript-watch-rules.json";

/// The rules of the last watcher started on a folder, as `--status` reads them.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Saved {
    /// Globs of the `--on` and `[[on]]` rules, in order.
    pub globs: Vec<String>,
    /// Their handler scripts (never taken as drops).
    pub scripts: Vec<PathBuf>,
    /// Whether dropped `*.rhai` files run.
    pub run_scripts: bool,
}

impl Saved {
    /// The rules saved in `dir`, if a watcher ever started there.
    pub fn load(dir: &Path) -> Option<Self> {
        let text = std::fs::read_to_string(dir.join(SAVED)).ok()?;
        serde_json::from_str(&text).ok()
    }

    /// Whether a watcher with these rules would run the file `path` named `name`.
    pub fn matches(&self, name: &str, path: &Path) -> bool {
        if self.scripts.iter().any(|s| s == path) {
            return false;
        }
        let by_glob = self
            .globs
            .iter()
            .filter_map(|g| Glob::new(g).ok())
            .any(|g| g.compile_matcher().is_match(name));
        by_glob || (self.run_scripts && name.ends_with(".rhai"))
    }
}

/// What a dropped file runs.
#[derive(Debug, Clone, PartialEq)]
pub enum Handler {
    /// The dropped file is itself a script.
    Itself,
    /// A handler script, given the file as `FILE`.
    Script(PathBuf),
}

impl Handler {
    /// How logs and the journal name it.
    pub fn label(&self) -> String {
        match self {
            Handler::Itself => "(script)".into(),
            Handler::Script(p) => p.display().to_string(),
        }
    }
}

struct Rule {
    matcher: GlobMatcher,
    script: PathBuf,
}

/// The mapping from file names to handlers.
pub struct Handlers {
    rules: Vec<Rule>,
    run_dropped_scripts: bool,
}

/// Settings read from the config file (flags win over them).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// Scripts run at once.
    pub concurrency: Option<usize>,
    /// Seconds a script may run.
    pub script_timeout: Option<u64>,
    /// Operation limit per script.
    pub max_operations: Option<u64>,
    /// Largest file read into `FILE`, in MB.
    pub max_file_mb: Option<u64>,
    /// Handler rules.
    #[serde(default)]
    pub on: Vec<OnRule>,
}

/// One `[[on]]` entry.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OnRule {
    /// Glob on the file name, e.g. `*.csv`.
    pub glob: String,
    /// Handler script, relative to the watched folder.
    pub script: PathBuf,
}

/// Reads `DIR/.govscript-watch.toml` if present.
pub fn read_config(dir: &Path) -> Result<ConfigFile, String> {
    let path = dir.join(CONFIG);
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            toml::from_str(&text).map_err(|e| format!("{}: {}", path.display(), e.message()))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(ConfigFile::default()),
        Err(e) => Err(format!("cannot read {}: {e}", path.display())),
    }
}

fn rule(glob: &str, script: PathBuf, origin: &str) -> Result<Rule, String> {
    let matcher = Glob::new(glob)
        .map_err(|e| format!("{origin}: bad glob '{glob}': {e}"))?
        .compile_matcher();
    let script = script
        .canonicalize()
        .ok()
        .filter(|p| p.is_file())
        .ok_or_else(|| format!("{origin}: handler script {} not found", script.display()))?;
    Ok(Rule { matcher, script })
}

impl Handlers {
    /// Builds the mapping from `--on GLOB=SCRIPT` flags (scripts relative to the current
    /// folder) and the config file's rules (relative to `dir`).
    pub fn new(
        flags: &[String],
        config: &[OnRule],
        dir: &Path,
        run_dropped_scripts: bool,
    ) -> Result<Self, String> {
        let mut rules = Vec::new();
        for flag in flags {
            let (glob, script) = flag.split_once('=').ok_or_else(|| {
                format!("--on {flag}: expected GLOB=SCRIPT, e.g. --on '*.csv=update.rhai'")
            })?;
            rules.push(rule(glob, PathBuf::from(script), &format!("--on {flag}"))?);
        }
        let origin = dir.join(CONFIG).display().to_string();
        for r in config {
            rules.push(rule(&r.glob, dir.join(&r.script), &origin)?);
        }
        Ok(Self {
            rules,
            run_dropped_scripts,
        })
    }

    /// The handler for a dropped file's name, if any.
    pub fn resolve(&self, name: &str) -> Option<Handler> {
        if let Some(r) = self.rules.iter().find(|r| r.matcher.is_match(name)) {
            return Some(Handler::Script(r.script.clone()));
        }
        (self.run_dropped_scripts && name.ends_with(".rhai")).then_some(Handler::Itself)
    }

    /// Whether `path` is one of the handler scripts (never taken as a drop).
    pub fn is_handler(&self, path: &Path) -> bool {
        self.rules.iter().any(|r| r.script == path)
    }

    /// Saves the rules in `dir` for `watch --status` (atomically).
    pub fn save(&self, dir: &Path) -> std::io::Result<()> {
        let saved = Saved {
            globs: self
                .rules
                .iter()
                .map(|r| r.matcher.glob().to_string())
                .collect(),
            scripts: self.rules.iter().map(|r| r.script.clone()).collect(),
            run_scripts: self.run_dropped_scripts,
        };
        let tmp = dir.join(format!("{SAVED}.tmp"));
        std::fs::write(
            &tmp,
            serde_json::to_vec(&saved).map_err(std::io::Error::other)?,
        )?;
        std::fs::rename(&tmp, dir.join(SAVED))
    }

    /// One line per rule, for the start banner.
    pub fn describe(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .rules
            .iter()
            .map(|r| format!("{} -> {}", r.matcher.glob(), r.script.display()))
            .collect();
        if self.run_dropped_scripts {
            out.push("*.rhai -> run as a script".into());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_then_config_then_dropped_scripts() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().canonicalize().unwrap();
        let h1 = dir.join("h1.rhai");
        let h2 = dir.join("h2.rhai");
        std::fs::write(&h1, "").unwrap();
        std::fs::write(&h2, "").unwrap();
        let config = [OnRule {
            glob: "*.json".into(),
            script: "h2.rhai".into(),
        }];
        let flag = format!("orders-*.csv={}", h1.display());
        let h = Handlers::new(&[flag], &config, &dir, true).unwrap();
        assert_eq!(h.resolve("orders-1.csv"), Some(Handler::Script(h1.clone())));
        assert_eq!(h.resolve("x.json"), Some(Handler::Script(h2)));
        assert_eq!(h.resolve("go.rhai"), Some(Handler::Itself));
        assert_eq!(h.resolve("notes.txt"), None);
        assert!(h.is_handler(&h1));

        let off = Handlers::new(&[], &[], &dir, false).unwrap();
        assert_eq!(off.resolve("go.rhai"), None);
        assert!(Handlers::new(&["*.csv".into()], &[], &dir, true).is_err());
        assert!(Handlers::new(&["*.csv=missing.rhai".into()], &[], &dir, true).is_err());
    }

    #[test]
    fn config_file_is_optional_and_strict() {
        let dir = tempfile::tempdir().unwrap();
        assert!(read_config(dir.path()).unwrap().on.is_empty());
        std::fs::write(
            dir.path().join(CONFIG),
            "concurrency = 2\n[[on]]\nglob = \"*.csv\"\nscript = \"h.rhai\"\n",
        )
        .unwrap();
        let c = read_config(dir.path()).unwrap();
        assert_eq!((c.concurrency, c.on.len()), (Some(2), 1));
        std::fs::write(dir.path().join(CONFIG), "concurency = 2\n").unwrap();
        assert!(read_config(dir.path()).unwrap_err().contains(CONFIG));
    }
}
