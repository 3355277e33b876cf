//! Fault injection (`--fault-rate`, `--fault-seed`, `--latency`): each kind of fault is
//! what a client sees from a busy Govern, and a seed makes a run reproducible.
mod common;

use common::{API, Sandbox};
use serde_json::json;
use std::time::{Duration, Instant};

/// What one faulted write looked like from the client and in the database.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Seen {
    Ok,
    Unavailable,
    DroppedBeforeApply,
    DroppedAfterApply,
}

fn faulty(rate: &str, seed: &str) -> Sandbox {
    Sandbox::with()
        .arg("--fault-rate")
        .arg(rate)
        .arg("--fault-seed")
        .arg(seed)
        .start()
}

fn name_of(sb: &Sandbox, ar: &str) -> String {
    let art = sb.ok("GET", &format!("{API}/artifact/{ar}"), None);
    art["artifact"]["name"].as_str().unwrap_or("").to_string()
}

/// Renames ar.1 `n` times, classifying each outcome by reading the artifact back
/// (reads are never faulted without `--fault-reads`).
fn renames(sb: &Sandbox, n: usize) -> Vec<Seen> {
    let target = format!("{API}/artifact/ar.1");
    (0..n)
        .map(|i| {
            let name = format!("renamed {i}");
            let body = json!({ "name": name }).to_string();
            match sb.try_call("PUT", &target, Some(&body)) {
                Ok(a) if a.status == 200 => {
                    assert_eq!(name_of(sb, "ar.1"), name);
                    Seen::Ok
                }
                Ok(a) => {
                    assert_eq!(a.status, 503, "{}", a.body);
                    assert_eq!(a.retry_after.as_deref(), Some("1"));
                    let err: serde_json::Value = serde_json::from_str(&a.body).expect("JSON 503");
                    assert!(err["detailedMessage"].as_str().is_some(), "{}", a.body);
                    assert_ne!(name_of(sb, "ar.1"), name, "a 503 applied nothing");
                    Seen::Unavailable
                }
                Err(e) => {
                    // Seen as a connection error: no status line ever reached the client.
                    assert!(e.starts_with("no answer: "), "{e}");
                    if name_of(sb, "ar.1") == name {
                        Seen::DroppedAfterApply
                    } else {
                        Seen::DroppedBeforeApply
                    }
                }
            }
        })
        .collect()
}

#[test]
fn every_kind_of_fault_is_injected_and_drops_are_connection_errors() {
    let sb = faulty("1.0", "42");
    let seen = renames(&sb, 30);
    for kind in [
        Seen::Unavailable,
        Seen::DroppedBeforeApply,
        Seen::DroppedAfterApply,
    ] {
        assert!(seen.contains(&kind), "{kind:?} never seen in {seen:?}");
    }
    // At rate 1.0 no write gets a clean answer: a drop is never reported as a 200.
    assert!(!seen.contains(&Seen::Ok), "{seen:?}");
    // The server is still healthy after all those dropped connections.
    assert_eq!(
        sb.ok("GET", &format!("{API}/auth/info"), None)["authIdentifier"],
        "admin"
    );
}

#[test]
fn the_same_seed_gives_the_same_faults() {
    let a = renames(&faulty("0.5", "7"), 24);
    let b = renames(&faulty("0.5", "7"), 24);
    assert_eq!(a, b);
    assert!(
        a.contains(&Seen::Ok) && a.iter().any(|s| *s != Seen::Ok),
        "{a:?}"
    );
}

#[test]
fn reads_are_faulted_only_with_fault_reads() {
    let sb = faulty("1.0", "1");
    for _ in 0..10 {
        sb.ok("GET", &format!("{API}/artifact/ar.1"), None);
        sb.ok("POST", &format!("{API}/artifacts/search"), Some("{}"));
    }
    let reads = Sandbox::with()
        .arg("--fault-rate")
        .arg("1")
        .arg("--fault-seed")
        .arg("1")
        .arg("--fault-reads")
        .start();
    let faulted = (0..10)
        .filter(|_| {
            reads
                .try_call("GET", &format!("{API}/artifact/ar.1"), None)
                .map_or(true, |a| a.status != 200)
        })
        .count();
    assert_eq!(faulted, 10);
}

#[test]
fn latency_delays_every_request() {
    let sb = Sandbox::with().arg("--latency").arg("300").start();
    let t = Instant::now();
    sb.ok("GET", &format!("{API}/artifact/ar.1"), None);
    assert!(
        t.elapsed() >= Duration::from_millis(300),
        "{:?}",
        t.elapsed()
    );
}

#[test]
fn fault_rates_outside_zero_to_one_are_refused() {
    let out = std::process::Command::new(common::bin())
        .args(["sandbox", "--fault-rate", "1.5"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("expected a number from 0.0 to 1.0"), "{err}");
}
