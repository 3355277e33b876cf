//! The server's clock, learnt for free from the `Date` header of its answers.
//!
//! Verifying a POST whose outcome is unknown compares the `createdOn` (server
//! milliseconds) of what exists against the time the POST was sent: an object created
//! before it cannot be what it created. Local and server clocks differ, so the send
//! time is translated with a lower bound of the offset between them.
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

/// An observation further below the best bound than this means the server's clock was
/// set back: the bound starts again from it rather than staying too high.
const STEP_BACK_MS: i64 = 1_500;
/// Kept off the bound, for servers behind a load balancer whose clocks differ a little.
const SAFETY_MS: i64 = 1_000;

/// A lower bound of `server time - local time`, in milliseconds.
#[derive(Debug, Default)]
pub struct ServerClock {
    offset: Mutex<Option<i64>>,
}

impl ServerClock {
    /// Learns from an answer's `Date` header received at `received` (local time).
    ///
    /// `Date` is the server's time truncated to the second, stamped before the answer
    /// left, so `date - received` never exceeds the true offset; the largest such value
    /// seen is the tightest bound.
    pub fn observe(&self, date: &str, received: SystemTime) {
        let (Some(server), Some(local)) = (parse_http_date(date), millis(received)) else {
            return;
        };
        let seen = server - local;
        let mut offset = self.offset.lock().unwrap_or_else(|p| p.into_inner());
        *offset = Some(match *offset {
            Some(best) if seen >= best - STEP_BACK_MS => best.max(seen),
            _ => seen,
        });
    }

    /// The earliest server time (epoch milliseconds) at which a request sent at `sent`
    /// (local time) can have reached the server; `None` before any `Date` was seen.
    pub fn not_before(&self, sent: SystemTime) -> Option<i64> {
        let offset = (*self.offset.lock().unwrap_or_else(|p| p.into_inner()))?;
        Some(millis(sent)? + offset - SAFETY_MS)
    }
}

fn millis(t: SystemTime) -> Option<i64> {
    i64::try_from(t.duration_since(UNIX_EPOCH).ok()?.as_millis()).ok()
}

/// Epoch milliseconds of an HTTP date in its only current form (RFC 9110 IMF-fixdate,
/// `Sun, 06 Nov 1994 08:49:37 GMT`); `None` for anything else.
pub fn parse_http_date(text: &str) -> Option<i64> {
    let mut parts = text.split_whitespace();
    let _weekday = parts.next()?;
    let day: i64 = parts.next()?.parse().ok()?;
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month_name = parts.next()?;
    let month = MONTHS.iter().position(|m| *m == month_name)? as i64 + 1;
    let year: i64 = parts.next()?.parse().ok()?;
    let mut hms = parts.next()?.split(':').map(|n| n.parse::<i64>().ok());
    let (h, m, s) = (hms.next()??, hms.next()??, hms.next()??);
    if parts.next()? != "GMT" || !(1..=31).contains(&day) || h > 23 || m > 59 || s > 60 {
        return None;
    }
    let days = days_from_civil(year, month, day);
    Some(((days * 24 + h) * 60 + m) * 60_000 + s * 1_000)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn http_dates_parse_to_epoch_milliseconds() {
        assert_eq!(
            parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(784_111_777_000)
        );
        assert_eq!(parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
        assert_eq!(
            parse_http_date("Sun, 29 Nov 2026 20:20:33 GMT"),
            Some(1_795_983_633_000)
        );
        assert_eq!(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"), None);
        assert_eq!(parse_http_date("Sun, 06 Nov 1994 08:49:37 PST"), None);
    }

    #[test]
    fn the_bound_never_passes_the_servers_time_and_follows_a_clock_set_back() {
        let clock = ServerClock::default();
        let at = |ms: u64| UNIX_EPOCH + Duration::from_millis(ms);
        assert_eq!(clock.not_before(at(0)), None);
        // Server 10 s ahead; dates truncated to the second, received 100 ms later.
        clock.observe("Thu, 01 Jan 1970 00:00:10 GMT", at(100));
        clock.observe("Thu, 01 Jan 1970 00:00:10 GMT", at(900));
        let bound = clock.not_before(at(1_000)).expect("a bound");
        assert!(bound <= 11_000, "{bound} is after the server's time");
        assert_eq!(bound, 1_000 + 9_900 - SAFETY_MS);
        // The server's clock goes back a minute: the bound follows it down.
        clock.observe("Thu, 01 Jan 1970 00:00:10 GMT", at(60_000));
        assert_eq!(clock.not_before(at(60_000)), Some(10_000 - SAFETY_MS));
    }
}
