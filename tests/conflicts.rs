//! Lost updates are detected: `save()` re-reads the artifact and refuses when someone
//! else changed it since it was read.
mod common;
use common::{ADMIN_KEY, Sandbox};
use std::process::{Command, Stdio};

#[test]
fn a_save_over_another_writers_change_is_refused_naming_the_fields() {
    let sandbox = Sandbox::start();
    let out = sandbox
        .script(
            r#"
let c = govern();
let mine = c.get_artifact("ar.1").get_definition();
let theirs = c.get_artifact("ar.1").get_definition();
theirs.raw.fields.owner = "zed";
theirs.save();
mine.raw.fields.risk = "Low";
let e = expect_error(|| mine.save());
print(`${e.error_type} | ${e.operation} | ${e.message}`);
// Nothing was sent: the other writer's change is intact.
assert_eq(c.get_artifact("ar.1").get_definition().get_raw().fields.owner, "zed");
// force overrides; later saves of the same document check against what it saved.
mine.save(#{ force: true });
mine.raw.fields.score = 0.5;
mine.save();
let now = c.get_artifact("ar.1").get_definition().get_raw().fields;
print(`${now.owner} ${now.risk} ${now.score}`);
"#,
        )
        .ok();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        "Conflict | GovernArtifactDefinition.save | conflict: changed on the server since it \
         was read (fields.owner); read it again, or save(#{ force: true }) to overwrite"
    );
    assert_eq!(lines[1], "alice Low 0.5");
}

#[test]
fn no_conflict_check_restores_last_writer_wins() {
    let sandbox = Sandbox::start();
    sandbox
        .script(
            r#"
let c = govern();
let mine = c.get_artifact("ar.2").get_definition();
let theirs = c.get_artifact("ar.2").get_definition();
theirs.raw.fields.owner = "zed";
theirs.save();
mine.raw.fields.risk = "Low";
mine.save();
assert_eq(c.get_artifact("ar.2").get_definition().get_raw().fields.owner, "bob");
"#,
        )
        .arg("--no-conflict-check")
        .ok();
}

/// 20 processes append a token to one field at once. With the check, each either
/// saves or reports a conflict; the field ends with the tokens of the saves. Without
/// it (the Python client's behaviour), appends are lost silently.
#[test]
fn twenty_concurrent_appends_report_conflicts_instead_of_losing_updates() {
    let sandbox = Sandbox::start();
    let script = sandbox.dir.join("append.rhai");
    std::fs::write(
        &script,
        r#"
let d = govern().get_artifact("ar.3").get_definition();
d.raw.fields.description += ` t${ARGS[0]}`;
try { d.save(); print("saved"); } catch (e) {
    if e.error_type != "Conflict" { throw e; }
    print("conflict");
}
"#,
    )
    .expect("write script");
    let children: Vec<_> = (0..20)
        .map(|i| {
            Command::new(common::bin())
                .arg("run")
                .arg(&script)
                .arg("--")
                .arg(i.to_string())
                .env("GOVERN_HOST", &sandbox.url)
                .env("GOVERN_API_KEY", ADMIN_KEY)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn")
        })
        .collect();
    let mut saved = Vec::new();
    let mut conflicts = 0;
    for (i, child) in children.into_iter().enumerate() {
        let out = child.wait_with_output().expect("wait");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        match text.trim() {
            "saved" => saved.push(format!("t{i}")),
            "conflict" => conflicts += 1,
            other => panic!("unexpected output {other:?}"),
        }
    }
    let out = sandbox
        .script(
            "print(govern().get_artifact(\"ar.3\").get_definition().get_raw().fields.description);",
        )
        .ok();
    let kept: Vec<&str> = out
        .split_whitespace()
        .filter(|w| w.starts_with('t'))
        .collect();
    assert_eq!(saved.len() + conflicts, 20);
    assert!(!saved.is_empty());
    // A process that printed "saved" must find its token kept: anything else is a lost
    // update nobody was told about. One remains possible (see `save_checked`): another
    // writer's read-then-write straddling this save's write and re-read.
    let lost: Vec<&String> = saved
        .iter()
        .filter(|t| !kept.contains(&t.as_str()))
        .collect();
    assert!(
        lost.len() <= 1,
        "saved {saved:?}, kept {kept:?}, conflicts {conflicts}, lost silently {lost:?}"
    );
    eprintln!(
        "saved {}, kept {}, conflicts {conflicts}, lost {}",
        saved.len(),
        kept.len(),
        lost.len()
    );
}
