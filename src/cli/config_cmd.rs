//! `govscript config`: the effective connection settings and where each came from
//! (a flag, an environment variable, the profile file or the default). The API key is
//! never shown, only its length; nor is a key written into the host's user-info.
use super::run_cmd::ConnectionArgs;
use crate::client::ClientConfig;
use crate::client::secrets::split_userinfo;
use crate::runtime::config::{self, config_path};
use crate::runtime::run::{EXIT_OK, EXIT_USAGE};
use clap::parser::ValueSource;
use clap::{ArgMatches, Args, CommandFactory};

/// Arguments of `govscript config`.
#[derive(Debug, Args)]
pub struct ConfigArgs {
    #[command(flatten)]
    pub connection: ConnectionArgs,
}

/// A setting's value and where it came from.
struct Setting {
    value: Option<String>,
    from: String,
}

/// Where clap took argument `id` from: the flag, its variable, or neither.
fn given_by(matches: Option<&ArgMatches>, id: &str, env: &str) -> Option<String> {
    match matches?.value_source(id)? {
        ValueSource::CommandLine => Some(format!("--{}", id.replace('_', "-"))),
        ValueSource::EnvVariable => Some(format!("${env}")),
        _ => None,
    }
}

/// The profile's table in the config file, if the file and the profile exist.
fn profile_table(name: &str) -> Result<toml::Table, String> {
    let path = config_path();
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let file: toml::Table =
        toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    file.get("profiles")
        .and_then(|p| p.get(name))
        .and_then(|p| p.as_table())
        .cloned()
        .ok_or_else(|| format!("profile '{name}' is not defined in {}", path.display()))
}

/// Shows the effective configuration; exits 2 when the connection cannot be resolved.
pub fn execute(args: ConfigArgs) -> i32 {
    let parsed = super::Cli::command()
        .try_get_matches_from(std::env::args_os())
        .ok();
    let matches = parsed.as_ref().and_then(|m| m.subcommand_matches("config"));
    let flags = args.connection.flags();
    let path = config_path();
    let exists = path.exists();
    println!(
        "config file: {} ({})",
        path.display(),
        if exists { "found" } else { "not found" }
    );

    let profile_name = flags.profile.clone().filter(|p| !p.is_empty());
    let profile = profile_name.as_deref().map(profile_table);
    let profile_from = |key: &str| -> Option<(String, String)> {
        let table = profile.as_ref()?.as_ref().ok()?;
        let name = profile_name.as_deref()?;
        let text = match table.get(key)? {
            toml::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        Some((text, format!("profile '{name}'")))
    };
    let pick = |flag: &Option<String>, id: &str, env: &str, key: &str| -> Setting {
        match (flag.clone().filter(|v| !v.is_empty()), profile_from(key)) {
            (Some(v), _) => Setting {
                value: Some(v),
                from: given_by(matches, id, env).unwrap_or_else(|| "command line".into()),
            },
            (None, Some((v, from))) => Setting {
                value: Some(v),
                from,
            },
            (None, None) => Setting {
                value: None,
                from: "not set".into(),
            },
        }
    };

    match (&profile_name, &profile) {
        (Some(name), Some(Ok(_))) => println!(
            "profile:     {name}  (from {})",
            given_by(matches, "profile", "GOVERN_PROFILE").unwrap_or_else(|| "command line".into())
        ),
        (Some(name), Some(Err(e))) => println!("profile:     {name}  (error: {e})"),
        _ => println!("profile:     none"),
    }
    let host = pick(&flags.host, "host", "GOVERN_HOST", "host");
    // A key in the host's user-info is a key, never part of the host shown.
    let (shown_host, key_in_host) = match host.value.as_deref().map(split_userinfo) {
        Some((h, k)) => (h, k),
        None => ("-".to_string(), None),
    };
    println!("host:        {shown_host}  (from {})", host.from);
    let mut key = pick(&flags.api_key, "api_key", "GOVERN_API_KEY", "api_key");
    if key.value.is_none()
        && let Some((var, from)) = profile_from("api_key_env")
    {
        key = Setting {
            value: std::env::var(&var).ok().filter(|v| !v.is_empty()),
            from: format!("{from}, via ${var}"),
        };
    }
    if key.value.is_none()
        && let Some(k) = key_in_host
    {
        key = Setting {
            value: Some(k),
            from: format!("the user-info of the host, {}", host.from),
        };
    }
    println!(
        "api key:     {}  (from {})",
        key.value.as_ref().map_or("-".to_string(), |k| format!(
            "<redacted, {} characters>",
            k.chars().count()
        )),
        key.from
    );
    let insecure = if flags.insecure {
        "true  (from --insecure)".to_string()
    } else {
        match profile_from("insecure") {
            Some((v, from)) => format!("{v}  (from {from})"),
            None => "false  (default)".into(),
        }
    };
    println!("insecure:    {insecure}");
    let timeout = match (flags.timeout, profile_from("timeout")) {
        (Some(t), _) => format!("{t} s  (from --timeout)"),
        (None, Some((t, from))) => format!("{t} s  (from {from})"),
        (None, None) => format!(
            "{} s  (default)",
            ClientConfig::new("", "").timeout.as_secs()
        ),
    };
    println!("timeout:     {timeout}");

    match config::resolve(&flags) {
        Ok(_) => EXIT_OK,
        Err(e) => {
            eprintln!("error: {e}");
            EXIT_USAGE
        }
    }
}
