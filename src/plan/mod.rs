//! Plan / apply (issue 15 §2), terraform as the model.
//!
//! `govscript run --plan PLAN.json SCRIPT` runs the script with a [`hook::PlanHook`]:
//! reads hit the server, every mutating operation is answered with a planned result
//! and recorded ([`file::Change`]: call, request, pre-image, body, RFC 6902 patch,
//! planned state), and reads of changed objects see their planned state, lists and
//! searches included ([`overlay`], [`search`]); a creation of any declared resource is
//! planned from its declaration ([`resource`]). The plan is
//! printed ([`render`]) and written ([`file`]). `govscript apply PLAN.json`
//! ([`apply`]) performs exactly those changes, refusing each whose object drifted
//! since the plan, and reports what the server did not store as sent ([`report`]).
pub mod apply;
pub mod born;
pub mod check;
pub mod file;
pub mod hook;
pub mod ids;
pub mod overlay;
pub mod query;
pub mod render;
pub mod report;
pub mod resource;
pub mod script;
pub mod search;
pub mod signoff;
pub mod state;
pub mod target;

use std::path::PathBuf;

/// Exit code of `--detailed-exitcode` when the plan changes something.
pub const EXIT_CHANGES: i32 = 2;
/// Exit code of a failed plan or apply.
pub const EXIT_ERROR: i32 = 1;

/// What `run --plan` / `run --dry-run` was asked for.
#[derive(Debug, Clone, Default)]
pub struct PlanOptions {
    /// Where to write the plan (`None`: `--dry-run`, print only).
    pub file: Option<PathBuf>,
    /// Print the plan as JSON instead of the readable diff.
    pub json: bool,
    /// Exit 2 when the plan changes something, 0 when not, 1 on error.
    pub detailed_exitcode: bool,
    /// No notes on stderr.
    pub quiet: bool,
}

/// Where a plan was made from.
#[derive(Debug, Clone)]
pub struct Origin {
    /// The Govern base URL.
    pub host: String,
    /// The script as given.
    pub script: String,
    /// SHA-256 (hex) of its text.
    pub script_sha256: String,
}

/// Ends a planning run whose script exited with `code`: builds the plan from `hook`,
/// writes and prints it; returns the process exit code. A script that failed leaves
/// no plan (it would be partial).
pub fn finish(hook: &hook::PlanHook, options: &PlanOptions, origin: Origin, code: i32) -> i32 {
    if code != 0 {
        eprintln!("govscript: the script did not finish: no plan was made");
        return if options.detailed_exitcode {
            EXIT_ERROR
        } else {
            code
        };
    }
    let mut plan = file::Plan {
        format: file::FORMAT.into(),
        version: file::VERSION,
        host: origin.host,
        script: origin.script,
        script_sha256: origin.script_sha256,
        created: crate::audit::time::format(std::time::SystemTime::now()),
        changes: hook.changes(),
        notes: hook.notes(),
        checksum: String::new(),
    };
    plan.seal();
    if let Some(path) = &options.file
        && let Err(e) = plan.write(path)
    {
        eprintln!("error: cannot write the plan to {}: {e}", path.display());
        return EXIT_ERROR;
    }
    if options.json {
        println!("{}", plan.to_json());
    } else {
        print!(
            "{}",
            render::plan(&plan, render::Paint(render::colour_for_stdout()))
        );
    }
    if let Some(path) = options.file.as_ref().filter(|_| !options.quiet) {
        eprintln!(
            "govscript: plan written to {}; review it, then `govscript apply {}`",
            path.display(),
            path.display()
        );
    }
    if options.detailed_exitcode && !plan.is_empty() {
        EXIT_CHANGES
    } else {
        0
    }
}
