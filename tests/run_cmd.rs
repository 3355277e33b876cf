//! `govscript run` as a newcomer meets it (issue 16): executable scripts with a `#!`
//! line, the script on standard input, arguments after the script path, exit codes,
//! and only the flags that apply to each command.
mod common;

use common::{EXIT_OK, EXIT_SCRIPT_ERROR, EXIT_USAGE, Ran, bin};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const SHEBANG: &str = "#!/usr/bin/env -S govscript run\n";

/// A temp folder holding one script.
struct Script {
    dir: tempfile::TempDir,
    path: PathBuf,
}

impl Script {
    /// Writes `source` as `DIR/name`.
    fn new(name: &str, source: &str) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join(name);
        std::fs::write(&path, source).expect("write script");
        Self { dir, path }
    }
}

/// The binary with `args`, no connection configured, `stdin` piped in; waits for it.
fn govscript(args: &[&str], stdin: &str) -> Ran {
    let mut cmd = Command::new(bin());
    cmd.args(args)
        .env_remove("GOVERN_HOST")
        .env_remove("GOVERN_API_KEY")
        .env_remove("GOVERN_PROFILE")
        .env("GOVSCRIPT_CONFIG", "/nonexistent/govscript.toml")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("start govscript");
    let mut input = child.stdin.take().expect("stdin piped");
    input.write_all(stdin.as_bytes()).expect("write stdin");
    drop(input);
    Ran::from(child.wait_with_output().expect("wait for govscript"))
}

fn assert_code(ran: &Ran, code: i32) {
    assert_eq!(
        ran.code, code,
        "unexpected exit code\nstdout:\n{}\nstderr:\n{}",
        ran.stdout, ran.stderr
    );
}

/// The path as a `&str` (temp paths are UTF-8 here).
fn s(path: &Path) -> &str {
    path.to_str().expect("UTF-8 temp path")
}

#[test]
fn a_shebang_line_used_to_be_a_syntax_error_now_the_script_runs_directly_with_arguments() {
    let script = Script::new("hello.rhai", &format!("{SHEBANG}print(ARGS);\n"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script.path, std::fs::Permissions::from_mode(0o755))
            .expect("chmod +x");
    }
    // `env -S govscript run` finds the binary under test first on PATH.
    let bin_dir = bin().parent().expect("bin dir").to_path_buf();
    let path = std::env::join_paths(std::iter::once(bin_dir).chain(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    )))
    .expect("PATH");
    let out = Command::new(&script.path)
        .args(["a", "b c", "--all"])
        .env("PATH", path)
        .current_dir(script.dir.path())
        .output()
        .expect("run the executable script");
    let ran = Ran::from(out);
    assert_code(&ran, EXIT_OK);
    assert_eq!(ran.stdout, "[\"a\", \"b c\", \"--all\"]\n");
}

#[test]
fn a_shebang_line_keeps_line_numbers_in_a_syntax_error() {
    let script = Script::new(
        "broken.rhai",
        &format!("{SHEBANG}let a = 1;\nlet b = [1, 2\nprint(b);\n"),
    );
    let ran = govscript(&["run", s(&script.path)], "");
    assert_code(&ran, EXIT_USAGE);
    assert!(ran.stderr.contains("error: syntax error"), "{}", ran.stderr);
    assert!(ran.stderr.contains("broken.rhai:4:1"), "{}", ran.stderr);
    assert!(ran.stderr.contains("4 | print(b);"), "{}", ran.stderr);
}

#[test]
fn a_shebang_line_keeps_line_numbers_in_a_runtime_error() {
    let script = Script::new("throws.rhai", &format!("{SHEBANG}\nthrow \"boom\";\n"));
    let ran = govscript(&["run", s(&script.path)], "");
    assert_code(&ran, EXIT_SCRIPT_ERROR);
    assert!(ran.stderr.contains("throws.rhai:3:1"), "{}", ran.stderr);
    assert!(ran.stderr.contains("3 | throw \"boom\";"), "{}", ran.stderr);
}

#[test]
fn only_a_first_line_shebang_is_skipped() {
    let script = Script::new("late.rhai", "print(1);\n#!/usr/bin/env govscript\n");
    let ran = govscript(&["run", s(&script.path)], "");
    assert_code(&ran, EXIT_USAGE);
    assert!(ran.stderr.contains("late.rhai:2:1"), "{}", ran.stderr);
}

#[test]
fn run_dash_used_to_be_cannot_read_dash_now_reads_the_script_from_stdin() {
    let ran = govscript(
        &["run", "-", "x", "-y"],
        "print(`${SCRIPT} ${ARGS}`);\nexit(3);\n",
    );
    assert_code(&ran, 3);
    assert_eq!(ran.stdout, "<stdin> [\"x\", \"-y\"]\n");
}

#[test]
fn a_syntax_error_on_stdin_names_stdin_with_line_and_source() {
    let ran = govscript(&["run", "-"], "#!/bin/govscript\nlet x = ;\n");
    assert_code(&ran, EXIT_USAGE);
    assert!(ran.stderr.contains("<stdin>:2:"), "{}", ran.stderr);
    assert!(ran.stderr.contains("2 | let x = ;"), "{}", ran.stderr);
}

#[test]
fn arguments_after_the_script_used_to_be_unexpected_now_they_go_to_the_script() {
    let script = Script::new("args.rhai", "print(ARGS);\n");
    let path = s(&script.path);
    let ran = govscript(&["run", path, "a", "-b", "--c=d", "--", "e"], "");
    assert_code(&ran, EXIT_OK);
    assert_eq!(ran.stdout, "[\"a\", \"-b\", \"--c=d\", \"--\", \"e\"]\n");
    assert!(ran.stderr.is_empty(), "{}", ran.stderr);

    // `--` right after the path is still accepted, and dropped.
    let ran = govscript(&["run", path, "--", "a", "b"], "");
    assert_code(&ran, EXIT_OK);
    assert_eq!(ran.stdout, "[\"a\", \"b\"]\n");
}

#[test]
fn a_run_option_after_the_script_goes_to_the_script_with_a_warning() {
    let script = Script::new("args.rhai", "print(ARGS);\n");
    let path = s(&script.path);
    for flag in ["--sandbox", "-q", "--timeout=5"] {
        let ran = govscript(&["run", path, flag], "");
        assert_code(&ran, EXIT_OK);
        assert_eq!(ran.stdout, format!("[\"{flag}\"]\n"));
        assert!(
            ran.stderr.contains(&format!(
                "warning: `{flag}` comes after the script path, so it is passed to the script"
            )),
            "{}",
            ran.stderr
        );
    }
    // A `--` says it is meant for the script: no warning.
    let ran = govscript(&["run", path, "--", "--sandbox"], "");
    assert_code(&ran, EXIT_OK);
    assert_eq!(ran.stdout, "[\"--sandbox\"]\n");
    assert!(ran.stderr.is_empty(), "{}", ran.stderr);
}

#[test]
fn an_unknown_option_before_the_script_is_a_usage_error_not_a_path() {
    let script = Script::new("x.rhai", "print(1);\n");
    let ran = govscript(&["run", "--bogus", s(&script.path)], "");
    assert_code(&ran, EXIT_USAGE);
    assert!(
        ran.stderr.contains("unexpected argument '--bogus' found"),
        "{}",
        ran.stderr
    );
    assert!(!ran.stderr.contains("cannot read"), "{}", ran.stderr);
    assert!(ran.stdout.is_empty(), "nothing ran: {}", ran.stdout);
}

#[test]
fn a_syntax_error_used_to_exit_1_now_exits_2_like_any_script_that_cannot_start() {
    let script = Script::new("syntax.rhai", "print(\"ran\");\nlet = 1;\n");
    let ran = govscript(&["run", s(&script.path)], "");
    assert_code(&ran, EXIT_USAGE);
    assert!(ran.stdout.is_empty(), "nothing ran: {}", ran.stdout);
    // A script that started and failed still exits 1.
    let script = Script::new("fails.rhai", "print(\"ran\");\nthrow 1;\n");
    let ran = govscript(&["run", s(&script.path)], "");
    assert_code(&ran, EXIT_SCRIPT_ERROR);
    assert_eq!(ran.stdout, "ran\n");
}

#[test]
fn the_quiet_verbose_conflict_used_to_show_env_connection_flags_as_required() {
    let script = Script::new("x.rhai", "print(1);\n");
    let out = Command::new(bin())
        .args(["run", "-q", "-v", s(&script.path)])
        .env("GOVERN_HOST", "http://127.0.0.1:9")
        .env("GOVERN_API_KEY", "secret-key-1234")
        .output()
        .expect("run govscript");
    let ran = Ran::from(out);
    assert_code(&ran, EXIT_USAGE);
    assert!(
        ran.stderr
            .contains("the argument '--quiet' cannot be used with '--verbose'"),
        "{}",
        ran.stderr
    );
    assert!(
        ran.stderr.contains("Usage: govscript run"),
        "{}",
        ran.stderr
    );
    assert!(!ran.stderr.contains("--host <HOST>"), "{}", ran.stderr);
    assert!(!ran.stderr.contains("--api-key"), "{}", ran.stderr);
    assert!(ran.stdout.is_empty(), "nothing ran: {}", ran.stdout);
}

#[test]
fn commands_that_run_no_script_used_to_offer_quiet_and_verbose() {
    let help = |sub: &str| govscript(&[sub, "--help"], "").stdout;
    for sub in ["definitions", "completions", "config"] {
        let text = help(sub);
        assert!(!text.contains("--quiet"), "{sub}: {text}");
        assert!(!text.contains("--verbose"), "{sub}: {text}");
    }
    let sandbox = help("sandbox");
    assert!(!sandbox.contains("--quiet"), "{sandbox}");
    assert!(
        sandbox.contains("--verbose") && sandbox.contains("every request served"),
        "{sandbox}"
    );
    for sub in ["run", "watch", "repl"] {
        let text = help(sub);
        assert!(
            text.contains("--quiet") && text.contains("--verbose"),
            "{sub}: {text}"
        );
    }
    // `-q` is no longer accepted where it does nothing, before the command or after.
    for args in [["definitions", "-q", "defs"], ["-q", "definitions", "defs"]] {
        let ran = govscript(&args, "");
        assert_code(&ran, EXIT_USAGE);
        assert!(ran.stderr.contains("'-q'") || ran.stderr.contains("'--quiet'"));
    }
}

#[test]
fn quiet_and_verbose_before_the_command_still_reach_run() {
    let script = Script::new("x.rhai", "debug(\"noise\");\nprint(ARGS);\n");
    let ran = govscript(&["-q", "run", s(&script.path), "a"], "");
    assert_code(&ran, EXIT_OK);
    assert_eq!(ran.stdout, "[\"a\"]\n");
    assert!(!ran.stderr.contains("noise"), "{}", ran.stderr);
    let ran = govscript(&["run", s(&script.path)], "");
    assert!(
        ran.stderr.contains("noise"),
        "debug shows without -q: {}",
        ran.stderr
    );
    // The conflict is still one, wherever the flags are.
    let ran = govscript(&["-q", "run", "-v", s(&script.path)], "");
    assert_code(&ran, EXIT_USAGE);
}

#[test]
fn the_timeout_default_is_in_the_help_and_is_the_clients() {
    let text = govscript(&["run", "--help"], "").stdout;
    let default = govscript::client::DEFAULT_TIMEOUT.as_secs();
    assert!(
        text.contains(&format!("else {default}]")),
        "--timeout's default ({default} s) is not in the help:\n{text}"
    );
}

#[test]
fn watch_skips_the_shebang_line_of_a_dropped_script() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("drop.rhai"),
        format!("{SHEBANG}print(`dropped ${{ARGS.len()}}`);\n"),
    )
    .expect("write drop");
    let ran = govscript(&["watch", "--once", s(dir.path())], "");
    assert_code(&ran, EXIT_OK);
    let log = done_log(dir.path(), "drop.rhai");
    assert!(log.contains("dropped 0"), "{log}");
}

/// The log `watch` wrote for `name` in `DIR/.done` (panics if it is not there).
fn done_log(dir: &Path, name: &str) -> String {
    let log = std::fs::read_dir(dir.join(".done"))
        .expect(".done exists")
        .flatten()
        .map(|e| e.path())
        .find(|p| p.to_string_lossy().ends_with(&format!("{name}.log")))
        .expect("a log in .done");
    std::fs::read_to_string(log).expect("read log")
}

#[test]
fn the_repl_load_command_skips_the_shebang_line() {
    let script = Script::new("loaded.rhai", &format!("{SHEBANG}let loaded = 40 + 2;\n"));
    let ran = govscript(&["repl"], &format!(".load {}\nloaded\n", s(&script.path)));
    assert_code(&ran, EXIT_OK);
    assert!(ran.stdout.contains("42"), "{}\n{}", ran.stdout, ran.stderr);
}

#[test]
fn watch_sandbox_used_to_fail_when_govern_host_was_exported() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("drop.rhai"), "print(govern().host);\n").expect("write");
    let out = Command::new(bin())
        .args(["watch", "--sandbox", "--once", s(dir.path())])
        .env("GOVERN_HOST", "http://127.0.0.1:9")
        .env("GOVSCRIPT_CONFIG", "/nonexistent/govscript.toml")
        .output()
        .expect("run govscript watch");
    let ran = Ran::from(out);
    assert_code(&ran, EXIT_OK);
    // The script ran against the in-process sandbox, not the exported host.
    let log = done_log(dir.path(), "drop.rhai");
    assert!(log.contains("http://127.0.0.1:"), "{log}");
    assert!(!log.contains("127.0.0.1:9\n"), "{log}");
}
