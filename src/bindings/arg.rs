//! Method arguments: the types scripts pass, their names in signatures, their
//! conversions, and Python keyword arguments.
//!
//! A Python keyword argument (`comment=None`) is an optional trailing parameter. A script
//! gives optional ones positionally, in Python order, or as one trailing object map
//! checked against the declared names: `s.add_feedback("g", "APPROVED", #{ comment: "ok" })`.
use super::bridge::{RhaiResult, local_error};
use super::convert::to_json;
use super::handle::{Document, Handle, Kind};
use rhai::{Array, Dynamic, INT, ImmutableString, Map};
use serde_json::Value;
use std::any::TypeId;

/// A type as scripts see it in signatures, `.help` and completion.
pub trait ScriptType {
    /// The type's name (`String`, `GovernArtifact`, ...).
    const NAME: &'static str;
}

macro_rules! script_types {
    ($($t:ty => $name:literal),* $(,)?) => {
        $(impl ScriptType for $t { const NAME: &'static str = $name; })*
    };
}

script_types! {
    () => "()", bool => "bool", INT => "int", String => "String",
    Array => "Array", Map => "Map", Dynamic => "Dynamic",
}

impl<K: Kind> ScriptType for Handle<K> {
    const NAME: &'static str = K::NAME;
}

impl<K: Kind> ScriptType for Document<K> {
    const NAME: &'static str = K::NAME;
}

impl<T: ScriptType> ScriptType for Option<T> {
    const NAME: &'static str = T::NAME;
}

/// A type a Govern method takes as an argument.
pub trait Arg: ScriptType + Sized {
    /// Whether a map given for this parameter is its value (not the options map).
    const IS_MAP: bool = false;

    /// The type the engine dispatches a required argument on. `Dynamic` accepts any
    /// value, which [`Arg::from_arg`] then checks with a message naming the parameter.
    fn dispatch() -> TypeId {
        TypeId::of::<Dynamic>()
    }

    /// Converts a script value given for parameter `param` of `call`.
    fn from_arg(call: &str, param: &str, value: Dynamic) -> RhaiResult<Self>;
}

fn mismatch(call: &str, param: &str, expected: &str, value: &Dynamic) -> Box<rhai::EvalAltResult> {
    local_error(
        call,
        format!(
            "{param} must be of type {expected}, not {}",
            value.type_name()
        ),
    )
}

/// Declares a scalar argument type: dispatched on its own type, read with `$read`.
macro_rules! scalar_args {
    ($($t:ty: $dispatch:ty, $read:expr;)*) => {
        $(
            impl Arg for $t {
                fn dispatch() -> TypeId {
                    TypeId::of::<$dispatch>()
                }

                fn from_arg(call: &str, param: &str, value: Dynamic) -> RhaiResult<Self> {
                    let read: fn(&Dynamic) -> Option<$t> = $read;
                    read(&value).ok_or_else(|| mismatch(call, param, Self::NAME, &value))
                }
            }
        )*
    };
}

scalar_args! {
    String: ImmutableString, |v| v.clone().into_immutable_string().ok().map(|s| s.to_string());
    bool: bool, |v| v.as_bool().ok();
    INT: INT, |v| v.as_int().ok();
}

/// `()` means "not given" (Python's `None`).
impl<T: Arg> Arg for Option<T> {
    const IS_MAP: bool = T::IS_MAP;

    fn from_arg(call: &str, param: &str, value: Dynamic) -> RhaiResult<Self> {
        if value.is_unit() {
            Ok(None)
        } else {
            T::from_arg(call, param, value).map(Some)
        }
    }
}

/// Declares a JSON-valued argument type: a script value converted to JSON, then checked.
macro_rules! json_args {
    ($($(#[$doc:meta])* $name:ident: $script:literal, is_map = $is_map:literal, $check:expr;)*) => {
        $(
            $(#[$doc])*
            #[derive(Debug, Clone)]
            pub struct $name(pub Value);

            impl ScriptType for $name {
                const NAME: &'static str = $script;
            }

            impl Arg for $name {
                const IS_MAP: bool = $is_map;

                fn from_arg(call: &str, param: &str, value: Dynamic) -> RhaiResult<Self> {
                    let json = to_json(&value).map_err(|m| local_error(call, m))?;
                    let check: fn(&Value) -> bool = $check;
                    if check(&json) {
                        Ok(Self(json))
                    } else {
                        Err(mismatch(call, param, $script, &value))
                    }
                }
            }
        )*
    };
}

json_args! {
    /// A JSON object, e.g. an artifact to create.
    JsonMap: "Map", is_map = true, Value::is_object;
    /// A JSON array, e.g. users to notify.
    JsonArray: "Array", is_map = false, Value::is_array;
    /// A users container (`GovernUserUsersContainer(..)` or its `build()` map).
    UsersContainer: "GovernUserUsersContainer", is_map = true, |v| v.get("type").is_some();
}

/// A declared parameter: what signatures show and how the engine dispatches it.
#[derive(Debug, Clone)]
pub struct Param {
    /// The Python parameter name.
    pub name: &'static str,
    /// Its script type name.
    pub type_name: &'static str,
    /// The type a required argument is dispatched on.
    pub dispatch: TypeId,
    /// Whether a map is this parameter's value rather than the options map.
    pub is_map: bool,
}

impl Param {
    /// The parameter `name` of type `T`.
    pub fn of<T: Arg>(name: &'static str) -> Self {
        Self {
            name,
            type_name: T::NAME,
            dispatch: T::dispatch(),
            is_map: T::IS_MAP,
        }
    }

    /// `name: Type`, as in signatures.
    pub fn info(&self) -> String {
        format!("{}: {}", self.name, self.type_name)
    }
}

/// The arguments of one call, resolved against the declaration and taken in order.
pub struct Args {
    call: &'static str,
    slots: std::vec::IntoIter<(&'static str, Option<Dynamic>)>,
}

impl Args {
    /// Resolves `required` values and the `given` optional ones of `call` (positional,
    /// or one options map) against the declared `optional` parameters.
    pub fn resolve(
        call: &'static str,
        required: Vec<(&'static str, Dynamic)>,
        optional: &[Param],
        given: Vec<Dynamic>,
    ) -> RhaiResult<Self> {
        let mut slots: Vec<(&'static str, Option<Dynamic>)> = required
            .into_iter()
            .map(|(name, value)| (name, Some(value)))
            .collect();
        let first = slots.len();
        slots.extend(optional.iter().map(|p| (p.name, None)));
        let options_map = match given.as_slice() {
            [single] if !optional.first().is_some_and(|p| p.is_map) => {
                single.read_lock::<Map>().map(|m| m.clone())
            }
            _ => None,
        };
        if let Some(map) = options_map {
            for (key, value) in map.iter() {
                let Some(i) = optional.iter().position(|p| p.name == key.as_str()) else {
                    let names: Vec<_> = optional.iter().map(|p| p.name).collect();
                    return Err(local_error(
                        call,
                        format!(
                            "unknown keyword argument '{key}'; expected one of: {}",
                            names.join(", ")
                        ),
                    ));
                };
                slots[first + i].1 = Some(value.clone()).filter(|v| !v.is_unit());
            }
        } else {
            if given.len() > optional.len() {
                return Err(local_error(call, "too many arguments"));
            }
            for (slot, value) in slots[first..].iter_mut().zip(given) {
                slot.1 = Some(value).filter(|v| !v.is_unit());
            }
        }
        Ok(Self {
            call,
            slots: slots.into_iter(),
        })
    }

    fn take(&mut self) -> RhaiResult<(&'static str, Option<Dynamic>)> {
        self.slots
            .next()
            .ok_or_else(|| local_error(self.call, "more parameters taken than declared"))
    }

    /// The next (required) argument.
    pub fn required<T: Arg>(&mut self) -> RhaiResult<T> {
        let (name, value) = self.take()?;
        T::from_arg(self.call, name, value.unwrap_or(Dynamic::UNIT))
    }

    /// The next (optional) argument, or `default()` when not given.
    pub fn optional<T: Arg>(&mut self, default: impl FnOnce() -> T) -> RhaiResult<T> {
        match self.take()? {
            (name, Some(value)) => T::from_arg(self.call, name, value),
            (_, None) => Ok(default()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn optional() -> Vec<Param> {
        vec![
            Param::of::<Option<JsonArray>>("users_to_notify"),
            Param::of::<bool>("reload_conf_for_reset"),
        ]
    }

    /// The message of a local error raised by a binding.
    fn message(error: &rhai::EvalAltResult) -> String {
        match error {
            rhai::EvalAltResult::ErrorRuntime(v, _) => v
                .read_lock::<crate::bindings::ScriptError>()
                .map(|e| e.message.clone())
                .unwrap_or_default(),
            other => other.to_string(),
        }
    }

    fn resolve(given: Vec<Dynamic>) -> RhaiResult<(Option<JsonArray>, bool)> {
        let mut args = Args::resolve("T.f", vec![], &optional(), given)?;
        Ok((args.optional(|| None)?, args.optional(|| false)?))
    }

    #[test]
    fn options_come_positionally_or_as_one_map() {
        assert!(!resolve(vec![]).unwrap().1);
        let users = Dynamic::from_array(vec![]);
        let (u, r) = resolve(vec![users, Dynamic::TRUE]).unwrap();
        assert!(u.is_some() && r);
        let mut map = Map::new();
        map.insert("reload_conf_for_reset".into(), Dynamic::TRUE);
        let (u, r) = resolve(vec![Dynamic::from_map(map)]).unwrap();
        assert!(u.is_none() && r);
    }

    #[test]
    fn unknown_names_list_the_valid_ones() {
        let mut map = Map::new();
        map.insert("reload".into(), Dynamic::TRUE);
        let err = message(&resolve(vec![Dynamic::from_map(map)]).unwrap_err());
        assert!(err.contains("unknown keyword argument 'reload'"), "{err}");
        assert!(
            err.contains("users_to_notify, reload_conf_for_reset"),
            "{err}"
        );
    }

    #[test]
    fn a_wrong_type_names_the_parameter() {
        let err = message(&resolve(vec![Dynamic::UNIT, Dynamic::from(3 as INT)]).unwrap_err());
        assert!(
            err.contains("reload_conf_for_reset must be of type bool"),
            "{err}"
        );
    }
}
