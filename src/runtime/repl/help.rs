//! `.help` texts, read from the engine's registry: the commands, a function's
//! signatures and doc comment, a type's methods and properties.
use super::display::{ansi, paint};
use super::index::{FnDoc, Index, Overloads};
use crate::runtime::type_names::{canonical, respell};
use std::any::TypeId;

/// The REPL's commands, for `.help` and completion.
pub const COMMANDS: &[(&str, &str)] = &[
    (
        ".help",
        "this list; `.help NAME` shows a function or type (`.help GovernArtifact`)",
    ),
    (".vars", "the variables of the session and their types"),
    (
        ".load FILE",
        "runs a script file in the session (its variables and functions stay)",
    ),
    (".exit", "leaves (so does Ctrl-D)"),
];

/// The text of `.help` without a name.
pub fn overview(index: &Index, color: bool) -> String {
    let mut out = String::from("Commands:\n");
    for (name, what) in COMMANDS {
        out.push_str(&format!(
            "  {} {what}\n",
            paint(&format!("{name:<12}"), ansi::CYAN, color)
        ));
    }
    out.push_str(
        "\nType Rhai statements; an entry with open brackets continues on the next line.\n\
         Tab completes names, and after `.` the methods of the value (`client.` then Tab).\n\
         Ctrl-C stops the running statement or clears the line; Ctrl-D leaves.\n\nTypes:\n",
    );
    for name in index.custom_types() {
        out.push_str(&format!("  {name}\n"));
    }
    out
}

/// The text of `.help NAME` (`NAME` is a function, a type or `Type.method`).
pub fn topic(index: &Index, name: &str, color: bool) -> String {
    let name = name.trim();
    if let Some((ty, method)) = name.split_once('.')
        && let Some(id) = index.type_id(ty)
        && let Some(docs) = index.methods.get(&id).and_then(|m| m.get(method))
    {
        return describe(ty, docs, color);
    }
    if let Some(id) = index.type_id(name)
        && (index.methods.contains_key(&id) || index.props.contains_key(&id))
    {
        return type_help(index, id, name, color);
    }
    let mut out = String::new();
    if let Some(docs) = index.globals.get(name) {
        out.push_str(&describe("", docs, color));
    }
    let mut receivers: Vec<(&str, &Vec<FnDoc>)> = index
        .methods
        .iter()
        .filter_map(|(id, m)| Some((index.type_name(*id)?, m.get(name)?)))
        .filter(|(ty, _)| index.type_id(ty).is_some_and(|_| !is_builtin(ty)))
        .collect();
    receivers.sort_by_key(|(ty, _)| *ty);
    for (ty, docs) in receivers {
        out.push_str(&describe(ty, docs, color));
    }
    if out.is_empty() {
        format!("nothing is called '{name}'; `.help` lists the types, Tab completes names\n")
    } else {
        out
    }
}

/// Types of the language (`String`, `Map`, and every lower-case primitive: `f32`,
/// `u8`...), whose functions are shown as globals, not as methods of a type.
fn is_builtin(ty: &str) -> bool {
    matches!(ty, "()" | "String" | "Array" | "Map" | "Blob")
        || ty.starts_with(|c: char| c.is_ascii_lowercase())
}

/// A method's signature without its receiver (the first parameter, whatever its
/// name: `self: T` or rhai's `_: &mut T`): `f(self, a: String)` becomes `f(a: String)`.
fn without_receiver(signature: &str) -> String {
    let Some((name, rest)) = signature.split_once('(') else {
        return signature.to_string();
    };
    // The receiver's type has no commas or parentheses: cut at the first of either.
    match rest.find([',', ')']) {
        Some(i) if rest[i..].starts_with(',') => format!("{name}({}", rest[i + 1..].trim_start()),
        Some(i) => format!("{name}({}", &rest[i..]),
        None => signature.to_string(),
    }
}

/// Signatures of one function (its overloads), each group of overloads followed by
/// its own doc comment.
fn describe(receiver: &str, docs: &[FnDoc], color: bool) -> String {
    let mut groups: Vec<(&[String], Vec<String>)> = Vec::new();
    let mut docs: Vec<&FnDoc> = docs.iter().collect();
    docs.sort_by(|a, b| (a.arity, &a.signature).cmp(&(b.arity, &b.signature)));
    for doc in docs {
        let sig = if receiver.is_empty() {
            respell(&doc.signature)
        } else {
            format!("{receiver}.{}", respell(&without_receiver(&doc.signature)))
        };
        if groups.iter().any(|(_, sigs)| sigs.contains(&sig)) {
            continue;
        }
        match groups.iter_mut().find(|(d, _)| *d == doc.docs.as_slice()) {
            Some((_, sigs)) => sigs.push(sig),
            None => groups.push((&doc.docs, vec![sig])),
        }
    }
    let mut out = String::new();
    for (lines, sigs) in groups {
        for sig in sigs {
            out.push_str(&paint(&sig, ansi::CYAN, color));
            out.push('\n');
        }
        for line in lines {
            out.push_str(&format!("    {line}\n"));
        }
    }
    out
}

/// A type's methods (longest signature and first doc line each) and properties.
fn type_help(index: &Index, id: TypeId, name: &str, color: bool) -> String {
    let mut out = format!("{}\n", paint(name, ansi::CYAN, color));
    let list = |out: &mut String, title: &str, fns: Option<&Overloads>, is_prop: bool| {
        let Some(fns) = fns.filter(|f| !f.is_empty()) else {
            return;
        };
        out.push_str(&format!("  {title}:\n"));
        for (fname, docs) in fns {
            let Some(doc) = docs.iter().max_by_key(|d| d.arity) else {
                continue;
            };
            let shown = if is_prop {
                format!("{fname} -> {}", canonical(&doc.returns))
            } else {
                respell(&without_receiver(&doc.signature))
            };
            // The shown overload's own doc, else any overload's.
            let first = doc
                .docs
                .first()
                .or_else(|| docs.iter().find_map(|d| d.docs.first()))
                .cloned()
                .unwrap_or_default();
            out.push_str(&format!("    {shown}\n"));
            if !first.is_empty() {
                out.push_str(&format!("        {}\n", paint(&first, ansi::DIM, color)));
            }
        }
    };
    list(&mut out, "methods", index.methods.get(&id), false);
    list(&mut out, "properties", index.props.get(&id), true);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn receivers_are_dropped_from_signatures() {
        let cut = super::without_receiver;
        assert_eq!(cut("f(self, a: String) -> X"), "f(a: String) -> X");
        assert_eq!(cut("f(self: GovernArtifact) -> X"), "f() -> X");
        assert_eq!(
            cut("to_debug(_: &mut GovernArtifact) -> X"),
            "to_debug() -> X"
        );
        assert_eq!(cut("g()"), "g()");
    }
}
