//! The progress of a batch call on stderr: an indicatif bar (done/total, rate, ETA)
//! when stderr is a terminal; otherwise a plain line at most every
//! [`PLAIN_EVERY`] and one at the end (logs and CI keep a readable trace); nothing
//! with `--quiet`.
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::time::{Duration, Instant};

/// Shortest time between two plain progress lines.
pub const PLAIN_EVERY: Duration = Duration::from_secs(2);

/// How progress is shown.
enum Display {
    /// `--quiet`.
    Hidden,
    /// A terminal: an indicatif bar.
    Bar(ProgressBar),
    /// Not a terminal: plain lines, the last printed at `last`.
    Plain { last: Instant },
}

/// The progress of one batch call.
pub struct Progress {
    display: Display,
    label: String,
    total: Option<u64>,
    finished: u64,
    started: Instant,
}

impl Progress {
    /// Starts showing the progress of `label` over `total` items (`None`: not known
    /// in advance, e.g. a search); nothing is shown when `quiet`.
    pub fn start(label: &str, total: Option<u64>, quiet: bool) -> Self {
        let display = if quiet {
            Display::Hidden
        } else if std::io::stderr().is_terminal() {
            Display::Bar(bar(label, total))
        } else {
            Display::Plain {
                last: Instant::now(),
            }
        };
        Self {
            display,
            label: label.to_string(),
            total,
            finished: 0,
            started: Instant::now(),
        }
    }

    /// `n` more items finished (whatever their outcome).
    pub fn advance(&mut self, n: u64) {
        if n == 0 {
            return;
        }
        self.finished += n;
        match &mut self.display {
            Display::Hidden => {}
            Display::Bar(bar) => bar.inc(n),
            Display::Plain { last } if last.elapsed() >= PLAIN_EVERY => {
                *last = Instant::now();
                eprintln!("{}", self.line());
            }
            Display::Plain { .. } => {}
        }
    }

    /// The plain progress line: `govscript: bulk_update 1200/5000 (24%), 310/s, ETA 12s`.
    fn line(&self) -> String {
        let secs = self.started.elapsed().as_secs_f64().max(1e-3);
        let rate = self.finished as f64 / secs;
        match self.total {
            Some(total) if total > 0 => {
                let left = total.saturating_sub(self.finished) as f64;
                let eta = if rate > 0.0 {
                    format!("{:.0}s", left / rate)
                } else {
                    "?".into()
                };
                format!(
                    "govscript: {} {}/{total} ({}%), {rate:.0}/s, ETA {eta}",
                    self.label,
                    self.finished,
                    self.finished * 100 / total
                )
            }
            _ => format!(
                "govscript: {} {} items, {rate:.0}/s",
                self.label, self.finished
            ),
        }
    }

    /// Ends the display with `summary` (the call's one-line summary).
    pub fn finish(mut self, summary: &str) {
        let elapsed = self.started.elapsed().as_secs_f64();
        match std::mem::replace(&mut self.display, Display::Hidden) {
            Display::Hidden => {}
            Display::Bar(bar) => {
                bar.finish_and_clear();
                eprintln!("govscript: {summary} in {elapsed:.1}s");
            }
            Display::Plain { .. } => eprintln!("govscript: {summary} in {elapsed:.1}s"),
        }
    }
}

impl Drop for Progress {
    /// A call that ended without [`Progress::finish`] (an error) leaves no bar behind.
    fn drop(&mut self) {
        if let Display::Bar(bar) = &self.display {
            bar.finish_and_clear();
        }
    }
}

/// The terminal bar: `label [####----] 1200/5000 310/s ETA 12s`, or a spinner with a
/// count when the total is not known.
fn bar(label: &str, total: Option<u64>) -> ProgressBar {
    let (bar, template) = match total {
        Some(total) => (
            ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr()),
            "{prefix} [{bar:30}] {pos}/{len} {per_sec} ETA {eta}",
        ),
        None => (
            ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()),
            "{prefix} {spinner} {pos} items {per_sec}",
        ),
    };
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style.progress_chars("#>-"));
    }
    bar.set_prefix(label.to_string());
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_line_gives_count_total_rate_and_eta() {
        let mut p = Progress::start("bulk_update", Some(10), true);
        p.finished = 4;
        let line = p.line();
        assert!(
            line.starts_with("govscript: bulk_update 4/10 (40%), "),
            "{line}"
        );
        assert!(line.contains("/s, ETA "), "{line}");
        let mut p = Progress::start("bulk_update", None, true);
        p.finished = 7;
        assert!(p.line().contains(" 7 items, "), "{}", p.line());
    }
}
