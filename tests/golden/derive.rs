//! Derives the statements of a golden call (Rhai, or Python for the oracle check)
//! from its name and its recorded requests, with the signatures a registry holds:
//! - `prefix.method[+method2][ variant]`: the prefix names the receiver
//!   ([`receivers`]), each following method is called on the previous result;
//! - query parameters fill parameters by name (`newIdentifier` → `new_identifier`,
//!   `True` → `true`); a JSON object body whose keys all name parameters fills them,
//!   otherwise the body is the first remaining parameter that takes it (a map for a
//!   `Govern...` class is built with its constructor); an id parameter reads the path
//!   segment after its name (`step_id`: `.../step/s1/...`), the one string parameter
//!   left reads the last segment (`get_log(name)`: `/admin/logs/a.log`).
use super::calls::{Call, Request};
use super::overrides;
use super::receivers;
use super::registry::{Registry, Signature};
use serde_json::{Map, Value};

/// What to do with a golden call.
pub enum Outcome {
    /// Replay these statements (`c` is the client).
    Replay(String),
    /// Skip: this method (`Type.method`) or constructor is not registered.
    Skipped(String),
}

/// Wire keys whose Python parameter has another name.
const ALIASES: &[(&str, &str)] = &[
    ("targetStatus", "signoff_status"),
    ("usersToSendEmailTo", "users_to_notify"),
    ("timestampMin", "min_timestamp"),
    ("timestampMax", "max_timestamp"),
    ("userProfile", "profile"),
];

/// The language statements are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// A govscript script (`c` is the client).
    Rhai,
    /// The same calls with the Python client (`c` is a `GovernClient`).
    Python,
}

/// The statements replaying `call`, or the method missing to replay it.
pub fn derive(call: &Call, registry: &Registry) -> Result<Outcome, String> {
    derive_in(call, registry, Lang::Rhai)
}

/// [`derive`], in either language.
pub fn derive_in(call: &Call, registry: &Registry, lang: Lang) -> Result<Outcome, String> {
    let name = call.name.split(' ').next().unwrap_or_default();
    let mut segments: Vec<&str> = name.split(['.', '+']).collect();
    let receiver = receivers::find(segments[0]);
    if receiver.is_some() {
        segments.remove(0);
    }
    let steps = receiver.map(|r| r.steps()).unwrap_or_default();

    let manual = overrides::find(&call.name);
    if let Some(o) = manual.filter(|o| !o.needs.is_empty()) {
        return Ok(match o.needs.iter().find(|n| !registered(registry, n)) {
            Some(missing) => Outcome::Skipped(missing.to_string()),
            None => by_hand(o, lang),
        });
    }
    // Every method of the chain must be registered on the type the previous returns.
    let mut ty = "GovernClient".to_string();
    let mut signatures = Vec::new();
    for method in steps.iter().map(|s| s.name).chain(segments.iter().copied()) {
        match registry.method(&ty, method) {
            Some(sig) => {
                signatures.push(sig);
                ty = sig.returns.clone();
            }
            None => return Ok(Outcome::Skipped(format!("{ty}.{method}"))),
        }
    }
    if let Some(o) = manual {
        return Ok(by_hand(o, lang));
    }

    let mut expr = "c".to_string();
    if let Some(receiver) = receiver {
        let ids = receiver
            .ids(&call.requests)
            .ok_or_else(|| format!("no recorded target gives the ids of `{}`", receiver.prefix))?;
        for step in &steps {
            let args: Vec<String> = step
                .args
                .iter()
                .map(|a| {
                    let id = a.trim_matches(['{', '}']);
                    ids.get(id).map(|v| quote(v)).ok_or(format!("no id {a}"))
                })
                .collect::<Result<_, _>>()?;
            expr.push_str(&format!(".{}({})", step.name, args.join(", ")));
        }
    }
    let sent = &signatures[steps.len()..];
    for (method, sig) in segments.iter().zip(sent) {
        let args = arguments(method, sig, &call.requests, registry, lang)
            .map_err(|e| format!("{method}: {e}"))?;
        expr.push_str(&format!(".{method}({args})"));
    }
    Ok(Outcome::Replay(format!("{expr};")))
}

/// A hand-written call's statements; written in the subset of Rhai that reads as
/// Python once `let`, `#{` and the booleans are respelled.
fn by_hand(o: &overrides::Override, lang: Lang) -> Outcome {
    let spelled = overrides::PYTHON_SPELLING
        .iter()
        .find(|(call, _)| *call == o.call);
    Outcome::Replay(match lang {
        Lang::Rhai => o.statements.to_string(),
        Lang::Python if spelled.is_some() => {
            spelled.map(|(_, py)| py.to_string()).unwrap_or_default()
        }
        Lang::Python => o
            .statements
            .replace("let ", "")
            .replace("#{", "{")
            .replace("true", "True")
            .replace("false", "False"),
    })
}

/// Whether `Type.method` (or a constructor name) is registered.
fn registered(registry: &Registry, name: &str) -> bool {
    match name.split_once('.') {
        Some((ty, method)) => registry.method(ty, method).is_some(),
        None => registry.constructor(name).is_some(),
    }
}

/// The argument list of a method, from the recorded requests.
fn arguments(
    method: &str,
    sig: &Signature,
    requests: &[Request],
    registry: &Registry,
    lang: Lang,
) -> Result<String, String> {
    let mut given: Vec<Option<String>> = vec![None; sig.params.len()];
    for (key, value) in requests.iter().flat_map(Request::query) {
        if let Some(i) = param_index(sig, &key) {
            given[i] = Some(query_literal(&value, &sig.params[i].ty, lang));
        }
    }
    let path = requests.last().map(Request::path).unwrap_or_default();
    for (i, p) in sig.params.iter().enumerate().take(sig.required) {
        if given[i].is_none() && p.name.ends_with("_id") {
            given[i] = path_value(&p.name, path, false).map(|v| quote(&v));
        }
    }
    // A save sends the document it holds: its body is no argument.
    let body = requests
        .iter()
        .rev()
        .find_map(|r| r.json().filter(|b| !b.is_null()));
    if let Some(body) = body.filter(|_| method != "save") {
        place_body(sig, &body, &mut given, registry, lang)?;
    }
    let unfilled = given.iter().filter(|g| g.is_none()).count();
    for (i, p) in sig.params.iter().enumerate().take(sig.required) {
        if given[i].is_none() && matches!(p.ty.as_str(), "String" | "Dynamic") {
            given[i] = path_value(&p.name, path, unfilled == 1).map(|v| quote(&v));
        }
    }
    emit(sig, &given, lang)
}

/// Puts a body into the parameters: spread when each of its keys names one,
/// whole into the first remaining parameter that takes it otherwise (or nowhere:
/// a save sends the document it holds, not an argument).
fn place_body(
    sig: &Signature,
    body: &Value,
    given: &mut [Option<String>],
    registry: &Registry,
    lang: Lang,
) -> Result<(), String> {
    if let Some(map) = body.as_object().filter(|m| spreads(sig, m)) {
        for (key, value) in map.iter().filter(|(_, v)| !v.is_null()) {
            if let Some(i) = param_index(sig, key) {
                given[i] = Some(literal(value, &sig.params[i].ty, registry, lang)?);
            }
        }
        return Ok(());
    }
    let slot = (0..sig.params.len())
        .find(|&i| given[i].is_none() && accepts(&sig.params[i].ty, body, registry));
    if let Some(i) = slot {
        given[i] = Some(literal(body, &sig.params[i].ty, registry, lang)?);
    }
    Ok(())
}

/// Whether every key of a body object with a value names a parameter (a `type`
/// key naming none is the class discriminator of a constructor's map).
fn spreads(sig: &Signature, map: &Map<String, Value>) -> bool {
    let keys: Vec<&String> = map
        .iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(k, _)| k)
        .collect();
    !keys.is_empty()
        && keys
            .iter()
            .all(|k| param_index(sig, k).is_some() || k.as_str() == "type")
}

/// The parameter a wire key names: by alias, by its snake_case name, or as the
/// unique parameter ending with `_name` (`status` → `feedback_status`).
fn param_index(sig: &Signature, key: &str) -> Option<usize> {
    let name = ALIASES
        .iter()
        .find(|(wire, _)| *wire == key)
        .map_or_else(|| snake(key), |(_, p)| p.to_string());
    let exact = sig.params.iter().position(|p| p.name == name);
    let suffix = format!("_{name}");
    let ending: Vec<usize> = (0..sig.params.len())
        .filter(|&i| sig.params[i].name.ends_with(&suffix))
        .collect();
    exact.or(if ending.len() == 1 {
        Some(ending[0])
    } else {
        None
    })
}

/// `newIdentifier` → `new_identifier`.
fn snake(camel: &str) -> String {
    let mut out = String::with_capacity(camel.len() + 4);
    for c in camel.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The path segment after the parameter's name (`step_id` → after `step`), or the
/// last segment when it is the only parameter left.
fn path_value(param: &str, path: &str, only: bool) -> Option<String> {
    let word = param.strip_suffix("_id").unwrap_or(param).replace('_', "-");
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let after = segments
        .windows(2)
        .find(|w| w[0] == word || w[0] == format!("{word}s"))
        .map(|w| w[1].to_string());
    after.or_else(|| {
        only.then(|| segments.last().map(|s| s.to_string()))
            .flatten()
    })
}

/// Whether a parameter of script type `ty` takes a JSON value.
fn accepts(ty: &str, value: &Value, registry: &Registry) -> bool {
    match ty {
        "Dynamic" | "" | "?" => true,
        "Map" => value.is_object(),
        "Array" => value.is_array(),
        "String" => value.is_string(),
        "bool" => value.is_boolean(),
        "int" => value.is_i64(),
        "float" => value.is_number(),
        class => value.is_object() && registry.constructor(class).is_some(),
    }
}

/// A query value as a literal of the parameter's type (Python writes `True`).
fn query_literal(value: &str, ty: &str, lang: Lang) -> String {
    match (ty, value) {
        (_, "True") => value_literal(&Value::Bool(true), lang),
        (_, "False") => value_literal(&Value::Bool(false), lang),
        ("String", _) => quote(value),
        _ if value.parse::<f64>().is_ok() => value.into(),
        _ => quote(value),
    }
}

/// A JSON value as a Rhai literal; a map for a `Govern...` class is its constructor
/// call, with the arguments derived from the map as from a body.
fn literal(value: &Value, ty: &str, registry: &Registry, lang: Lang) -> Result<String, String> {
    if let (Some(map), Some(ctor)) = (value.as_object(), registry.constructor(ty)) {
        let mut given = vec![None; ctor.params.len()];
        if spreads(ctor, map) {
            place_body(ctor, value, &mut given, registry, lang)?;
            return Ok(format!("{ty}({})", emit(ctor, &given, lang)?));
        }
    }
    Ok(value_literal(value, lang))
}

/// A JSON value in the language's syntax.
fn value_literal(value: &Value, lang: Lang) -> String {
    let python = lang == Lang::Python;
    match value {
        Value::Null if python => "None".into(),
        Value::Null => "()".into(),
        Value::Bool(b) if python => if *b { "True" } else { "False" }.into(),
        Value::Bool(_) | Value::Number(_) => value.to_string(),
        Value::String(s) => quote(s),
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(|v| value_literal(v, lang)).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Object(map) => {
            let entries: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{}: {}", quote(k), value_literal(v, lang)))
                .collect();
            let open = if python { "{" } else { "#{" };
            format!("{open}{}}}", entries.join(", "))
        }
    }
}

/// A string literal.
fn quote(s: &str) -> String {
    Value::String(s.to_string()).to_string()
}

/// The argument list: required ones in order, then the keyword arguments given, as
/// a trailing map (positionally when a keyword parameter is itself a map; as
/// `name=value` in Python).
fn emit(sig: &Signature, given: &[Option<String>], lang: Lang) -> Result<String, String> {
    let mut args = Vec::new();
    for (p, g) in sig.params.iter().zip(given).take(sig.required) {
        args.push(g.clone().ok_or(format!("no value for `{}`", p.name))?);
    }
    let keywords: Vec<(usize, &String)> = (sig.required..sig.params.len())
        .filter_map(|i| given[i].as_ref().map(|g| (i, g)))
        .collect();
    let positional = sig.params[sig.required..].iter().any(|p| p.ty == "Map");
    match keywords.last() {
        None => {}
        Some(_) if lang == Lang::Python => {
            let named = keywords
                .iter()
                .map(|(i, g)| format!("{}={g}", sig.params[*i].name));
            args.extend(named);
        }
        Some(&(last, _)) if positional => {
            args.extend((sig.required..=last).map(|i| given[i].clone().unwrap_or("()".into())));
        }
        Some(_) => {
            let entries: Vec<String> = keywords
                .iter()
                .map(|(i, g)| format!("{}: {g}", sig.params[*i].name))
                .collect();
            args.push(format!("#{{{}}}", entries.join(", ")));
        }
    }
    Ok(args.join(", "))
}
