//! Uploaded files: `GovernClient.upload_file` / `get_uploaded_file` and
//! `GovernUploadedFile` (`get_description`, `download`, `delete`).
//!
//! Beyond Python, whose `upload_file` takes a stream and whose `download()` returns one,
//! a script uploads a local file by its path (streamed: at most one buffer of it in
//! memory) or a blob, and downloads to a path (streamed, written in place only once
//! complete) or, for files up to 16 MiB, to a blob.
use super::arg::{Arg, ScriptType};
use super::bridge::{RhaiResult, local_error};
use super::convert::to_dynamic;
use super::handle::Handle;
use super::kinds::{GovernClient, GovernUploadedFile};
use super::method::methods;
use crate::client::files::Upload;
use rhai::{Blob, Dynamic, INT, Module};
use std::path::PathBuf;

impl ScriptType for Blob {
    const NAME: &'static str = "Blob";
}

/// The `file` argument of `upload_file`: a local file's path, or a blob of bytes.
#[derive(Debug, Clone)]
pub struct FileContent(Upload);

impl ScriptType for FileContent {
    const NAME: &'static str = "Dynamic";
}

impl Arg for FileContent {
    fn from_arg(call: &str, param: &str, value: Dynamic) -> RhaiResult<Self> {
        if value.is_blob() {
            let bytes = value.into_blob().unwrap_or_default();
            return Ok(Self(Upload::Bytes(bytes)));
        }
        match value.clone().into_immutable_string() {
            Ok(path) if !path.is_empty() => Ok(Self(Upload::File(PathBuf::from(path.as_str())))),
            Ok(_) => Err(local_error(
                call,
                format!("{param} must not be an empty path"),
            )),
            Err(_) => Err(local_error(
                call,
                format!(
                    "{param} must be a local file's path (a string) or a Blob, not {}",
                    value.type_name()
                ),
            )),
        }
    }
}

type File = Handle<GovernUploadedFile>;

/// Registers the uploaded-file methods.
pub fn register(module: &mut Module) {
    methods! { module; Handle<GovernClient> as c {
        /// Uploads `file` as `file_name` and returns its handle: `file` is a local
        /// file's path (streamed, never loaded whole) or a Blob. A missing file is an
        /// error naming it, and nothing is sent.
        fn upload_file(file_name: String, file: FileContent) -> File {
            let answer = c.run(c.client().upload_file(&file_name, file.0))?;
            match answer.get("id").and_then(|v| v.as_str()) {
                Some(id) => Ok(c.handle(id.to_string())),
                None => Err(c.fail("the upload's answer has no id")),
            }
        }
        /// A handle on the uploaded file `uploaded_file_id` (no request).
        fn get_uploaded_file(uploaded_file_id: String) -> File {
            Ok(c.handle(uploaded_file_id))
        }
    }}

    methods! { module; Handle<GovernUploadedFile> as f {
        /// The file's description: `id`, `name`, `size`, `contentType`, `owner`,
        /// `uploadDate`... (a map).
        fn get_description() -> Dynamic {
            Ok(to_dynamic(&f.run(f.client().get_uploaded_file_description(&f.key))?))
        }
        /// Downloads the content: with a `path`, streamed into that file (replaced only
        /// once the download is complete) and returns the bytes written; without, returns
        /// a Blob (files up to 16 MiB: use a path for larger ones).
        fn download(; path: Option<String> = None) -> Dynamic {
            match path {
                Some(path) => {
                    let written = f.run(f.client().download_uploaded_file_to(&f.key, path.as_ref()))?;
                    Ok(Dynamic::from(INT::try_from(written).unwrap_or(INT::MAX)))
                }
                None => Ok(Dynamic::from_blob(f.run(f.client().download_uploaded_file(&f.key))?)),
            }
        }
        /// Deletes the file.
        fn delete() -> () {
            f.run(f.client().delete_uploaded_file(&f.key))
        }
    }}
}
