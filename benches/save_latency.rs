//! `save()` at a realistic latency, and concurrent appends to one artifact.
//!
//! `cargo bench --bench save_latency` starts a sandbox with `--latency 20` (each
//! request answered 20 ms late), creates `BENCH_N` artifacts (default 30) and times,
//! inside each program (start-up excluded), the documented loop `get_definition()` →
//! edit `get_raw()` → `save()` with the Python client, govscript's default (merging)
//! save and `save(#{ force: true })`: the median of 3 runs each. Then, `BENCH_RUNS`
//! times (default 5) and on a sandbox without added latency as well, 20 processes
//! start at once, each appending a tag to one artifact's name, and it counts the
//! appends saved, reported as conflicts, kept, lost silently and reported but kept.
//! Needs the Python client in `.venv/` or `$GOVSCRIPT_PYTHON`. Prints Markdown.
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

const KEY: &str = "bench-admin-key";

fn python() -> PathBuf {
    std::env::var_os("GOVSCRIPT_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/python"))
}

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A sandbox answering `latency_ms` late; killed on drop.
struct Server {
    child: Child,
    url: String,
    dir: tempfile::TempDir,
}

impl Server {
    fn start(latency_ms: u64) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut child = Command::new(env!("CARGO_BIN_EXE_govscript"))
            .args(["sandbox", "--port", "0", "--admin-key", KEY, "--latency"])
            .arg(latency_ms.to_string())
            .arg("--db")
            .arg(dir.path().join("bench.db"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the sandbox");
        let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let url = loop {
            let line = lines.next().expect("sandbox output").expect("read");
            if let Some(url) = line.split("listening on ").nth(1) {
                break url.trim().to_string();
            }
        };
        std::thread::spawn(move || for _ in lines {});
        Self { child, url, dir }
    }

    /// `govscript run` of `source` (written to `name`, unless it already holds it:
    /// concurrent runs must not read a half-written script) with `args` after `--`.
    fn govscript(&self, name: &str, source: &str, flags: &[&str], args: &[&str]) -> Command {
        let path = self.dir.path().join(name);
        if std::fs::read_to_string(&path).ok().as_deref() != Some(source) {
            std::fs::write(&path, source).expect("write script");
        }
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_govscript"));
        cmd.arg("run")
            .args(flags)
            .arg(&path)
            .arg("--")
            .args(args)
            .env("GOVERN_HOST", &self.url)
            .env("GOVERN_API_KEY", KEY);
        cmd
    }

    /// Creates `n` artifacts; their ids.
    fn create(&self, n: usize) -> Vec<String> {
        let source = format!(
            "let c = govern();\nfor i in 0..{n} {{\n  print(c.create_artifact(#{{ blueprintVersionId: \
             #{{ blueprintId: \"bp.model_review\", versionId: \"bv.v1\" }}, name: `bench ${{i}}`, \
             fields: #{{ owner: \"x\" }} }}).artifact_id);\n}}\n"
        );
        stdout_of(self.govscript("create.rhai", &source, &[], &[]))
            .lines()
            .map(str::to_string)
            .collect()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn stdout_of(mut cmd: Command) -> String {
    let out = cmd.output().expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The update loop over the ids in `ARGS[0]`; prints its own duration in seconds.
const RHAI_LOOP: &str = r#"
let c = govern();
let started = timestamp();
for id in ARGS[0].split(" ") {
  let d = c.get_artifact(id).get_definition();
  d.raw.fields.owner = "rhai";
  if ARGS[1] == "force" { d.save(#{ force: true }); } else { d.save(); }
}
print(started.elapsed);
"#;

const PYTHON_LOOP: &str = "import sys, time, dataikuapi\n\
c = dataikuapi.GovernClient(sys.argv[1], sys.argv[2])\n\
started = time.perf_counter()\n\
for i in sys.argv[3].split():\n    d = c.get_artifact(i).get_definition()\n    \
d.get_raw()['fields']['owner'] = 'py'\n    d.save()\n\
print(time.perf_counter() - started)\n";

/// The median over 3 runs of the seconds `cmd()` prints.
fn median_seconds(mut cmd: impl FnMut() -> Command) -> f64 {
    let mut times: Vec<f64> = (0..3)
        .map(|_| {
            let out = stdout_of(cmd());
            out.trim().parse().expect("a duration in seconds")
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[1]
}

fn latency_table(n: usize) {
    let server = Server::start(20);
    let ids = server.create(n).join(" ");
    let python_time = median_seconds(|| {
        let mut cmd = Command::new(python());
        cmd.args(["-c", PYTHON_LOOP, &server.url, KEY, &ids]);
        cmd
    });
    let rhai = |mode: &'static str| {
        median_seconds(|| server.govscript("update.rhai", RHAI_LOOP, &[], &[&ids, mode]))
    };
    let (merged, forced) = (rhai("merge"), rhai("force"));
    println!("save at --latency 20, {n} artifacts, loop time (median of 3 runs):\n");
    println!("| client | requests per artifact | per artifact | time vs Python |");
    println!("|---|---|---|---|");
    let row = |what: &str, requests: usize, t: f64| {
        println!(
            "| {what} | {requests} | {:.1} ms | {:.2}x |",
            t * 1000.0 / n as f64,
            t / python_time
        );
    };
    row("Python dataikuapi 15.2.0 `save()`", 2, python_time);
    row("govscript `save()` (three-way merge)", 3, merged);
    row("govscript `save(#{ force: true })`", 2, forced);
}

const APPEND: &str = r#"
let d = govern().get_artifact(ARGS[0]).get_definition();
d.raw.name += ` t${ARGS[1]}`;
try { d.save(); print("saved"); } catch (e) {
    if e.error_type != "Conflict" { throw e; }
    print("conflict");
}
"#;

/// One run of 20 concurrent appends to a new artifact:
/// (saved, conflicts, lost silently, reported but kept).
fn appends(server: &Server) -> [usize; 4] {
    let id = server.create(1).remove(0);
    let children: Vec<Child> = (0..20)
        .map(|i| {
            server
                .govscript("append.rhai", APPEND, &[], &[&id, &i.to_string()])
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()
                .expect("spawn")
        })
        .collect();
    let outcomes: Vec<String> = children
        .into_iter()
        .map(|c| {
            let out = c.wait_with_output().expect("wait");
            String::from_utf8_lossy(&out.stdout).trim().to_string()
        })
        .collect();
    let name = stdout_of(server.govscript(
        "name.rhai",
        "print(govern().get_artifact(ARGS[0]).get_definition().raw.name);",
        &[],
        &[&id],
    ));
    let kept = |i: usize| name.split_whitespace().any(|w| w == format!("t{i}"));
    let count = |f: &dyn Fn(usize) -> bool| (0..20).filter(|&i| f(i)).count();
    let saved = |i: usize| outcomes[i] == "saved";
    let conflict = |i: usize| outcomes[i] == "conflict";
    assert_eq!(count(&|i| saved(i) || conflict(i)), 20, "{outcomes:?}");
    [
        count(&saved),
        count(&conflict),
        count(&|i| saved(i) && !kept(i)),
        count(&|i| conflict(i) && kept(i)),
    ]
}

fn appends_table(runs: usize) {
    println!("\n20 processes appending to one artifact's name at once, {runs} runs:\n");
    println!("| sandbox | saved | conflicts | lost silently | reported but kept |");
    println!("|---|---|---|---|---|");
    for latency in [0, 20] {
        let server = Server::start(latency);
        let results: Vec<[usize; 4]> = (0..runs).map(|_| appends(&server)).collect();
        let column = |k: usize| {
            let values: Vec<String> = results.iter().map(|r| r[k].to_string()).collect();
            values.join(", ")
        };
        println!(
            "| --latency {latency} | {} | {} | {} | {} |",
            column(0),
            column(1),
            column(2),
            column(3)
        );
    }
}

fn main() {
    latency_table(env_or("BENCH_N", 30));
    appends_table(env_or("BENCH_RUNS", 5));
}
