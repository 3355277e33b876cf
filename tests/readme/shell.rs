//! The `sh` examples of README.md, run line by line as a user would type them.
use crate::common::process::{self, HANG};
use crate::common::{Sandbox, bin};
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

/// The line `govscript sandbox` prints once it accepts connections.
const LISTENING: &str = "govscript sandbox listening on ";

/// The port `govscript sandbox` listens on by default. Tests run in parallel, so a
/// sandbox started by an example gets `--port 0` instead, and this port in later lines
/// becomes the one it printed: the only change made to a command.
const DEFAULT_URL: &str = "http://127.0.0.1:11200";

/// Splits a command line into words: blanks separate, `'...'` and `"..."` quote.
pub fn words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut quote = None;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.get_or_insert_default().push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                word.get_or_insert_default();
            }
            (None, c) if c.is_whitespace() => words.extend(word.take()),
            (None, c) => word.get_or_insert_default().push(c),
        }
    }
    assert!(quote.is_none(), "unclosed quote in {line:?}");
    words.extend(word);
    words
}

/// A process started in the background, its output collected as it comes.
struct Background {
    child: Child,
    what: String,
    stdout: Arc<Mutex<String>>,
    stderr: Arc<Mutex<String>>,
    /// The threads copying stdout and stderr.
    readers: Vec<JoinHandle<()>>,
}

impl Background {
    fn spawn(cmd: &mut Command, what: &str) -> Self {
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("start {what}: {e}"));
        let collect = |stream: Box<dyn Read + Send>| {
            let sink = Arc::new(Mutex::new(String::new()));
            let into = sink.clone();
            let reader = std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    let mut text = into.lock().expect("output lock");
                    text.push_str(&line);
                    text.push('\n');
                }
            });
            (sink, reader)
        };
        let (stdout, out_reader) = collect(Box::new(child.stdout.take().expect("piped stdout")));
        let (stderr, err_reader) = collect(Box::new(child.stderr.take().expect("piped stderr")));
        Self {
            child,
            what: what.to_string(),
            stdout,
            stderr,
            readers: vec![out_reader, err_reader],
        }
    }

    /// Waits for a line of stdout (or stderr) containing `needle`; returns that line.
    fn wait_for(&mut self, needle: &str, on_stderr: bool) -> String {
        self.wait_for_line(|l| l.contains(needle), on_stderr, needle)
    }

    /// Waits for a line of stdout (or stderr) that `wanted` accepts; returns it. Fails
    /// at once if the process exits first.
    fn wait_for_line(
        &mut self,
        wanted: impl Fn(&str) -> bool,
        on_stderr: bool,
        what: &str,
    ) -> String {
        let stream = if on_stderr {
            &self.stderr
        } else {
            &self.stdout
        };
        let text = || stream.lock().expect("output lock").clone();
        let child = &mut self.child;
        let found = process::wait_until(
            HANG,
            || match text().lines().find(|l| wanted(l)) {
                Some(line) => Some(Ok(line.to_string())),
                None => child.try_wait().ok().flatten().map(Err),
            },
            || format!("{what} from {}", self.what),
        );
        found.unwrap_or_else(|status| {
            // The pipes are closed: the readers end once they have read everything.
            for reader in self.readers.drain(..) {
                let _ = reader.join();
            }
            panic!(
                "{} exited ({status}) before printing {what}\nstdout:\n{}\nstderr:\n{}",
                self.what,
                self.stdout.lock().expect("output lock"),
                self.stderr.lock().expect("output lock"),
            )
        })
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        process::kill(&mut self.child);
    }
}

/// Runs the lines of an `sh` block in a scratch folder, as a user would type them:
/// `NAME=value` prefixes set the environment, a trailing `&` runs in the background,
/// `cargo run --release --` is the binary under test (built for the tests, not in
/// release), other commands (`printf`, `mv`) go to `sh -c`. A `govscript sandbox` in
/// the background is waited for (its "listening" line) before the next line, as a user
/// would; a `govscript watch` runs while the later lines drop files, and the block ends
/// once it has reported a file done or failed.
pub struct Shell<'a> {
    dir: &'a Path,
    ambient: &'a Sandbox,
    background: Vec<Background>,
    watchers: Vec<Background>,
    /// Where [`DEFAULT_URL`] points: the sandbox the block started.
    url: Option<String>,
}

impl<'a> Shell<'a> {
    pub fn new(dir: &'a Path, ambient: &'a Sandbox) -> Self {
        Self {
            dir,
            ambient,
            background: Vec::new(),
            watchers: Vec::new(),
            url: None,
        }
    }

    /// The command lines of a block: comments and blank lines left out.
    pub fn lines(text: &str) -> Vec<String> {
        text.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_string)
            .collect()
    }

    /// The govscript arguments of a command line (after `NAME=value` prefixes), or
    /// `None` for another program.
    pub fn command(words: &[String]) -> Option<Vec<String>> {
        let start = words.iter().position(|w| !is_assignment(w))?;
        let rest = &words[start..];
        if rest.first().is_some_and(|w| w == "govscript") {
            return Some(rest[1..].to_vec());
        }
        let cargo = ["cargo", "run", "--release", "--"];
        (rest.len() >= cargo.len() && rest.iter().zip(cargo).all(|(w, c)| w == c))
            .then(|| rest[cargo.len()..].to_vec())
    }

    /// Runs the block; returns what its foreground govscript commands and watchers
    /// printed.
    pub fn run(mut self, text: &str) -> String {
        let mut out = String::new();
        for line in Self::lines(text) {
            let mut words = words(&line);
            let background = words.last().is_some_and(|w| w == "&");
            if background {
                words.pop();
            }
            let env: Vec<(String, String)> = words
                .iter()
                .take_while(|w| is_assignment(w))
                .filter_map(|w| w.split_once('='))
                .map(|(k, v)| (k.to_string(), self.localize(v)))
                .collect();
            let Some(args) = Self::command(&words) else {
                let status = self
                    .base(Command::new("sh"))
                    .args(["-c", &line])
                    .status()
                    .expect("run sh");
                assert!(status.success(), "`{line}` failed: {status}");
                continue;
            };
            let mut args: Vec<String> = args.iter().map(|a| self.localize(a)).collect();
            let mut cmd = self.base(Command::new(bin()));
            // An admin key of the test's own environment is not the README's.
            cmd.env_remove("GOVSCRIPT_SANDBOX_ADMIN_KEY").envs(env);
            match args.first().map(String::as_str) {
                Some("sandbox") => {
                    assert!(
                        background,
                        "`{line}`: a sandbox in the foreground never ends"
                    );
                    if !args.iter().any(|a| a == "--port") {
                        args.extend(["--port".into(), "0".into()]);
                    }
                    let mut sandbox = Background::spawn(cmd.args(&args), &line);
                    let listening = sandbox.wait_for(LISTENING, false);
                    let url = listening.split(LISTENING).nth(1).expect("a URL");
                    self.url = Some(url.trim().to_string());
                    self.background.push(sandbox);
                }
                Some("watch") => {
                    let mut watcher = Background::spawn(cmd.args(&args), &line);
                    watcher.wait_for("govscript watch: watching", true);
                    self.watchers.push(watcher);
                }
                _ => {
                    let ran = cmd.args(&args).output().expect("run govscript");
                    let stdout = String::from_utf8_lossy(&ran.stdout);
                    assert!(
                        ran.status.success(),
                        "`{line}` failed: {}\nstdout:\n{stdout}\nstderr:\n{}",
                        ran.status,
                        String::from_utf8_lossy(&ran.stderr)
                    );
                    out.push_str(&stdout);
                }
            }
        }
        for watcher in &mut self.watchers {
            // An event line: time, event, file...
            let finished = |l: &str| matches!(l.split_whitespace().nth(1), Some("done" | "failed"));
            let event = watcher.wait_for_line(finished, false, "a file done or failed");
            assert!(!event.contains(" failed "), "{event}");
            out.push_str(&watcher.stdout.lock().expect("output lock"));
        }
        out
    }

    /// `value` with [`DEFAULT_URL`] replaced by the URL of the sandbox the block started.
    fn localize(&self, value: &str) -> String {
        match &self.url {
            Some(url) => value.replace(DEFAULT_URL, url),
            None => value.to_string(),
        }
    }

    /// A command in the scratch folder, with a clean environment: no profile, history
    /// in the folder, the ambient sandbox as the connection.
    fn base(&self, mut cmd: Command) -> Command {
        cmd.current_dir(self.dir)
            .env_remove("GOVERN_PROFILE")
            .env("GOVSCRIPT_CONFIG", self.dir.join("no-config.toml"))
            .env("HOME", self.dir)
            .env("XDG_STATE_HOME", self.dir)
            .env("GOVERN_HOST", &self.ambient.url)
            .env("GOVERN_API_KEY", &self.ambient.key);
        cmd
    }
}

/// Whether `word` is a `NAME=value` environment prefix.
fn is_assignment(word: &str) -> bool {
    word.split_once('=').is_some_and(|(name, _)| {
        !name.is_empty() && name.chars().all(|c| c.is_ascii_uppercase() || c == '_')
    })
}
