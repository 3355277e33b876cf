//! What a mode needs around its scripts: the async runtime, Ctrl-C handling,
//! an optional in-process sandbox, and a big-stack thread to run scripts on.
use super::sandbox_dir::SandboxDir;
use crate::bindings::{Bridge, Cancel};
use crate::client::{ClientConfig, ClientStats};
use crate::sandbox::{self, RunningSandbox, SandboxConfig, Seed};
use anyhow::Context;
use std::sync::Arc;

/// Stack of script threads: Rhai uses ~40 KB of Rust stack per script call level in
/// debug builds, so the default 2 MiB would overflow long before the call limit.
pub const SCRIPT_STACK: usize = 64 << 20;

/// Runtime, cancellation and (optionally) a sandbox, for the lifetime of a command.
pub struct Session {
    runtime: tokio::runtime::Runtime,
    cancel: Arc<Cancel>,
    sandbox: Option<(RunningSandbox, SandboxDir)>,
    /// Connection to the in-process sandbox, when `--sandbox` was given.
    pub sandbox_connection: Option<ClientConfig>,
    /// Requests and retries of every client of the session.
    pub stats: Arc<ClientStats>,
}

impl Session {
    /// Starts the runtime and Ctrl-C handling, and a demo sandbox if asked.
    pub fn start(with_sandbox: bool, quiet: bool) -> anyhow::Result<Self> {
        Self::start_with(with_sandbox, quiet, false)
    }

    /// As [`Session::start`]; `interactive` (the REPL) makes every Ctrl-C only stop
    /// the running statement, where a second one otherwise ends the process.
    pub fn start_with(with_sandbox: bool, quiet: bool, interactive: bool) -> anyhow::Result<Self> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .context("cannot start the async runtime")?;
        Self::start_on(runtime, with_sandbox, quiet, interactive)
    }

    /// A session for a script that can make no request (it names no Govern function,
    /// see `runtime::reach`): its runtime has no worker threads, only signals and
    /// timers, driven by the thread that waits in [`Session::run_script_thread`].
    /// Starting two workers would be most of such a run's set-up.
    pub fn start_without_requests(quiet: bool) -> anyhow::Result<Self> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .context("cannot start the async runtime")?;
        Self::start_on(runtime, false, quiet, false)
    }

    /// Ctrl-C and stop-signal handling on `runtime`, and a demo sandbox if asked.
    fn start_on(
        runtime: tokio::runtime::Runtime,
        with_sandbox: bool,
        quiet: bool,
        interactive: bool,
    ) -> anyhow::Result<Self> {
        let cancel = Arc::new(Cancel::default());
        let on_signal = cancel.clone();
        // The sandbox's temporary folder, removed on every way out, signals included.
        let sandbox_dir: Arc<std::sync::OnceLock<std::path::PathBuf>> = Arc::default();
        let to_remove = sandbox_dir.clone();
        // Listening starts now, before any script runs, not when the task is first
        // polled: a Ctrl-C pressed as the script starts is never the default exit.
        let mut interrupts = Interrupts::listen(&runtime)?;
        runtime.spawn(async move {
            // First Ctrl-C: stop the script at its next operation or request.
            // Second: give up at once.
            if interrupts.recv().await {
                on_signal.cancel();
                if interactive {
                    while interrupts.recv().await {
                        on_signal.cancel();
                    }
                } else if interrupts.recv().await {
                    if let Some(dir) = to_remove.get() {
                        let _ = std::fs::remove_dir_all(dir);
                    }
                    std::process::exit(super::exit::EXIT_INTERRUPTED);
                }
            }
        });
        // SIGTERM (a service manager, `kill`) and SIGHUP (the terminal closed): stop
        // like a first Ctrl-C, cleanly. SIGHUP is left alone when ignored (`nohup`).
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let mut stops = vec![(SignalKind::terminate(), "SIGTERM")];
            if !hangup_ignored() {
                stops.push((SignalKind::hangup(), "SIGHUP"));
            }
            for (kind, name) in stops {
                let on_stop = cancel.clone();
                let stop_dir = sandbox_dir.clone();
                // Listening starts now, before any script runs (as for Ctrl-C above).
                let mut stop = {
                    let _in_runtime = runtime.enter();
                    signal(kind).with_context(|| format!("cannot listen for {name}"))?
                };
                runtime.spawn(async move {
                    if stop.recv().await.is_some() {
                        on_stop.cancel_because(name);
                        // The REPL mostly waits for input, where a stop request goes unseen.
                        if interactive {
                            if let Some(dir) = stop_dir.get() {
                                let _ = std::fs::remove_dir_all(dir);
                            }
                            std::process::exit(128 + kind.as_raw_value());
                        }
                    }
                });
            }
        }
        let mut session = Self {
            runtime,
            cancel,
            sandbox: None,
            sandbox_connection: None,
            stats: Arc::default(),
        };
        if with_sandbox {
            let dir = SandboxDir::create()
                .context("cannot create a temporary directory for the sandbox")?;
            let _ = sandbox_dir.set(dir.path().to_path_buf());
            let config = SandboxConfig {
                db: dir.path().join("sandbox.db"),
                bind: ([127, 0, 0, 1], 0).into(),
                admin_key: None,
                seed: Seed::Demo,
                record: None,
                ..SandboxConfig::default()
            };
            let running = session
                .runtime
                .block_on(sandbox::start(config))
                .context("cannot start the sandbox")?;
            if !quiet {
                eprintln!("govscript: sandbox with demo data at {}", running.url);
            }
            session.sandbox_connection = Some(ClientConfig::new(
                running.url.clone(),
                running.admin_key.clone(),
            ));
            session.sandbox = Some((running, dir));
        }
        Ok(session)
    }

    /// The connection scripts get from `govern()`: the in-process sandbox's when there
    /// is one, else the one `flags` resolve to; `flags`' tuning (retries, limits,
    /// conflict checks) applies to either.
    pub fn connection(
        &self,
        flags: &super::config::ConnectionFlags,
    ) -> Result<ClientConfig, String> {
        match &self.sandbox_connection {
            Some(c) => {
                let mut c = c.clone();
                flags.tune(&mut c);
                Ok(c)
            }
            None => super::config::resolve(flags),
        }
    }

    /// Fails when the connection flags name a host that is no usable URL (see
    /// [`super::config::check_host`]); modes call it before running anything. The
    /// in-process sandbox ignores the flags, so it never fails then.
    pub fn check_connection(&self, flags: &super::config::ConnectionFlags) -> Result<(), String> {
        match self.sandbox_connection {
            Some(_) => Ok(()),
            None => super::config::check_host(flags),
        }
    }

    /// The async runtime's handle (for modes that build their own bridges and timers).
    pub fn runtime_handle(&self) -> tokio::runtime::Handle {
        self.runtime.handle().clone()
    }

    /// A bridge for script threads; its clients count requests into [`Self::stats`].
    pub fn bridge(&self) -> Bridge {
        Bridge::new(self.runtime.handle().clone(), self.cancel.clone())
            .with_stats(self.stats.clone())
    }

    /// `govscript: N requests, M retries` when any request was retried, for the end
    /// of a run.
    pub fn summary(&self) -> Option<String> {
        let (requests, retries) = self.stats.snapshot();
        (retries > 0).then(|| format!("govscript: {requests} requests, {retries} retries"))
    }

    /// Runs `f` on a dedicated thread with a large stack and waits for it, on the
    /// runtime: a runtime without workers ([`Session::start_without_requests`]) hears
    /// signals and fires timers meanwhile.
    pub fn run_script_thread(&self, f: impl FnOnce() -> i32 + Send + 'static) -> i32 {
        let (done, finished) = tokio::sync::oneshot::channel::<()>();
        let spawned = std::thread::Builder::new()
            .name("script".into())
            .stack_size(SCRIPT_STACK)
            .spawn(move || {
                let code = f();
                // A panic drops `done` instead, which ends the wait as well.
                let _ = done.send(());
                code
            });
        let thread = match spawned {
            Ok(thread) => thread,
            Err(e) => {
                eprintln!("error: cannot start the script thread: {e}");
                return 2;
            }
        };
        let _ = self.runtime.block_on(finished);
        match thread.join() {
            Ok(code) => code,
            Err(_) => {
                eprintln!("error: the script thread panicked (this is a govscript bug)");
                101
            }
        }
    }

    /// Stops the sandbox, if any, and the runtime.
    pub fn finish(mut self) {
        if let Some((running, _dir)) = self.sandbox.take() {
            self.runtime.block_on(running.shutdown());
        }
    }
}

/// Ctrl-C presses, listened for from the moment this is built.
struct Interrupts {
    #[cfg(unix)]
    signal: tokio::signal::unix::Signal,
}

impl Interrupts {
    /// Starts listening (on `runtime`'s signal driver).
    fn listen(runtime: &tokio::runtime::Runtime) -> anyhow::Result<Self> {
        let _in_runtime = runtime.enter();
        Ok(Self {
            #[cfg(unix)]
            signal: tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())
                .context("cannot listen for Ctrl-C")?,
        })
    }

    /// Waits for the next Ctrl-C; `false` if no more can come.
    async fn recv(&mut self) -> bool {
        #[cfg(unix)]
        return self.signal.recv().await.is_some();
        #[cfg(not(unix))]
        return tokio::signal::ctrl_c().await.is_ok();
    }
}

/// Whether SIGHUP was ignored when the process started (`nohup govscript ...`): its
/// disposition, read before anything installs a handler; elsewhere it is taken as not
/// ignored.
#[cfg(unix)]
pub fn hangup_ignored() -> bool {
    // SAFETY: an all-zero `sigaction` is a valid value; with a null new action,
    // `sigaction` only writes the current one into `current`, which lives for the call.
    let mut current: libc::sigaction = unsafe { std::mem::zeroed() };
    let read = unsafe { libc::sigaction(libc::SIGHUP, std::ptr::null(), &mut current) };
    read == 0 && current.sa_sigaction == libc::SIG_IGN
}
