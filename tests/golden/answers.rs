//! What the recorder answers the reads of a golden call, so that the method proceeds
//! and a save sends what the Python client sent.
use super::calls::{Call, as_json};
use crate::common::recorder::{Answers, CANNED};
use serde_json::Value;

/// The answers for one call:
/// - a `list_...` method gets `[]` (but `list_feedbacks`, which reads the sign-off),
///   named by the call or by its hand-written statements (`ticket auth`), and so do
///   `get_values` (a time series' datapoints) and the custom pages order
///   (`get_` / `save_custom_pages_order`, a list of ids);
/// - the read before a save answers the saved body itself when it is empty or no part
///   of the canned answer (a resource Python reads unwrapped: roles, settings, ...),
///   and the canned answer otherwise (the saved body is the part Python reads:
///   `artifact`, `blueprintVersion`, `approverResponse`, ...), so a client that reads
///   the wrong part sends something else.
pub fn for_call(call: &Call) -> Answers {
    let name = call.name.split(' ').next().unwrap_or_default();
    let list = name.split(['.', '+']).any(|m| {
        (m.starts_with("list_") && m != "list_feedbacks")
            || m == "get_values"
            || m.ends_with("_pages_order")
    }) || super::overrides::find(&call.name)
        .is_some_and(|o| o.statements.contains(").list_"));
    let canned: Value = serde_json::from_str(CANNED).expect("canned JSON");
    let saved = call
        .requests
        .iter()
        .skip_while(|r| r.method != "GET")
        .skip(1)
        .find_map(|r| as_json(&r.body).filter(Value::is_object));
    let wrapped =
        |body: &Value| body.as_object().is_some_and(|m| !m.is_empty()) && contains(&canned, body);
    let document = saved
        .filter(|body| !wrapped(body))
        .map(|body| body.to_string());
    Answers { document, list }
}

/// Whether `part` is `whole` or a value somewhere inside it.
fn contains(whole: &Value, part: &Value) -> bool {
    whole == part
        || match whole {
            Value::Object(map) => map.values().any(|v| contains(v, part)),
            Value::Array(items) => items.iter().any(|v| contains(v, part)),
            _ => false,
        }
}
