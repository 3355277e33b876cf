//! What scripts can do with a `JsonRef`: its indexers, methods and operators, each
//! method with its doc comment (shown by `.help JsonRef` and editor definitions).
use super::{JsonRef, Step, check_room, error, follow, follow_mut, kind};
use crate::bindings::bridge::RhaiResult;
use crate::bindings::convert::{to_dynamic, to_json};
use crate::bindings::def::{def, documented_type};
use crate::bindings::register::Register;
use rhai::{Dynamic, INT};
use serde_json::Value;

documented_type!(
    "JsonRef" = JsonRef,
    "A live view into a JSON document (`def.get_raw()`): changes to it are what `save()` sends."
);

/// Registers `JsonRef`: indexers, iteration, `len`, `push`, `keys`, `remove`,
/// `contains` (`in`), `to_map`, `to_json`, printing and equality.
pub fn register(engine: &mut impl Register) {
    crate::bindings::convert::json_type::<JsonRef>();
    engine
        .register_documented::<JsonRef>()
        .register_iterator::<JsonRef>()
        .register_indexer_get(|r: &mut JsonRef, key: &str| r.child(Step::Key(key.to_string())))
        .register_indexer_set(|r: &mut JsonRef, key: &str, value: Dynamic| {
            r.set_child(Step::Key(key.to_string()), value)
        })
        .register_indexer_get(|r: &mut JsonRef, i: INT| {
            let step = r.index(i)?;
            r.child(step)
        })
        .register_indexer_set(|r: &mut JsonRef, i: INT, value: Dynamic| {
            let step = r.index(i)?;
            r.set_child(step, value)
        })
        .register_fn("==", |a: JsonRef, b: JsonRef| a.snapshot() == b.snapshot())
        .register_fn("!=", |a: JsonRef, b: JsonRef| a.snapshot() != b.snapshot())
        .register_fn("==", |a: JsonRef, b: rhai::Map| {
            to_json(&Dynamic::from_map(b)).is_ok_and(|b| a.snapshot() == b)
        })
        .register_fn("==", |a: JsonRef, b: rhai::Array| {
            to_json(&Dynamic::from_array(b)).is_ok_and(|b| a.snapshot() == b)
        });
    const SELF: &str = "self: JsonRef";
    def(
        engine,
        "len",
        &[SELF, "int"],
        "Items of an array, members of an object (0 for anything else).",
        |r: &mut JsonRef| r.len() as INT,
    );
    def(
        engine,
        "is_empty",
        &[SELF, "bool"],
        "Whether the array or object has no entries.",
        |r: &mut JsonRef| r.is_empty(),
    );
    def(
        engine,
        "push",
        &[SELF, "value: ?", "()"],
        "Appends `value` to the array.",
        |r: &mut JsonRef, value: Dynamic| -> RhaiResult<()> {
            let json = to_json(&value).map_err(error)?;
            match follow_mut(&mut r.write(), &r.path) {
                Some(Value::Array(items)) => {
                    check_room(items.len())?;
                    items.push(json);
                    Ok(())
                }
                Some(other) => Err(error(format!("cannot push onto a {}", kind(other)))),
                None => Err(error("this part of the document no longer exists")),
            }
        },
    );
    def(
        engine,
        "keys",
        &[SELF, "Array"],
        "The member names of the object, in document order (`[]` for anything else).",
        |r: &mut JsonRef| -> rhai::Array {
            match follow(&r.read(), &r.path) {
                Some(Value::Object(map)) => map.keys().map(|k| Dynamic::from(k.clone())).collect(),
                _ => rhai::Array::new(),
            }
        },
    );
    def(
        engine,
        "remove",
        &[SELF, "key: String", "?"],
        "Removes member `key` from the object and returns its value (`()` if absent).",
        |r: &mut JsonRef, key: &str| -> Dynamic {
            match follow_mut(&mut r.write(), &r.path) {
                Some(Value::Object(map)) => map
                    .shift_remove(key)
                    .map_or(Dynamic::UNIT, |v| to_dynamic(&v)),
                _ => Dynamic::UNIT,
            }
        },
    );
    def(
        engine,
        "contains",
        &[SELF, "item: ?", "bool"],
        "Whether the object has member `item`, or the array an item equal to it (`in`).",
        |r: &mut JsonRef, item: Dynamic| -> bool {
            match follow(&r.read(), &r.path) {
                Some(Value::Object(map)) => map.contains_key(&item.to_string()),
                Some(Value::Array(items)) => to_json(&item).is_ok_and(|v| items.contains(&v)),
                _ => false,
            }
        },
    );
    def(
        engine,
        "to_map",
        &[SELF, "?"],
        "A copy as plain maps and arrays, no longer tied to the document.",
        |r: &mut JsonRef| to_dynamic(&r.snapshot()),
    );
    def(
        engine,
        "to_json",
        &[SELF, "String"],
        "The JSON text, on one line.",
        |r: &mut JsonRef| r.snapshot().to_string(),
    );
    def(
        engine,
        "to_json",
        &[SELF, "pretty: bool", "String"],
        "The JSON text, indented when `pretty`.",
        |r: &mut JsonRef, pretty: bool| {
            let v = r.snapshot();
            if pretty {
                serde_json::to_string_pretty(&v).unwrap_or_default()
            } else {
                v.to_string()
            }
        },
    );
    def(
        engine,
        "to_string",
        &[SELF, "String"],
        "The JSON text, as `print` shows it.",
        |r: &mut JsonRef| r.to_string(),
    );
    def(
        engine,
        "to_debug",
        &[SELF, "String"],
        "The JSON text, as `debug` shows it.",
        |r: &mut JsonRef| r.to_string(),
    );
}
