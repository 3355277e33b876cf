//! The README's REPL session (a `text` block starting `$ govscript repl`), replayed on
//! a pseudo-terminal: each `gov> ` entry typed, its output compared with the one printed.
use crate::common::process::HANG;
use crate::common::repl::Pty;

/// What the README writes for two presses of Tab.
const TABS: &str = "<Tab><Tab>";

/// One entry of the session: the lines typed and the lines printed after them.
#[derive(Debug)]
pub struct Entry {
    /// Lines typed (more than one while brackets are open).
    pub input: Vec<String>,
    /// Lines the README shows after the entry.
    pub output: Vec<String>,
}

/// The command (after `$ `) and entries of a session transcript.
pub fn parse(text: &str) -> (String, Vec<Entry>) {
    let mut lines = text.lines();
    let command = lines
        .next()
        .and_then(|l| l.strip_prefix("$ "))
        .expect("a transcript starts with `$ command`")
        .to_string();
    let mut entries: Vec<Entry> = Vec::new();
    for line in lines {
        if let Some(typed) = line.strip_prefix("gov> ") {
            entries.push(Entry {
                input: vec![typed.to_string()],
                output: Vec::new(),
            });
            continue;
        }
        let entry = entries.last_mut().expect("output before the first entry");
        if entry.output.is_empty() && open_brackets(&entry.input.join("\n")) > 0 {
            entry.input.push(line.to_string());
        } else {
            entry.output.push(line.to_string());
        }
    }
    (command, entries)
}

/// Brackets opened and not yet closed (outside strings).
fn open_brackets(source: &str) -> i32 {
    let mut depth = 0;
    let mut in_string = false;
    for c in source.chars() {
        match c {
            '"' => in_string = !in_string,
            '(' | '[' | '{' if !in_string => depth += 1,
            ')' | ']' | '}' if !in_string => depth -= 1,
            _ => {}
        }
    }
    depth
}

/// Types each entry into `pty` and checks its output against the transcript's.
pub fn replay(pty: &mut Pty, entries: &[Entry]) {
    for entry in entries {
        let typed = entry.input.join("\n");
        match typed.strip_suffix(TABS) {
            Some(prefix) => complete(pty, prefix, &entry.output),
            None => {
                let lines: Vec<&str> = entry.input.iter().map(String::as_str).collect();
                let shown = pty.entry(&lines);
                let shown = shown.strip_suffix("gov> ").unwrap_or(&shown);
                assert_eq!(
                    shown.trim_end_matches('\n'),
                    entry.output.join("\n"),
                    "output of `{typed}`"
                );
            }
        }
    }
}

/// Types `prefix` and Tab twice; the candidates listed must be the transcript's (the
/// layout in columns depends on the terminal's width, the set does not). Clears the
/// line after.
fn complete(pty: &mut Pty, prefix: &str, output: &[String]) {
    let mut expected: Vec<&str> = output.iter().flat_map(|l| l.split_whitespace()).collect();
    expected.sort();
    let last = expected.last().expect("a candidate list");
    pty.send(&format!("{prefix}\t\t"));
    let shown = pty.expect_within(last, HANG);
    // The list follows the line typed, after the bell the first Tab rings.
    let after_prompt = shown.rsplit_once(prefix).map_or("", |(_, rest)| rest);
    let mut listed: Vec<&str> = after_prompt
        .split(|c: char| c.is_whitespace() || c == '\x07')
        .filter(|w| !w.is_empty())
        .collect();
    listed.sort();
    assert_eq!(listed, expected, "candidates after `{prefix}`");
    pty.send("\x15");
}
