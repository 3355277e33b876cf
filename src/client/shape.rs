//! Checking the shape of 2xx answers where they are read: a document where the protocol
//! promises one, a list where it promises a list. A wrong shape fails here, naming the
//! call and the request, rather than later and far away.
use super::error::{ErrorKind, GovernError, Result};
use super::{GovernClient, Request};
use serde_json::Value;

/// What a request's answer must be.
#[derive(Debug, Clone, Copy)]
pub enum Shape {
    /// A JSON object.
    Object,
    /// A JSON object under this key of the answer (which is returned).
    ObjectAt(&'static str),
    /// A JSON array.
    List,
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

impl Shape {
    /// `answer` if it has this shape (the part under the key for `ObjectAt`).
    fn check(self, answer: Value) -> std::result::Result<Value, String> {
        match (self, answer) {
            (Shape::Object, v @ Value::Object(_)) | (Shape::List, v @ Value::Array(_)) => Ok(v),
            (Shape::ObjectAt(key), Value::Object(mut o)) => match o.remove(key) {
                Some(v @ Value::Object(_)) => Ok(v),
                Some(other) => Err(format!(
                    "expected an object under '{key}', got {}",
                    kind_of(&other)
                )),
                None => Err(format!("the answer has no '{key}'")),
            },
            (Shape::List, other) => Err(format!("expected a JSON array, got {}", kind_of(&other))),
            (_, other) => Err(format!("expected a JSON object, got {}", kind_of(&other))),
        }
    }
}

impl GovernClient {
    /// Sends a request whose answer must have `shape`.
    pub async fn perform_shaped(&self, request: Request, shape: Shape) -> Result<Value> {
        let described = request.describe();
        let answer = self.perform_json(request).await?;
        shape.check(answer).map_err(|m| GovernError {
            call: self.call_name().to_string(),
            request: Some(described),
            kind: Box::new(ErrorKind::InvalidResponse(m)),
        })
    }

    /// Sends a request whose answer must be a JSON object.
    pub async fn perform_object(&self, request: Request) -> Result<Value> {
        self.perform_shaped(request, Shape::Object).await
    }

    /// Sends a request whose answer must be a JSON list.
    pub async fn perform_list(&self, request: Request) -> Result<Vec<Value>> {
        match self.perform_shaped(request, Shape::List).await? {
            Value::Array(items) => Ok(items),
            _ => unreachable!("Shape::List checked the answer is an array"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn wrong_shapes_are_named() {
        assert_eq!(
            Shape::ObjectAt("artifact")
                .check(json!({"artifact": null}))
                .unwrap_err(),
            "expected an object under 'artifact', got null"
        );
        assert_eq!(
            Shape::Object.check(json!([1, 2, 3])).unwrap_err(),
            "expected a JSON object, got an array"
        );
        assert_eq!(
            Shape::List.check(json!({"a": 1})).unwrap_err(),
            "expected a JSON array, got an object"
        );
        assert_eq!(
            Shape::ObjectAt("a").check(json!({"a": {}})).unwrap(),
            json!({})
        );
    }
}
