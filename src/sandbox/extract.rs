//! Request extractors that answer Govern-style errors: a JSON body read whatever its
//! Content-Type, and typed query strings.
use super::error::ApiError;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// A JSON request body deserialised into `T`.
///
/// The Content-Type is ignored (the official Python client sends none). An empty or
/// `null` body stands for `T::default()`. Malformed JSON and a body of the wrong shape
/// are answered with a Govern-style 400.
#[derive(Debug, Clone, Default)]
pub struct GovernJson<T>(pub T);

impl<S, T> FromRequest<S> for GovernJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned + Default,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|e| ApiError::with_status(e.status(), e.body_text()))?;
        parse_body(&bytes).map(GovernJson)
    }
}

/// Parses a request body as [`GovernJson`] does.
pub fn parse_body<T: DeserializeOwned + Default>(bytes: &[u8]) -> Result<T, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    let value: Value = serde_json::from_slice(bytes)
        .map_err(|e| ApiError::validation(format!("Malformed JSON request body: {e}")))?;
    if value.is_null() {
        return Ok(T::default());
    }
    serde_json::from_value(value)
        .map_err(|e| ApiError::validation(format!("Invalid request body: {e}")))
}

/// A query string deserialised into `T` (a `#[derive(Deserialize)]` struct).
///
/// A parameter with an empty value counts as absent; a missing required parameter is
/// answered `Query parameter <name> is required`, any other mismatch with a Govern-style 400.
#[derive(Debug, Clone, Default)]
pub struct GovernQuery<T>(pub T);

impl<S, T> FromRequestParts<S> for GovernQuery<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        parse_query(parts.uri.query().unwrap_or("")).map(GovernQuery)
    }
}

/// Parses a query string as [`GovernQuery`] does.
pub fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, ApiError> {
    let present: Vec<&str> = query
        .split('&')
        .filter(|kv| {
            kv.split_once('=')
                .is_some_and(|(k, v)| !k.is_empty() && !v.is_empty())
        })
        .collect();
    serde_urlencoded::from_str(&present.join("&")).map_err(|e| {
        let msg = e.to_string();
        // serde's wording for an absent field: "missing field `name`".
        match msg
            .strip_prefix("missing field `")
            .and_then(|rest| rest.strip_suffix('`'))
        {
            Some(name) => ApiError::validation(format!("Query parameter {name} is required")),
            None => ApiError::validation(format!("Invalid query string: {msg}")),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::Map;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Q {
        #[serde(rename = "groupId")]
        group_id: String,
        #[serde(default)]
        n: u32,
    }

    #[test]
    fn bodies() {
        let empty: Map<String, Value> = parse_body(b" \n").expect("empty");
        assert!(empty.is_empty());
        let null: Map<String, Value> = parse_body(b"null").expect("null");
        assert!(null.is_empty());
        let e = parse_body::<Map<String, Value>>(b"{\"a\":").unwrap_err();
        assert_eq!(e.status, 400);
        assert!(e.detailed.starts_with("Malformed JSON request body: "));
        let e = parse_body::<Map<String, Value>>(b"[1]").unwrap_err();
        assert!(
            e.detailed
                .starts_with("Invalid request body: invalid type: sequence")
        );
    }

    #[test]
    fn queries() {
        let q: Q = parse_query("groupId=business&x=1").expect("query");
        assert_eq!(q.group_id, "business");
        for missing in ["", "groupId=", "groupId", "n=2"] {
            let e = parse_query::<Q>(missing).unwrap_err();
            assert_eq!(
                e.detailed, "Query parameter groupId is required",
                "{missing}"
            );
        }
        let e = parse_query::<Q>("groupId=a&n=many").unwrap_err();
        assert_eq!(e.status, 400);
        assert!(
            e.detailed.starts_with("Invalid query string: "),
            "{}",
            e.detailed
        );
    }
}
