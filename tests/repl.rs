//! `govscript repl` on a pseudo-terminal against a real sandbox: completion, multi-line
//! entries, errors, Ctrl-C, history and help.
mod common;

use common::Sandbox;
use common::process::HANG;
use common::repl::Pty;

/// A REPL on the in-process sandbox, history in `state` (a temp dir), no colour.
fn repl_on_sandbox(state: &std::path::Path) -> Pty {
    let state = state.to_str().expect("utf-8 path");
    let mut pty = Pty::spawn(
        &["repl", "--sandbox"],
        &[
            ("XDG_STATE_HOME", state),
            ("HOME", state),
            ("NO_COLOR", "1"),
        ],
    );
    pty.expect("gov> ");
    pty
}

#[test]
fn tab_completes_methods_of_a_variable_and_of_a_chained_call_without_requests() {
    let state = tempfile::tempdir().unwrap();
    let sandbox = Sandbox::start();
    let dir = state.path().to_str().unwrap();
    let mut pty = Pty::repl_on(&sandbox, dir);
    let before = sandbox.recorded().len();

    // A unique prefix completes in place (Ctrl-U then clears the line).
    pty.send("client.get_auth_i\t");
    pty.expect("client.get_auth_info(");
    pty.send("\x15");

    // Several candidates: the second Tab lists them (a prefix few methods share, so
    // that the listing's layout does not change as GovernClient gains methods).
    pty.send("client.get_a\t\t");
    let listed = pty.expect("get_auth_info");
    assert!(listed.contains("get_artifact"), "{listed}");
    pty.send("\x15");

    pty.send("client.get_artifact(\"ar.1\").\t\t");
    let listed = pty.expect("list_signoffs");
    for method in ["get_definition", "get_signoff", "create_signoff", "delete"] {
        assert!(listed.contains(method), "{method} missing from:\n{listed}");
    }
    pty.send("get_def\t");
    pty.expect("get_definition()");
    assert_eq!(
        sandbox.recorded().len(),
        before,
        "completion sent a request"
    );

    // Running the completed line does send one, and shows the document's summary.
    pty.send("\r");
    pty.expect("GovernArtifactDefinition ar.1 \"Churn model\"");
    pty.expect("gov> ");
    assert!(sandbox.recorded().len() > before);
    assert!(pty.quit().success());
}

#[test]
fn open_brackets_continue_and_errors_keep_the_session() {
    let state = tempfile::tempdir().unwrap();
    let mut pty = repl_on_sandbox(state.path());
    pty.entry(&["let xs = [1,", "2, 3]"]);
    let shown = pty.line("xs.len()");
    assert!(shown.contains('3'), "{shown}");

    pty.entry(&["fn twice(x) {", "  x * 2", "}"]);
    assert!(pty.line("twice(21)").contains("42"));

    let error = pty.line("nope(1)");
    assert!(error.contains("function not found: nope"), "{error}");
    assert!(error.contains("<repl>:1:1"), "{error}");
    let error = pty.line("client.get_artifact(\"ar.404\").get_definition()");
    assert!(error.contains("404"), "{error}");
    // Variables and functions survived the errors.
    assert!(pty.line("twice(xs[2])").contains('6'));
    assert!(pty.quit().success());
}

/// Used to send Ctrl-C 200-300 ms after Enter: on a slow machine the editor could still
/// be in raw mode, where `\x03` is a key press, not SIGINT. Now each Ctrl-C follows a
/// marker printed from inside the running entry (its text differs from the typed line,
/// so the echo cannot match it).
#[test]
fn ctrl_c_sent_after_the_entry_prints_a_marker_stops_it_and_the_session_goes_on() {
    let state = tempfile::tempdir().unwrap();
    let mut pty = repl_on_sandbox(state.path());
    pty.send("let i = 0; print(`looping ${40 + 2}`); loop { i += 1; }\r");
    pty.expect("looping 42\n");
    pty.send("\x03");
    pty.expect_within("interrupted (Ctrl-C)", HANG);
    pty.expect("gov> ");
    assert!(pty.line("i > 0").contains("true"));
    // A second interrupted entry: the session still survives (no exit on a 2nd Ctrl-C).
    pty.send("print(`again ${1 + 1}`); loop { }\r");
    pty.expect("again 2\n");
    pty.send("\x03");
    pty.expect_within("interrupted (Ctrl-C)", HANG);
    pty.expect("gov> ");
    // Ctrl-C while typing clears the line.
    pty.send("let never = 1\x03");
    pty.expect("let never = 1\n");
    pty.expect("gov> ");
    assert!(pty.line("is_def_var(\"never\")").contains("false"));
    assert!(pty.quit().success());
}

#[test]
fn history_is_saved_after_each_entry_without_the_api_key() {
    let state = tempfile::tempdir().unwrap();
    let sandbox = Sandbox::start();
    let dir = state.path().to_str().unwrap();
    let mut pty = Pty::repl_on(&sandbox, dir);
    pty.line("let kept = 40 + 2");
    let with_key = format!(
        "let c2 = GovernClient(\"{}\", \"{}\")",
        sandbox.url, sandbox.key
    );
    pty.line(&with_key);
    pty.line("c2.get_artifact(\"ar.3\")");
    // The key of a client created in the session is not kept either.
    pty.line(&format!(
        "let c3 = GovernClient(\"{}\", \"another-secret-key-77\")",
        common::unused_url()
    ));
    let file = state.path().join("govscript").join("history");
    let read = || std::fs::read_to_string(&file).expect("history file");
    let saved = read();
    assert!(saved.contains("let kept = 40 + 2"), "{saved}");
    assert!(saved.contains("c2.get_artifact"), "{saved}");
    assert!(
        !saved.contains(&sandbox.key),
        "the key reached the history:\n{saved}"
    );
    assert!(!saved.contains("another-secret-key-77"), "{saved}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "history readable by others: {mode:o}");
    }
    assert!(pty.quit().success());
    assert!(!read().contains(&sandbox.key));
}

#[test]
fn help_shows_commands_signatures_docs_and_types() {
    let state = tempfile::tempdir().unwrap();
    let mut pty = repl_on_sandbox(state.path());
    let overview = pty.line(".help");
    for part in [".vars", ".load FILE", "GovernArtifact", "GovernClient"] {
        assert!(overview.contains(part), "{part} missing:\n{overview}");
    }
    let artifact = pty.line(".help GovernArtifact");
    assert!(
        artifact.contains("get_definition() -> GovernArtifactDefinition"),
        "{artifact}"
    );
    assert!(
        artifact.contains("Fetches the artifact's definition"),
        "{artifact}"
    );
    let f = pty.line(".help get_artifact");
    assert!(
        f.contains("GovernClient.get_artifact(artifact_id: String) -> GovernArtifact"),
        "{f}"
    );
    assert!(f.contains("no request is made"), "{f}");
    let vars = pty.line(".vars");
    assert!(vars.contains("client: GovernClient"), "{vars}");

    let script = state.path().join("setup.rhai");
    std::fs::write(&script, "fn hello(n) { `hi ${n}` }\nlet loaded = 7;\n").unwrap();
    pty.line(&format!(".load {}", script.display()));
    assert!(pty.line("hello(loaded)").contains("hi 7"));
    assert!(pty.quit().success());
}

#[test]
fn a_terminal_gets_highlighting_and_coloured_json() {
    let state = tempfile::tempdir().unwrap();
    let dir = state.path().to_str().unwrap();
    let mut pty = Pty::spawn(
        &["repl", "--sandbox"],
        &[("XDG_STATE_HOME", dir), ("HOME", dir)],
    );
    pty.expect("gov> ");
    pty.line("let m = #{ name: \"x\", n: 1 }");
    pty.line("m");
    let raw = pty.raw();
    // The keyword and the string as typed, then the value's JSON.
    assert!(raw.contains("\x1b[35mlet\x1b[0m"), "{raw:?}");
    assert!(raw.contains("\x1b[32m\"x\"\x1b[0m"), "{raw:?}");
    assert!(raw.contains("\x1b[36m\"name\"\x1b[0m: "), "{raw:?}");
    assert!(pty.quit().success());
}
