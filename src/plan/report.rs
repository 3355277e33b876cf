//! What `apply` prints: one line per change (applied, refused, failed, skipped), the
//! values the server did not store as sent, and a summary; or all of it as JSON.
use super::apply::{Item, Outcome};
use super::render::Paint;
use serde_json::json;
use std::fmt::Write as _;

/// Counts of the items by outcome: applied, refused, failed, skipped.
fn counts(items: &[Item]) -> (usize, usize, usize, usize) {
    let count = |f: fn(&Outcome) -> bool| items.iter().filter(|i| f(&i.outcome)).count();
    (
        count(|o| matches!(o, Outcome::Applied)),
        count(|o| matches!(o, Outcome::Refused(_))),
        count(|o| matches!(o, Outcome::Failed(_))),
        count(|o| matches!(o, Outcome::Skipped(_))),
    )
}

/// Whether every change applied.
pub fn all_applied(items: &[Item]) -> bool {
    items.iter().all(|i| matches!(i.outcome, Outcome::Applied))
}

/// The summary line.
pub fn summary(items: &[Item]) -> String {
    let (applied, refused, failed, skipped) = counts(items);
    let silent: usize = items.iter().map(|i| i.silent.len()).sum();
    let mut line = format!(
        "Applied {applied} of {} changes: {refused} refused, {failed} failed, {skipped} skipped.",
        items.len()
    );
    if silent > 0 {
        let _ = write!(
            line,
            " {silent} value(s) were not stored as sent (see above)."
        );
    }
    line
}

/// The report as text.
pub fn text(items: &[Item], paint: Paint) -> String {
    let mut out = String::new();
    for item in items {
        let head = format!(
            "#{} {} {} ({})",
            item.index, item.call, item.object, item.request
        );
        let line = match &item.outcome {
            Outcome::Applied => match &item.created_id {
                Some(id) => format!("{} {head}: created {id}", paint.green("applied")),
                None => format!("{} {head}", paint.green("applied")),
            },
            Outcome::Refused(why) => format!("{} {head}: {why}", paint.red("refused")),
            Outcome::Failed(why) => format!("{} {head}: {why}", paint.red("failed ")),
            Outcome::Skipped(why) => format!("{} {head}: {why}", paint.yellow("skipped")),
        };
        let _ = writeln!(out, "{}", crate::client::secrets::redact(&line));
        for silent in &item.silent {
            let _ = writeln!(out, "    {} {silent}", paint.yellow("not stored as sent:"));
        }
    }
    out.push_str(&paint.bold(&summary(items)));
    out.push('\n');
    out
}

/// The report as JSON.
pub fn json(items: &[Item]) -> String {
    let (applied, refused, failed, skipped) = counts(items);
    let report = json!({
        "applied": applied,
        "refused": refused,
        "failed": failed,
        "skipped": skipped,
        "ok": all_applied(items),
        "items": items,
    });
    serde_json::to_string_pretty(&report).unwrap_or_default()
}
