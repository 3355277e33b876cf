//! Benchmarks of `govscript watch` (not timed tests; results go to BENCHMARKS.md):
//!
//! ```sh
//! cargo test --release --test watch_bench -- --ignored --nocapture --test-threads 1
//! ```
//!
//! - drop-to-start latency (median, p95) for a rename into the folder and for a close
//!   after writing in place, read from the `script start` line of each log;
//! - throughput of small CSV drops, each updating an artifact in a sandbox;
//! - the watcher's RSS over 10,000 such drops;
//! - the throughput of such changing drops audited (the default) and with `--no-audit`,
//!   alternated on one sandbox.
mod common;

use common::Sandbox;
use common::watch::{Folder, Watcher};
use std::io::Write;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

fn now_us() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_micros() as u64)
}

fn script_start_us(f: &Folder, name: &str) -> u64 {
    let log = f.log_of(".done", name);
    log.lines()
        .find_map(|l| l.strip_prefix("script start: epoch_us "))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no start line in the log of {name}:\n{log}"))
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn summary(label: &str, mut ms: Vec<f64>) {
    ms.sort_by(|a, b| a.total_cmp(b));
    println!(
        "| {label} | {} | {:.1} | {:.1} | {:.1} |",
        ms.len(),
        percentile(&ms, 0.5),
        percentile(&ms, 0.95),
        ms[ms.len() - 1]
    );
}

#[test]
#[ignore = "benchmark: run with --release --ignored --nocapture"]
fn drop_to_start_latency() {
    const N: usize = 300;
    let f = Folder::new();
    let on = f.handler("*.txt", "noop.rhai", "let x = FILE.size;");
    let mut w = Watcher::start(&f, &["--on", &on], &[]);
    let mut drops = Vec::new();
    for i in 0..N {
        let name = format!("w{i:04}.txt");
        let mut file = std::fs::File::create(f.dir.join(&name)).unwrap();
        file.write_all(b"payload").unwrap();
        drop(file);
        drops.push(("close after write", name, now_us()));
        std::thread::sleep(Duration::from_millis(15));

        let name = format!("r{i:04}.txt");
        let staged = f.outside(&name);
        std::fs::write(&staged, "payload").unwrap();
        std::fs::rename(&staged, f.dir.join(&name)).unwrap();
        drops.push(("rename into the folder", name, now_us()));
        std::thread::sleep(Duration::from_millis(15));
    }
    w.wait_finished(2 * N, Duration::from_secs(120));
    println!("| drop kind | drops | median ms | p95 ms | max ms |\n|---|---|---|---|---|");
    for kind in ["rename into the folder", "close after write"] {
        let ms: Vec<f64> = drops
            .iter()
            .filter(|(k, _, _)| *k == kind)
            .map(|(_, name, t)| script_start_us(&f, name).saturating_sub(*t) as f64 / 1000.0)
            .collect();
        summary(kind, ms);
    }
    assert!(w.terminate().success());
}

const UPDATE: &str = r#"
let client = govern();
for row in FILE.content {
    let definition = client.get_artifact(row.id).get_definition();
    let raw = definition.get_raw();
    raw.fields.score = parse_int(row.score);
    definition.save();
}
"#;

fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

#[test]
#[ignore = "benchmark: run with --release --ignored --nocapture"]
fn throughput_and_memory_against_the_sandbox() {
    const BATCH: usize = 1000;
    const BATCHES: usize = 10;
    let sandbox = Sandbox::start();
    let f = Folder::new();
    let on = f.handler("*.csv", "update.rhai", UPDATE);
    let mut w = Watcher::against(&f, &["--on", &on], &sandbox);
    println!("| drops so far | batch drops/s | watcher RSS MiB |\n|---|---|---|");
    println!("| 0 | - | {:.1} |", rss_kib(w.pid()) as f64 / 1024.0);
    let mut rates = Vec::new();
    for b in 0..BATCHES {
        let started = Instant::now();
        for i in 0..BATCH {
            let n = b * BATCH + i;
            let row = format!("id,score\nar.{},{}\n", 1 + n % 8, n);
            f.write(&format!("u{n:05}.csv"), &row);
        }
        w.wait_finished((b + 1) * BATCH, Duration::from_secs(300));
        let rate = BATCH as f64 / started.elapsed().as_secs_f64();
        rates.push(rate);
        println!(
            "| {} | {rate:.0} | {:.1} |",
            (b + 1) * BATCH,
            rss_kib(w.pid()) as f64 / 1024.0
        );
    }
    assert_eq!(
        w.events("failed").len(),
        0,
        "{:?}",
        w.events("failed").first()
    );
    rates.sort_by(|a, b| a.total_cmp(b));
    println!(
        "median batch throughput: {:.0} drops/s",
        rates[rates.len() / 2]
    );
    assert!(w.terminate().success());
}

#[test]
#[ignore = "benchmark: run with --release --ignored --nocapture"]
fn changing_drop_throughput() {
    const DROPS: usize = 500;
    const ROUNDS: usize = 3;
    let sandbox = Sandbox::start();
    let modes: [(&str, &[&str]); 2] = [("audit on", &[]), ("--no-audit", &["--no-audit"])];
    let mut rates: Vec<Vec<f64>> = vec![Vec::new(); modes.len()];
    println!("| round | mode | drops/s |\n|---|---|---|");
    for round in 1..=ROUNDS {
        for (m, (label, args)) in modes.iter().enumerate() {
            let f = Folder::new();
            let on = f.handler("*.csv", "update.rhai", UPDATE);
            let mut w = Watcher::against(&f, &[&["--on", &on][..], args].concat(), &sandbox);
            let started = Instant::now();
            for n in 0..DROPS {
                f.write(
                    &format!("c{n:05}.csv"),
                    &format!("id,score\nar.{},{n}\n", 1 + n % 8),
                );
            }
            w.wait_finished(DROPS, Duration::from_secs(300));
            let rate = DROPS as f64 / started.elapsed().as_secs_f64();
            assert_eq!(
                w.events("failed").len(),
                0,
                "{:?}",
                w.events("failed").first()
            );
            let audited = f.outside("state/govscript/audit.jsonl").exists();
            assert_eq!(audited, args.is_empty(), "{label}");
            println!("| {round} | {label} | {rate:.0} |");
            rates[m].push(rate);
            assert!(w.terminate().success());
        }
    }
    for ((label, _), mut r) in modes.iter().zip(rates) {
        r.sort_by(|a, b| a.total_cmp(b));
        println!("median {label}: {:.0} drops/s", r[r.len() / 2]);
    }
}
