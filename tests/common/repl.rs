//! `govscript repl` on a pseudo-terminal (openpty; the child gets it as its controlling
//! terminal, so Ctrl-C raises SIGINT as in a real terminal).
use crate::common::process::{self, HANG};
use crate::common::{Sandbox, bin};
use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Removes ANSI escape sequences (colours, cursor moves) and carriage returns.
pub fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\x1b' => match chars.next() {
                Some('[') => {
                    for d in chars.by_ref() {
                        if ('\x40'..='\x7e').contains(&d) {
                            break;
                        }
                    }
                }
                Some(']') => {
                    for d in chars.by_ref() {
                        if d == '\x07' {
                            break;
                        }
                    }
                }
                _ => {}
            },
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// A process on a pseudo-terminal.
pub struct Pty {
    master: File,
    child: Child,
    output: Arc<Mutex<Vec<u8>>>,
    seen: usize,
}

impl Pty {
    /// `govscript repl` connected to `sandbox`, history in `state`, no colour; returns
    /// once the first prompt is shown.
    pub fn repl_on(sandbox: &Sandbox, state: &str) -> Self {
        let mut pty = Pty::spawn(
            &["repl"],
            &[
                ("GOVERN_HOST", sandbox.url.as_str()),
                ("GOVERN_API_KEY", sandbox.key.as_str()),
                ("XDG_STATE_HOME", state),
                ("HOME", state),
                ("NO_COLOR", "1"),
            ],
        );
        pty.expect("gov> ");
        pty
    }

    /// Starts `govscript ARGS` on a new 200x50 terminal with `envs` set (TERM=xterm).
    pub fn spawn(args: &[&str], envs: &[(&str, &str)]) -> Self {
        let (mut master, mut slave) = (0, 0);
        let size = libc::winsize {
            ws_row: 50,
            ws_col: 200,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        // SAFETY: openpty writes two new descriptors into the given ints.
        let rc = unsafe {
            libc::openpty(
                &mut master,
                &mut slave,
                std::ptr::null_mut(),
                std::ptr::null(),
                &size,
            )
        };
        assert_eq!(rc, 0, "openpty failed");
        // SAFETY: both descriptors were just opened and are owned here.
        let (master, slave) = unsafe { (File::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) };
        let mut command = Command::new(bin());
        command
            .args(args)
            .env("TERM", "xterm")
            .env_remove("NO_COLOR")
            .stdin(Stdio::from(slave.try_clone().expect("dup")))
            .stdout(Stdio::from(slave.try_clone().expect("dup")))
            .stderr(Stdio::from(slave));
        for (k, v) in envs {
            command.env(k, v);
        }
        // SAFETY: only async-signal-safe calls between fork and exec.
        unsafe {
            command.pre_exec(|| {
                // A new session whose controlling terminal is the pty (stdin).
                if libc::setsid() < 0 || libc::ioctl(0, libc::TIOCSCTTY, 0) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = command.spawn().expect("start govscript repl");
        let output = Arc::new(Mutex::new(Vec::new()));
        let sink = output.clone();
        let mut reader = master.try_clone().expect("dup master");
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            // Ends with EIO once the child has exited.
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        Self {
            master,
            child,
            output,
            seen: 0,
        }
    }

    /// Everything the terminal showed so far, escape sequences included.
    pub fn raw(&self) -> String {
        String::from_utf8_lossy(&self.output.lock().unwrap()).into_owned()
    }

    /// Everything the terminal showed so far, without escape sequences.
    pub fn screen(&self) -> String {
        strip_ansi(&String::from_utf8_lossy(&self.output.lock().unwrap()))
    }

    /// Waits until `needle` appears after what earlier `expect`s consumed; returns
    /// the text up to and including it.
    pub fn expect(&mut self, needle: &str) -> String {
        self.expect_within(needle, HANG)
    }

    /// As [`Pty::expect`], with a deadline.
    pub fn expect_within(&mut self, needle: &str, timeout: Duration) -> String {
        let seen = self.seen;
        let (end, text) = process::wait_until(
            timeout,
            || {
                let screen = self.screen();
                let i = screen.get(seen..)?.find(needle)?;
                let end = seen + i + needle.len();
                Some((end, screen[seen..end].to_string()))
            },
            || {
                format!(
                    "{needle:?}; terminal after the last match:\n{}",
                    self.screen().get(seen..).unwrap_or_default()
                )
            },
        );
        self.seen = end;
        text
    }

    /// Types `keys` (use `\r` for Enter, `\t` for Tab, `\x03` for Ctrl-C).
    pub fn send(&mut self, keys: &str) {
        self.master
            .write_all(keys.as_bytes())
            .expect("write to pty");
        self.master.flush().expect("flush pty");
    }

    /// Types `line` and Enter, then waits for the next prompt; returns the output.
    pub fn line(&mut self, line: &str) -> String {
        self.entry(&[line])
    }

    /// Types a multi-line entry (Enter after each line), then waits for the next
    /// prompt; returns the output. Keys typed before that prompt could be discarded
    /// when the editor restarts, so callers wait for it.
    pub fn entry(&mut self, lines: &[&str]) -> String {
        for line in lines {
            self.send(line);
            self.send("\r");
        }
        // The prompt is redrawn while typing: the new one follows the echo of the last
        // line, ended by the newline of Enter.
        let last = lines.last().copied().unwrap_or_default();
        self.expect(&format!("{last}\n"));
        self.expect("gov> ")
    }

    /// Sends Ctrl-D and waits for the exit status.
    pub fn quit(mut self) -> std::process::ExitStatus {
        self.send("\x04");
        process::exit_within(&mut self.child, HANG, "the REPL after Ctrl-D")
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        process::kill(&mut self.child);
    }
}
