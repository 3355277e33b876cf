//! `JsonRef`: a live view into a JSON document, so that
//! `let raw = def.get_raw(); raw.fields.owner = "x"; def.save();` saves the change,
//! as Python's dict references do.
//!
//! A `JsonRef` is a shared root plus a path. Indexing an object or array child gives a
//! new `JsonRef` (same root, longer path); indexing a scalar gives a plain value.
//! Property syntax (`raw.fields`) uses the string indexer, so no per-field getters.
use super::bridge::RhaiResult;
use super::convert::{ToJson, to_dynamic, to_json};
use rhai::{Dynamic, EvalAltResult, INT, Position};
use serde_json::Value;
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

mod script_api;
pub use script_api::register;

/// One step of a path into a document.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    Key(String),
    Index(usize),
}

/// A live reference to a node of a shared JSON document.
#[derive(Debug, Clone)]
pub struct JsonRef {
    root: Arc<RwLock<Value>>,
    path: Vec<Step>,
}

fn follow<'a>(mut node: &'a Value, path: &[Step]) -> Option<&'a Value> {
    for step in path {
        node = match step {
            Step::Key(k) => node.get(k)?,
            Step::Index(i) => node.get(*i)?,
        };
    }
    Some(node)
}

fn follow_mut<'a>(mut node: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
    for step in path {
        node = match step {
            Step::Key(k) => node.get_mut(k)?,
            Step::Index(i) => node.get_mut(*i)?,
        };
    }
    Some(node)
}

/// Most entries one array or object of a document may hold: documents edited through
/// `get_raw()` are bounded like the script's own arrays and maps, so a runaway loop
/// stops with an error instead of exhausting memory.
pub const MAX_ENTRIES: usize = 1_000_000;

fn check_room(len: usize) -> RhaiResult<()> {
    if len >= MAX_ENTRIES {
        return Err(error(format!(
            "document too large: an array or object in it may hold at most {MAX_ENTRIES} entries"
        )));
    }
    Ok(())
}

fn error(message: impl Into<String>) -> Box<EvalAltResult> {
    Box::new(EvalAltResult::ErrorRuntime(
        message.into().into(),
        Position::NONE,
    ))
}

impl JsonRef {
    /// `message` about the child `step` of this node, prefixed with its path
    /// (`fields.score: NaN cannot be stored in JSON`).
    fn at(&self, step: &Step, message: &str) -> String {
        let mut at = String::new();
        for s in self.path.iter().chain(std::iter::once(step)) {
            match s {
                Step::Key(k) if at.is_empty() => at.push_str(k),
                Step::Key(k) => at.push_str(&format!(".{k}")),
                Step::Index(i) => at.push_str(&format!("[{i}]")),
            }
        }
        // A nested value's own path continues this one.
        match message.split_once(": ") {
            Some((inner, rest)) if !inner.contains(' ') => {
                let sep = if inner.starts_with('[') { "" } else { "." };
                format!("{at}{sep}{inner}: {rest}")
            }
            _ => format!("{at}: {message}"),
        }
    }

    /// A reference to the root of a new document.
    pub fn new(document: Value) -> Self {
        Self {
            root: Arc::new(RwLock::new(document)),
            path: Vec::new(),
        }
    }

    fn read(&self) -> RwLockReadGuard<'_, Value> {
        self.root
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn write(&self) -> RwLockWriteGuard<'_, Value> {
        self.root
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// A copy of the referenced value (`null` if the path no longer exists).
    pub fn snapshot(&self) -> Value {
        follow(&self.read(), &self.path)
            .cloned()
            .unwrap_or(Value::Null)
    }

    /// Replaces the whole document (after a save, the server's answer becomes the
    /// document, as in Python).
    pub fn replace(&self, document: Value) {
        if let Some(node) = follow_mut(&mut self.write(), &self.path) {
            *node = document;
        }
    }

    /// Reads a string member of the referenced object.
    pub fn get_str(&self, key: &str) -> Option<String> {
        follow(&self.read(), &self.path)?
            .get(key)?
            .as_str()
            .map(str::to_string)
    }

    /// The value at `key` of this object, as `x.key` reads it: a live `JsonRef` for an
    /// object or array, `()` when absent.
    pub fn get_key(&self, key: &str) -> RhaiResult<Dynamic> {
        self.child(Step::Key(key.to_string()))
    }

    /// Sets `key` of this object, as `x.key = value` does.
    pub fn set_key(&self, key: &str, value: Dynamic) -> RhaiResult<()> {
        self.set_child(Step::Key(key.to_string()), value)
    }

    fn child(&self, step: Step) -> RhaiResult<Dynamic> {
        let guard = self.read();
        let node = follow(&guard, &self.path)
            .ok_or_else(|| error("this part of the document no longer exists"))?;
        let value = match (&step, node) {
            (Step::Key(k), Value::Object(map)) => map.get(k),
            (Step::Index(i), Value::Array(items)) => Some(items.get(*i).ok_or_else(|| {
                error(format!(
                    "index {i} out of bounds: the array has {} items",
                    items.len()
                ))
            })?),
            (Step::Key(k), other) => {
                return Err(error(format!("cannot read '{k}' of a {}", kind(other))));
            }
            (Step::Index(i), other) => {
                return Err(error(format!("cannot index a {} with {i}", kind(other))));
            }
        };
        Ok(match value {
            None => Dynamic::UNIT,
            Some(Value::Object(_) | Value::Array(_)) => {
                let mut path = self.path.clone();
                path.push(step);
                Dynamic::from(JsonRef {
                    root: self.root.clone(),
                    path,
                })
            }
            Some(scalar) => to_dynamic(scalar),
        })
    }

    fn set_child(&self, step: Step, value: Dynamic) -> RhaiResult<()> {
        // Rhai writes a chained temporary back (`raw.fields.x = 1` ends with
        // `raw["fields"] = <that same JsonRef>`): nothing to copy then.
        if let Some(r) = value.read_lock::<JsonRef>()
            && Arc::ptr_eq(&r.root, &self.root)
            && r.path.len() == self.path.len() + 1
            && r.path.last() == Some(&step)
            && r.path[..self.path.len()] == self.path[..]
        {
            return Ok(());
        }
        let json = to_json(&value).map_err(|m| error(self.at(&step, &m)))?;
        let mut guard = self.write();
        let node = follow_mut(&mut guard, &self.path)
            .ok_or_else(|| error("this part of the document no longer exists"))?;
        match (step, node) {
            (Step::Key(k), Value::Object(map)) => {
                if !map.contains_key(&k) {
                    check_room(map.len())?;
                }
                map.insert(k, json);
            }
            (Step::Index(i), Value::Array(items)) => {
                let len = items.len();
                *items.get_mut(i).ok_or_else(|| {
                    error(format!(
                        "index {i} out of bounds: the array has {len} items"
                    ))
                })? = json;
            }
            (Step::Key(k), other) => {
                return Err(error(format!("cannot set '{k}' on a {}", kind(other))));
            }
            (Step::Index(i), other) => {
                return Err(error(format!("cannot set index {i} on a {}", kind(other))));
            }
        }
        Ok(())
    }

    /// Resolves a script index (negative counts from the end) into a path step.
    fn index(&self, i: INT) -> RhaiResult<Step> {
        if !self.is_array() {
            return Err(error(format!("cannot index a non-array with {i}")));
        }
        let len = self.len() as INT;
        let actual = if i < 0 { len + i } else { i };
        if !(0..len).contains(&actual) {
            return Err(error(format!(
                "index {i} out of bounds: the array has {len} items"
            )));
        }
        Ok(Step::Index(actual as usize))
    }

    fn is_array(&self) -> bool {
        matches!(follow(&self.read(), &self.path), Some(Value::Array(_)))
    }

    /// Whether the array or object is empty (scalars count as empty).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Number of items of an array or members of an object (0 for scalars).
    pub fn len(&self) -> usize {
        match follow(&self.read(), &self.path) {
            Some(Value::Array(a)) => a.len(),
            Some(Value::Object(o)) => o.len(),
            _ => 0,
        }
    }

    fn children(&self) -> Vec<Dynamic> {
        let guard = self.read();
        match follow(&guard, &self.path) {
            Some(Value::Array(items)) => {
                let n = items.len();
                drop(guard);
                (0..n)
                    .filter_map(|i| self.child(Step::Index(i)).ok())
                    .collect()
            }
            Some(Value::Object(map)) => map.keys().map(|k| Dynamic::from(k.clone())).collect(),
            _ => Vec::new(),
        }
    }
}

/// A JSON type name for messages.
fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

impl IntoIterator for JsonRef {
    type Item = Dynamic;
    type IntoIter = std::vec::IntoIter<Dynamic>;

    /// Arrays iterate their items; objects their keys (as Python dicts do).
    fn into_iter(self) -> Self::IntoIter {
        self.children().into_iter()
    }
}

impl std::fmt::Display for JsonRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.snapshot())
    }
}

impl ToJson for JsonRef {
    /// A copy of the document.
    fn to_json(&self) -> Value {
        self.snapshot()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rhai::Engine;
    use serde_json::json;

    /// Runs `script` with `raw` bound to a live view of `doc`; returns the document after.
    fn edit(doc: Value, script: &str) -> Value {
        let mut engine = Engine::new();
        register(&mut engine);
        let root = JsonRef::new(doc);
        let mut scope = rhai::Scope::new();
        scope.push("raw", root.clone());
        engine.run_with_scope(&mut scope, script).expect("script");
        root.snapshot()
    }

    #[test]
    fn a_document_cannot_grow_past_the_limit() {
        let full: Vec<Value> = vec![Value::Null; MAX_ENTRIES];
        let mut engine = Engine::new();
        register(&mut engine);
        let root = JsonRef::new(json!({"list": full, "map": {}}));
        let mut scope = rhai::Scope::new();
        scope.push("raw", root.clone());
        let err = engine
            .run_with_scope(&mut scope, "raw.list.push(1);")
            .expect_err("the array is full");
        assert!(err.to_string().contains("document too large"), "{err}");
        // Replacing an entry is still fine; only growth is refused.
        engine
            .run_with_scope(&mut scope, "raw.list[0] = 1; raw.map.a = 1;")
            .expect("no growth past the limit");
    }

    #[test]
    fn edits_through_variables_paths_and_loops_reach_the_document() {
        let doc =
            json!({"fields": {"x": 1, "tags": ["a"]}, "items": [{"s": 1}, {"s": 2}], "name": "n"});
        let after = edit(
            doc,
            r#"
            let f = raw.fields;
            f.x += 5;
            raw["fields"]["y"] = #{a: [1, 2]};
            raw.fields.tags.push("b");
            raw.fields.tags[0] = "z";
            for it in raw.items { it.s += 10; }
            raw.items[-1].last = true;
            raw.copy = #{inner: raw.fields.tags};
            if type_of(raw.fields) != "JsonRef" || type_of(raw.name) != "string" { throw "types"; }
            if raw.fields.tags.len() != 2 || !("x" in raw.fields) { throw "len/contains"; }
            "#,
        );
        assert_eq!(
            after,
            json!({"fields": {"x": 6, "tags": ["z", "b"], "y": {"a": [1, 2]}},
                   "items": [{"s": 11}, {"s": 12, "last": true}], "name": "n",
                   "copy": {"inner": ["z", "b"]}})
        );
    }

    #[test]
    fn keys_remove_and_pretty_json_work_on_the_live_document() {
        let mut engine = Engine::new();
        register(&mut engine);
        let root = JsonRef::new(json!({"a": 1, "b": {"c": [1, 2]}}));
        let mut scope = rhai::Scope::new();
        scope.push("raw", root.clone());
        let out: String = engine
            .eval_with_scope(
                &mut scope,
                r#"
                let keys = raw.keys();
                let removed = raw.remove("a");
                let missing = raw.remove("zz");
                `${keys}|${removed}|${type_of(missing)}|${raw.to_json()}|${raw.b.to_json(true)}`
                "#,
            )
            .expect("script");
        assert_eq!(
            out,
            "[\"a\", \"b\"]|1|()|{\"b\":{\"c\":[1,2]}}|{\n  \"c\": [\n    1,\n    2\n  ]\n}"
        );
        assert_eq!(root.snapshot(), json!({"b": {"c": [1, 2]}}));
    }

    #[test]
    fn bad_indexes_are_script_errors() {
        let mut engine = Engine::new();
        register(&mut engine);
        let mut scope = rhai::Scope::new();
        scope.push("raw", JsonRef::new(json!({"a": [1], "s": "x"})));
        for bad in ["raw.a[5]", "raw.a[-2]", "raw.s.x = 1", "raw[0]"] {
            assert!(
                engine.run_with_scope(&mut scope, bad).is_err(),
                "{bad} should fail"
            );
        }
    }
}
