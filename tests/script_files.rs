//! Uploaded files from Rhai against a real sandbox, with the official Python client
//! (`tests/python/files.py`) as the other side: a binary file of several MB uploaded by
//! one and downloaded by the other byte for byte, descriptions, delete then 404, a
//! missing local file, an unknown id, an upload over the sandbox's limit, and downloads
//! that never leave a half-written file.
mod common;
use common::{API, Sandbox};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// `n` random bytes written to `dir/name`.
fn random_file(dir: &Path, name: &str, n: usize) -> PathBuf {
    let bytes: Vec<u8> = (0..n).map(|_| rand::random::<u8>()).collect();
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write the test file");
    path
}

/// SHA-256 of a file, in hex.
fn sha256(path: &Path) -> String {
    let bytes = std::fs::read(path).expect("read the file");
    ring::digest::digest(&ring::digest::SHA256, &bytes)
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Runs `tests/python/files.py COMMAND ARGS` against `sb`; its `RESULT` line, or `None`
/// (the test is then skipped) without the Python client.
fn python(sb: &Sandbox, args: &[&str]) -> Option<Value> {
    if !common::python_client_available() {
        return None;
    }
    let out = std::process::Command::new(common::python())
        .arg(common::root().join("tests/python/files.py"))
        .args([sb.url.as_str(), sb.key.as_str()])
        .args(args)
        .output()
        .expect("run python");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "files.py {args:?} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line = stdout
        .lines()
        .find_map(|l| l.strip_prefix("RESULT "))
        .expect("a RESULT line");
    Some(serde_json::from_str(line).expect("RESULT is JSON"))
}

/// The `RESULT <json>` line a script printed.
fn result(stdout: &str) -> Value {
    let line = stdout
        .lines()
        .find_map(|l| l.strip_prefix("RESULT "))
        .unwrap_or_else(|| panic!("no RESULT line in {stdout}"));
    serde_json::from_str(line).expect("RESULT is JSON")
}

/// The ids of the uploaded files the sandbox's database holds.
fn stored_ids(sb: &Sandbox) -> Vec<String> {
    let db = rusqlite::Connection::open(&sb.db).expect("open the sandbox database");
    let mut stmt = db
        .prepare("SELECT id FROM uploaded_files ORDER BY id")
        .expect("query");
    stmt.query_map([], |r| r.get(0))
        .expect("rows")
        .map(|r| r.expect("id"))
        .collect()
}

/// The files in the sandbox's content folder (temporary ones included).
fn stored_files(sb: &Sandbox) -> Vec<String> {
    let mut folder = sb.db.as_os_str().to_os_string();
    folder.push(".files");
    match std::fs::read_dir(PathBuf::from(folder)) {
        Ok(entries) => entries
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect(),
        Err(_) => Vec::new(),
    }
}

#[test]
fn a_binary_file_uploaded_from_rhai_downloads_byte_for_byte_in_python_and_back() {
    let sb = Sandbox::start();
    let dir = tempfile::tempdir().expect("temp dir");
    let size = 5 * 1024 * 1024 + 17;
    let original = random_file(dir.path(), "model.bin", size);
    let back = dir.path().join("back.bin");
    let out = sb
        .script(
            r#"
let c = govern();
let f = c.upload_file("model.bin", ARGS[0]);
assert_eq(type_of(f), "GovernUploadedFile");
assert(f.uploaded_file_id.starts_with("uf."), f.uploaded_file_id);
assert_eq(f.client.get_auth_info().authIdentifier, "admin");
let d = f.get_description();
assert_eq(f.download(ARGS[1]), d.size);
print(`RESULT ${to_json(d)}`);
"#,
        )
        .script_arg(original.to_str().expect("utf-8 path"))
        .script_arg(back.to_str().expect("utf-8 path"))
        .ok();
    let rhai = result(&out);
    let id = rhai["id"].as_str().expect("id").to_string();
    assert_eq!(rhai["name"], "model.bin");
    assert_eq!(rhai["size"], size);
    assert_eq!(rhai["owner"], "admin");
    assert_eq!(rhai["contentType"], "application/octet-stream");
    assert!(
        rhai["uploadDate"].as_i64().is_some_and(|ms| ms > 0),
        "{rhai}"
    );
    assert_eq!(
        sha256(&back),
        sha256(&original),
        "Rhai's own download differs"
    );

    let Some(py) = python(
        &sb,
        &["download", &id, dir.path().join("py.bin").to_str().unwrap()],
    ) else {
        return;
    };
    assert_eq!(py["sha256"], sha256(&original));
    assert_eq!(py["size"], size);

    // And the other way: Python uploads, Rhai downloads (to a path and to a blob).
    let second = random_file(dir.path(), "report.pdf", 3 * 1024 * 1024 + 5);
    let up = python(
        &sb,
        &["upload", "report (final).pdf", second.to_str().unwrap()],
    )
    .expect("python client available");
    let pid = up["id"].as_str().expect("id");
    assert_eq!(up["description"]["name"], "report (final).pdf");
    assert_eq!(up["description"]["size"], 3 * 1024 * 1024 + 5);
    let got = dir.path().join("got.pdf");
    let out = sb
        .script(
            r#"
let f = govern().get_uploaded_file(ARGS[0]);
let written = f.download(ARGS[1]);
let blob = f.download();
assert_eq(type_of(blob), "blob");
assert_eq(blob.len(), written);
print(`RESULT ${to_json(#{ name: f.get_description().name, written: written })}`);
"#,
        )
        .script_arg(pid)
        .script_arg(got.to_str().unwrap())
        .ok();
    assert_eq!(result(&out)["name"], "report (final).pdf");
    assert_eq!(sha256(&got), sha256(&second));
}

#[test]
fn a_blob_upload_sends_its_bytes_and_the_description_matches_pythons() {
    let sb = Sandbox::start();
    let out = sb
        .script(
            r#"
let c = govern();
let bytes = blob(3, 0x41);
bytes.push(0);
bytes.push(255);
let f = c.upload_file("a\"b é.txt", bytes);
let back = f.download();
assert_eq(back, bytes);
print(`RESULT ${to_json(f.get_description())}`);
"#,
        )
        .ok();
    let d = result(&out);
    assert_eq!(
        d["name"], "a\"b é.txt",
        "the file name survives the multipart escaping"
    );
    assert_eq!(d["size"], 5);
    let Some(py) = python(&sb, &["errors", d["id"].as_str().unwrap()]) else {
        return;
    };
    assert_eq!(py["description"], d, "Python reads the same description");
}

#[test]
fn a_deleted_file_and_an_unknown_id_are_govern_404s_naming_the_call() {
    let sb = Sandbox::start();
    let out = sb
        .script(
            r#"
let c = govern();
let f = c.upload_file("x.txt", blob(10, 1));
f.delete();
let e = expect_error(|| f.get_description());
assert_eq(e.status, 404);
assert_eq(e.operation, "GovernUploadedFile.get_description");
let e = expect_error(|| f.download());
assert_eq([e.status, e.operation], [404, "GovernUploadedFile.download"]);
let e = expect_error(|| c.get_uploaded_file("uf.999").download());
assert_eq([e.status, e.operation], [404, "GovernUploadedFile.download"]);
assert(e.message.contains("uf.999"), e.message);
assert_eq(e.error_type, "com.dataiku.dip.exceptions.NotFoundException");
let e = expect_error(|| c.get_uploaded_file("uf.999").delete());
assert_eq(e.status, 404);
print(`RESULT ${to_json(#{ id: f.uploaded_file_id })}`);
"#,
        )
        .ok();
    assert!(result(&out)["id"].is_string());
    assert!(stored_ids(&sb).is_empty());
    assert!(stored_files(&sb).is_empty(), "{:?}", stored_files(&sb));

    // Python: description, delete, then the same 404s.
    let out = sb
        .script(r#"print(govern().upload_file("y.txt", blob(4, 2)).uploaded_file_id);"#)
        .ok();
    let Some(py) = python(&sb, &["errors", out.trim()]) else {
        return;
    };
    for key in ["after_delete", "download_after_delete", "unknown_download"] {
        let text = py[key].as_str().expect("an error text");
        assert!(
            text.starts_with(
                "com.dataiku.dip.exceptions.NotFoundException: Uploaded file not found"
            ),
            "{key}: {text}"
        );
    }
    assert!(stored_ids(&sb).is_empty());
}

#[test]
fn a_missing_local_file_is_an_error_naming_it_and_nothing_is_sent() {
    let sb = Sandbox::start();
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = dir.path().join("no-such-file.bin");
    let ran = sb
        .script(r#"govern().upload_file("data.bin", ARGS[0]);"#)
        .script_arg(missing.to_str().unwrap())
        .exits(common::EXIT_SCRIPT_ERROR);
    assert!(
        ran.stderr
            .contains(&format!("cannot read {}", missing.display()))
            && ran.stderr.contains("GovernClient.upload_file"),
        "{}",
        ran.stderr
    );
    let dir_as_file = sb
        .script(r#"govern().upload_file("data.bin", ARGS[0]);"#)
        .script_arg(dir.path().to_str().unwrap())
        .exits(common::EXIT_SCRIPT_ERROR);
    assert!(
        dir_as_file.stderr.contains("not a regular file"),
        "{}",
        dir_as_file.stderr
    );
    let wrong_type = sb
        .script(r#"govern().upload_file("data.bin", 42);"#)
        .exits(common::EXIT_SCRIPT_ERROR);
    assert!(
        wrong_type
            .stderr
            .contains("file must be a local file's path (a string) or a Blob"),
        "{}",
        wrong_type.stderr
    );
    let uploads = sb
        .recorded()
        .into_iter()
        .filter(|r| {
            r["target"]
                .as_str()
                .unwrap_or_default()
                .contains("uploaded")
        })
        .count();
    assert_eq!(uploads, 0, "nothing was sent");
    assert!(stored_ids(&sb).is_empty());
}

#[test]
fn an_upload_over_the_sandbox_limit_is_a_413_and_nothing_is_stored() {
    let sb = Sandbox::with().arg("--max-upload-mb").arg("1").start();
    let dir = tempfile::tempdir().expect("temp dir");
    let big = random_file(dir.path(), "big.bin", 2 * 1024 * 1024);
    let just_under = random_file(dir.path(), "ok.bin", 1024 * 1024);
    let out = sb
        .script(
            r#"
let c = govern();
let e = expect_error(|| c.upload_file("big.bin", ARGS[0]));
assert_eq([e.status, e.operation], [413, "GovernClient.upload_file"]);
assert(e.message.contains("at most 1 MiB"), e.message);
// Declared small, streamed: refused while read (a blob is sent the same way).
let e = expect_error(|| c.upload_file("big.bin", blob(1024 * 1024 + 1, 7)));
assert_eq(e.status, 413);
print(c.upload_file("ok.bin", ARGS[1]).get_description().size);
"#,
        )
        .script_arg(big.to_str().unwrap())
        .script_arg(just_under.to_str().unwrap())
        .ok();
    assert_eq!(
        out.trim(),
        (1024 * 1024).to_string(),
        "a file at the limit is kept"
    );
    assert_eq!(stored_ids(&sb), ["uf.1"]);
    assert_eq!(
        stored_files(&sb),
        ["uf.1"],
        "no partial or temporary file left"
    );

    let Some(py) = python(&sb, &["too_large", big.to_str().unwrap()]) else {
        return;
    };
    let text = py["error"].as_str().expect("error text");
    assert!(text.contains("Uploaded file too large"), "{text}");
    assert_eq!(stored_ids(&sb), ["uf.1"]);
    assert_eq!(stored_files(&sb), ["uf.1"]);
}

#[test]
fn a_failed_download_leaves_the_target_file_as_it_was() {
    let sb = Sandbox::start();
    let dir = tempfile::tempdir().expect("temp dir");
    let target = dir.path().join("keep.txt");
    std::fs::write(&target, "old content").expect("write");
    sb.script(
        r#"
let e = expect_error(|| govern().get_uploaded_file("uf.404").download(ARGS[0]));
assert_eq(e.status, 404);
"#,
    )
    .script_arg(target.to_str().unwrap())
    .ok();
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "old content");
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        left,
        [std::ffi::OsString::from("keep.txt")],
        "no temporary file left"
    );
}

#[test]
fn download_to_a_blob_refuses_a_file_over_16_mib_and_points_to_a_path() {
    let sb = Sandbox::start();
    let dir = tempfile::tempdir().expect("temp dir");
    let big = random_file(dir.path(), "big.bin", 16 * 1024 * 1024 + 1);
    let out = sb
        .script(
            r#"
let f = govern().upload_file("big.bin", ARGS[0]);
let e = expect_error(|| f.download());
assert_eq(e.operation, "GovernUploadedFile.download");
assert(e.message.contains("larger than 16 MiB: download it to a path with download(path)"), e.message);
print("refused");
"#,
        )
        .script_arg(big.to_str().unwrap())
        .ok();
    assert_eq!(out.trim(), "refused");
}

#[test]
fn downloads_are_octet_streams_never_compressed() {
    let sb = Sandbox::start();
    let out = sb
        .script(r#"print(govern().upload_file("notes.txt", blob(2000, 0x61)).uploaded_file_id);"#)
        .ok();
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let _ = rustls::crypto::ring::default_provider().install_default();
    let response = runtime.block_on(async {
        reqwest::Client::new()
            .get(format!(
                "{}{API}/uploaded-file/{}/download",
                sb.url,
                out.trim()
            ))
            .basic_auth(&sb.key, Some(""))
            .header("Accept-Encoding", "gzip, deflate")
            .send()
            .await
            .expect("download")
    });
    let header = |k: &str| {
        response
            .headers()
            .get(k)
            .map(|v| v.to_str().unwrap_or_default().to_string())
    };
    assert_eq!(
        header("content-type").as_deref(),
        Some("application/octet-stream")
    );
    assert_eq!(
        header("content-disposition").as_deref(),
        Some("attachment; filename=\"notes.txt\"")
    );
    assert_eq!(header("content-encoding"), None);
    assert_eq!(header("content-length").as_deref(), Some("2000"));
    let body = runtime.block_on(response.bytes()).expect("body");
    assert_eq!(&body[..], &[b'a'; 2000][..]);
}

#[test]
fn another_users_file_is_not_found_for_a_non_admin() {
    let sb = Sandbox::start();
    let id = sb
        .script(r#"print(govern().upload_file("secret.txt", blob(3, 1)).uploaded_file_id);"#)
        .ok();
    // bob impersonated through the admin key: not the owner, not an architect.
    sb.script(
        r#"
let bob = govern().get_user("bob").get_client_as();
let e = expect_error(|| bob.get_uploaded_file(ARGS[0]).get_description());
assert_eq(e.status, 404);
let e = expect_error(|| bob.get_uploaded_file(ARGS[0]).delete());
assert_eq(e.status, 404);
let mine = bob.upload_file("mine.txt", blob(2, 2));
assert_eq(mine.get_description().owner, "bob");
assert_eq(mine.download(), blob(2, 2));
"#,
    )
    .script_arg(id.trim())
    .ok();
    assert_eq!(stored_ids(&sb).len(), 2);
}
