//! Every example of README.md runs as printed, read from README.md itself:
//!
//! - a ```` ```rhai ```` block is a script, run against a fresh demo sandbox;
//! - a ```` ```rhai file=PATH ```` block is the file `PATH` that shell examples use;
//! - a ```` ```sh ```` block that calls govscript is run line by line in a scratch folder
//!   (see [`shell::Shell`]), with `GOVERN_HOST`/`GOVERN_API_KEY` of a demo sandbox set, as in a
//!   configured shell;
//! - the `text` block of a REPL session is typed on a terminal, entry by entry;
//! - the `toml` blocks are read by the commands they configure (a profile, a watched
//!   folder's mapping);
//! - other blocks (`rust`, event lines, and `sh` without govscript, listed in
//!   [`NOT_RUN`] with the reason) are not examples to run.
//!
//! Each example's expected output and effect on the server is listed in [`EXAMPLES`];
//! a runnable block without an entry, or an entry without a block, fails the test.
mod common;

#[path = "readme/shell.rs"]
mod shell;
#[path = "readme/transcript.rs"]
mod transcript;

use common::Sandbox;
use serde_json::json;
use shell::{Shell, words};
use std::path::Path;
use std::process::Command;

/// One fenced block of README.md.
#[derive(Debug)]
struct Block {
    /// The language, first word of the info string.
    lang: String,
    /// `file=PATH` from the info string.
    file: Option<String>,
    /// The block's lines, without the fence's indentation.
    text: String,
    /// Line of the opening fence (1-based).
    line: usize,
}

/// An example, found by a line of its block, and what it must do.
struct Example {
    /// A line of the block, exactly as printed.
    line: &'static str,
    /// Fragments its standard output must contain.
    prints: &'static [&'static str],
    /// Checks the effect on the server, given the run's scratch folder and the ambient
    /// demo sandbox.
    check: Option<fn(&Path, &Sandbox)>,
}

/// The README's examples.
const EXAMPLES: &[Example] = &[
    Example {
        line: "for s in artifact.list_signoffs() { print(s.get_raw()); }",
        // ar.1's review sign-off in the demo data.
        prints: &["WAITING_FOR_FEEDBACK"],
        check: None,
    },
    Example {
        line: "cargo run --release -- run --sandbox scripts/list_signoffs.rhai",
        prints: &["ar.1  Churn model\n  review: WAITING_FOR_FEEDBACK"],
        check: None,
    },
    Example {
        line: "GOVERN_HOST=http://127.0.0.1:11200 GOVERN_API_KEY=secret govscript run scripts/blueprint_tour.rhai",
        prints: &["bp.model_review  Model review\n  bv.v1 ACTIVE"],
        check: None,
    },
    Example {
        line: "GOVSCRIPT_SANDBOX_ADMIN_KEY=secret govscript sandbox --db test.db --fault-rate 0.2 --fault-seed 42 &",
        prints: &["ar.3: already owned by carol\n", "2 artifact(s) updated\n"],
        check: Some(faulty_sandbox_has_each_change_once),
    },
    Example {
        line: "govscript watch inbox --on '*.csv=handlers/update_fields.rhai' --concurrency 4",
        prints: &[" done      updates.csv  handler="],
        check: Some(csv_rows_reached_the_server),
    },
    Example {
        line: "GOVERN_API_KEY=alice-sandbox-key govscript run as_alice.rhai",
        prints: &["Cost reduction\n", "refused: 403\n"],
        check: Some(alices_refused_save_changed_nothing),
    },
    Example {
        line: "catch (e) { if e.status == 404 { print(\"no such artifact\"); } }",
        prints: &["no such artifact\n"],
        check: None,
    },
    Example {
        line: "print(as_alice.get_auth_info().authIdentifier);      // alice",
        prints: &["***\nalice\nNo external user source is configured\n"],
        check: Some(the_nightly_key_exists),
    },
    Example {
        line: "govscript apply reassign.plan.json --audit-log audit.jsonl",
        prints: &[
            "fields.owner: \"bob\" → \"carol\"",
            "Plan: 0 to create, 2 to update, 0 to delete, 0 other call(s).",
            "Applied 2 of 2 changes: 0 refused, 0 failed, 0 skipped.",
            "2 records, chain intact",
        ],
        check: Some(the_plan_was_applied_once_and_audited),
    },
    Example {
        line: "govscript lint --blueprint bp.model_review",
        prints: &["1 blueprint linted: 0 errors, 0 warnings\n"],
        check: None,
    },
    Example {
        line: "for f in lint::signoff_configuration(conf) { print(`${f.rule} ${f.path}`); }",
        prints: &["misspelled-key signoffConfigurations.step.feedbackGroups\n"],
        check: None,
    },
    Example {
        line: "print(report);  // bulk_update: 3 items, 2 done, 0 unchanged, 0 failed, 1 skipped",
        prints: &["bulk_update: 3 items, 2 done, 0 unchanged, 0 failed, 1 skipped\n"],
        check: Some(bobs_low_and_medium_risk_models_went_to_alice),
    },
];

/// The bulk example moved bob's two models that are not high-risk to alice.
fn bobs_low_and_medium_risk_models_went_to_alice(_: &Path, sb: &Sandbox) {
    for (id, owner) in [("ar.2", "bob"), ("ar.6", "alice"), ("ar.11", "alice")] {
        assert_eq!(sb.fields(id)["owner"], owner, "{id}");
    }
}

/// Plan then apply: bob's two models are carol's, and the audit log holds the two saves.
fn the_plan_was_applied_once_and_audited(dir: &Path, sb: &Sandbox) {
    for id in ["ar.2", "ar.6"] {
        assert_eq!(sb.fields(id)["owner"], "carol", "{id}");
    }
    let log = std::fs::read_to_string(dir.join("audit.jsonl")).expect("audit log");
    assert_eq!(log.lines().count(), 2, "{log}");
}

/// The artifact alice may read but not save is as seeded.
fn alices_refused_save_changed_nothing(_: &Path, sb: &Sandbox) {
    let art = sb.ok("GET", "/dip/publicapi/artifact/ar.16", None);
    assert_eq!(
        art["artifact"]["fields"]["description"],
        "Cut operating costs"
    );
}

/// Blocks of a runnable language that are not run, found by a line, and why.
const NOT_RUN: &[(&str, &str)] = &[("cargo test", "runs this very test suite")];

/// The fenced blocks of README.md.
fn blocks() -> Vec<Block> {
    let readme = std::fs::read_to_string(common::root().join("README.md")).expect("README.md");
    let mut blocks = Vec::new();
    let mut open: Option<(usize, usize, String, Vec<&str>)> = None;
    for (i, line) in readme.lines().enumerate() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        match open.as_mut() {
            None => {
                if let Some(info) = trimmed.strip_prefix("```") {
                    open = Some((i + 1, indent, info.trim().to_string(), Vec::new()));
                }
            }
            Some((_, _, _, lines)) if trimmed != "```" => lines.push(line),
            Some(_) => {
                let (start, indent, info, lines) = open.take().expect("an open block");
                let mut words = info.split([' ', ',']).filter(|w| !w.is_empty());
                let lang = words.next().unwrap_or_default().to_string();
                let file = words
                    .find_map(|w| w.strip_prefix("file="))
                    .map(str::to_string);
                let text: Vec<&str> = lines
                    .iter()
                    .map(|l| l.get(indent..).unwrap_or(l.trim_start()))
                    .collect();
                blocks.push(Block {
                    lang,
                    file,
                    text: text.join("\n") + "\n",
                    line: start,
                });
            }
        }
    }
    assert!(open.is_none(), "README.md: a code block is never closed");
    blocks
}

/// Whether the block is an example to run.
fn runnable(block: &Block) -> bool {
    match block.lang.as_str() {
        "rhai" => block.file.is_none(),
        "sh" => Shell::lines(&block.text)
            .iter()
            .any(|l| Shell::command(&words(l)).is_some()),
        _ => false,
    }
}

/// The example entry of `block`, if any.
fn example_of(block: &Block) -> Option<&'static Example> {
    EXAMPLES
        .iter()
        .find(|e| block.text.lines().any(|l| l.trim() == e.line))
}

/// The runnable blocks, each with its entry.
fn examples() -> Vec<(Block, &'static Example)> {
    let mut found = Vec::new();
    for block in blocks().into_iter().filter(runnable) {
        if NOT_RUN
            .iter()
            .any(|(line, _)| block.text.lines().any(|l| l.trim() == *line))
        {
            continue;
        }
        let example = example_of(&block).unwrap_or_else(|| {
            panic!(
                "README.md:{}: a {} example without an entry in EXAMPLES:\n{}",
                block.line, block.lang, block.text
            )
        });
        found.push((block, example));
    }
    found
}

#[test]
fn every_example_has_an_entry_and_every_entry_an_example() {
    let found = examples();
    for e in EXAMPLES {
        assert!(
            found.iter().any(|(_, f)| std::ptr::eq(*f, e)),
            "no README.md example has the line {:?}",
            e.line
        );
    }
    for (line, why) in NOT_RUN {
        assert!(
            blocks()
                .iter()
                .any(|b| b.text.lines().any(|l| l.trim() == *line)),
            "NOT_RUN names {line:?} ({why}), which README.md no longer has"
        );
    }
}

#[test]
fn rhai_examples_run_as_printed() {
    let files = support_files();
    for (block, example) in examples().iter().filter(|(b, _)| b.lang == "rhai") {
        let sandbox = Sandbox::start();
        let scratch = scratch(&files);
        let out = sandbox.script(&block.text).ok();
        verify(block, example, &out, scratch.path(), &sandbox);
    }
}

#[test]
fn shell_examples_run_as_printed() {
    let files = support_files();
    for (block, example) in examples().iter().filter(|(b, _)| b.lang == "sh") {
        let sandbox = Sandbox::start();
        let scratch = scratch(&files);
        let out = Shell::new(scratch.path(), &sandbox).run(&block.text);
        verify(block, example, &out, scratch.path(), &sandbox);
    }
}

/// The README's REPL session, typed on a terminal as printed. The sandbox is the
/// in-process one of `--sandbox`, as the transcript's command says.
#[test]
fn the_repl_session_runs_as_printed() {
    let block = blocks()
        .into_iter()
        .find(|b| b.lang == "text" && b.text.starts_with("$ govscript repl"))
        .expect("README.md shows a REPL session");
    let (command, entries) = transcript::parse(&block.text);
    let args: Vec<&str> = command.split_whitespace().skip(1).collect();
    let state = tempfile::tempdir().expect("temp dir");
    let dir = state.path().to_str().expect("utf-8 path");
    let mut pty = common::repl::Pty::spawn(
        &args,
        &[("XDG_STATE_HOME", dir), ("HOME", dir), ("NO_COLOR", "1")],
    );
    pty.expect("gov> ");
    transcript::replay(&mut pty, &entries);
    assert!(pty.quit().success());
}

/// The `toml` block of README.md containing `marker`.
fn toml_block(marker: &str) -> Block {
    blocks()
        .into_iter()
        .find(|b| b.lang == "toml" && b.text.contains(marker))
        .unwrap_or_else(|| panic!("README.md has no toml block with {marker:?}"))
}

/// The profile example, as the config file: `govscript config --profile prod` reads
/// every setting from it.
#[test]
fn the_profile_example_configures_the_connection() {
    let block = toml_block("[profiles.prod]");
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("config.toml");
    std::fs::write(&file, &block.text).expect("write the config");
    let out = Command::new(common::bin())
        .args(["config", "--profile", "prod"])
        .env_remove("GOVERN_HOST")
        .env_remove("GOVERN_API_KEY")
        .env("GOVSCRIPT_CONFIG", &file)
        .env("PROD_GOVERN_KEY", "a-key-from-the-environment")
        .output()
        .expect("run govscript config");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for line in [
        "https://govern.example.com:11200  (from profile 'prod')",
        "(from profile 'prod', via $PROD_GOVERN_KEY)",
        "120 s  (from profile 'prod')",
    ] {
        assert!(text.contains(line), "{line:?} missing:\n{text}");
    }
}

/// The watched folder's mapping example, as `DIR/.govscript-watch.toml` with the
/// handler example where it names it: a CSV dropped in runs the handler.
#[test]
fn the_watch_config_example_runs_its_handler() {
    let sandbox = Sandbox::start();
    let inbox = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        inbox.path().join(".govscript-watch.toml"),
        toml_block("[[on]]").text,
    )
    .expect("write the watch config");
    for (path, text) in support_files() {
        let path = inbox.path().join(path);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("create folders");
        std::fs::write(path, text).expect("write the handler");
    }
    std::fs::write(
        inbox.path().join("updates.csv"),
        "id,owner,score\nar.5,frank,12\n",
    )
    .expect("write the CSV");
    let out = Command::new(common::bin())
        .args(["watch", "--once"])
        .arg(inbox.path())
        .env("GOVERN_HOST", &sandbox.url)
        .env("GOVERN_API_KEY", &sandbox.key)
        .env("GOVSCRIPT_CONFIG", inbox.path().join("no-config.toml"))
        .output()
        .expect("run govscript watch --once");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains(" done      updates.csv"),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let fields = sandbox.fields("ar.5");
    assert_eq!(
        (&fields["owner"], &fields["score"]),
        (&json!("frank"), &json!(12))
    );
}

/// Checks an example's output and effect.
fn verify(block: &Block, example: &Example, out: &str, dir: &Path, sandbox: &Sandbox) {
    for fragment in example.prints {
        assert!(
            out.contains(fragment),
            "README.md:{}: output lacks {fragment:?}:\n{out}",
            block.line
        );
    }
    if let Some(check) = example.check {
        check(dir, sandbox);
    }
}

/// `rhai file=PATH` blocks: (path, content).
fn support_files() -> Vec<(String, String)> {
    blocks()
        .into_iter()
        .filter_map(|b| Some((b.file?, b.text)))
        .collect()
}

/// A scratch folder as the project root looks to the examples: `scripts/`, and the
/// files of `rhai file=PATH` blocks.
fn scratch(files: &[(String, String)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("scratch dir");
    std::os::unix::fs::symlink(common::root().join("scripts"), dir.path().join("scripts"))
        .expect("link scripts/");
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("create folders");
        std::fs::write(path, text).expect("write a support file");
    }
    dir
}

/// The fault-injection example: reading the data back, every change is there once.
fn faulty_sandbox_has_each_change_once(dir: &Path, _: &Sandbox) {
    // The example's sandbox was stopped with its block; its database stays.
    let sandbox = Sandbox::with()
        .key("secret")
        .db(&dir.join("test.db"))
        .start();
    for id in ["ar.1", "ar.2", "ar.3"] {
        assert_eq!(sandbox.fields(id)["owner"], "carol", "{id}");
    }
    let named: Vec<_> = sandbox
        .all_artifacts()
        .into_iter()
        .filter(|a| a["fields"]["owner"] == "carol")
        .collect();
    // ar.3 and ar.10 in the demo data, ar.1 and ar.2 changed: no artifact was created.
    assert_eq!(named.len(), 4, "{named:?}");
}

/// The watch example: the CSV's rows are on the server, the file in `.done/`.
fn csv_rows_reached_the_server(dir: &Path, sandbox: &Sandbox) {
    let ar1 = sandbox.fields("ar.1");
    assert_eq!(
        (&ar1["owner"], &ar1["score"]),
        (&json!("carol"), &json!(91))
    );
    let ar2 = sandbox.fields("ar.2");
    assert_eq!((&ar2["owner"], &ar2["score"]), (&json!("dave"), &json!(42)));
    let done: Vec<String> = std::fs::read_dir(dir.join("inbox/.done"))
        .expect("inbox/.done")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert!(done.iter().any(|n| n.ends_with("-updates.csv")), "{done:?}");
}

/// The keys example created its global key (whose secret it printed masked).
fn the_nightly_key_exists(_: &Path, sandbox: &Sandbox) {
    let keys = sandbox.ok(
        "GET",
        &format!("{}/admin/global-api-keys/", common::API),
        None,
    );
    let labels: Vec<&str> = keys
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|k| k["label"].as_str())
        .collect();
    assert!(labels.contains(&"nightly"), "{keys}");
}
