//! The golden file: each recorded Python call and the requests it sent.
use serde_json::Value;

/// The prefix of every Govern public API path.
const API: &str = "/dip/publicapi";

/// One request the Python client sent.
#[derive(Debug, Clone)]
pub struct Request {
    /// HTTP method.
    pub method: String,
    /// Raw request target (`/dip/publicapi/...?query`).
    pub target: String,
    /// Headers as recorded (original case).
    pub headers: Value,
    /// Body text (`""` when none).
    pub body: String,
}

/// One recorded call: `prefix.method[+method2][ variant]` and its requests.
#[derive(Debug, Clone)]
pub struct Call {
    /// The call name.
    pub name: String,
    /// The requests, in order.
    pub requests: Vec<Request>,
}

/// Reads `tests/data/govern-golden-requests.json`.
pub fn load() -> Vec<Call> {
    let path = crate::common::root().join("tests/data/govern-golden-requests.json");
    let golden: Value = serde_json::from_str(&std::fs::read_to_string(&path).expect("golden file"))
        .expect("golden JSON");
    let text = |v: &Value, k: &str| v[k].as_str().unwrap_or_default().to_string();
    golden
        .as_array()
        .expect("a list of calls")
        .iter()
        .map(|call| Call {
            name: text(call, "call"),
            requests: call["requests"]
                .as_array()
                .expect("requests")
                .iter()
                .map(|r| Request {
                    method: text(r, "method"),
                    target: text(r, "target"),
                    headers: r["headers"].clone(),
                    body: text(r, "body"),
                })
                .collect(),
        })
        .collect()
}

impl Request {
    /// The path under `/dip/publicapi`, without the query.
    pub fn path(&self) -> &str {
        let path = self.target.split('?').next().unwrap_or_default();
        path.strip_prefix(API).unwrap_or(path)
    }

    /// The query parameters, in order.
    pub fn query(&self) -> Vec<(String, String)> {
        self.target
            .split_once('?')
            .map(|(_, q)| q)
            .unwrap_or_default()
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    /// The body as JSON (`Null` when empty, `None` when it is no JSON).
    pub fn json(&self) -> Option<Value> {
        as_json(&self.body)
    }
}

/// A body as JSON: `Null` when empty, `None` when it is no JSON (multipart).
pub fn as_json(body: &str) -> Option<Value> {
    if body.is_empty() {
        Some(Value::Null)
    } else {
        serde_json::from_str(body).ok()
    }
}
