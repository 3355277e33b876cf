//! A plan as a person reads it: one block per change (what, on which object, through
//! which call), each changed field as `old → new`, and a summary line. Colour only
//! when asked (a terminal without `NO_COLOR`, see [`colour_for_stdout`]).
use super::file::{Change, Effect, Plan};
use serde_json::Value;
use std::fmt::Write as _;

/// Values longer than this (as JSON text) are shortened.
const SHOWN_CHARS: usize = 60;

/// Whether standard output should be coloured: a terminal, and no `NO_COLOR`.
pub fn colour_for_stdout() -> bool {
    use std::io::IsTerminal;
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// ANSI styles, or none.
#[derive(Clone, Copy)]
pub struct Paint(pub bool);

impl Paint {
    fn wrap(self, code: &str, text: &str) -> String {
        if self.0 {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
    /// Green: creations and added values.
    pub fn green(self, text: &str) -> String {
        self.wrap("32", text)
    }
    /// Red: deletions and removed values.
    pub fn red(self, text: &str) -> String {
        self.wrap("31", text)
    }
    /// Yellow: updates.
    pub fn yellow(self, text: &str) -> String {
        self.wrap("33", text)
    }
    /// Cyan: other calls (sign-off transitions).
    pub fn cyan(self, text: &str) -> String {
        self.wrap("36", text)
    }
    /// Bold.
    pub fn bold(self, text: &str) -> String {
        self.wrap("1", text)
    }
}

/// A value as JSON text, shortened.
pub fn show(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() <= SHOWN_CHARS {
        return text;
    }
    let short: String = text.chars().take(SHOWN_CHARS - 1).collect();
    format!("{short}…")
}

/// A JSON pointer as a dotted path (`/fields/owner` → `fields.owner`).
pub fn dotted(pointer: &str) -> String {
    if pointer.is_empty() {
        return "(the whole document)".into();
    }
    pointer
        .trim_start_matches('/')
        .split('/')
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect::<Vec<_>>()
        .join(".")
}

/// The leaves of `value` under `pointer` (objects descended, arrays whole).
pub fn leaves(pointer: &str, value: &Value, out: &mut Vec<(String, Value)>) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            for (k, v) in map {
                let key = k.replace('~', "~0").replace('/', "~1");
                leaves(&format!("{pointer}/{key}"), v, out);
            }
        }
        _ => out.push((pointer.to_string(), value.clone())),
    }
}

/// The lines `path: old → new` of a change's patch (each op of its RFC 6902 patch,
/// the old value read from the pre-image).
pub fn field_lines(pre: &Value, patch: &Value, paint: Paint) -> Vec<String> {
    let mut lines = Vec::new();
    for op in patch.as_array().into_iter().flatten() {
        let path = op.get("path").and_then(Value::as_str).unwrap_or_default();
        let old = pre.pointer(path);
        let new = op.get("value");
        let line = match op.get("op").and_then(Value::as_str).unwrap_or_default() {
            "remove" => format!(
                "{}: {} → {}",
                dotted(path),
                paint.red(&old.map_or("(absent)".into(), show)),
                paint.red("(removed)")
            ),
            "add" if old.is_none() => format!(
                "{}: {} → {}",
                dotted(path),
                "(absent)",
                paint.green(&new.map_or(String::new(), show))
            ),
            _ => format!(
                "{}: {} → {}",
                dotted(path),
                old.map_or("(absent)".into(), show),
                paint.green(&new.map_or(String::new(), show))
            ),
        };
        lines.push(line);
    }
    lines
}

/// What a change acts on, as a person names it: `ar.1`, `ar.1 / review` for a
/// sign-off, else its object path.
fn label(change: &Change) -> String {
    if let Some((signoff, _)) = super::target::signoff_of(&change.object) {
        let parts: Vec<&str> = signoff.split('/').collect();
        if let (Some(ar), Some(step)) = (parts.get(2), parts.get(5)) {
            return format!("sign-off {ar} / {step}");
        }
    }
    if let Some(id) = &change.planned_id {
        return id.clone();
    }
    // A creation's receiver is its parent: name what it creates.
    if change.effect == Effect::Create {
        return change.object.clone();
    }
    change
        .targets
        .first()
        .cloned()
        .unwrap_or_else(|| change.object.clone())
}

/// One change as text (its header line and indented field lines).
pub fn change(change: &Change, paint: Paint) -> String {
    let (sign, word) = match change.effect {
        Effect::Create => (paint.green("+"), paint.green("create")),
        Effect::Update => (paint.yellow("~"), paint.yellow("update")),
        Effect::Delete => (paint.red("-"), paint.red("delete")),
        Effect::Action => (paint.cyan(">"), paint.cyan("call")),
    };
    let mut out = format!(
        "{sign} {word} {}  ({}: {} {})\n",
        paint.bold(&label(change)),
        change.call,
        change.method,
        change.path
    );
    let lines = match change.effect {
        Effect::Create => {
            let mut all = Vec::new();
            leaves("", &change.planned, &mut all);
            // The planned id is in the header.
            all.into_iter()
                .filter(|(p, _)| p != "/id")
                .map(|(p, v)| format!("{} = {}", dotted(&p), paint.green(&show(&v))))
                .collect()
        }
        Effect::Delete => Vec::new(),
        _ => field_lines(&change.pre_image, &change.patch, paint),
    };
    if !change.query.is_empty() {
        let query: Vec<String> = change
            .query
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        let _ = writeln!(out, "    query: {}", query.join("&"));
    }
    for line in lines {
        let _ = writeln!(out, "    {line}");
    }
    if change.effect == Effect::Action && change.planned.is_null() && !change.body.is_null() {
        let _ = writeln!(out, "    body: {}", show(&change.body));
    }
    if change.masked {
        let _ = writeln!(
            out,
            "    {}",
            paint.red("holds a secret the plan file does not keep: apply refuses it")
        );
    }
    out
}

/// The summary line: counts per kind of change, or `No changes.`.
pub fn summary(plan: &Plan) -> String {
    if plan.is_empty() {
        return "No changes.".into();
    }
    let count = |e: Effect| plan.changes.iter().filter(|c| c.effect == e).count();
    format!(
        "Plan: {} to create, {} to update, {} to delete, {} other call(s).",
        count(Effect::Create),
        count(Effect::Update),
        count(Effect::Delete),
        count(Effect::Action)
    )
}

/// The whole plan as text.
pub fn plan(plan: &Plan, paint: Paint) -> String {
    let mut out = String::new();
    for c in &plan.changes {
        out.push_str(&change(c, paint));
    }
    if !plan.is_empty() {
        out.push('\n');
    }
    for note in &plan.notes {
        let _ = writeln!(out, "{} {note}", paint.yellow("note:"));
    }
    out.push_str(&paint.bold(&summary(plan)));
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_patch_shows_each_field_old_to_new() {
        let pre = json!({"fields": {"owner": "alice", "gone": 1}});
        let patch = json!([
            {"op": "replace", "path": "/fields/owner", "value": "bob"},
            {"op": "remove", "path": "/fields/gone"},
            {"op": "add", "path": "/fields/new", "value": [1]},
        ]);
        assert_eq!(
            field_lines(&pre, &patch, Paint(false)),
            [
                r#"fields.owner: "alice" → "bob""#,
                "fields.gone: 1 → (removed)",
                "fields.new: (absent) → [1]",
            ]
        );
    }

    #[test]
    fn colour_is_only_added_when_asked() {
        assert_eq!(Paint(false).green("x"), "x");
        assert_eq!(Paint(true).green("x"), "\x1b[32mx\x1b[0m");
    }
}
