//! `govscript watch` at its edges (issue 11 §4, §6): names that are logs, too long,
//! not UTF-8 or symbolic links; files still open for writing under another name or
//! reopened while queued; the folder itself moved or deleted; oversized drops; a log
//! that cannot be written. Each test is named after what the watcher used to do wrong.
mod common;

use common::watch::{Folder, Watcher};
use std::io::Write;
use std::os::unix::ffi::OsStrExt;
use std::time::Duration;

const T: Duration = Duration::from_secs(30);

/// A handler that runs until the watcher is killed.
const SPIN: &str = "let t = timestamp(); while t.elapsed < 120.0 { }";

#[test]
fn a_dropped_log_killed_mid_run_was_stranded_in_processing_forever() {
    let f = Folder::new();
    let on = f.handler("*.log", "spin.rhai", SPIN);
    let mut w = Watcher::start(&f, &["--on", &on], &[]);
    f.write("app.log", "line 1\n");
    w.wait_for("started", T, |e| e["event"] == "started");
    w.kill9();

    let again = Watcher::start(&f, &["--on", &on, "--once"], &[]);
    assert!(again.wait_exit().success());
    assert_eq!(f.names_in(".failed"), ["app.log"]);
    assert!(f.names_in(".processing").is_empty());
    assert!(f.log_of(".failed", "app.log").contains("interrupted"));
}

/// A 245-byte name: `000001-<name>.log` is longer than the 255 bytes a name may have.
fn long_name() -> String {
    format!("{}.rhai", "n".repeat(240))
}

#[test]
fn a_245_byte_name_failed_its_log_and_stayed_in_processing() {
    let f = Folder::new();
    let mut w = Watcher::start(&f, &[], &[]);
    let name = long_name();
    f.write(&name, "print(\"long name ran\");");
    w.wait_finished(1, T);
    let done = w.events("done");
    assert_eq!(done.len(), 1, "{:#?}", w.seen);
    assert_eq!(
        done[0]["file"],
        name.as_str(),
        "events keep the dropped name"
    );
    assert!(f.names_in(".processing").is_empty());
    let stored = f.stored_in(".done");
    assert_eq!(stored.len(), 1);
    assert!(stored[0].len() + ".log".len() <= 255, "{}", stored[0]);
    let log = std::fs::read_to_string(f.dir.join(".done").join(format!("{}.log", stored[0])));
    assert!(log.unwrap().contains("long name ran"));
    assert!(w.terminate().success());
}

#[test]
fn a_245_byte_name_left_running_in_processing_made_every_later_start_exit_2() {
    // What an older version left behind: the file under its full name, its run
    // journaled as started, its log impossible to create.
    let f = Folder::new();
    let name = long_name();
    for sub in [".processing", ".done", ".failed"] {
        std::fs::create_dir(f.dir.join(sub)).unwrap();
    }
    std::fs::write(
        f.dir.join(".processing").join(format!("000001-{name}")),
        "print(1);",
    )
    .unwrap();
    let journal = format!(
        "{{\"ev\":\"claimed\",\"id\":1,\"name\":\"{name}\",\"handler\":\"(script)\",\"ts\":0}}\n{{\"ev\":\"running\",\"id\":1,\"ts\":0}}\n"
    );
    std::fs::write(f.dir.join(".govscript-journal.jsonl"), journal).unwrap();

    let mut w = Watcher::start(&f, &["--once"], &[]);
    w.collect_for(Duration::ZERO);
    let failed = w.events("failed");
    assert!(w.wait_exit().success());
    assert_eq!(failed.len(), 1, "{failed:#?}");
    assert_eq!(failed[0]["file"], name.as_str());
    assert!(
        failed[0]["detail"]
            .as_str()
            .unwrap_or_default()
            .starts_with("interrupted")
    );
    assert!(f.names_in(".processing").is_empty());
    assert_eq!(f.stored_in(".failed").len(), 1);
    // And the start after that is an ordinary one.
    assert!(Watcher::start(&f, &["--once"], &[]).wait_exit().success());
}

#[test]
fn a_hard_link_whose_writer_held_the_original_open_was_taken_half_written() {
    let f = Folder::new();
    let on = f.handler(
        "*.dat",
        "size.rhai",
        r#"assert_eq(FILE.size, 12, "bytes seen"); print("all 12 bytes");"#,
    );
    let mut w = Watcher::start(&f, &["--on", &on, "--settle-ms", "100"], &[]);
    let original = f.outside("original.dat");
    let mut writer = std::fs::File::create(&original).unwrap();
    writer.write_all(b"first.").unwrap();
    writer.flush().unwrap();
    std::fs::hard_link(&original, f.dir.join("linked.dat")).unwrap();
    // The writer pauses for many settle windows, its file open under the other name.
    std::thread::sleep(Duration::from_millis(1500));
    writer.write_all(b"second").unwrap();
    drop(writer);
    w.wait_finished(1, T);
    assert_eq!(f.names_in(".done"), ["linked.dat"], "{:#?}", w.seen);
    assert!(f.log_of(".done", "linked.dat").contains("all 12 bytes"));
    assert!(w.terminate().success());
}

#[test]
fn a_queued_file_reopened_for_appending_was_claimed_half_written() {
    let f = Folder::new();
    let block = f.handler(
        "*.block",
        "block.rhai",
        "let t = timestamp(); while t.elapsed < 3.0 { }",
    );
    let size = f.handler(
        "*.dat",
        "size.rhai",
        r#"assert_eq(FILE.size, 7, "bytes seen"); print("all 7 bytes");"#,
    );
    let args = ["--on", &block, "--on", &size, "--concurrency", "1"];
    let mut w = Watcher::start(&f, &args, &[]);
    f.write("first.block", "");
    w.wait_for("the blocker started", T, |e| e["event"] == "started");
    // Complete (closed) while the only slot is busy: it waits its turn...
    f.write("q.dat", "ab");
    // ...and is reopened for appending before its turn comes.
    let mut append = std::fs::OpenOptions::new()
        .append(true)
        .open(f.dir.join("q.dat"))
        .unwrap();
    w.wait_for("the blocker done", T, |e| e["event"] == "done");
    std::thread::sleep(Duration::from_millis(1000));
    append.write_all(b"cdefg").unwrap();
    drop(append);
    w.wait_finished(2, T);
    assert_eq!(
        f.names_in(".done"),
        ["first.block", "q.dat"],
        "{:#?}",
        w.seen
    );
    assert!(f.log_of(".done", "q.dat").contains("all 7 bytes"));
    assert!(w.terminate().success());
}

fn assert_stops_critically(w: Watcher) {
    let stderr_of = w.stderr_path();
    let status = w.wait_exit();
    let stderr = std::fs::read_to_string(stderr_of).unwrap_or_default();
    assert_eq!(status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("was moved or deleted"), "{stderr}");
}

#[test]
fn moving_the_watched_folder_left_the_watcher_running_and_blind() {
    let f = Folder::new();
    let w = Watcher::start(&f, &[], &[]);
    std::fs::rename(&f.dir, f.outside("moved")).unwrap();
    assert_stops_critically(w);
}

#[test]
fn recreating_the_watched_folder_left_the_watcher_running_and_blind() {
    let f = Folder::new();
    let w = Watcher::start(&f, &[], &[]);
    std::fs::remove_dir_all(&f.dir).unwrap();
    std::fs::create_dir(&f.dir).unwrap();
    assert_stops_critically(w);
}

#[test]
fn a_drop_over_max_file_mb_was_parsed_whatever_its_size() {
    let f = Folder::new();
    let on = f.handler(
        "*.csv",
        "rows.rhai",
        "print(`rows: ${FILE.content.len()}`);",
    );
    let mut w = Watcher::start(&f, &["--on", &on, "--max-file-mb", "1"], &[]);
    let row = "ar.1,someone@example.com,a value long enough to fill the file\n";
    let big = format!("id,owner,note\n{}", row.repeat(1_500_000 / row.len()));
    std::fs::write(f.outside("big.csv"), big).unwrap();
    std::fs::rename(f.outside("big.csv"), f.dir.join("big.csv")).unwrap();
    f.write("small.csv", &format!("id,owner,note\n{row}"));
    w.wait_finished(2, T);
    assert_eq!(f.names_in(".failed"), ["big.csv"]);
    assert_eq!(f.names_in(".done"), ["small.csv"]);
    let failed = &w.events("failed")[0];
    let detail = failed["detail"].as_str().unwrap_or_default();
    assert!(
        detail.contains("over the 1 MB limit (--max-file-mb)"),
        "{detail}"
    );
    assert!(
        !f.log_of(".failed", "big.csv").contains("rows:"),
        "the handler never ran"
    );
    assert!(f.log_of(".done", "small.csv").contains("rows: 1"));
    assert!(w.terminate().success());
}

#[test]
fn a_log_that_could_not_be_written_passed_for_a_clean_run() {
    // A full disk without mounting one: the first claim's log is a link to /dev/full,
    // where every write fails with ENOSPC ("No space left on device").
    let f = Folder::new();
    let mut w = Watcher::start(&f, &[], &[]);
    let log = f.dir.join(".processing").join("000001-full.rhai.log");
    std::os::unix::fs::symlink("/dev/full", log).unwrap();
    f.write("full.rhai", "print(\"lost\");");
    w.wait_finished(1, T);
    let done = w.events("done");
    assert_eq!(done.len(), 1, "the script itself succeeded: {:#?}", w.seen);
    let detail = done[0]["detail"].as_str().unwrap_or_default();
    assert!(
        detail.contains("warning: the log 000001-full.rhai.log could not be written"),
        "{detail}"
    );
    assert!(detail.contains("No space left on device"), "{detail}");
    let journal = std::fs::read_to_string(f.dir.join(".govscript-journal.jsonl")).unwrap();
    let finished = journal
        .lines()
        .find(|l| l.contains("\"ev\":\"finished\""))
        .unwrap_or_default();
    assert!(
        finished.contains("\"log_error\"") && finished.contains("No space left"),
        "{journal}"
    );
    assert!(w.terminate().success());
}

#[test]
fn non_utf8_names_and_symlinks_were_ignored_without_an_unmatched_report() {
    let f = Folder::new();
    let on = f.handler("*.csv", "h.rhai", "print(FILE.name);");
    let mut w = Watcher::start(&f, &["--on", &on], &[]);
    let target = f.outside("target.csv");
    std::fs::write(&target, "id\n1\n").unwrap();
    std::os::unix::fs::symlink(&target, f.dir.join("link.csv")).unwrap();
    let raw = std::ffi::OsStr::from_bytes(b"caf\xe9.csv");
    std::fs::write(f.dir.join(raw), "id\n1\n").unwrap();
    for what in ["link.csv", "caf"] {
        w.wait_for(what, T, |e| {
            e["event"] == "unmatched" && e["file"].as_str().is_some_and(|n| n.starts_with(what))
        });
    }
    let details: Vec<String> = w
        .events("unmatched")
        .iter()
        .map(|e| e["detail"].to_string())
        .collect();
    assert!(
        details.iter().any(|d| d.contains("symbolic link")),
        "{details:?}"
    );
    assert!(
        details.iter().any(|d| d.contains("not UTF-8")),
        "{details:?}"
    );
    assert!(f.names_in(".done").is_empty() && f.names_in(".failed").is_empty());
    assert!(w.terminate().success());
}

#[test]
fn a_failure_reason_named_the_processing_path_after_the_file_moved() {
    let f = Folder::new();
    let mut w = Watcher::start(&f, &[], &[]);
    f.write("bad.rhai", "let x = 1;\nx.no_such_method();\n");
    w.wait_finished(1, T);
    let failed = &w.events("failed")[0];
    let detail = failed["detail"].as_str().unwrap_or_default();
    assert!(!detail.contains(".processing"), "{detail}");
    let now_at = f.dir.join(".failed").join("000001-bad.rhai:2:3");
    assert!(detail.contains(&now_at.display().to_string()), "{detail}");
    assert!(w.terminate().success());
}
