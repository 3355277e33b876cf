//! `save()` is a three-way merge: the changes made since the document was read are
//! applied onto a fresh read, another writer's changes to other paths are kept, and a
//! path both changed differently is a `Conflict` that writes nothing. The other writer
//! is the official Python client where it can be.
mod common;
use common::{ADMIN_KEY, Sandbox, python, python_client_available};
use serde_json::{Value, json};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A line of JSON the script printed.
fn parse(line: &str) -> Value {
    serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"))
}

/// The Rhai half of a two-writer scenario on `ar.1`: reads the definition, prints
/// `read`, waits until the server's document differs from it (the other writer
/// saved), then runs `edit` (with `d` the definition) and saves, printing `saved` or
/// the conflict's message, then the server's `fields` and `name`.
fn rhai_writer(edit: &str) -> String {
    format!(
        r#"
let c = govern();
let d = c.get_artifact("ar.1").get_definition();
print("read");
while c.get_artifact("ar.1").get_definition().get_raw() == d.get_raw() {{}}
{edit}
try {{ d.save(); print("saved"); print(to_json(d.get_raw().fields)); }}
catch (e) {{ print(`${{e.error_type}}: ${{e.message}}`); }}
let now = c.get_artifact("ar.1").get_definition().get_raw();
print(to_json(now.fields));
print(now.name);
"#
    )
}

/// Runs `rhai_edit` in govscript and `python_edit` (on `raw`, the definition's
/// `get_raw()`) in the Python client, the Python save landing between govscript's
/// read and its save. The run's output lines, or `None` when Python is unavailable.
fn with_python_writer(rhai_edit: &str, python_edit: &str) -> Option<Vec<String>> {
    if !python_client_available() {
        return None;
    }
    let sandbox = Sandbox::start();
    let mut run = sandbox.script(&rhai_writer(rhai_edit)).spawn();
    run.wait_for_line("read");
    let py = format!(
        "import sys, dataikuapi\nc = dataikuapi.GovernClient(sys.argv[1], sys.argv[2])\n\
         d = c.get_artifact('ar.1').get_definition()\nraw = d.get_raw()\n{python_edit}\nd.save()\n"
    );
    let out = Command::new(python())
        .args(["-c", &py, &sandbox.url, ADMIN_KEY])
        .output()
        .expect("run python");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let ran = run.wait_within(Duration::from_secs(60));
    assert_eq!(ran.code, 0, "{ran:?}");
    Some(ran.stdout.lines().skip(1).map(str::to_string).collect())
}

#[test]
fn changes_to_different_fields_are_both_kept_instead_of_refused() {
    let Some(out) = with_python_writer(
        r#"d.raw.fields.risk = "Low";"#,
        "raw['fields']['owner'] = 'zed'\nraw['name'] = 'Renamed'",
    ) else {
        return;
    };
    assert_eq!(out[0], "saved");
    let fields =
        json!({"description": "Churn model (demo)", "owner": "zed", "risk": "Low", "score": 0.87});
    // The merged document is what was sent and what get_raw() shows after.
    assert_eq!(parse(&out[1]), fields);
    assert_eq!(parse(&out[2]), fields);
    assert_eq!(out[3], "Renamed");
}

#[test]
fn the_same_field_changed_by_both_is_a_conflict_naming_it_and_nothing_is_written() {
    let Some(out) = with_python_writer(
        r#"d.raw.fields.owner = "me"; d.raw.fields.risk = "Low";"#,
        "raw['fields']['owner'] = 'zed'",
    ) else {
        return;
    };
    assert_eq!(
        out[0],
        r#"Conflict: conflict: changed here and on the server since it was read: fields.owner (base "alice", mine "me", theirs "zed"); nothing was saved; read it again and redo the change, or save(#{ force: true }) to overwrite"#
    );
    // The first writer's value stays, and none of this save's changes were sent.
    assert_eq!(
        parse(&out[1]),
        json!({"description": "Churn model (demo)", "owner": "zed", "risk": "Medium", "score": 0.87})
    );
}

#[test]
fn the_same_change_on_both_sides_is_not_a_conflict() {
    let Some(out) = with_python_writer(
        r#"d.raw.fields.owner = "zed"; d.raw.fields.score = 0.5;"#,
        "raw['fields']['owner'] = 'zed'",
    ) else {
        return;
    };
    assert_eq!(out[0], "saved");
    assert_eq!(
        parse(&out[2]),
        json!({"description": "Churn model (demo)", "owner": "zed", "risk": "Medium", "score": 0.5})
    );
}

#[test]
fn a_field_deleted_here_and_edited_there_is_a_conflict() {
    let Some(out) = with_python_writer(
        r#"d.raw.fields.remove("description");"#,
        "raw['fields']['description'] = 'edited'",
    ) else {
        return;
    };
    assert!(
        out[0].contains(
            r#"fields.description (base "Churn model (demo)", mine (absent), theirs "edited")"#
        ),
        "{out:?}"
    );
    assert_eq!(parse(&out[1])["description"], "edited");
}

#[test]
fn force_and_no_conflict_check_overwrite_as_python_does() {
    let sandbox = Sandbox::start();
    let script = |flag: &str| {
        let src = format!(
            r#"
let c = govern();
let mine = c.get_artifact("ar.2").get_definition();
let theirs = c.get_artifact("ar.2").get_definition();
theirs.raw.fields.owner = "zed";
theirs.save();
mine.raw.fields.risk = "Low";
mine.save({flag});
print(c.get_artifact("ar.2").get_definition().get_raw().fields.owner);
"#
        );
        src
    };
    let forced = sandbox.script(&script("#{ force: true }")).ok();
    assert_eq!(forced.trim(), "bob");
    let unchecked = sandbox.script(&script("")).arg("--no-conflict-check").ok();
    assert_eq!(unchecked.trim(), "bob");
}

/// It used to sleep as long as its own read-then-write took and read again after
/// writing: a save is now one read and one write.
#[test]
fn a_save_no_longer_sleeps_and_re_reads_after_writing() {
    let sandbox = Sandbox::start();
    sandbox
        .script(
            r#"
let d = govern().get_artifact("ar.5").get_definition();
d.raw.fields.owner = "x";
d.save();
"#,
        )
        .ok();
    let requests: Vec<String> = sandbox
        .recorded()
        .iter()
        .map(|r| {
            format!(
                "{} {}",
                r["method"].as_str().unwrap_or(""),
                r["target"].as_str().unwrap_or("")
            )
        })
        .filter(|r| r.contains("/artifact/ar.5"))
        .collect();
    assert_eq!(
        requests,
        [
            "GET /dip/publicapi/artifact/ar.5",
            "GET /dip/publicapi/artifact/ar.5",
            "PUT /dip/publicapi/artifact/ar.5"
        ]
    );
}

/// Each of 20 processes reads `ar.3`, prints `read NAME`, waits until its number is
/// in `ar.9`'s name (the test's barrier), appends ` tN` to `ar.3`'s name and saves,
/// printing `saved` or `conflict`.
const APPEND: &str = r#"
let c = govern();
let d = c.get_artifact("ar.3").get_definition();
print(`read ${d.raw.name}`);
while !c.get_artifact("ar.9").get_definition().raw.name.split(" ").contains(ARGS[0]) {}
d.raw.name += ` t${ARGS[0]}`;
try { d.save(); print("saved"); } catch (e) {
    if e.error_type != "Conflict" { throw e; }
    print("conflict");
}
"#;

/// 20 appending processes, all past their read; `release` lets them save.
struct Appenders {
    sandbox: Sandbox,
    children: Vec<(
        Child,
        std::io::Lines<std::io::BufReader<std::process::ChildStdout>>,
    )>,
}

impl Appenders {
    /// Starts the 20 processes and waits until each has read `ar.3`, as it was.
    fn start() -> Self {
        use std::io::BufRead;
        let sandbox = Sandbox::start();
        let script = sandbox.dir.join("append.rhai");
        std::fs::write(&script, APPEND).expect("write script");
        let mut children: Vec<_> = (0..20)
            .map(|i| {
                let mut child = Command::new(common::bin())
                    .arg("run")
                    .arg(&script)
                    .arg("--")
                    .arg(i.to_string())
                    .env("GOVERN_HOST", &sandbox.url)
                    .env("GOVERN_API_KEY", ADMIN_KEY)
                    // All 20 append to one audit log, in the test's folder.
                    .env("XDG_STATE_HOME", &sandbox.dir)
                    .stdout(Stdio::piped())
                    .stderr(Stdio::null())
                    .spawn()
                    .expect("spawn");
                let lines = std::io::BufReader::new(child.stdout.take().expect("stdout")).lines();
                (child, lines)
            })
            .collect();
        for (_, lines) in &mut children {
            let line = lines.next().and_then(Result::ok);
            assert_eq!(line.as_deref(), Some("read Credit scoring"));
        }
        Self { sandbox, children }
    }

    /// Puts `numbers` into `ar.9`'s name: those processes save.
    fn release(&self, numbers: &str) {
        self.sandbox
            .script(&format!(
                r#"let d = govern().get_artifact("ar.9").get_definition();
                   d.raw.name = "go {numbers}"; d.save(#{{ force: true }});"#
            ))
            .ok();
    }

    /// What process `i` printed after its read (`saved` or `conflict`); waits for it.
    fn outcome(&mut self, i: usize) -> String {
        let (child, lines) = &mut self.children[i];
        let line = lines.next().and_then(Result::ok).unwrap_or_default();
        assert!(child.wait().expect("wait").success(), "process {i}: {line}");
        line
    }

    /// The tags kept in `ar.3`'s name.
    fn kept(&self) -> Vec<String> {
        self.sandbox
            .script(r#"print(govern().get_artifact("ar.3").get_definition().raw.name);"#)
            .ok()
            .split_whitespace()
            .filter(|w| w.starts_with('t'))
            .map(str::to_string)
            .collect()
    }
}

/// All 20 processes read before any writes; then they save one after the other: every
/// append but the first is built on a stale read and must be reported, none lost.
#[test]
fn twenty_writers_that_all_read_first_get_one_save_and_nineteen_conflicts() {
    let mut appenders = Appenders::start();
    let mut outcomes = Vec::new();
    for i in 0..20 {
        appenders.release(&i.to_string());
        outcomes.push(appenders.outcome(i));
    }
    assert_eq!(outcomes[0], "saved");
    assert!(
        outcomes[1..].iter().all(|o| o == "conflict"),
        "{outcomes:?}"
    );
    assert_eq!(appenders.kept(), ["t0"]);
}

/// All 20 processes read before any writes, then all save at once. A conflict means
/// nothing was written, so no reported append is kept; the one kept append was
/// reported saved. Saves whose fresh read came before another's write (the remaining
/// window of one round trip) may be lost silently: counted, not asserted.
#[test]
fn twenty_simultaneous_appends_never_report_a_kept_append_as_a_conflict() {
    let mut appenders = Appenders::start();
    let all: Vec<String> = (0..20).map(|i| i.to_string()).collect();
    appenders.release(&all.join(" "));
    let outcomes: Vec<String> = (0..20).map(|i| appenders.outcome(i)).collect();
    let kept = appenders.kept();
    let tag = |i: usize| format!("t{i}");
    let saved: Vec<String> = (0..20)
        .filter(|&i| outcomes[i] == "saved")
        .map(tag)
        .collect();
    let reported: Vec<String> = (0..20)
        .filter(|&i| outcomes[i] == "conflict")
        .map(tag)
        .collect();
    assert_eq!(saved.len() + reported.len(), 20, "{outcomes:?}");
    let reported_but_kept: Vec<&String> = reported.iter().filter(|t| kept.contains(t)).collect();
    assert!(
        reported_but_kept.is_empty(),
        "reported but kept: {reported_but_kept:?}"
    );
    // Every writer read the same name, so exactly one append survives: a saved one.
    assert_eq!(kept.len(), 1, "kept {kept:?}");
    assert!(saved.contains(&kept[0]), "saved {saved:?}, kept {kept:?}");
    // The 20 processes appended to one audit log at once: its chain holds, with a
    // record for each save sent.
    let log = appenders.sandbox.dir.join("govscript/audit.jsonl");
    let verify = Command::new(common::bin())
        .args(["audit", "verify"])
        .arg(&log)
        .output()
        .expect("audit verify");
    assert!(
        verify.status.success(),
        "{}",
        String::from_utf8_lossy(&verify.stderr)
    );
    let records = std::fs::read_to_string(&log)
        .expect("audit log")
        .lines()
        .count();
    assert!(
        records >= saved.len(),
        "{records} records, {} saved",
        saved.len()
    );
    eprintln!(
        "saved {}, conflicts {}, lost silently {}",
        saved.len(),
        reported.len(),
        saved.len() - 1
    );
}
