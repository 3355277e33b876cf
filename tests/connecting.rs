//! Setting up a connection: a bad host or key is refused at start with the fix, a
//! missing one is named, the sandbox's start-up says what it needs, and an in-process
//! sandbox leaves no database behind.
mod common;
use common::{ADMIN_KEY, EXIT_SCRIPT_ERROR, EXIT_USAGE, Ran, Run, Sandbox, bin};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Runs `command` and returns its outcome; a process still running after 60 s (a
/// sandbox that should have refused to start) is killed and reported as exit -1.
fn finish(command: &mut Command) -> Ran {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start govscript");
    let start = Instant::now();
    while child.try_wait().expect("poll").is_none() && start.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let out = child.wait_with_output().expect("output");
    Ran::from(out)
}

/// `govscript sandbox --port PORT` on a database in `dir`, with the admin key variable
/// set to `key` (or unset).
fn sandbox_on(port: &str, dir: &Path, key: Option<&str>) -> Command {
    let mut command = Command::new(bin());
    command
        .args(["sandbox", "--port", port, "--db"])
        .arg(dir.join("govern.db"));
    match key {
        Some(k) => command.env("GOVSCRIPT_SANDBOX_ADMIN_KEY", k),
        None => command.env_remove("GOVSCRIPT_SANDBOX_ADMIN_KEY"),
    };
    command
}

/// [`sandbox_on`] any free port.
fn sandbox(dir: &Path, key: Option<&str>) -> Command {
    sandbox_on("0", dir, key)
}

#[test]
fn an_empty_sandbox_admin_key_is_refused_and_the_previous_one_still_works() {
    let dir = tempfile::tempdir().expect("temp dir");
    Sandbox::start_in(dir.path()).stop();
    let refused = finish(&mut sandbox(dir.path(), Some("")));
    assert_eq!(refused.code, EXIT_USAGE, "{refused:?}");
    assert!(
        refused.stderr.contains("the admin API key is empty"),
        "{refused:?}"
    );
    // The database was not touched: the key given before still opens it.
    let again = Sandbox::with().no_key().start_in(dir.path());
    let out = Run::new("print(govern().get_auth_info().authIdentifier);")
        .env("GOVERN_HOST", &again.url)
        .env("GOVERN_API_KEY", ADMIN_KEY)
        .ok();
    assert_eq!(out.trim(), "admin");
}

#[test]
fn a_sandbox_admin_key_clients_cannot_send_is_refused_without_being_shown() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (key, why) in [
        ("colon:in-the-key", "contains ':'"),
        ("space in-the-key", "printable ASCII without spaces"),
    ] {
        let refused = finish(&mut sandbox(dir.path(), Some(key)));
        assert_eq!(refused.code, EXIT_USAGE, "{refused:?}");
        assert!(refused.stderr.contains(why), "{refused:?}");
        assert!(!refused.stderr.contains("in-the-key"), "{refused:?}");
        let by_flag = finish(sandbox(dir.path(), None).args(["--admin-key", key]));
        assert_eq!(by_flag.code, EXIT_USAGE, "{by_flag:?}");
        assert!(!by_flag.stderr.contains("in-the-key"), "{by_flag:?}");
    }
    assert!(!dir.path().join("govern.db").exists());
}

#[test]
fn sandbox_on_a_port_in_use_names_the_port_and_suggests_port_0() {
    let first = Sandbox::start();
    let port = first.addr.rsplit(':').next().expect("port");
    let dir = tempfile::tempdir().expect("temp dir");
    let second = finish(&mut sandbox_on(port, dir.path(), Some(ADMIN_KEY)));
    assert_ne!(second.code, 0, "{second:?}");
    assert!(
        second
            .stderr
            .contains(&format!("port {port} on 127.0.0.1 is already in use")),
        "{second:?}"
    );
    assert!(second.stderr.contains("--port 0"), "{second:?}");
}

#[test]
fn the_second_sandbox_start_suggests_the_environment_not_the_flag() {
    let dir = tempfile::tempdir().expect("temp dir");
    Sandbox::with().no_key().start_in(dir.path()).stop();
    let second = Sandbox::with().no_key().start_in(dir.path());
    let hint = second.banner.join("\n");
    assert!(
        hint.contains("set GOVSCRIPT_SANDBOX_ADMIN_KEY to add one"),
        "{hint}"
    );
    assert!(!hint.contains("pass --admin-key"), "{hint}");
}

#[test]
fn a_host_without_a_scheme_is_refused_at_start_with_the_fix() {
    let ran = Run::new("print(\"started\");\ngovern().get_auth_info();")
        .env("GOVERN_HOST", "127.0.0.1:9")
        .env("GOVERN_API_KEY", ADMIN_KEY)
        .exits(EXIT_USAGE);
    assert!(
        ran.stderr.contains(
            "host '127.0.0.1:9' has no http:// or https:// in front: write it as https://127.0.0.1:9"
        ),
        "{}",
        ran.stderr
    );
    assert!(!ran.stdout.contains("started"), "{}", ran.stdout);
    // A script's own client too: refused when built, not retried as a lost connection.
    let ran = Run::new("GovernClient(\"127.0.0.1:9\", \"some-key\").get_auth_info();")
        .arg("--verbose")
        .exits(EXIT_SCRIPT_ERROR);
    assert!(
        ran.stderr.contains("write it as https://127.0.0.1:9"),
        "{}",
        ran.stderr
    );
    assert!(!ran.stderr.contains("retry"), "{}", ran.stderr);
}

#[test]
fn an_unset_api_key_env_variable_is_named_in_the_run_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        "[profiles.p]\nhost = \"http://127.0.0.1:9\"\napi_key_env = \"GOVSCRIPT_TEST_UNSET_KEY\"\n",
    )
    .expect("write config");
    let ran = Run::new("govern();")
        .arg("--profile")
        .arg("p")
        .env("GOVSCRIPT_CONFIG", config.to_str().expect("UTF-8 path"))
        .exits(EXIT_SCRIPT_ERROR);
    assert!(
        ran.stderr.contains(
            "profile 'p' takes it from the environment variable GOVSCRIPT_TEST_UNSET_KEY, which is not set"
        ),
        "{}",
        ran.stderr
    );
}

#[test]
fn repl_without_a_host_names_what_to_configure_in_one_sentence() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = Command::new(bin())
        .arg("repl")
        .env_remove("GOVERN_HOST")
        .env_remove("GOVERN_API_KEY")
        .env_remove("GOVERN_PROFILE")
        .env("GOVSCRIPT_CONFIG", dir.path().join("none.toml"))
        .stdin(Stdio::null())
        .output()
        .expect("repl");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(
        stderr.trim(),
        "note: no `client` variable: no Govern host: set it with --host/--api-key, the \
         GOVERN_HOST/GOVERN_API_KEY environment variables, a --profile from the config \
         file, or use --sandbox"
    );
}

/// Folders a `--sandbox` run left in `tmp` (its TMPDIR).
fn sandbox_folders(tmp: &Path) -> Vec<String> {
    std::fs::read_dir(tmp)
        .expect("read TMPDIR")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect()
}

/// A `--sandbox` run in TMPDIR `tmp` that prints "started" and then keeps calling.
fn endless_sandbox_run(tmp: &Path) -> common::Running {
    let mut run = Run::new("print(\"started\");\nlet c = govern();\nloop { c.get_auth_info(); }\n")
        .arg("--sandbox")
        .env("TMPDIR", tmp.to_str().expect("UTF-8 path"))
        .spawn();
    run.wait_for_line("started");
    run
}

fn kill(run: &mut common::Running, signal: &str) {
    let status = Command::new("kill")
        .args([signal, &run.pid().to_string()])
        .status()
        .expect("run kill");
    assert!(status.success(), "kill {signal} failed");
}

#[test]
fn run_sandbox_removes_its_database_on_sighup() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let mut run = endless_sandbox_run(tmp.path());
    assert_eq!(sandbox_folders(tmp.path()).len(), 1);
    kill(&mut run, "-HUP");
    let ran = run.wait_within(Duration::from_secs(60));
    assert!(ran.stderr.contains("SIGHUP"), "{ran:?}");
    assert_eq!(sandbox_folders(tmp.path()), Vec::<String>::new());
}

#[test]
fn a_sandbox_folder_left_by_a_killed_run_is_removed_at_the_next_start() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let mut run = endless_sandbox_run(tmp.path());
    kill(&mut run, "-USR1");
    run.wait_within(Duration::from_secs(60));
    let left = sandbox_folders(tmp.path());
    assert_eq!(left.len(), 1, "{left:?}");
    Run::new("govern().get_auth_info();")
        .arg("--sandbox")
        .env("TMPDIR", tmp.path().to_str().expect("UTF-8 path"))
        .ok();
    assert_eq!(sandbox_folders(tmp.path()), Vec::<String>::new());
}

#[test]
fn a_run_under_nohup_is_not_stopped_by_sighup() {
    use std::io::{BufRead, BufReader};
    let dir = tempfile::tempdir().expect("temp dir");
    let script = dir.path().join("s.rhai");
    std::fs::write(
        &script,
        "print(\"started\");\nlet c = govern();\nfor i in 0..2000 { c.get_auth_info(); }\nprint(\"done\");\n",
    )
    .expect("write script");
    let mut child = Command::new("nohup")
        .arg(bin())
        .args(["run", "--sandbox"])
        .arg(&script)
        .env("TMPDIR", dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start nohup govscript");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    assert_eq!(
        lines.next().and_then(Result::ok).as_deref(),
        Some("started")
    );
    let status = Command::new("kill")
        .args(["-HUP", &child.id().to_string()])
        .status()
        .expect("run kill");
    assert!(status.success());
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    let code = child.wait().expect("wait").code();
    assert_eq!((code, rest), (Some(0), vec!["done".to_string()]));
}
