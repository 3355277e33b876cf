//! What a method body works with: its receiver, the Python name of the call, and the
//! few shapes every Govern method takes (fetch a document, save one, list items).
use super::bridge::{RhaiResult, local_error};
use super::handle::{Api, Document, Handle, Kind};
use crate::client::GovernClient;
use rhai::{Array, Dynamic, EvalAltResult};
use serde_json::Value;
use std::future::Future;
use std::ops::Deref;

/// A Govern object scripts hold: a connection and the key of what it designates.
pub trait Object: Clone + Send + Sync + 'static {
    /// What identifies the object.
    type Key: Clone + PartialEq + std::fmt::Display;
    /// The connection.
    fn api(&self) -> &Api;
    /// The object's key.
    fn key(&self) -> &Self::Key;
}

impl<K: Kind> Object for Handle<K> {
    type Key = K::Key;
    fn api(&self) -> &Api {
        &self.api
    }
    fn key(&self) -> &K::Key {
        &self.key
    }
}

impl<K: Kind> Object for Document<K> {
    type Key = K::Key;
    fn api(&self) -> &Api {
        &self.api
    }
    fn key(&self) -> &K::Key {
        &self.key
    }
}

/// One method call: the receiver (dereferences to it) and the Python call name
/// (`GovernArtifact.get_definition`) that requests and errors carry.
pub struct Call<'a, R> {
    /// The object the method was called on.
    pub this: &'a R,
    /// `Class.method`, as in the Python client.
    pub name: &'static str,
}

impl<R> Deref for Call<'_, R> {
    type Target = R;
    fn deref(&self) -> &R {
        self.this
    }
}

impl<R: Object> Call<'_, R> {
    /// The Govern client.
    pub fn client(&self) -> &GovernClient {
        &self.this.api().client
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

    /// Saves with lost-update detection, as Govern has no conditional writes:
    /// `read()` re-reads the server's document before the write, which is refused if
    /// it is no longer the one this document was read from; after the write it is
    /// read again, and if a concurrent save replaced what this one changed, that is
    /// reported too. The re-read waits as long as the read-then-write took,
    /// so that a racing write lands first; a race remains only when another writer's
    /// read-then-write is slower than that.
    pub fn save_checked<R, W>(&self, read: impl Fn() -> R, write: W) -> RhaiResult<()>
    where
        R: Future<Output = crate::client::Result<Value>>,
        W: Future<Output = crate::client::Result<Value>>,
    {
        let base = self.this.base.snapshot();
        let started = std::time::Instant::now();
        let changed_by_others = super::diff::between(&base, &self.run(read())?);
        if !changed_by_others.is_empty() {
            return Err(self.conflict(crate::client::ErrorKind::Conflict(changed_by_others)));
        }
        let mine = super::diff::between(&base, &self.this.raw.snapshot());
        self.save(write)?;
        // Another writer's read-then-write takes about as long as this one's: waiting
        // that long before re-reading lets a write that raced this one land first.
        std::thread::sleep(started.elapsed().min(std::time::Duration::from_secs(2)));
        let saved = self.this.base.snapshot();
        let replaced: Vec<String> = super::diff::between(&saved, &self.run(read())?)
            .into_iter()
            .filter(|p| {
                mine.iter()
                    .any(|m| p.starts_with(m.as_str()) || m.starts_with(p.as_str()))
            })
            .collect();
        if replaced.is_empty() {
            Ok(())
        } else {
            Err(self.conflict(crate::client::ErrorKind::Overwritten(replaced)))
        }
    }

    fn conflict(&self, kind: crate::client::ErrorKind) -> Box<EvalAltResult> {
        super::bridge::to_rhai(crate::client::GovernError {
            call: self.name.to_string(),
            request: None,
            kind: Box::new(kind),
        })
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
