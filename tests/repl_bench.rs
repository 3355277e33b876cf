//! Benchmark (not a timed test; ignored by default): time from `govscript repl --sandbox`
//! start to the first prompt, and from Tab to the completion list after a chained call,
//! checking that completing sends no request. Run on a release build:
//!
//! `cargo test --release --test repl_bench -- --ignored --nocapture`
mod common;

use common::Sandbox;
use common::process::{self, HANG};
use common::repl::Pty;
use std::time::{Duration, Instant};

fn stats(mut samples: Vec<Duration>) -> String {
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    format!(
        "median {:.1} ms, min {:.1} ms, max {:.1} ms (n={})",
        ms(samples[samples.len() / 2]),
        ms(samples[0]),
        ms(samples[samples.len() - 1]),
        samples.len()
    )
}

/// How many times the terminal bell rang.
fn bells(pty: &Pty) -> usize {
    pty.raw().matches('\x07').count()
}

#[test]
#[ignore = "benchmark: run with --ignored --nocapture on a release build"]
fn repl_startup_and_completion_latency() {
    // Waits poll every 0.1 ms, not 5: the poll interval is the figures' resolution.
    process::poll_finely();
    let state = tempfile::tempdir().unwrap();
    let dir = state.path().to_str().unwrap();
    let envs = [("XDG_STATE_HOME", dir), ("HOME", dir), ("NO_COLOR", "1")];

    let mut startup = Vec::new();
    for _ in 0..10 {
        let start = Instant::now();
        let mut pty = Pty::spawn(&["repl", "--sandbox"], &envs);
        pty.expect("gov> ");
        startup.push(start.elapsed());
        pty.quit();
    }
    println!(
        "start to first prompt (in-process sandbox): {}",
        stats(startup)
    );

    let mut startup = Vec::new();
    let remote = common::unused_url();
    for _ in 0..10 {
        let start = Instant::now();
        let mut pty = Pty::spawn(
            &["repl"],
            &[
                ("GOVERN_HOST", remote.as_str()),
                ("GOVERN_API_KEY", "k"),
                ("XDG_STATE_HOME", dir),
                ("HOME", dir),
                ("NO_COLOR", "1"),
            ],
        );
        pty.expect("gov> ");
        startup.push(start.elapsed());
        pty.quit();
    }
    println!(
        "start to first prompt (remote host, no sandbox): {}",
        stats(startup)
    );

    let sandbox = Sandbox::start();
    let mut pty = Pty::repl_on(&sandbox, dir);
    let before = sandbox.recorded().len();
    let mut unique = Vec::new();
    let mut listed = Vec::new();
    for _ in 0..20 {
        // A unique completion: one Tab inserts it.
        pty.send("client.get_artifact(\"ar.1\").get_defi");
        pty.expect("get_defi");
        let start = Instant::now();
        pty.send("\t");
        pty.expect("get_definition()");
        unique.push(start.elapsed());
        pty.send("\x15");
        // A list: the first Tab finds no common prefix, the second lists.
        pty.send("client.get_artifact(\"ar.1\").");
        pty.expect("(\"ar.1\").");
        // The first Tab rings the bell: wait for it rather than for a fixed time.
        let before = bells(&pty);
        pty.send("\t");
        process::wait_until(
            HANG,
            || (bells(&pty) > before).then_some(()),
            || "the bell of the first Tab".into(),
        );
        let start = Instant::now();
        pty.send("\t");
        pty.expect("list_signoffs");
        listed.push(start.elapsed());
        pty.send("\x15");
    }
    println!(
        "Tab to inserted completion (chained call): {}",
        stats(unique)
    );
    println!("Tab to completion list (chained call): {}", stats(listed));
    let sent = sandbox.recorded().len() - before;
    println!("requests sent while completing: {sent}");
    assert_eq!(sent, 0);
    pty.quit();
}
