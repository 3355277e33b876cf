//! A Govern API request as data: what the client sends, before it is sent.
//!
//! Every call builds a [`Request`]; the transport sends it. Having the request as a
//! value lets dry-run plans, audit records and retries work on one type.
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
pub use reqwest::Method;
use serde_json::Value;

/// Characters escaped inside an interpolated path segment. Govern ids only use
/// letters, digits, `.`, `-` and `_`; escaping the rest keeps a stray `#`, `?` or `/`
/// in an id from silently changing the URL (the Python client would truncate it).
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}');

/// Escapes an id for interpolation into a path.
pub fn segment(id: &str) -> String {
    utf8_percent_encode(id, SEGMENT).to_string()
}

/// A query parameter value, rendered as the Python client renders it.
pub trait QueryValue {
    /// The rendered value, or `None` to omit the parameter (Python's `None`).
    fn render(&self) -> Option<String>;
}

impl QueryValue for &str {
    fn render(&self) -> Option<String> {
        Some((*self).to_string())
    }
}

impl QueryValue for String {
    fn render(&self) -> Option<String> {
        Some(self.clone())
    }
}

impl QueryValue for bool {
    /// Python's `str(True)`: capitalised.
    fn render(&self) -> Option<String> {
        Some(if *self { "True" } else { "False" }.to_string())
    }
}

impl QueryValue for i64 {
    fn render(&self) -> Option<String> {
        Some(self.to_string())
    }
}

impl<T: QueryValue> QueryValue for Option<T> {
    fn render(&self) -> Option<String> {
        self.as_ref().and_then(QueryValue::render)
    }
}

/// One request to the Govern public API.
#[derive(Debug, Clone)]
pub struct Request {
    /// The client call this request implements, named as in the Python client
    /// (taken from [`super::operation`] when the request is sent).
    pub call: &'static str,
    /// HTTP method.
    pub method: Method,
    /// Path below `/dip/publicapi`, ids already escaped.
    pub path: String,
    /// Query parameters in the order the Python client sends them.
    pub query: Vec<(&'static str, String)>,
    /// JSON body, if any (`Some(Value::Null)` sends `null`).
    pub body: Option<Value>,
    /// A POST that only reads (a search): retried like a GET.
    pub read_only: bool,
}

impl Request {
    /// A request without query or body.
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        Self {
            call: "",
            method,
            path: path.into(),
            query: Vec::new(),
            body: None,
            read_only: false,
        }
    }

    /// A GET request.
    pub fn get(path: impl Into<String>) -> Self {
        Self::new(Method::GET, path)
    }

    /// A POST request.
    pub fn post(path: impl Into<String>) -> Self {
        Self::new(Method::POST, path)
    }

    /// A PUT request.
    pub fn put(path: impl Into<String>) -> Self {
        Self::new(Method::PUT, path)
    }

    /// A DELETE request.
    pub fn delete(path: impl Into<String>) -> Self {
        Self::new(Method::DELETE, path)
    }

    /// Whether the request may change something on the server.
    pub fn is_mutating(&self) -> bool {
        self.method != Method::GET && !self.read_only
    }

    /// Marks a POST that only reads (a search): safe to repeat, no mutation hooks.
    pub fn read_only(mut self) -> Self {
        self.read_only = true;
        self
    }

    /// Adds a query parameter unless its value is `None`.
    pub fn query(mut self, name: &'static str, value: impl QueryValue) -> Self {
        if let Some(v) = value.render() {
            self.query.push((name, v));
        }
        self
    }

    /// Sets the JSON body.
    pub fn body(mut self, body: Value) -> Self {
        self.body = Some(body);
        self
    }

    /// The request target as it appears on the wire: path and encoded query.
    pub fn target(&self) -> String {
        let mut target = format!("/dip/publicapi{}", self.path);
        if !self.query.is_empty() {
            let mut ser = url::form_urlencoded::Serializer::new(String::new());
            for (k, v) in &self.query {
                ser.append_pair(k, v);
            }
            target.push('?');
            target.push_str(&ser.finish());
        }
        target
    }

    /// `METHOD target`, for error messages and logs (never contains credentials).
    pub fn describe(&self) -> String {
        format!("{} {}", self.method, self.target())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_renders_query_like_python_requests() {
        let r = Request::post("/admin/blueprint/bp.x/versions")
            .query("newIdentifier", "v2")
            .query("name", "My New Version")
            .query("originVersionId", Option::<String>::None)
            .query("dangerZoneAccepted", true);
        assert_eq!(
            r.target(),
            "/dip/publicapi/admin/blueprint/bp.x/versions?newIdentifier=v2&name=My+New+Version&dangerZoneAccepted=True"
        );
    }

    #[test]
    fn segment_escapes_only_unsafe_characters() {
        assert_eq!(segment("ar.12_x-y"), "ar.12_x-y");
        assert_eq!(segment("a b#c?d/e"), "a%20b%23c%3Fd%2Fe");
    }
}
