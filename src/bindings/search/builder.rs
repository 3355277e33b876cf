//! One generic type for every builder class of the search family: a class is a
//! [`Spec`] (data), an object is its attributes behind a shared lock, as Python objects
//! are references: a filter changed after it was added to a query changes the query.
use super::spec::{self, Init, Out, Spec, Ty};
use crate::bindings::arg::ScriptType;
use crate::bindings::convert::to_json;
use rhai::{Array, Dynamic, Map};
use serde_json::{Map as JsonMap, Value};
use std::marker::PhantomData;
use std::sync::{Arc, RwLock};

/// How deep objects may nest in one `build()` (a query holding itself stops here).
const MAX_DEPTH: usize = 32;

/// An object of a builder class: its class and its attributes, shared by its clones.
#[derive(Clone, Debug)]
pub struct Obj {
    /// The class.
    pub spec: &'static Spec,
    attrs: Arc<RwLock<Vec<(&'static str, Dynamic)>>>,
}

/// A builder class as its own Rhai type (`GovernArtifactFilterBlueprints`, ...).
pub trait Class: Send + Sync + 'static {
    /// The Python class name.
    const NAME: &'static str;
}

/// An object of class `C`.
pub struct Builder<C: Class> {
    /// The object.
    pub obj: Obj,
    class: PhantomData<C>,
}

impl<C: Class> Clone for Builder<C> {
    fn clone(&self) -> Self {
        Self::wrap(self.obj.clone())
    }
}

impl<C: Class> Builder<C> {
    /// Wraps an object of class `C`.
    pub fn wrap(obj: Obj) -> Self {
        Self {
            obj,
            class: PhantomData,
        }
    }

    /// The class `C` describes.
    pub fn spec() -> &'static Spec {
        spec::find(C::NAME).expect("every declared class has a spec (unit-tested)")
    }
}

impl<C: Class> ScriptType for Builder<C> {
    const NAME: &'static str = C::NAME;
}

impl Obj {
    /// A new object of class `spec` from constructor `args`: positional, in Python
    /// order, optionally followed by one map of keyword arguments.
    pub fn construct(spec: &'static Spec, mut args: Vec<Dynamic>) -> Result<Obj, String> {
        let mut given: Vec<Option<Dynamic>> = vec![None; spec.params.len()];
        // A trailing map holds keyword arguments (no parameter takes a map).
        let keywords = args
            .last()
            .and_then(|a| a.read_lock::<Map>().map(|m| m.clone()));
        if keywords.is_some() {
            args.pop();
        }
        if args.len() > spec.params.len() {
            return Err("too many arguments".into());
        }
        let positional = args.len();
        for (slot, value) in given.iter_mut().zip(args) {
            *slot = Some(value);
        }
        for (key, value) in keywords.unwrap_or_default() {
            let Some(i) = spec.params.iter().position(|p| p.name == key.as_str()) else {
                let names: Vec<_> = spec.params.iter().map(|p| p.name).collect();
                return Err(format!(
                    "unknown keyword argument '{key}'; expected one of: {}",
                    names.join(", ")
                ));
            };
            if i < positional {
                return Err(format!("{key} is given twice (positionally and by name)"));
            }
            given[i] = Some(value);
        }
        let mut attrs: Vec<(&'static str, Dynamic)> = spec
            .fixed
            .iter()
            .map(|(name, value)| (*name, Dynamic::from(value.to_string())))
            .collect();
        for (param, value) in spec.params.iter().zip(given) {
            let value = match (value, param.default) {
                (Some(v), _) => v,
                (None, Init::Required) => return Err(format!("{} is required", param.name)),
                (None, Init::None) => Dynamic::UNIT,
                (None, Init::EmptyList) => Dynamic::from_array(Array::new()),
                (None, Init::Str(s)) => Dynamic::from(s.to_string()),
                (None, Init::New(class)) => new_object(class)?,
            };
            check(param.name, param.ty, &value)?;
            attrs.push((param.name, value));
        }
        Ok(Obj {
            spec,
            attrs: Arc::new(RwLock::new(attrs)),
        })
    }

    /// The attribute `name` (`()` if the class has none).
    pub fn get(&self, name: &str) -> Dynamic {
        let attrs = self.attrs.read().unwrap_or_else(|e| e.into_inner());
        attrs
            .iter()
            .find(|(n, _)| *n == name)
            .map_or(Dynamic::UNIT, |(_, v)| v.clone())
    }

    /// Sets the attribute `name`, checked against its parameter's type.
    pub fn set(&self, name: &str, value: Dynamic) -> Result<(), String> {
        if let Some(p) = self.spec.params.iter().find(|p| p.name == name) {
            check(name, p.ty, &value)?;
        }
        let mut attrs = self.attrs.write().unwrap_or_else(|e| e.into_inner());
        match attrs.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = value,
            None => return Err(format!("{} has no attribute {name}", self.spec.name)),
        }
        Ok(())
    }

    /// Appends `value` to the list attribute `name`.
    pub fn push(&self, name: &str, value: Dynamic) -> Result<(), String> {
        let mut attrs = self.attrs.write().unwrap_or_else(|e| e.into_inner());
        match attrs.iter_mut().find(|(n, _)| *n == name) {
            Some((_, list)) if list.is_array() => {
                if let Some(mut a) = list.write_lock::<Array>() {
                    a.push(value);
                }
                Ok(())
            }
            _ => Err(format!("{name} is not a list")),
        }
    }

    /// Python's `build()`: the JSON of the object, nested objects built too.
    pub fn build(&self) -> Result<Value, String> {
        self.build_at(0)
    }

    fn build_at(&self, depth: usize) -> Result<Value, String> {
        if depth > MAX_DEPTH {
            return Err(format!("objects nest more than {MAX_DEPTH} deep"));
        }
        let outs = self
            .spec
            .build
            .ok_or_else(|| format!("Cannot build an abstract {}", self.spec.name))?;
        self.emit(outs, depth)
    }

    fn emit(&self, outs: &[Out], depth: usize) -> Result<Value, String> {
        let mut map = JsonMap::new();
        for out in outs {
            match out {
                Out::Attr(key, attr) => {
                    map.insert(key.to_string(), json_of(&self.get(attr), depth)?);
                }
                Out::IfSet(key, attr) => {
                    let value = self.get(attr);
                    if !value.is_unit() {
                        map.insert(key.to_string(), json_of(&value, depth)?);
                    }
                }
                Out::Nested(key, inner) => {
                    map.insert(key.to_string(), self.emit(inner, depth)?);
                }
            }
        }
        Ok(Value::Object(map))
    }

    /// `Name(attr=value, ...)`, for printing.
    pub fn describe(&self) -> String {
        let attrs = self.attrs.read().unwrap_or_else(|e| e.into_inner());
        let parts: Vec<String> = attrs
            .iter()
            .map(|(n, v)| format!("{n}={}", describe_value(v)))
            .collect();
        format!("{}({})", self.spec.name, parts.join(", "))
    }
}

fn describe_value(v: &Dynamic) -> String {
    if let Some(o) = super::classes::obj_of(v) {
        return o.describe();
    }
    if let Some(a) = v.read_lock::<Array>() {
        let items: Vec<String> = a.iter().map(describe_value).collect();
        return format!("[{}]", items.join(", "));
    }
    to_json(v).map_or_else(|_| v.type_name().to_string(), |j| j.to_string())
}

/// The JSON of an attribute value: objects are built, lists item by item.
fn json_of(value: &Dynamic, depth: usize) -> Result<Value, String> {
    if let Some(obj) = super::classes::obj_of(value) {
        return obj.build_at(depth + 1);
    }
    if let Some(array) = value.read_lock::<Array>() {
        return array.iter().map(|v| json_of(v, depth + 1)).collect();
    }
    to_json(value)
}

fn new_object(class: &str) -> Result<Dynamic, String> {
    let spec = spec::find(class).ok_or_else(|| format!("no class {class}"))?;
    super::classes::to_dynamic(Obj::construct(spec, vec![])?)
}

/// Checks a value given for attribute `name` of type `ty` (`()` always passes).
pub fn check(name: &str, ty: Ty, value: &Dynamic) -> Result<(), String> {
    if value.is_unit() {
        return Ok(());
    }
    let (ok, expected) = match ty {
        Ty::Any => (true, ""),
        Ty::Str => (value.is_string(), "String"),
        Ty::Bool => (value.is_bool(), "bool"),
        Ty::List => (value.is_array(), "Array"),
        Ty::Derived(base) => (
            super::classes::obj_of(value).is_some_and(|o| derives(o.spec, base)),
            base,
        ),
    };
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{name} must be a {expected}, not {}",
            value.type_name()
        ))
    }
}

/// Whether `spec` is the class `base` or derives from it.
pub fn derives(spec: &Spec, base: &str) -> bool {
    spec.name == base || spec.base == Some(base)
}

impl<C: Class> crate::bindings::arg::Arg for Builder<C> {
    fn dispatch() -> std::any::TypeId {
        std::any::TypeId::of::<Self>()
    }

    fn from_arg(
        call: &str,
        param: &str,
        value: Dynamic,
    ) -> crate::bindings::bridge::RhaiResult<Self> {
        let type_name = value.type_name();
        value.try_cast::<Self>().ok_or_else(|| {
            crate::bindings::bridge::local_error(
                call,
                format!("{param} must be a {}, not {type_name}", C::NAME),
            )
        })
    }
}
