//! One line per event on stdout: readable by default, JSON lines with `--json`.
use serde_json::{Value, json};
use std::io::Write;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// What happened to a file.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    /// Its script started.
    Started,
    /// Its script succeeded; moved to `.done`.
    Done,
    /// Its script failed; moved to `.failed`.
    Failed,
    /// No handler matches: left in place (reported once).
    Unmatched,
    /// Something went wrong around the file (claim, move): it stays where it is.
    Error,
}

impl Kind {
    fn word(self) -> &'static str {
        match self {
            Kind::Started => "started",
            Kind::Done => "done",
            Kind::Failed => "failed",
            Kind::Unmatched => "unmatched",
            Kind::Error => "error",
        }
    }
}

/// An event about one file.
#[derive(Debug, Clone)]
pub struct Event<'a> {
    /// What happened.
    pub kind: Kind,
    /// The name it was dropped as.
    pub file: &'a str,
    /// The handler (`(script)` for a dropped script), if any.
    pub handler: Option<&'a str>,
    /// Claim id, once claimed.
    pub id: Option<u64>,
    /// Run time, when finished.
    pub duration: Option<Duration>,
    /// Reason or detail.
    pub detail: Option<&'a str>,
}

/// Writes event lines.
#[derive(Debug, Clone, Copy)]
pub struct Reporter {
    /// JSON lines instead of text.
    pub json: bool,
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

/// Microseconds since the Unix epoch (for latency measurements).
pub fn now_us() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_micros() as u64)
}

/// `YYYY-MM-DDTHH:MM:SS.mmmZ` for milliseconds since the epoch (UTC).
pub fn rfc3339(ms: u64) -> String {
    let secs = ms / 1000;
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        ms % 1000
    )
}

/// Milliseconds with microsecond precision (`2.34`, never `2.3395989999999998`).
pub fn duration_ms(d: Duration) -> f64 {
    d.as_micros() as f64 / 1000.0
}

impl Reporter {
    /// Prints one event line.
    pub fn event(&self, e: &Event) {
        let line = if self.json {
            let mut v = json!({ "ts_us": now_us(), "event": e.kind.word(), "file": e.file });
            let set = |v: &mut Value, k: &str, x: Value| {
                if let Some(o) = v.as_object_mut() {
                    o.insert(k.into(), x);
                }
            };
            if let Some(h) = e.handler {
                set(&mut v, "handler", h.into());
            }
            if let Some(id) = e.id {
                set(&mut v, "id", id.into());
            }
            if let Some(d) = e.duration {
                set(&mut v, "duration_ms", duration_ms(d).into());
            }
            if let Some(d) = e.detail {
                set(&mut v, "detail", d.into());
            }
            v.to_string()
        } else {
            let mut s = format!("{} {:<9} {}", rfc3339(now_ms()), e.kind.word(), e.file);
            if let Some(h) = e.handler {
                s.push_str(&format!("  handler={h}"));
            }
            if let Some(d) = e.duration {
                s.push_str(&format!("  {} ms", d.as_millis()));
            }
            if let Some(d) = e.detail {
                s.push_str(&format!("  {d}"));
            }
            s
        };
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{line}");
        let _ = out.flush();
    }

    /// Prints a message about the watcher itself (start, stop, warnings) to stderr,
    /// or as a JSON line on stdout with `--json`.
    pub fn note(&self, message: &str) {
        if self.json {
            let line = json!({ "ts_us": now_us(), "event": "watcher", "detail": message });
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "{line}");
            let _ = out.flush();
        } else {
            eprintln!("govscript watch: {message}");
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn durations_have_at_most_three_decimals() {
        let d = std::time::Duration::from_nanos(2_339_599);
        assert_eq!(
            serde_json::json!(super::duration_ms(d)).to_string(),
            "2.339"
        );
    }

    #[test]
    fn rfc3339_formats_utc() {
        assert_eq!(super::rfc3339(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(
            super::rfc3339(1_795_000_000_123),
            "2026-11-18T11:06:40.123Z"
        );
        assert_eq!(super::rfc3339(951_782_400_000), "2000-02-29T00:00:00.000Z");
    }
}
