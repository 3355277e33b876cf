//! Bulk update benchmark (issue 15 §1), in one run:
//!
//! 1. on a sandbox answering at once: the sandbox's own GET+PUT capacity (a small
//!    Rust load client: `W` tokio workers, each reading an artifact then saving it),
//!    `client.bulk_update` of the same N artifacts at concurrency `W`, and the Python
//!    client's documented `get_definition()` / edit / `save()` loop;
//! 2. on a sandbox answering 20 ms late (`--latency 20`): the Python loop against
//!    `bulk_update` (the default concurrency, `DEFAULT_CONCURRENCY`, and 32);
//! 3. the peak RSS of a `bulk_update` over a search of `BENCH_RSS_N` artifacts.
//!
//! `cargo bench --bench bulk_update`; `BENCH_N` (default 5000), `BENCH_WORKERS`
//! (default 8), `BENCH_RSS_N` (default 100000, 0 to skip), `BENCH_LATENCY_N` (the
//! artifacts of part 2, default `BENCH_N`). Needs the Python client in `.venv/` or
//! `$GOVSCRIPT_PYTHON`. Prints Markdown for BENCHMARKS.md.
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const KEY: &str = "bench-admin-key";

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn python() -> PathBuf {
    std::env::var_os("GOVSCRIPT_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/python"))
}

/// A sandbox process, killed on drop.
struct Sandbox {
    child: Child,
    url: String,
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts a sandbox seeded with `bulk:n` in `dir`, with `extra` flags.
fn sandbox(dir: &Path, n: usize, extra: &[&str]) -> Sandbox {
    let mut child = Command::new(env!("CARGO_BIN_EXE_govscript"))
        .args([
            "sandbox",
            "--port",
            "0",
            "--seed",
            &format!("bulk:{n}"),
            "--db",
        ])
        .arg(dir.join(format!("bench-{n}-{}.db", extra.join("-"))))
        .args(extra)
        .env("GOVSCRIPT_SANDBOX_ADMIN_KEY", KEY)
        .stdout(Stdio::piped())
        .spawn()
        .expect("start the sandbox");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let url = loop {
        let line = lines.next().expect("sandbox output").expect("read");
        if let Some(url) = line.split("listening on ").nth(1) {
            break url.trim().to_string();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    Sandbox { child, url }
}

/// `govscript run --quiet --no-audit SCRIPT -- ARGS` against `url`.
fn govscript(url: &str, script: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_govscript"));
    cmd.args(["run", "--quiet", "--no-audit"])
        .arg(script)
        .arg("--")
        .args(args)
        .env("GOVERN_HOST", url)
        .env("GOVERN_API_KEY", KEY);
    cmd
}

/// Runs `cmd` to success; its wall time and standard output.
fn timed(mut cmd: Command) -> (Duration, String) {
    let started = Instant::now();
    let out = cmd.output().expect("run");
    let took = started.elapsed();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (took, String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The ids of the generated artifacts (`Bulk model ...`), in search order.
fn bulk_ids(url: &str, dir: &Path) -> Vec<String> {
    let script = dir.join("ids.rhai");
    std::fs::write(
        &script,
        format!("{QUERY}for hit in c.search(q, 500) {{ print(hit.to_artifact().artifact_id); }}\n"),
    )
    .expect("write");
    let (_, out) = timed(govscript(url, &script, &[]));
    out.lines().map(str::to_string).collect()
}

const QUERY: &str = "let c = govern();\nlet q = GovernArtifactSearchQuery();\n\
    q.add_artifact_filter(GovernArtifactFilterFieldValue(\"START_WITH\", \"Bulk model \"));\n";

/// The update script: `ARGS[0]` is the ids separated by spaces, `ARGS[1]` the
/// concurrency, `ARGS[2]` the owner to set.
const UPDATE: &str = "let c = govern();\nlet owner = ARGS[2];\n\
    let r = c.bulk_update(ARGS[0].split(\" \"), |raw| { raw.fields.owner = owner; }, \
    #{ concurrency: parse_int(ARGS[1]) });\nif !r.ok || r.done != r.total { throw r.summary(); }\n\
    print(r.summary());\n";

/// `bulk_update` of `ids` at `concurrency`, setting the owner `owner`.
fn bulk_update(url: &str, dir: &Path, ids: &[String], concurrency: usize, owner: &str) -> Duration {
    let script = dir.join("update.rhai");
    std::fs::write(&script, UPDATE).expect("write");
    let joined = ids.join(" ");
    timed(govscript(
        url,
        &script,
        &[&joined, &concurrency.to_string(), owner],
    ))
    .0
}

/// The Python client's documented loop over `ids`.
fn python_loop(url: &str, dir: &Path, ids: &[String], owner: &str) -> Duration {
    let file = dir.join("py-ids.txt");
    std::fs::write(&file, ids.join("\n")).expect("write");
    let py = "import sys, dataikuapi\nc = dataikuapi.GovernClient(sys.argv[1], sys.argv[2])\n\
              for i in open(sys.argv[3]).read().split():\n    d = c.get_artifact(i).get_definition()\n    \
              d.get_raw()['fields']['owner'] = sys.argv[4]\n    d.save()\n";
    let mut cmd = Command::new(python());
    cmd.arg("-c")
        .arg(py)
        .arg(url)
        .arg(KEY)
        .arg(&file)
        .arg(owner);
    timed(cmd).0
}

/// The sandbox's own capacity: `workers` tasks, each taking the next id, reading the
/// artifact and saving it with a changed owner (as `bulk_update` does), over `ids`.
fn load_client(url: &str, ids: &[String], workers: usize, owner: &str) -> Duration {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let http = reqwest::Client::new();
    let ids = Arc::new(ids.to_vec());
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    runtime.block_on(async {
        let tasks: Vec<_> = (0..workers)
            .map(|_| {
                let (http, ids, next) = (http.clone(), ids.clone(), next.clone());
                let (url, owner) = (url.to_string(), owner.to_string());
                tokio::spawn(async move {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(id) = ids.get(i) else { break };
                        let item = format!("{url}/dip/publicapi/artifact/{id}");
                        let read: Value = http
                            .get(&item)
                            .basic_auth(KEY, Some(""))
                            .send()
                            .await
                            .expect("GET")
                            .json()
                            .await
                            .expect("JSON");
                        let mut artifact = read["artifact"].clone();
                        artifact["fields"]["owner"] = Value::String(owner.clone());
                        let saved = http
                            .put(&item)
                            .basic_auth(KEY, Some(""))
                            .json(&artifact)
                            .send()
                            .await
                            .expect("PUT");
                        assert!(saved.status().is_success(), "{}", saved.status());
                        let _ = saved.bytes().await;
                    }
                })
            })
            .collect();
        for task in tasks {
            task.await.expect("worker");
        }
    });
    started.elapsed()
}

/// Peak RSS (KiB) of `cmd`, which must succeed, from `wait4`'s resource usage.
fn peak_rss(mut cmd: Command) -> (Duration, i64) {
    let started = Instant::now();
    let child = cmd.stdout(Stdio::null()).spawn().expect("spawn");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: `usage` is a plain C struct wait4 fills; `pid` is our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid, "wait4");
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "the run failed"
    );
    std::mem::forget(child);
    (started.elapsed(), usage.ru_maxrss)
}

fn per_sec(n: usize, t: Duration) -> f64 {
    n as f64 / t.as_secs_f64()
}

fn main() {
    let n = env_usize("BENCH_N", 5000);
    let workers = env_usize("BENCH_WORKERS", 8);
    let latency_n = env_usize("BENCH_LATENCY_N", n);
    let rss_n = env_usize("BENCH_RSS_N", 100_000);
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path();
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!("load average before: {}", load.trim());

    // 1. No latency: capacity, bulk_update, Python.
    let fast = sandbox(dir, n, &[]);
    let ids = bulk_ids(&fast.url, dir);
    assert_eq!(ids.len(), n, "the seed made {n} artifacts");
    let capacity = load_client(&fast.url, &ids, workers, "load");
    let ours = bulk_update(&fast.url, dir, &ids, workers, "rhai");
    let capacity_again = load_client(&fast.url, &ids, workers, "load2");
    let theirs = python_loop(&fast.url, dir, &ids, "py");
    drop(fast);
    let best_capacity = capacity.min(capacity_again);
    println!("\n### no latency, {n} artifacts, {workers} in flight\n");
    println!("| what | total | artifacts/s | share of capacity |");
    println!("|---|---|---|---|");
    for (what, t) in [
        (format!("load client ({workers} workers), run 1"), capacity),
        (
            format!("load client ({workers} workers), run 2"),
            capacity_again,
        ),
        (
            format!("govscript bulk_update, concurrency {workers}"),
            ours,
        ),
        ("Python get_definition/save loop".to_string(), theirs),
    ] {
        println!(
            "| {what} | {:.2} s | {:.0} | {:.0}% |",
            t.as_secs_f64(),
            per_sec(n, t),
            100.0 * best_capacity.as_secs_f64() / t.as_secs_f64()
        );
    }

    // 2. 20 ms latency: Python against bulk_update.
    let slow = sandbox(dir, latency_n, &["--latency", "20"]);
    let ids = bulk_ids(&slow.url, dir);
    // What a script gets without options (the same as passing it).
    let default_concurrency = govscript::client::batch::DEFAULT_CONCURRENCY;
    let default = bulk_update(&slow.url, dir, &ids, default_concurrency, "rhai-default");
    let wide = bulk_update(&slow.url, dir, &ids, 32, "rhai32");
    let python = python_loop(&slow.url, dir, &ids, "py");
    drop(slow);
    println!("\n### 20 ms latency, {latency_n} artifacts\n");
    println!("| what | total | artifacts/s | speed vs Python |");
    println!("|---|---|---|---|");
    for (what, t) in [
        ("Python get_definition/save loop".to_string(), python),
        (
            format!("govscript bulk_update, concurrency {default_concurrency} (the default)"),
            default,
        ),
        ("govscript bulk_update, concurrency 32".to_string(), wide),
    ] {
        println!(
            "| {what} | {:.2} s | {:.0} | {:.1}x |",
            t.as_secs_f64(),
            per_sec(latency_n, t),
            python.as_secs_f64() / t.as_secs_f64()
        );
    }

    // 3. Peak RSS over a search of rss_n artifacts.
    if rss_n > 0 {
        let big = sandbox(dir, rss_n, &[]);
        let script = dir.join("all.rhai");
        std::fs::write(
            &script,
            format!(
                "{QUERY}let r = c.bulk_update(q, |raw| {{ raw.fields.owner = \"rss\"; }});\n\
                 if r.done != {rss_n} {{ throw r.summary(); }}\n"
            ),
        )
        .expect("write");
        let (took, kib) = peak_rss(govscript(&big.url, &script, &[]));
        println!(
            "\n### peak RSS\n\nbulk_update over a search of {rss_n} artifacts: {:.1} s, \
             peak RSS {:.1} MiB",
            took.as_secs_f64(),
            kib as f64 / 1024.0
        );
    }
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!("\nload average after: {}", load.trim());
}
