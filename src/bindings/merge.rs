//! Three-way merge of JSON documents, as `git merge` does for files: my changes (base →
//! mine) are applied onto the server's latest document (theirs).
//!
//! - A path changed only by me takes my value; one changed only by them keeps theirs.
//! - A path changed by both to the same value is no conflict.
//! - A path changed by both to different values is a conflict (a deletion is a change:
//!   deleted on one side and edited on the other conflicts).
//! - Objects are merged key by key, at any depth: `fields.owner` and `fields.risk` are
//!   separate paths. Two sides that both add an object at a new key are merged the same
//!   way, as if it had been empty.
//! - An array is one value (a changed order or element is a change of the whole array),
//!   except the one shape that is safe to combine: see [`merge_lists`].
use serde_json::{Map, Value};
use std::fmt;

/// A path both sides changed to different values; `None` is "absent".
#[derive(Debug, Clone, PartialEq)]
pub struct Clash {
    /// Dotted path (`fields.owner`); `(the whole document)` at the top.
    pub path: String,
    /// The value as read.
    pub base: Option<Value>,
    /// The value as edited here.
    pub mine: Option<Value>,
    /// The value the server has now.
    pub theirs: Option<Value>,
}

/// Values longer than this (as JSON text) are shortened in messages.
const SHOWN_CHARS: usize = 40;

/// A value as JSON text, shortened to [`SHOWN_CHARS`] characters, or `(absent)`.
fn show(value: &Option<Value>) -> String {
    let Some(value) = value else {
        return "(absent)".into();
    };
    let text = value.to_string();
    if text.chars().count() <= SHOWN_CHARS {
        return text;
    }
    let short: String = text.chars().take(SHOWN_CHARS - 1).collect();
    format!("{short}…")
}

impl fmt::Display for Clash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (base {}, mine {}, theirs {})",
            self.path,
            show(&self.base),
            show(&self.mine),
            show(&self.theirs)
        )
    }
}

/// Applies the changes from `base` to `mine` onto `theirs`: the merged document, or
/// every path where both sides changed the same thing differently.
pub fn three_way(base: &Value, mine: &Value, theirs: &Value) -> Result<Value, Vec<Clash>> {
    let mut clashes = Vec::new();
    let merged = merge_at("", Some(base), Some(mine), Some(theirs), &mut clashes);
    if clashes.is_empty() {
        // All three are present at the top, so the merge is too.
        Ok(merged.unwrap_or(Value::Null))
    } else {
        Err(clashes)
    }
}

/// The merge of one path; `None` means "absent" (deleted, or never there). Clashes are
/// pushed to `clashes`, and theirs is kept in their place.
fn merge_at(
    path: &str,
    base: Option<&Value>,
    mine: Option<&Value>,
    theirs: Option<&Value>,
    clashes: &mut Vec<Clash>,
) -> Option<Value> {
    if mine == base || mine == theirs {
        return theirs.cloned();
    }
    if theirs == base {
        return mine.cloned();
    }
    let empty = Value::Object(Map::new());
    match (base.or(Some(&empty)), mine, theirs) {
        (Some(Value::Object(b)), Some(Value::Object(m)), Some(Value::Object(t))) => {
            Some(Value::Object(merge_objects(path, b, m, t, clashes)))
        }
        (Some(Value::Array(b)), Some(Value::Array(m)), Some(Value::Array(t))) => {
            merge_lists(b, m, t).map(Value::Array).or_else(|| {
                clashes.push(clash(path, base, mine, theirs));
                theirs.cloned()
            })
        }
        _ => {
            clashes.push(clash(path, base, mine, theirs));
            theirs.cloned()
        }
    }
}

/// Merges three objects key by key (theirs' key order first, then keys only mine has).
fn merge_objects(
    path: &str,
    base: &Map<String, Value>,
    mine: &Map<String, Value>,
    theirs: &Map<String, Value>,
    clashes: &mut Vec<Clash>,
) -> Map<String, Value> {
    let mut keys: Vec<&String> = theirs.keys().collect();
    keys.extend(mine.keys().filter(|k| !theirs.contains_key(*k)));
    keys.extend(
        base.keys()
            .filter(|k| !theirs.contains_key(*k) && !mine.contains_key(*k)),
    );
    let mut out = Map::new();
    for key in keys {
        let child = if path.is_empty() {
            key.clone()
        } else {
            format!("{path}.{key}")
        };
        let merged = merge_at(
            &child,
            base.get(key),
            mine.get(key),
            theirs.get(key),
            clashes,
        );
        if let Some(value) = merged {
            out.insert(key.clone(), value);
        }
    }
    out
}

/// Combines two edits of a list, when both are safe to combine: every list holds
/// distinct strings (as Govern's reference fields hold artifact ids), and each side
/// only removed elements and appended new ones at the end, keeping the order of the
/// rest. The result is theirs, without what I removed, with what I appended (once).
/// Any other edit (a reorder, an insertion in the middle, numbers or objects, a
/// duplicate) makes the list one value, so that `None` here means a conflict.
fn merge_lists(base: &[Value], mine: &[Value], theirs: &[Value]) -> Option<Vec<Value>> {
    let (b, m, t) = (strings(base)?, strings(mine)?, strings(theirs)?);
    let mine_appended = appended(&b, &m)?;
    appended(&b, &t)?;
    let removed: Vec<&str> = b.iter().copied().filter(|s| !m.contains(s)).collect();
    let mut out: Vec<&str> = t.into_iter().filter(|s| !removed.contains(s)).collect();
    for s in mine_appended {
        if !out.contains(&s) {
            out.push(s);
        }
    }
    Some(out.into_iter().map(Value::from).collect())
}

/// The elements as distinct strings, or `None`.
fn strings(list: &[Value]) -> Option<Vec<&str>> {
    let out: Vec<&str> = list.iter().map(Value::as_str).collect::<Option<_>>()?;
    let distinct = out.iter().enumerate().all(|(i, s)| !out[..i].contains(s));
    distinct.then_some(out)
}

/// What `edited` appended to `base`, if it is `base` with some elements removed (the
/// rest in their order) followed by new elements; else `None`.
fn appended<'a>(base: &[&str], edited: &[&'a str]) -> Option<Vec<&'a str>> {
    let kept: Vec<&str> = base
        .iter()
        .copied()
        .filter(|s| edited.contains(s))
        .collect();
    let (head, tail) = edited.split_at(kept.len());
    (head == kept.as_slice() && tail.iter().all(|s| !base.contains(s))).then(|| tail.to_vec())
}

fn clash(path: &str, base: Option<&Value>, mine: Option<&Value>, theirs: Option<&Value>) -> Clash {
    Clash {
        path: if path.is_empty() {
            "(the whole document)".into()
        } else {
            path.to_string()
        },
        base: base.cloned(),
        mine: mine.cloned(),
        theirs: theirs.cloned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc() -> Value {
        json!({"id": "ar.1", "name": "A", "fields": {"owner": "alice", "risk": "High",
               "deep": {"a": 1, "b": 2}, "refs": ["ar.2", "ar.3"]}})
    }

    /// `doc()` with `edit` applied.
    fn edited(edit: impl FnOnce(&mut Value)) -> Value {
        let mut d = doc();
        edit(&mut d);
        d
    }

    fn paths(clashes: &[Clash]) -> Vec<&str> {
        clashes.iter().map(|c| c.path.as_str()).collect()
    }

    #[test]
    fn changes_to_different_fields_are_both_kept() {
        let mine = edited(|d| d["fields"]["owner"] = json!("me"));
        let theirs = edited(|d| d["fields"]["risk"] = json!("Low"));
        let merged = three_way(&doc(), &mine, &theirs).expect("merges");
        assert_eq!(merged["fields"]["owner"], "me");
        assert_eq!(merged["fields"]["risk"], "Low");
    }

    #[test]
    fn the_same_field_changed_differently_conflicts_naming_all_three_values() {
        let mine = edited(|d| d["fields"]["owner"] = json!("me"));
        let theirs = edited(|d| d["fields"]["owner"] = json!("zed"));
        let clashes = three_way(&doc(), &mine, &theirs).expect_err("conflicts");
        assert_eq!(
            clashes.iter().map(ToString::to_string).collect::<Vec<_>>(),
            [r#"fields.owner (base "alice", mine "me", theirs "zed")"#]
        );
    }

    #[test]
    fn the_same_change_on_both_sides_is_no_conflict() {
        let mine = edited(|d| d["name"] = json!("B"));
        let merged = three_way(&doc(), &mine, &mine.clone()).expect("merges");
        assert_eq!(merged, mine);
    }

    #[test]
    fn deleted_on_one_side_and_edited_on_the_other_conflicts() {
        let mine = edited(|d| {
            d["fields"].as_object_mut().map(|f| f.remove("owner"));
        });
        let theirs = edited(|d| d["fields"]["owner"] = json!("zed"));
        let clashes = three_way(&doc(), &mine, &theirs).expect_err("conflicts");
        assert_eq!(clashes[0].mine, None);
        assert_eq!(
            clashes[0].to_string(),
            r#"fields.owner (base "alice", mine (absent), theirs "zed")"#
        );
        // Deleted on one side only: the deletion wins.
        let merged = three_way(&doc(), &mine, &doc()).expect("merges");
        assert!(merged["fields"].get("owner").is_none());
    }

    #[test]
    fn nested_objects_merge_path_by_path() {
        let mine = edited(|d| d["fields"]["deep"]["a"] = json!(10));
        let theirs = edited(|d| {
            d["fields"]["deep"]["b"] = json!(20);
            d["fields"]["deep"]["c"] = json!({"x": 1});
        });
        let merged = three_way(&doc(), &mine, &theirs).expect("merges");
        assert_eq!(
            merged["fields"]["deep"],
            json!({"a": 10, "b": 20, "c": {"x": 1}})
        );
        let mine = edited(|d| d["fields"]["deep"]["b"] = json!(3));
        let clashes = three_way(&doc(), &mine, &theirs).expect_err("conflicts");
        assert_eq!(paths(&clashes), ["fields.deep.b"]);
    }

    #[test]
    fn every_clash_is_reported_and_unrelated_changes_do_not_hide_them() {
        let mine = edited(|d| {
            d["name"] = json!("mine");
            d["fields"]["owner"] = json!("me");
            d["fields"]["risk"] = json!("Low");
        });
        let theirs = edited(|d| {
            d["name"] = json!("theirs");
            d["fields"]["owner"] = json!("zed");
        });
        let clashes = three_way(&doc(), &mine, &theirs).expect_err("conflicts");
        assert_eq!(paths(&clashes), ["name", "fields.owner"]);
    }

    #[test]
    fn objects_added_at_the_same_new_key_merge_their_keys() {
        let mine = edited(|d| d["fields"]["extra"] = json!({"a": 1}));
        let theirs = edited(|d| d["fields"]["extra"] = json!({"b": 2}));
        let merged = three_way(&doc(), &mine, &theirs).expect("merges");
        assert_eq!(merged["fields"]["extra"], json!({"a": 1, "b": 2}));
    }

    #[test]
    fn appends_and_removals_of_distinct_strings_combine() {
        let mine = edited(|d| d["fields"]["refs"] = json!(["ar.3", "ar.4"]));
        let theirs = edited(|d| d["fields"]["refs"] = json!(["ar.2", "ar.3", "ar.5", "ar.4"]));
        let merged = three_way(&doc(), &mine, &theirs).expect("merges");
        assert_eq!(merged["fields"]["refs"], json!(["ar.3", "ar.5", "ar.4"]));
    }

    #[test]
    fn a_reordered_or_non_string_list_is_one_value() {
        let theirs = edited(|d| d["fields"]["refs"] = json!(["ar.2", "ar.3", "ar.9"]));
        for mine in [json!(["ar.3", "ar.2"]), json!(["ar.2", "ar.8", "ar.3"])] {
            let mine = edited(|d| d["fields"]["refs"] = mine);
            let clashes = three_way(&doc(), &mine, &theirs).expect_err("conflicts");
            assert_eq!(paths(&clashes), ["fields.refs"]);
        }
        let base = json!({"l": [1, 2]});
        let clashes =
            three_way(&base, &json!({"l": [1, 2, 3]}), &json!({"l": [1, 2, 4]})).expect_err("x");
        assert_eq!(paths(&clashes), ["l"]);
    }

    #[test]
    fn long_values_are_shortened_in_messages() {
        let long = "x".repeat(100);
        let clash = clash("name", None, Some(&json!(long)), Some(&json!(1)));
        let shown = clash.to_string();
        assert!(
            shown.contains(&format!("mine \"{}…", "x".repeat(38))),
            "{shown}"
        );
        assert!(shown.len() < 100, "{shown}");
    }

    #[test]
    fn a_whole_document_replaced_by_both_conflicts_at_the_top() {
        let clashes = three_way(&json!(1), &json!(2), &json!(3)).expect_err("conflicts");
        assert_eq!(paths(&clashes), ["(the whole document)"]);
    }
}
