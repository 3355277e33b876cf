//! `govscript watch DIR`: files dropped into a folder trigger scripts, complete files
//! only, exactly once, surviving crashes.
//!
//! - [`detect`]: when a file is completely written, and which names are ignored;
//! - [`handlers`]: which script a file runs (`--on GLOB=SCRIPT`, config file);
//! - [`content`]: the `FILE` value a handler gets (CSV/JSON parsed);
//! - [`claim`] and [`journal`]: `.processing` → `.done`/`.failed`, journaled;
//! - [`recover`]: reconciliation at start, and the rule for interrupted runs;
//! - [`runner`]: one script on its own thread, limits and output capture;
//! - [`service`]: the event loop; [`report`]: event lines; [`status`]: `--status`.
pub mod claim;
pub mod content;
pub mod detect;
pub mod handlers;
pub mod journal;
pub mod recover;
pub mod report;
pub mod runner;
pub mod service;
pub mod shared_client;
pub mod status;

use super::config::ConnectionFlags;
use super::engine::Limits;
use super::session::Session;
use anyhow::{Context, anyhow};
use notify::{RecursiveMode, Watcher};
use report::Reporter;
use service::{Msg, Parts, Service, Settings};
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// The lock file that keeps a second watcher off the same folder.
pub const LOCK: &str = ".govscript-watch.lock";

/// What `govscript watch` was asked to do.
#[derive(Debug, Clone)]
pub struct WatchOptions {
    /// The folder.
    pub dir: PathBuf,
    /// `GLOB=SCRIPT` rules.
    pub on: Vec<String>,
    /// Scripts run at once (default: config file, else 4).
    pub concurrency: Option<usize>,
    /// Seconds a script may run (default: config file, else 300).
    pub script_timeout: Option<u64>,
    /// Operation limit per script (default: config file, else none).
    pub max_operations: Option<u64>,
    /// Largest file read into `FILE` in MB (default: config file, else
    /// [`content::DEFAULT_MAX_FILE_MB`]).
    pub max_file_mb: Option<u64>,
    /// Settle window for files written without a close.
    pub settle: Duration,
    /// Time running scripts get after SIGINT/SIGTERM.
    pub grace: Duration,
    /// Run dropped `*.rhai` files.
    pub run_scripts: bool,
    /// JSON lines.
    pub json: bool,
    /// Process what is there, then exit.
    pub once: bool,
    /// Connection flags, as for `run`.
    pub connection: ConnectionFlags,
    /// Use an in-process sandbox.
    pub sandbox: bool,
    /// Less output.
    pub quiet: bool,
    /// The audit log runs append their changes to (`None`: `--no-audit`).
    pub audit: Option<PathBuf>,
    /// Write each changing run's chain head into Govern (`--audit-to-govern`).
    pub audit_to_govern: bool,
}

/// Runs the watcher; returns the exit code (0 after a clean stop, 1 after a critical
/// error, 2 when it cannot start).
pub fn watch(options: WatchOptions) -> i32 {
    let reporter = Reporter { json: options.json };
    match start_and_run(options, reporter) {
        Ok(()) => 0,
        Err(Failure::Start(e)) => {
            eprintln!("error: {e:#}");
            2
        }
        Err(Failure::Critical(e)) => {
            eprintln!("error: {e}");
            1
        }
    }
}

enum Failure {
    Start(anyhow::Error),
    Critical(String),
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Self {
        Failure::Start(e)
    }
}

/// Creates the folder if it does not exist but its parent does (saying so); a missing
/// parent is an error that says how to create it.
fn ensure_folder(dir: &Path, reporter: &Reporter) -> anyhow::Result<()> {
    if dir.exists() {
        return Ok(());
    }
    let parent = dir.parent().filter(|p| !p.as_os_str().is_empty());
    if parent.is_some_and(|p| !p.is_dir()) {
        return Err(anyhow!(
            "cannot watch {0}: neither it nor its parent folder exists (create it with `mkdir -p {0}`)",
            dir.display()
        ));
    }
    std::fs::create_dir(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    reporter.note(&format!("created {} (it did not exist)", dir.display()));
    Ok(())
}

fn start_and_run(options: WatchOptions, reporter: Reporter) -> Result<(), Failure> {
    ensure_folder(&options.dir, &reporter)?;
    let dir = options
        .dir
        .canonicalize()
        .with_context(|| format!("cannot watch {}", options.dir.display()))?;
    if !dir.is_dir() {
        return Err(anyhow!("cannot watch {}: not a directory", dir.display()).into());
    }
    let file_config = handlers::read_config(&dir).map_err(|e| anyhow!(e))?;
    let handlers = handlers::Handlers::new(&options.on, &file_config.on, &dir, options.run_scripts)
        .map_err(|e| anyhow!(e))?;
    let layout = claim::Layout::new(&dir);
    layout
        .create()
        .with_context(|| format!("cannot create the state folders in {}", dir.display()))?;
    let _lock = lock(&dir)?;
    handlers
        .save(&dir)
        .with_context(|| format!("cannot save the handler rules in {}", dir.display()))?;

    let session = Session::start(options.sandbox, options.quiet || options.json)?;
    session
        .check_connection(&options.connection)
        .map_err(|e| anyhow!(e))?;
    let connection = session.connection(&options.connection);
    if let Err(e) = &connection {
        reporter.note(&format!("warning: scripts calling govern() will fail: {e}"));
    }
    let govern = shared_client::SharedClient::new(connection.clone());
    match govern.check(&session.runtime_handle()) {
        Ok(None) => {}
        Ok(Some(warning)) => reporter.note(&format!("warning: {warning}")),
        Err(critical) => return Err(anyhow!(critical).into()),
    }
    let context = Arc::new(runner::RunContext {
        runtime: session.runtime_handle(),
        govern,
        connection,
        limits: Limits {
            max_operations: options
                .max_operations
                .or(file_config.max_operations)
                .unwrap_or(0),
            ..Limits::default()
        },
        timeout: Duration::from_secs(
            options
                .script_timeout
                .or(file_config.script_timeout)
                .unwrap_or(300)
                .max(1),
        ),
        quiet: options.quiet,
        max_file_bytes: options
            .max_file_mb
            .or(file_config.max_file_mb)
            .unwrap_or(content::DEFAULT_MAX_FILE_MB)
            .saturating_mul(1_000_000),
        audit: options.audit.clone(),
        audit_to_govern: options.audit_to_govern,
    });

    let (tx, rx) = std::sync::mpsc::channel();
    let events = tx.clone();
    let mut watcher = notify::recommended_watcher(move |res| {
        let _ = events.send(Msg::Fs(res));
    })
    .with_context(|| format!("cannot watch {}", dir.display()))?;
    watcher
        .watch(&dir, RecursiveMode::NonRecursive)
        .with_context(|| format!("cannot watch {}", dir.display()))?;
    on_signals(&session, tx.clone())?;

    // Watching starts before the scan, so nothing dropped in between is missed.
    let replay = journal::replay(&dir)
        .with_context(|| format!("cannot read the journal in {}", dir.display()))?;
    if replay.skipped > 0 {
        reporter.note(&format!(
            "journal: skipped {} unreadable line(s)",
            replay.skipped
        ));
    }
    let mut journal = journal::Journal::open(&dir, &replay)
        .with_context(|| format!("cannot open the journal in {}", dir.display()))?;
    let queue = recover::recover(&layout, &replay, &mut journal, &handlers, &reporter)
        .with_context(|| format!("cannot recover the state of {}", dir.display()))?;
    let next_id = replay.next_id.max(claim::highest_id(&layout) + 1).max(1);

    let concurrency = options
        .concurrency
        .or(file_config.concurrency)
        .unwrap_or(4)
        .max(1);
    let mut banner = format!("watching {} (concurrency {concurrency})", dir.display());
    for rule in handlers.describe() {
        banner.push_str(&format!("\n  {rule}"));
    }
    if !options.quiet {
        reporter.note(&banner);
    }
    let mut service = Service::new(Parts {
        layout,
        journal,
        handlers,
        reporter,
        context,
        settings: Settings {
            concurrency,
            grace: options.grace,
            once: options.once,
        },
        settle: options.settle,
        queue,
        next_id,
        tx,
    });
    service.scan();
    let result = service.run(&rx).map_err(|e| Failure::Critical(e.0));
    drop(watcher);
    if !options.quiet {
        reporter.note("stopped");
    }
    session.finish();
    result
}

/// Takes the folder's lock (released by the kernel even after `kill -9`).
fn lock(dir: &Path) -> anyhow::Result<File> {
    let path = dir.join(LOCK);
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(&path)
        .with_context(|| format!("cannot open {}", path.display()))?;
    if file.try_lock().is_err() {
        let pid = std::fs::read_to_string(&path).unwrap_or_default();
        return Err(anyhow!(
            "another watcher (pid {}) is running on {}",
            pid.trim(),
            dir.display()
        ));
    }
    file.set_len(0)?;
    write!(file, "{}", std::process::id())?;
    Ok(file)
}

/// SIGINT, SIGTERM and SIGHUP stop the loop from taking files. The handlers are installed
/// before this returns, so a signal sent once the banner is out is never lost.
fn on_signals(session: &Session, tx: std::sync::mpsc::Sender<Msg>) -> anyhow::Result<()> {
    use tokio::signal::unix::{SignalKind, signal};
    let handle = session.runtime_handle();
    let _entered = handle.enter();
    let mut term = signal(SignalKind::terminate()).context("cannot handle SIGTERM")?;
    let mut int = signal(SignalKind::interrupt()).context("cannot handle SIGINT")?;
    // SIGHUP (the terminal closed) too, unless ignored (`nohup`).
    let mut hup = signal(SignalKind::hangup()).context("cannot handle SIGHUP")?;
    let hangup = !super::session::hangup_ignored();
    handle.spawn(async move {
        tokio::select! {
            _ = term.recv() => {}
            _ = int.recv() => {}
            _ = hup.recv(), if hangup => {}
        }
        let _ = tx.send(Msg::Stop);
    });
    Ok(())
}
