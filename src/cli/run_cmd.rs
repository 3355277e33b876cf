//! `govscript run` arguments.
use crate::runtime::config::ConnectionFlags;
use crate::runtime::engine::Limits;
use crate::runtime::run::EXIT_USAGE;
use crate::runtime::{RunOptions, run};
use clap::Args;
use std::ffi::OsString;
use std::path::PathBuf;

/// Arguments of `govscript run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The script to run (`-`: read it from standard input), then the script's
    /// arguments, which it sees as `ARGS`: everything after the script path goes to
    /// the script, as with `python script.py a b` (a `--` right after the path is
    /// dropped). govscript's own options go before the path.
    // One positional, so that the first value starts clap's trailing mode: an option
    // of `run` right after the path is then the script's too.
    #[arg(
        value_name = "SCRIPT|-",
        value_names = ["SCRIPT|-", "ARGS"],
        required = true,
        num_args = 1..,
        trailing_var_arg = true,
        allow_hyphen_values = true
    )]
    pub script_and_args: Vec<OsString>,
    #[command(flatten)]
    pub output: super::OutputArgs,
    #[command(flatten)]
    pub connection: ConnectionArgs,
    /// Start a sandbox with demo data in this process and run against it
    /// (the connection flags and variables are then ignored).
    #[arg(long)]
    pub sandbox: bool,
    /// Stop the script after this many seconds of wall-clock time (default: no limit;
    /// `--timeout` is the per-request HTTP timeout).
    #[arg(long, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..))]
    pub script_timeout: Option<u64>,
    /// Stop the script after this many operations (0: no limit).
    #[arg(long, default_value_t = 0)]
    pub max_operations: u64,
    #[command(flatten)]
    pub audit: super::audit_cmd::AuditFlags,
    /// At the end of a run that changed something, also write the audit log's chain
    /// head into Govern's audit trail (`log_custom_audit`, admin key), for `audit
    /// verify --against-govern`; exit 3 when that fails after a successful script.
    #[arg(long)]
    pub audit_to_govern: bool,
    #[command(flatten)]
    pub plan: super::plan_cmd::PlanArgs,
}

/// How to reach Govern; flags win over `GOVERN_HOST` / `GOVERN_API_KEY`, which win over a profile.
#[derive(Debug, Args)]
pub struct ConnectionArgs {
    /// Govern base URL, e.g. https://govern.example.com:11200.
    // Its value stays out of --help: it may hold a key (`https://KEY@host`).
    #[arg(long, env = "GOVERN_HOST", hide_env_values = true)]
    pub host: Option<String>,
    /// API key. Prefer the environment: flags show in `ps`.
    #[arg(long, env = "GOVERN_API_KEY", hide_env_values = true)]
    pub api_key: Option<String>,
    /// Profile from the config file ($GOVSCRIPT_CONFIG or ~/.config/govscript/config.toml).
    #[arg(long, env = "GOVERN_PROFILE")]
    pub profile: Option<String>,
    /// Do not verify TLS certificates (self-signed test instances only).
    #[arg(long)]
    pub insecure: bool,
    /// Seconds allowed for each HTTP request, at least 1 [default: the profile's
    /// `timeout`, else 120].
    #[arg(long, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..))]
    pub timeout: Option<u64>,
    /// Attempts per request, the first included: failed requests that are safe to
    /// repeat are retried with backoff (1: no retries).
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=20))]
    pub retries: u32,
    /// Let `save()` overwrite changes made by others since the document was read
    /// (by default it merges its changes onto a fresh read, and refuses with a
    /// conflict error where both changed the same field).
    #[arg(long)]
    pub no_conflict_check: bool,
    /// Largest answer accepted from Govern, in MiB.
    #[arg(long, default_value_t = 64, value_parser = clap::value_parser!(u64).range(1..=4096))]
    pub max_response_mb: u64,
}

impl ConnectionArgs {
    /// The flags as the runtime takes them.
    pub fn flags(&self) -> ConnectionFlags {
        ConnectionFlags {
            host: self.host.clone(),
            api_key: self.api_key.clone(),
            profile: self.profile.clone(),
            insecure: self.insecure,
            timeout: self.timeout,
            retries: self.retries,
            max_response_mb: self.max_response_mb,
            check_conflicts: !self.no_conflict_check,
        }
    }
}

/// The script path and its arguments.
struct Invocation {
    script: PathBuf,
    args: Vec<String>,
    /// Whether a `--` followed the path.
    separated: bool,
}

impl RunArgs {
    /// Usage errors clap cannot see: `-q` with `-v`, and an unknown option before the
    /// script path, which clap takes as the path (it accepts `-` and the script's own
    /// options after it).
    pub(super) fn check(&self) -> Result<(), clap::Error> {
        self.output.check("run")?;
        self.plan
            .check()
            .map_err(|m| super::usage_error("run", clap::error::ErrorKind::ArgumentConflict, &m))?;
        match self.script_and_args.first().and_then(|s| s.to_str()) {
            Some(first) if first.starts_with('-') && first != "-" => Err(super::usage_error(
                "run",
                clap::error::ErrorKind::UnknownArgument,
                &format!(
                    "unexpected argument '{first}' found (not an option of `run`; a script \
                     whose name starts with '-' is run as `./{first}`)"
                ),
            )),
            _ => Ok(()),
        }
    }

    /// Splits `SCRIPT|- [--] ARGS...`; an argument that is not UTF-8 is a usage error.
    fn invocation(&self) -> Result<Invocation, String> {
        let mut values = self.script_and_args.iter();
        let script = PathBuf::from(values.next().cloned().unwrap_or_default());
        let mut rest = values.peekable();
        let separated = rest.next_if(|a| *a == "--").is_some();
        let args = rest
            .map(|a| {
                a.clone().into_string().map_err(|bad| {
                    format!(
                        "a script argument is not valid UTF-8: {}",
                        bad.to_string_lossy()
                    )
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(Invocation {
            script,
            args,
            separated,
        })
    }
}

/// Runs `govscript run`.
pub fn execute(args: RunArgs) -> i32 {
    let invocation = match args.invocation() {
        Ok(i) => i,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_USAGE;
        }
    };
    if !invocation.separated {
        warn_about_own_flags(&invocation.args);
    }
    let audit = match args
        .audit
        .log_for_anchoring(args.sandbox, args.audit_to_govern)
    {
        Ok(log) => log,
        Err(code) => return code,
    };
    run(RunOptions {
        audit,
        audit_to_govern: args.audit_to_govern,
        plan: args.plan.options(args.output.quiet),
        connection: args.connection.flags(),
        script: invocation.script,
        args: invocation.args,
        sandbox: args.sandbox,
        quiet: args.output.quiet,
        limits: Limits {
            max_operations: args.max_operations,
            ..Limits::default()
        },
        time_limit: args.script_timeout.map(std::time::Duration::from_secs),
    })
}

/// Everything after the script path goes to the script, so `govscript run x.rhai
/// --sandbox` gives `--sandbox` to the script (as `python x.py --flag` would) and
/// connects wherever the environment says. That used to be a govscript option there:
/// say so, unless a `--` after the path shows the user meant to pass arguments on.
fn warn_about_own_flags(script_args: &[String]) {
    if !script_args.iter().any(|a| a.starts_with('-')) {
        return;
    }
    let command = RunArgs::augment_args(clap::Command::new("run"));
    let own = |given: &str| {
        let name = given.split('=').next().unwrap_or(given);
        command.get_arguments().any(|a| {
            a.get_long()
                .is_some_and(|l| name.strip_prefix("--") == Some(l))
                || a.get_short().is_some_and(|s| name == format!("-{s}"))
        })
    };
    if let Some(flag) = script_args.iter().find(|a| own(a)) {
        eprintln!(
            "warning: `{flag}` comes after the script path, so it is passed to the script \
             (in ARGS), not to govscript; put govscript's options before the path, or \
             write `SCRIPT -- {flag}` to pass it on without this warning"
        );
    }
}
