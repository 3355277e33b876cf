//! The two halves of a batch on the runtime: reads prefetched ahead of the script
//! ([`reads`]) and saves sent behind it ([`saves`]). Each request is one operation of
//! the Python call a single read or save is (`GovernArtifact.get_definition`,
//! `GovernArtifactDefinition.save`), so the audit and plan hooks see each of them as
//! they see a single call.
use super::inputs::{Input, Stop};
use crate::bindings::merge;
use crate::client::batch::{self, Done, Throttle};
use crate::client::{ErrorKind, GovernClient, GovernError};
use serde_json::Value;
use std::sync::Arc;
use tokio::sync::mpsc;

/// The Python call each read is.
pub const READ_CALL: &str = "GovernArtifact.get_definition";
/// The Python call each save is.
pub const SAVE_CALL: &str = "GovernArtifactDefinition.save";

/// A read's input and the definition read (or why not).
pub type Read = (Input, Result<Value, GovernError>);

/// Reads the definition of each input on `runtime`, at most `window` ahead of the
/// consumer, each request admitted by `throttle`; results in input order. An input
/// refused in advance fails without a request.
pub fn reads(
    runtime: &tokio::runtime::Handle,
    inputs: mpsc::Receiver<Input>,
    client: &GovernClient,
    throttle: &Arc<Throttle>,
    window: usize,
    stop: Stop,
) -> mpsc::Receiver<Done<Input, Read>> {
    let (client, throttle) = (client.clone(), throttle.clone());
    let work = move |input: Input| {
        let (client, throttle) = (client.clone(), throttle.clone());
        async move {
            if let Some(why) = &input.refused {
                let refused = GovernError::local(READ_CALL, why.clone());
                return (input, Err(refused));
            }
            let client = client.in_operation(READ_CALL, vec![input.id.clone()]);
            let read = throttle.run(client.get_artifact(&input.id)).await;
            (input, read)
        }
    };
    batch::ordered(runtime, inputs, window, work, stop)
}

/// One document to save.
#[derive(Debug)]
pub struct Save {
    /// Its place in the batch.
    pub index: usize,
    /// The artifact id.
    pub id: String,
    /// The document to store.
    pub doc: Value,
    /// The document as read (the pre-image; the merge base).
    pub base: Value,
    /// Re-read and merge onto the server's document first (a save of a document
    /// read long ago), or send it as it is (a fresh read).
    pub merge: bool,
}

/// How a save ended: the saved document or the error; `None` when a stop came first
/// (nothing sent).
#[derive(Debug)]
pub struct Saved {
    /// Its place in the batch.
    pub index: usize,
    /// The outcome.
    pub result: Option<Result<Value, GovernError>>,
}

/// Starts the saving half on `runtime`: each [`Save`] sent to the returned sender is
/// saved once admitted by `throttle` (at most `capacity` waiting), its [`Saved`] sent
/// back on the returned receiver, which closes once every save has ended.
pub fn saves(
    runtime: &tokio::runtime::Handle,
    client: &GovernClient,
    throttle: &Arc<Throttle>,
    capacity: usize,
    stop: Stop,
) -> (mpsc::Sender<Save>, mpsc::UnboundedReceiver<Saved>) {
    let (tx, mut rx) = mpsc::channel::<Save>(capacity.max(1));
    let (done_tx, done_rx) = mpsc::unbounded_channel();
    let (client, throttle, spawner) = (client.clone(), throttle.clone(), runtime.clone());
    runtime.spawn(async move {
        while let Some(save) = rx.recv().await {
            if stop() {
                let _ = done_tx.send(Saved {
                    index: save.index,
                    result: None,
                });
                continue;
            }
            // Admitted here, so that no more saves are started than may be in flight.
            let permit = throttle.admit().await;
            let (client, throttle, done) = (client.clone(), throttle.clone(), done_tx.clone());
            spawner.spawn(async move {
                let index = save.index;
                let result = save_one(&client, &throttle, save).await;
                drop(permit);
                let _ = done.send(Saved {
                    index,
                    result: Some(result),
                });
            });
        }
    });
    (tx, done_rx)
}

/// `PUT /artifact/{id}` of `save`, as the call `GovernArtifactDefinition.save`: as it
/// is, based on its fresh read; or merged three-way onto a fresh read first (the
/// read paced by `throttle` too).
async fn save_one(
    client: &GovernClient,
    throttle: &Throttle,
    save: Save,
) -> Result<Value, GovernError> {
    let client = client.in_operation(SAVE_CALL, vec![save.id.clone()]);
    if !save.merge {
        client.note_pre_image(&save.base);
        return client.save_artifact(&save.id, save.doc).await;
    }
    let theirs = client.get_artifact(&save.id).await?;
    client.note_pre_image(&theirs);
    let merged =
        merge::three_way(&save.base, &save.doc, &theirs).map_err(|clashes| GovernError {
            call: SAVE_CALL.to_string(),
            request: None,
            kind: Box::new(ErrorKind::Conflict(
                clashes.iter().map(ToString::to_string).collect(),
            )),
        })?;
    throttle.pace().await;
    client.save_artifact(&save.id, merged).await
}
