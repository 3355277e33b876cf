//! Optional arguments: Python keyword arguments become trailing positional arguments
//! or one trailing object map: `s.update_status("X", #{ reload_conf_for_reset: true })`.
use super::bridge::{RhaiResult, local_error};
use rhai::Dynamic;

/// Resolves the optional arguments `given` of `call` against their `names`
/// (in Python order). `()` counts as not given.
pub fn optional(
    call: &str,
    names: &[&str],
    given: Vec<Dynamic>,
) -> RhaiResult<Vec<Option<Dynamic>>> {
    let mut out = vec![None; names.len()];
    if let [single] = given.as_slice()
        && let Some(map) = single.read_lock::<rhai::Map>()
    {
        for (key, value) in map.iter() {
            let Some(i) = names.iter().position(|n| *n == key.as_str()) else {
                return Err(local_error(
                    call,
                    format!(
                        "unknown option '{key}'; expected one of: {}",
                        names.join(", ")
                    ),
                ));
            };
            out[i] = Some(value.clone()).filter(|v| !v.is_unit());
        }
        return Ok(out);
    }
    if given.len() > names.len() {
        return Err(local_error(
            call,
            format!(
                "too many arguments; optional ones are: {}",
                names.join(", ")
            ),
        ));
    }
    for (slot, value) in out.iter_mut().zip(given) {
        *slot = Some(value).filter(|v| !v.is_unit());
    }
    Ok(out)
}

/// An optional boolean argument, with its default.
pub fn bool_arg(call: &str, name: &str, value: Option<Dynamic>, default: bool) -> RhaiResult<bool> {
    match value {
        None => Ok(default),
        Some(v) => v
            .as_bool()
            .map_err(|t| local_error(call, format!("{name} must be a bool, not {t}"))),
    }
}

/// A required string argument given as `Dynamic` (ids that may come from documents).
pub fn string_arg(call: &str, name: &str, value: &Dynamic) -> RhaiResult<String> {
    if value.is_string() {
        Ok(value.to_string())
    } else {
        Err(local_error(
            call,
            format!("{name} must be a string, not {}", value.type_name()),
        ))
    }
}
