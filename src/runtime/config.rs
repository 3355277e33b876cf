//! Where the connection comes from: flags, then environment, then a profile.
//!
//! Profiles live in a TOML file (`$GOVSCRIPT_CONFIG`, else
//! `~/.config/govscript/config.toml`):
//!
//! ```toml
//! [profiles.prod]
//! host = "https://govern.example.com"
//! api_key_env = "PROD_GOVERN_KEY"   # or: api_key = "..." (keep the file private)
//! insecure = false
//! ```
use crate::client::{ClientConfig, secrets};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

/// Connection settings given on the command line (clap fills `host`, `api_key` and
/// `profile` from `GOVERN_HOST`, `GOVERN_API_KEY` and `GOVERN_PROFILE` when no flag is given).
#[derive(Debug, Clone)]
pub struct ConnectionFlags {
    /// `--host`.
    pub host: Option<String>,
    /// `--api-key` (never printed).
    pub api_key: Option<String>,
    /// `--profile`.
    pub profile: Option<String>,
    /// `--insecure`.
    pub insecure: bool,
    /// `--timeout` in seconds.
    pub timeout: Option<u64>,
    /// `--retries`: attempts per request (0 is taken as 1).
    pub retries: u32,
    /// `--max-response-mb`.
    pub max_response_mb: u64,
    /// Not `--no-conflict-check`.
    pub check_conflicts: bool,
}

impl ConnectionFlags {
    /// Applies the flags that tune a client (not where it connects) to `config`.
    pub fn tune(&self, config: &mut ClientConfig) {
        config.retry.max_attempts = self.retries.max(1);
        config.max_response_bytes =
            usize::try_from(self.max_response_mb << 20).unwrap_or(usize::MAX);
        config.check_conflicts = self.check_conflicts;
    }
}

#[derive(Debug, Deserialize, Default)]
struct ConfigFile {
    #[serde(default)]
    profiles: BTreeMap<String, Profile>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Profile {
    host: Option<String>,
    api_key: Option<String>,
    api_key_env: Option<String>,
    #[serde(default)]
    insecure: bool,
    timeout: Option<u64>,
}

/// The profile file's path.
pub fn config_path() -> PathBuf {
    match std::env::var_os("GOVSCRIPT_CONFIG") {
        Some(p) => PathBuf::from(p),
        None => dirs::config_dir()
            .unwrap_or_else(|| PathBuf::from("."))
            .join("govscript")
            .join("config.toml"),
    }
}

const HOW_TO: &str = "set it with --host/--api-key, the GOVERN_HOST/GOVERN_API_KEY environment variables, \
a --profile from the config file, or use --sandbox";

fn load_profile(name: &str) -> Result<Profile, String> {
    let path = config_path();
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("profile '{name}': cannot read {}: {e}", path.display()))?;
    let mut file: ConfigFile =
        toml::from_str(&text).map_err(|e| format!("{}: {}", path.display(), e.message()))?;
    let profile = file
        .profiles
        .remove(name)
        .ok_or_else(|| format!("profile '{name}' is not defined in {}", path.display()))?;
    // A key in the host's user-info (`https://KEY@host`) is a key like `api_key`.
    let key_in_host = profile
        .host
        .as_deref()
        .is_some_and(|h| secrets::split_userinfo(h).1.is_some());
    if profile.api_key.is_some() || key_in_host {
        check_private(&path)?;
    }
    Ok(profile)
}

/// A file holding a key must be readable by its owner only, as ssh requires of keys.
#[cfg(unix)]
fn check_private(path: &std::path::Path) -> Result<(), String> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?
        .permissions()
        .mode();
    if mode & 0o077 != 0 {
        return Err(format!(
            "{} holds an API key but is readable by others (mode {:o}); run: chmod 600 {}",
            path.display(),
            mode & 0o777,
            path.display()
        ));
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_private(_: &std::path::Path) -> Result<(), String> {
    Ok(())
}

/// A setting given as a non-empty string.
fn given(v: &Option<String>) -> Option<String> {
    v.clone().filter(|v| !v.is_empty())
}

/// The profile `flags` name, with its name (an empty profile when none is named).
fn selected_profile(flags: &ConnectionFlags) -> Result<(Option<String>, Profile), String> {
    match given(&flags.profile) {
        Some(name) => load_profile(&name).map(|p| (Some(name), p)),
        None => Ok((None, Profile::default())),
    }
}

/// The host from the flag (or `GOVERN_HOST`), else the profile, checked: its user-info
/// taken out (the key found there returned with it). `Ok(None)` when none is set.
fn host_of(
    flags: &ConnectionFlags,
    profile: &Profile,
) -> Result<Option<(String, Option<String>)>, String> {
    match given(&flags.host).or_else(|| given(&profile.host)) {
        Some(host) => secrets::parse_host(&host).map(Some),
        None => Ok(None),
    }
}

/// Fails when a host is configured (flag, `GOVERN_HOST` or profile) but is no usable
/// URL, so that modes refuse it at start instead of failing at the first request.
/// Other problems (nothing configured, a missing key) only stop scripts that call
/// `govern()`, and are reported then by [`resolve`].
pub fn check_host(flags: &ConnectionFlags) -> Result<(), String> {
    // A profile that cannot be read is reported by `resolve`; the flag is checked anyway.
    let profile = selected_profile(flags).map(|(_, p)| p).unwrap_or_default();
    host_of(flags, &profile).map(|_| ())
}

/// Resolves the connection, first match wins: flags or their environment variables,
/// then the profile. The error explains how to provide what is missing.
pub fn resolve(flags: &ConnectionFlags) -> Result<ClientConfig, String> {
    let (profile_name, profile) = selected_profile(flags)?;
    let Some((host, embedded)) = host_of(flags, &profile)? else {
        return Err(format!("no Govern host: {HOW_TO}"));
    };
    // A key written into the host URL (`https://KEY@host`) counts as given.
    let api_key = match (
        given(&flags.api_key),
        &profile.api_key,
        &profile.api_key_env,
    ) {
        (Some(k), _, _) => k,
        (None, Some(k), _) => k.clone(),
        (None, None, Some(var)) => {
            let set = std::env::var(var).ok().filter(|v| !v.is_empty());
            set.or(embedded).ok_or_else(|| {
                format!(
                    "no API key: profile '{}' takes it from the environment variable {var}, \
                     which is not set",
                    profile_name.unwrap_or_default()
                )
            })?
        }
        (None, None, None) => embedded.ok_or_else(|| format!("no API key: {HOW_TO}"))?,
    };
    let mut config = ClientConfig::new(host, api_key);
    flags.tune(&mut config);
    config.insecure = flags.insecure || profile.insecure;
    match flags.timeout.or(profile.timeout) {
        Some(0) => return Err("timeout must be at least 1 second".into()),
        Some(t) => config.timeout = Duration::from_secs(t),
        None => {}
    }
    Ok(config)
}
