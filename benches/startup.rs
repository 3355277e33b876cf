//! Start-up: `govscript run` of a one-line script, and of one that builds a client as
//! the Python command does, against the Python client's import and
//! `GovernClient(host, key)`, whole processes; `govscript --version` (process start
//! alone) and `govscript docs` (the whole documented surface built and listed, budget
//! 100 ms) beside them.
//!
//! `cargo bench --bench startup` copies the binary into a temporary folder (as an
//! installation does, see `install`), runs each command `BENCH_RUNS` times (default 30),
//! alternating them, and prints the median and minimum wall time (spawn to exit) and
//! the median CPU time (user + system, all threads) and peak RSS (`ru_maxrss`),
//! both from `wait4`, as Markdown. CPU time depends little on other load on the
//! machine; wall time does. `GOVSCRIPT_BIN`
//! measures another govscript binary (e.g. one built from an older commit); the
//! Python client comes from `.venv/` or `$GOVSCRIPT_PYTHON`. No server is contacted:
//! neither command makes a request.
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn python() -> PathBuf {
    std::env::var_os("GOVSCRIPT_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/python"))
}

/// The binary measured: `GOVSCRIPT_BIN`, else this build's.
fn built() -> PathBuf {
    std::env::var_os("GOVSCRIPT_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_govscript")))
}

/// [`built`] copied into `dir`, as `cargo install` (or a package) puts it in place,
/// and measured there. The linker's own output file is held in the page cache in
/// small pages, which each start maps one fault at a time (measured: 287 page faults
/// and 4.4 ms of CPU for `run` of `print(1);`, against 254 and 3.0 ms for a copy of
/// the same file): the copy is what users start.
fn install(dir: &Path) -> PathBuf {
    let installed = dir.join("govscript");
    std::fs::copy(built(), &installed).expect("copy the govscript binary");
    installed
}

/// What one process took.
#[derive(Clone, Copy)]
struct Sample {
    wall: Duration,
    cpu: Duration,
    rss_kib: u64,
}

fn duration(t: libc::timeval) -> Duration {
    Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
}

/// One process: its wall time, CPU time and peak resident set.
// Reaped by `wait4`, which also gives its resource usage: `Child::wait` cannot.
#[allow(clippy::zombie_processes)]
fn measure(command: &mut Command) -> Sample {
    let start = Instant::now();
    let child = command
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start the process");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: an all-zero `rusage` is a valid value, and `wait4` only writes into the
    // two out-parameters, which live for the call.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let elapsed = start.elapsed();
    assert_eq!(waited, pid, "wait4 failed");
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "{command:?} failed with status {status}"
    );
    Sample {
        wall: elapsed,
        cpu: duration(usage.ru_utime) + duration(usage.ru_stime),
        rss_kib: usage.ru_maxrss as u64,
    }
}

fn median<T: Copy + Ord>(values: &mut [T]) -> T {
    values.sort();
    values[values.len() / 2]
}

struct Series {
    name: &'static str,
    times: Vec<Duration>,
    cpu: Vec<Duration>,
    rss: Vec<u64>,
}

impl Series {
    fn new(name: &'static str) -> Self {
        Self {
            name,
            times: Vec::new(),
            cpu: Vec::new(),
            rss: Vec::new(),
        }
    }

    fn add(&mut self, sample: Sample) {
        self.times.push(sample.wall);
        self.cpu.push(sample.cpu);
        self.rss.push(sample.rss_kib);
    }

    fn median_ms(&mut self) -> f64 {
        median(&mut self.times).as_secs_f64() * 1e3
    }

    fn median_cpu_ms(&mut self) -> f64 {
        median(&mut self.cpu).as_secs_f64() * 1e3
    }
}

fn main() {
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(30);
    let dir = tempfile::tempdir().expect("temp dir");
    let govscript = install(dir.path());
    let govscript = || govscript.clone();
    let script = dir.path().join("trivial.rhai");
    std::fs::write(&script, "print(1);\n").expect("write the script");
    let (host, key) = ("http://127.0.0.1:9", "bench-key");
    // What the Python command does: a client built, no request made.
    let client_script = dir.path().join("client.rhai");
    std::fs::write(
        &client_script,
        format!("let c = GovernClient({host:?}, {key:?});\n"),
    )
    .expect("write the script");
    let run_script = |path: &Path| {
        let mut c = Command::new(govscript());
        c.arg("run")
            .arg(path)
            .env("GOVERN_HOST", host)
            .env("GOVERN_API_KEY", key);
        c
    };
    let run = || run_script(&script);
    let client = || run_script(&client_script);
    let py = || {
        let mut c = Command::new(python());
        c.arg("-c").arg(format!(
            "import dataikuapi; dataikuapi.GovernClient({host:?}, {key:?})"
        ));
        c
    };
    let version = || {
        let mut c = Command::new(govscript());
        c.arg("--version");
        c
    };
    let docs = || {
        let mut c = Command::new(govscript());
        c.arg("docs");
        c
    };
    // Warm the page cache and Python's bytecode cache first.
    measure(&mut run());
    measure(&mut py());

    let mut series = [
        Series::new("`govscript run trivial.rhai` (`print(1);`)"),
        Series::new("`govscript run client.rhai` (`GovernClient(h, k)`)"),
        Series::new("`govscript --version`"),
        Series::new("`govscript docs` (to /dev/null)"),
        Series::new("python: `import dataikuapi; GovernClient(h, k)`"),
    ];
    for _ in 0..runs {
        series[0].add(measure(&mut run()));
        series[1].add(measure(&mut client()));
        series[2].add(measure(&mut version()));
        series[3].add(measure(&mut docs()));
        series[4].add(measure(&mut py()));
    }
    let python_ms = series[4].median_ms();
    let python_cpu = series[4].median_cpu_ms();
    println!(
        "{} runs each, alternating; binary {}, copied into a temporary folder\n",
        runs,
        built().display()
    );
    println!(
        "| command | median wall ms | min wall ms | Python / this (wall) | median CPU ms | Python / this (CPU) | median peak RSS MiB |"
    );
    println!("|---|---|---|---|---|---|---|");
    for s in &mut series {
        let med = s.median_ms();
        let min = s.times.iter().min().map_or(0.0, |d| d.as_secs_f64() * 1e3);
        let cpu = s.median_cpu_ms();
        let rss = median(&mut s.rss) as f64 / 1024.0;
        println!(
            "| {} | {med:.2} | {min:.2} | {:.0}x | {cpu:.2} | {:.0}x | {rss:.1} |",
            s.name,
            python_ms / med,
            python_cpu / cpu
        );
    }
}
