//! Bulk update benchmark: read, edit and save N artifacts, with the official Python
//! client and with govscript (merging save and --no-conflict-check), on one sandbox in one run.
//!
//! `cargo bench --bench bulk_update` (N from `BENCH_N`, default 300). Needs the Python
//! client in `.venv/` or `$GOVSCRIPT_PYTHON`. Prints a Markdown table for BENCHMARKS.md.
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const KEY: &str = "bench-admin-key";

fn python() -> PathBuf {
    std::env::var_os("GOVSCRIPT_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/python"))
}

/// Starts the sandbox; returns the child and its URL.
fn sandbox(dir: &Path) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_govscript"))
        .args(["sandbox", "--port", "0", "--admin-key", KEY, "--db"])
        .arg(dir.join("bench.db"))
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
    (child, url)
}

fn govscript(url: &str, script: &Path, extra: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_govscript"));
    cmd.arg("run")
        .args(extra)
        .arg(script)
        .env("GOVERN_HOST", url)
        .env("GOVERN_API_KEY", KEY);
    cmd
}

/// Runs `cmd` `runs` times; the median wall time.
fn median(runs: usize, mut cmd: impl FnMut() -> Command) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            let out = cmd().output().expect("run");
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            started.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2]
}

fn main() {
    let n: usize = std::env::var("BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300);
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path();
    let (mut server, url) = sandbox(dir);

    let create = dir.join("create.rhai");
    std::fs::write(
        &create,
        format!(
            "let c = govern();\nfor i in 0..{n} {{\n  let a = c.create_artifact(#{{\n    \
             blueprintVersionId: #{{ blueprintId: \"bp.model_review\", versionId: \"bv.v1\" }},\n    \
             name: `bench ${{i}}`, fields: #{{ owner: \"x\" }} }});\n  print(a.artifact_id);\n}}\n"
        ),
    )
    .expect("write");
    let out = govscript(&url, &create, &[]).output().expect("create");
    let ids = String::from_utf8_lossy(&out.stdout).into_owned();
    let ids_file = dir.join("ids.txt");
    std::fs::write(&ids_file, &ids).expect("write ids");

    let update = dir.join("update.rhai");
    std::fs::write(
        &update,
        "let c = govern();\nlet ids = ARGS[0];\nfor id in ids.split(\"\\n\") {\n  if id == \"\" { continue; }\n  \
         let d = c.get_artifact(id).get_definition();\n  d.raw.fields.owner = \"rhai\";\n  d.save();\n}\n",
    )
    .expect("write");
    let py = "import sys, dataikuapi\nc = dataikuapi.GovernClient(sys.argv[1], sys.argv[2])\n\
              for i in open(sys.argv[3]).read().split():\n    d = c.get_artifact(i).get_definition()\n    \
              d.get_raw()['fields']['owner'] = 'py'\n    d.save()\n";

    let runs = 3;
    let python_time = median(runs, || {
        let mut cmd = Command::new(python());
        cmd.arg("-c").arg(py).arg(&url).arg(KEY).arg(&ids_file);
        cmd
    });
    let checked = median(runs, || {
        let mut cmd = govscript(&url, &update, &[]);
        cmd.arg("--").arg(&ids);
        cmd
    });
    let unchecked = median(runs, || {
        let mut cmd = govscript(&url, &update, &["--no-conflict-check"]);
        cmd.arg("--").arg(&ids);
        cmd
    });
    let _ = server.kill();

    let row = |what: &str, t: Duration, requests: usize| {
        let per = t.as_secs_f64() * 1000.0 / n as f64;
        println!(
            "| {what} | {requests} | {:.2} s | {per:.2} ms | {:.2}x |",
            t.as_secs_f64(),
            python_time.as_secs_f64() / t.as_secs_f64()
        );
    };
    println!("bulk update of {n} artifacts (median of {runs} runs):\n");
    println!("| client | requests per artifact | total | per artifact | speed vs Python |");
    println!("|---|---|---|---|---|");
    row("Python dataikuapi 15.2.0", python_time, 2);
    row("govscript, three-way merge (default)", checked, 3);
    row("govscript --no-conflict-check", unchecked, 2);
}
