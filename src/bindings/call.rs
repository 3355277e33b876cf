//! What a method body works with: its receiver, the Python name of the call, and the
//! few shapes every Govern method takes (fetch a document, save one, list items).
use super::bridge::{RhaiResult, local_error, to_rhai};
pub use super::handle::Object;
use super::handle::{Document, Handle, Kind};
use super::merge;
use crate::client::{ErrorKind, GovernClient, GovernError};
use rhai::{Array, Dynamic, EvalAltResult};
use serde_json::Value;
use std::future::Future;
use std::ops::Deref;

/// One method call: the receiver (dereferences to it) and the Python call name
/// (`GovernArtifact.get_definition`) that requests and errors carry.
pub struct Call<'a, R> {
    /// The object the method was called on.
    pub this: &'a R,
    /// `Class.method`, as in the Python client.
    pub name: &'static str,
    /// The receiver's client carrying this call as its operation, made on first use.
    client: std::sync::OnceLock<GovernClient>,
}

impl<'a, R> Call<'a, R> {
    /// The call `name` on `this`.
    pub fn new(this: &'a R, name: &'static str) -> Self {
        Self {
            this,
            name,
            client: std::sync::OnceLock::new(),
        }
    }
}

impl<R> Deref for Call<'_, R> {
    type Target = R;
    fn deref(&self) -> &R {
        self.this
    }
}

impl<R: Object> Call<'_, R> {
    /// The Govern client, serving this call: requests carry its name, and operation
    /// hooks see the call and the receiver's key as its target.
    pub fn client(&self) -> &GovernClient {
        self.client.get_or_init(|| {
            let client = &self.this.api().client;
            let key = self.this.key().to_string();
            // The client's own handle is keyed by its host: no target.
            let targets = if key == client.host() {
                Vec::new()
            } else {
                vec![key]
            };
            client.in_operation(self.name, targets)
        })
    }

    /// Runs a client request to completion, as this call.
    pub fn run<T>(&self, future: impl Future<Output = crate::client::Result<T>>) -> RhaiResult<T> {
        self.this.api().run(self.name, future)
    }

    /// A local failure of this call (bad argument, missing key in an answer).
    pub fn fail(&self, message: impl Into<String>) -> Box<EvalAltResult> {
        local_error(self.name, message)
    }

    /// A handle on `key` (no request).
    pub fn handle<K: Kind>(&self, key: K::Key) -> Handle<K> {
        Handle::new(self.this.api(), key)
    }

    /// Wraps `document`, belonging to `key`.
    pub fn document<K: Kind>(&self, key: K::Key, document: Value) -> Document<K> {
        Document::new(self.this.api(), key, document)
    }

    /// Fetches a document belonging to the receiver's own key.
    pub fn fetch<K: Kind<Key = R::Key>>(
        &self,
        future: impl Future<Output = crate::client::Result<Value>>,
    ) -> RhaiResult<Document<K>> {
        let document = self.run(future)?;
        Ok(self.document(self.this.key().clone(), document))
    }

    /// Fetches a list and wraps each item, keyed by `key_of(item)`.
    pub fn list<K: Kind>(
        &self,
        future: impl Future<Output = crate::client::Result<Vec<Value>>>,
        key_of: impl Fn(&Value) -> RhaiResult<K::Key>,
    ) -> RhaiResult<Array> {
        self.run(future)?
            .into_iter()
            .map(|item| Ok(Dynamic::from(self.document::<K>(key_of(&item)?, item))))
            .collect()
    }
}

impl<K: Kind> Call<'_, Document<K>> {
    /// Sends the document (through `future`) and makes the server's answer the document.
    pub fn save(
        &self,
        future: impl Future<Output = crate::client::Result<Value>>,
    ) -> RhaiResult<()> {
        let saved = self.run(future)?;
        self.this.base.replace(saved.clone());
        self.this.raw.replace(saved);
        Ok(())
    }

    /// Saves as a three-way merge, since Govern has no conditional writes: `read`
    /// fetches the server's document just before writing; the changes made here since
    /// the document was read (`base` → `raw`) are applied onto it, and `write` sends
    /// the merged document, which becomes the document. If both sides changed a path
    /// to different values, nothing is sent and the error names each such path. A
    /// write landing between `read` and `write` is still overwritten (one round trip).
    pub fn save_merged<R, W>(&self, read: R, write: impl FnOnce(Value) -> W) -> RhaiResult<()>
    where
        R: Future<Output = crate::client::Result<Value>>,
        W: Future<Output = crate::client::Result<Value>>,
    {
        let theirs = self.run(read)?;
        self.client().note_pre_image(&theirs);
        let merged = merge::three_way(
            &self.this.base.snapshot(),
            &self.this.raw.snapshot(),
            &theirs,
        )
        .map_err(|clashes| {
            to_rhai(GovernError {
                call: self.name.to_string(),
                request: None,
                kind: Box::new(ErrorKind::Conflict(
                    clashes.iter().map(ToString::to_string).collect(),
                )),
            })
        })?;
        self.save(write(merged))
    }

    /// The string at `pointer` in the document (for the ids `to_xxx()` needs).
    pub fn id_at(&self, pointer: &str) -> RhaiResult<String> {
        self.this
            .raw
            .snapshot()
            .pointer(pointer)
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| self.fail(format!("the document has no {pointer}")))
    }
}

/// The string at `pointer` of a list item, or `""` (such an item fails when used).
pub fn str_at(item: &Value, pointer: &str) -> String {
    item.pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}
