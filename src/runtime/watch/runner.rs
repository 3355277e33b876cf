//! Running one claimed file's script on its own big-stack thread, exactly as
//! `govscript run` would (same engine set-up, connection, limits and error rendering),
//! with its output captured to the log beside the file, a time limit, and panics
//! caught so that nothing a script does can stop the watcher.
use super::content::file_value;
use super::handlers::Handler;
use super::shared_client::SharedClient;
use crate::audit::hook::AuditHook;
use crate::bindings::{Bridge, Cancel};
use crate::client::ClientConfig;
use crate::runtime::engine::{self, EngineOptions, Limits};
use crate::runtime::run::{EXIT_OK, execute};
use crate::runtime::session::SCRIPT_STACK;
use rhai::Dynamic;
use std::fs::File;
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What every run shares.
pub struct RunContext {
    /// The async runtime the Govern client runs on.
    pub runtime: tokio::runtime::Handle,
    /// Connection for `govern()`, or why there is none.
    pub connection: Result<ClientConfig, String>,
    /// The client `govern()` returns, shared by all runs.
    pub govern: Arc<SharedClient>,
    /// Script limits.
    pub limits: Limits,
    /// Time a script may run.
    pub timeout: Duration,
    /// Leave `debug` output out of the logs.
    pub quiet: bool,
    /// The largest file read into `FILE.content`, in bytes (`--max-file-mb`).
    pub max_file_bytes: u64,
    /// The audit log every run's changes are appended to (`None`: `--no-audit`).
    pub audit: Option<PathBuf>,
    /// After each run that appended records, write its chain head into Govern
    /// (`--audit-to-govern`).
    pub audit_to_govern: bool,
}

/// One claimed file to run.
#[derive(Debug, Clone)]
pub struct Job {
    /// Claim id.
    pub id: u64,
    /// Name it was dropped as.
    pub name: String,
    /// Where it sits in `.processing`.
    pub path: PathBuf,
    /// Its log.
    pub log: PathBuf,
    /// What it runs.
    pub handler: Handler,
}

/// How a run ended.
#[derive(Debug)]
pub struct Finished {
    /// Claim id.
    pub id: u64,
    /// Success.
    pub ok: bool,
    /// Why it failed (one line).
    pub reason: Option<String>,
    /// Run time.
    pub elapsed: Duration,
    /// Why the log is incomplete (a write failed, e.g. on a full disk), if it is.
    pub log_error: Option<String>,
    /// Why the run's audit head was not recorded in Govern (`--audit-to-govern`).
    pub audit_error: Option<String>,
}

/// A running job's stop switch; `stopping` says the watcher is shutting down.
pub struct Stopper {
    cancel: Arc<Cancel>,
    stopping: Arc<AtomicBool>,
}

impl Stopper {
    /// A switch attached to no script.
    pub fn idle() -> Self {
        Self {
            cancel: Arc::default(),
            stopping: Arc::default(),
        }
    }

    /// Stops the script at its next operation or Govern request.
    pub fn stop_for_shutdown(&self) {
        self.stopping.store(true, Ordering::SeqCst);
        self.cancel.cancel();
    }
}

/// Starts `job` on a new thread; `done` is called with the outcome when it ends
/// (also after a panic). Fails only if the thread cannot be created.
pub fn spawn(
    job: Job,
    context: Arc<RunContext>,
    done: impl FnOnce(Finished) + Send + 'static,
) -> std::io::Result<Stopper> {
    let cancel = Arc::new(Cancel::default());
    let stopping = Arc::new(AtomicBool::new(false));
    let stopper = Stopper {
        cancel: cancel.clone(),
        stopping: stopping.clone(),
    };
    std::thread::Builder::new()
        .name(format!("watch-{}", job.id))
        .stack_size(SCRIPT_STACK)
        .spawn(move || {
            let started = Instant::now();
            let id = job.id;
            let log_error = Arc::new(Mutex::new(None));
            let mut audit_error = None;
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                run_job(
                    &job,
                    &context,
                    cancel,
                    stopping,
                    &log_error,
                    &mut audit_error,
                )
            }));
            let (ok, reason) = match outcome {
                Ok(Ok(())) => (true, None),
                Ok(Err(reason)) => (false, Some(reason)),
                Err(panic) => {
                    let what = panic
                        .downcast_ref::<String>()
                        .cloned()
                        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                        .unwrap_or_default();
                    (
                        false,
                        Some(format!(
                            "panic in a native function (a govscript bug): {what}"
                        )),
                    )
                }
            };
            let log_error = log_error.lock().unwrap_or_else(|p| p.into_inner()).take();
            done(Finished {
                id,
                ok,
                reason,
                elapsed: started.elapsed(),
                log_error,
                audit_error,
            });
        })?;
    Ok(stopper)
}

/// The log file, shared with the engine's print/debug callbacks, and the first write
/// error (a full disk must not pass for a run that printed nothing).
#[derive(Clone)]
struct Log {
    file: Arc<Mutex<File>>,
    error: Arc<Mutex<Option<String>>>,
    path: PathBuf,
}

fn log_line(log: &Log, text: &str) {
    let mut f = log.file.lock().unwrap_or_else(|p| p.into_inner());
    if let Err(e) = writeln!(f, "{text}") {
        let mut error = log.error.lock().unwrap_or_else(|p| p.into_inner());
        if error.is_none() {
            let name = log.path.file_name().unwrap_or_default().to_string_lossy();
            *error = Some(format!("the log {name} could not be written: {e}"));
        }
    }
}

/// Runs the script; `Err` holds the one-line reason of a failure.
fn run_job(
    job: &Job,
    context: &RunContext,
    cancel: Arc<Cancel>,
    stopping: Arc<AtomicBool>,
    log_error: &Arc<Mutex<Option<String>>>,
    audit_error: &mut Option<String>,
) -> Result<(), String> {
    let file = File::create(&job.log)
        .map_err(|e| format!("cannot create the log {}: {e}", job.log.display()))?;
    let log = Log {
        file: Arc::new(Mutex::new(file)),
        error: log_error.clone(),
        path: job.log.clone(),
    };
    log_line(
        &log,
        &format!("file: {} (dropped as {})", job.path.display(), job.name),
    );
    log_line(&log, &format!("handler: {}", job.handler.label()));
    log_line(&log, "--- output ---");
    let started = Instant::now();
    let result = execute_job(job, context, &cancel, &stopping, &log, audit_error);
    let ms = started.elapsed().as_millis();
    match &result {
        Ok(()) => log_line(&log, &format!("--- done in {ms} ms ---")),
        Err(reason) => log_line(&log, &format!("--- failed in {ms} ms: {reason} ---")),
    }
    // Not fsynced: the journal, not the log, decides what happens after a crash.
    result
}

fn execute_job(
    job: &Job,
    context: &RunContext,
    cancel: &Arc<Cancel>,
    stopping: &Arc<AtomicBool>,
    log: &Log,
    audit_error: &mut Option<String>,
) -> Result<(), String> {
    // Imports resolve beside the script: a handler's folder, or for a dropped script the
    // watched folder it was dropped into (not `.processing`).
    let (script, file, script_dir) = match &job.handler {
        Handler::Itself => {
            let dir = job
                .path
                .parent()
                .and_then(|p| p.parent())
                .map(|p| p.to_path_buf());
            (job.path.clone(), None, dir)
        }
        Handler::Script(s) => {
            let dir = s.parent().map(|p| p.to_path_buf());
            let file = file_value(&job.path, &job.name, context.max_file_bytes)?;
            (s.clone(), Some(file), dir)
        }
    };
    let display = script.display().to_string();
    let source =
        std::fs::read_to_string(&script).map_err(|e| format!("cannot read {display}: {e}"))?;

    let timed_out = Arc::new(AtomicBool::new(false));
    let timer = {
        let (cancel, timed_out, limit) = (cancel.clone(), timed_out.clone(), context.timeout);
        context.runtime.spawn(async move {
            tokio::time::sleep(limit).await;
            timed_out.store(true, Ordering::SeqCst);
            cancel.cancel();
        })
    };
    let mut bridge = Bridge::new(context.runtime.clone(), cancel.clone());
    let audit = context
        .audit
        .as_ref()
        .map(|log| audit_hook(log, &script, &source, job));
    if let Some(hook) = &audit {
        bridge = bridge.with_operation_hooks(crate::client::OperationHooks(vec![hook.clone()]));
    }
    let mut engine = engine::build(EngineOptions {
        bridge: bridge.clone(),
        connection: context.connection.clone(),
        quiet: context.quiet,
        limits: context.limits,
        script_dir,
    });
    context.govern.register(&mut engine, &bridge);
    // Output goes to the log beside the file instead of the terminal.
    let print_log = log.clone();
    engine.on_print(move |text| log_line(&print_log, text));
    let debug_log = log.clone();
    let quiet = context.quiet;
    engine.on_debug(move |text, _, pos| {
        if !quiet {
            let at = pos
                .line()
                .map(|l| format!("[line {l}] "))
                .unwrap_or_default();
            log_line(&debug_log, &format!("{at}{text}"));
        }
    });
    let why = stop_reason(context.timeout, &timed_out, stopping);
    let progress_cancel = cancel.clone();
    engine.on_progress(move |_| progress_cancel.is_cancelled().then(|| Dynamic::from(why())));

    let mut extra = Vec::new();
    if let Some(file) = file {
        extra.push(("FILE", file));
    }
    // The script starts now (benchmarks read this line for drop-to-start latency).
    log_line(
        log,
        &format!("script start: epoch_us {}", super::report::now_us()),
    );
    let executed = execute(&mut engine, &source, &display, Vec::new(), extra);
    timer.abort();
    if let Some(error) = &executed.error {
        log_line(log, error.trim_end());
    }
    if let Some(hook) = audit.filter(|_| context.audit_to_govern) {
        *audit_error = anchor(context, &hook, log);
    }
    if cancel.is_cancelled() {
        return Err(stop_reason(context.timeout, &timed_out, stopping)());
    }
    match (executed.code, executed.error) {
        (EXIT_OK, None) => Ok(()),
        (_, Some(error)) => Err(first_line(&error)),
        (code, None) => Err(format!("exit code {code}")),
    }
}

/// The hook auditing one run: the script it ran, and the file it ran for (as dropped).
fn audit_hook(
    log: &std::path::Path,
    script: &std::path::Path,
    source: &str,
    job: &Job,
) -> Arc<AuditHook> {
    use crate::audit::hook::RunInfo;
    let script = std::fs::canonicalize(script).unwrap_or_else(|_| script.to_path_buf());
    let mut run = RunInfo::new(script.display().to_string(), source);
    run.file = Some(job.name.clone());
    let log = crate::audit::log::AuditLog::new(log);
    Arc::new(AuditHook::new(log, run))
}

/// Writes the head of what the run audited by `hook` appended into Govern, through the
/// watcher's shared client, and says so in the run's log. Returns why it could not be
/// written: the run's outcome stands, the watcher reports it and goes on.
fn anchor(context: &RunContext, hook: &AuditHook, log: &Log) -> Option<String> {
    use crate::audit::anchor;
    match anchor::anchor_run(&context.runtime, context.govern.client(), hook) {
        Ok(None) => None,
        Ok(Some(head)) => {
            log_line(log, &format!("audit: {}", anchor::recorded(&head)));
            None
        }
        Err(why) => {
            let line = anchor::not_recorded(hook, &why);
            log_line(log, &format!("audit: {line}"));
            Some(line)
        }
    }
}

/// Why a cancelled script stopped.
fn stop_reason(
    limit: Duration,
    timed_out: &Arc<AtomicBool>,
    stopping: &Arc<AtomicBool>,
) -> impl Fn() -> String + Send + Sync + 'static {
    let (timed_out, stopping) = (timed_out.clone(), stopping.clone());
    move || {
        if timed_out.load(Ordering::SeqCst) {
            format!(
                "timed out after {} s (--script-timeout)",
                limit.as_secs_f64()
            )
        } else if stopping.load(Ordering::SeqCst) {
            "stopped: the watcher was shutting down".to_string()
        } else {
            "stopped".to_string()
        }
    }
}

fn first_line(error: &str) -> String {
    let line = error.lines().next().unwrap_or_default();
    let line = line.strip_prefix("error: ").unwrap_or(line);
    match error
        .lines()
        .nth(1)
        .and_then(|l| l.trim().strip_prefix("--> "))
    {
        Some(at) => format!("{line} (at {at})"),
        None => line.to_string(),
    }
}
