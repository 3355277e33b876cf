//! What a mode needs around its scripts: the async runtime, Ctrl-C handling,
//! an optional in-process sandbox, and a big-stack thread to run scripts on.
use crate::bindings::{Bridge, Cancel};
use crate::client::ClientConfig;
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
    sandbox: Option<(RunningSandbox, tempfile::TempDir)>,
    /// Connection to the in-process sandbox, when `--sandbox` was given.
    pub sandbox_connection: Option<ClientConfig>,
}

impl Session {
    /// Starts the runtime and Ctrl-C handling, and a demo sandbox if asked.
    pub fn start(with_sandbox: bool, quiet: bool) -> anyhow::Result<Self> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .context("cannot start the async runtime")?;
        let cancel = Arc::new(Cancel::default());
        let on_signal = cancel.clone();
        runtime.spawn(async move {
            // First Ctrl-C: stop the script at its next operation or request.
            // Second: give up at once.
            if tokio::signal::ctrl_c().await.is_ok() {
                on_signal.cancel();
                if tokio::signal::ctrl_c().await.is_ok() {
                    std::process::exit(130);
                }
            }
        });
        let mut session = Self {
            runtime,
            cancel,
            sandbox: None,
            sandbox_connection: None,
        };
        if with_sandbox {
            let dir = tempfile::tempdir()
                .context("cannot create a temporary directory for the sandbox")?;
            let config = SandboxConfig {
                db: dir.path().join("sandbox.db"),
                bind: ([127, 0, 0, 1], 0).into(),
                admin_key: None,
                seed: Seed::Demo,
                record: None,
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

    /// The async runtime's handle (for modes that build their own bridges and timers).
    pub fn runtime_handle(&self) -> tokio::runtime::Handle {
        self.runtime.handle().clone()
    }

    /// A bridge for script threads.
    pub fn bridge(&self) -> Bridge {
        Bridge::new(self.runtime.handle().clone(), self.cancel.clone())
    }

    /// Runs `f` on a dedicated thread with a large stack and waits for it.
    pub fn run_script_thread(&self, f: impl FnOnce() -> i32 + Send + 'static) -> i32 {
        let spawned = std::thread::Builder::new()
            .name("script".into())
            .stack_size(SCRIPT_STACK)
            .spawn(f);
        match spawned.map(|t| t.join()) {
            Ok(Ok(code)) => code,
            Ok(Err(_)) => {
                eprintln!("error: the script thread panicked (this is a govscript bug)");
                101
            }
            Err(e) => {
                eprintln!("error: cannot start the script thread: {e}");
                2
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
