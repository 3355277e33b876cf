//! The requests govscript sends equal the Python client's, as recorded in
//! `govern-golden-requests.json` (method, raw target, JSON body, framing headers).
//! Every golden call whose methods the engine registers is replayed, its statements
//! derived from the call and the engine's metadata (see `golden/derive.rs`): a method
//! is checked against Python as soon as it is declared.
mod common;
mod golden;

use common::recorder::{Recorded, Recorder};
use common::{Run, python, python_client_available, root};
use golden::calls::{self, Call, Request, as_json};
use golden::derive::{Lang, Outcome, derive, derive_in};
use golden::registry::Registry;
use golden::{answers, multipart, overrides};

#[test]
fn requests_match_the_python_client_golden_file() {
    let golden = calls::load();
    let registry = Registry::load();
    let recorder = Recorder::start();
    let (mut replayed_calls, mut skipped, mut failures) = (Vec::new(), Vec::new(), Vec::new());
    for call in golden.iter().filter(|c| !multipart::replayed_apart(c)) {
        let outcome = derive(call, &registry).and_then(|outcome| match outcome {
            Outcome::Skipped(missing) => {
                skipped.push(format!("{}: {missing} is not registered", call.name));
                Ok(())
            }
            Outcome::Replay(statements) => replay(&recorder, call, &statements, &golden)
                .map(|()| replayed_calls.push(call.name.clone())),
        });
        if let Err(e) = outcome {
            failures.push(format!("{}: {e}", call.name));
        }
    }
    let replayed = replayed_calls.len();
    let apart = golden
        .iter()
        .filter(|c| multipart::replayed_apart(c))
        .count();
    println!(
        "golden calls replayed: {replayed} derived + {apart} uploads (replayed apart) / {}",
        golden.len()
    );
    for call in golden.iter().filter(|c| replayed_calls.contains(&c.name)) {
        if let Some(o) = overrides::find(&call.name) {
            println!("  written by hand: {}: {}", o.call, o.why);
        }
    }
    println!("skipped, method not registered ({}):", skipped.len());
    for s in &skipped {
        println!("  {s}");
    }
    assert!(
        failures.is_empty(),
        "registered golden calls that differ from Python or cannot be replayed:\n{}",
        failures.join("\n")
    );
    // Issue 14: every recorded call is replayed (the uploads by
    // `uploads_match_the_python_client_part_by_part`).
    assert_eq!(
        replayed + apart,
        golden.len(),
        "golden calls not replayed: {skipped:?}"
    );
}

/// The golden calls no derivation can replay, whatever is registered: an upload's
/// body is multipart, not JSON.
const NOT_DERIVABLE: &[&str] = &["upload_file bytes", "upload_file realfile"];

/// Every other golden call derives against the Python client's own signatures
/// (`tests/python/python_signatures.py`): each replays as soon as govscript
/// registers its methods under Python's names and argument names, no row to add.
#[test]
fn every_golden_call_derives_from_the_python_signatures() {
    if !python_client_available() {
        return;
    }
    let registry = python_registry();
    let mut failures = Vec::new();
    for call in calls::load() {
        let outcome = match derive(&call, &registry) {
            Ok(Outcome::Replay(_)) => continue,
            Ok(Outcome::Skipped(missing)) => format!("{missing} is not in the Python client"),
            Err(e) => e,
        };
        if !NOT_DERIVABLE.contains(&call.name.as_str()) {
            failures.push(format!("{}: {outcome}", call.name));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Golden calls the Python client cannot make from the derived statements: the
/// recording built the API key handle directly, without `get_global_api_key_by_id`'s GET.
const PYTHON_DIFFERS: &[&str] = &[
    "key.get_definition+save",
    "key.set_definition",
    "key.delete",
];

/// Runs statements with the Python client, one call per stdin line (a JSON string),
/// answering `ok` or the traceback (a call still running after 30 s is stopped).
const HARNESS: &str = "import json, signal, sys, traceback
from dataikuapi import GovernClient
from dataikuapi.govern.artifact_search import *
from dataikuapi.govern.blueprint import GovernBlueprintVersionId
from dataikuapi.govern.users_container import *
c = GovernClient(sys.argv[1], 'APIKEY123')
for line in sys.stdin:
    signal.alarm(30)
    try:
        exec(json.loads(line))
        print('ok', flush=True)
    except BaseException:
        print(json.dumps(traceback.format_exc()), flush=True)";

/// The derived calls are the ones Python made: the Python client, running the
/// statements derived in Python syntax against the recorder with the same answers,
/// sends exactly the golden requests. This checks, independently of govscript, the
/// arguments the derivation infers and that the recorder's answers let each method
/// proceed as it did when recorded, for every golden call (registered or not).
#[test]
fn the_python_client_sends_the_golden_requests_from_the_derived_calls() {
    use std::io::{BufRead, BufReader, Write};
    if !python_client_available() {
        return;
    }
    let registry = python_registry();
    let recorder = Recorder::start();
    let mut child = std::process::Command::new(python())
        .args(["-c", HARNESS, &recorder.url])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("run python");
    let mut stdin = child.stdin.take().expect("stdin");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let (mut replayed, mut failures) = (0, Vec::new());
    let golden = calls::load();
    for call in &golden {
        let Ok(Outcome::Replay(statements)) = derive_in(call, &registry, Lang::Python) else {
            continue;
        };
        if PYTHON_DIFFERS.contains(&call.name.as_str()) {
            continue;
        }
        recorder.answer(answers::for_call(call));
        writeln!(stdin, "{}", serde_json::Value::from(statements.as_str())).expect("write");
        let mut outcome = String::new();
        stdout.read_line(&mut outcome).expect("read");
        let got = recorder.take();
        let sent = |r: &Recorded| (r.method.clone(), r.target.clone(), as_json(&r.body));
        let sent_by_python = |r: &Request| (r.method.clone(), r.target.clone(), r.json());
        let got: Vec<_> = got.iter().map(sent).collect();
        let want: Vec<_> = expected(call, &golden).iter().map(sent_by_python).collect();
        if outcome.trim() != "ok" || got != want {
            failures.push(format!(
                "{}: {statements}\n  sent {got:?}\n  want {want:?}\n{outcome}",
                call.name
            ));
        }
        replayed += 1;
    }
    drop(stdin);
    let _ = child.wait();
    println!("Python replayed {replayed} derived calls");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The Python client's signatures in the engine's metadata shape.
fn python_registry() -> Registry {
    let out = std::process::Command::new(python())
        .arg(root().join("tests/python/python_signatures.py"))
        .output()
        .expect("run python_signatures.py");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Registry::from_metadata(&serde_json::from_slice(&out.stdout).expect("JSON"))
}

/// The requests a call's statements must send: those of the call it continues
/// (an override's `after`), then its own.
fn expected(call: &Call, golden: &[Call]) -> Vec<Request> {
    let before = overrides::find(&call.name)
        .and_then(|o| o.after)
        .and_then(|after| golden.iter().find(|g| g.name == after));
    before
        .into_iter()
        .chain(std::iter::once(call))
        .flat_map(|c| c.requests.clone())
        .collect()
}

/// Runs the statements twice: by default (save() adds conflict-checking reads, the
/// writes are the same) and with `--no-conflict-check` (every request is Python's).
fn replay(
    recorder: &Recorder,
    call: &Call,
    statements: &str,
    golden: &[Call],
) -> Result<(), String> {
    let expected = expected(call, golden);
    recorder.answer(answers::for_call(call));
    let script = format!("let c = govern();\n{statements}\n");
    let run = |flags: &[&str]| -> Result<Vec<Recorded>, String> {
        let ran = flags
            .iter()
            .fold(Run::new(&script), |run, f| run.arg(f))
            .env("GOVERN_HOST", &recorder.url)
            .env("GOVERN_API_KEY", "APIKEY123")
            .run();
        let got = recorder.take();
        if ran.code != 0 {
            return Err(format!("the script failed:\n{script}\n{}", ran.stderr));
        }
        Ok(got)
    };

    let writes = |requests: Vec<(String, String, String)>| {
        requests
            .into_iter()
            .filter(|r| r.0 != "GET")
            .map(|(m, t, b)| (m, t, as_json(&b)))
            .collect::<Vec<_>>()
    };
    let by_default = writes(
        run(&[])?
            .into_iter()
            .map(|r| (r.method, r.target, r.body))
            .collect(),
    );
    let golden_writes = writes(
        expected
            .iter()
            .map(|e| (e.method.clone(), e.target.clone(), e.body.clone()))
            .collect(),
    );
    if by_default != golden_writes {
        return Err(format!(
            "writes by default: got {by_default:?}, Python {golden_writes:?}\n{script}"
        ));
    }

    let got = run(&["--no-conflict-check"])?;
    if got.len() != expected.len() {
        return Err(format!(
            "{} requests, Python sent {}: {got:?}\n{script}",
            got.len(),
            expected.len()
        ));
    }
    for (g, e) in got.iter().zip(&expected) {
        same(g, e).map_err(|what| format!("{what} of {} {}\n{script}", e.method, e.target))?;
    }
    Ok(())
}

/// Compares one request with Python's: method, target, JSON body, auth (the key, or
/// a ticket), Python's `X-` headers, Content-Length, and no Content-Type.
fn same(got: &Recorded, python: &Request) -> Result<(), String> {
    let header = |k: &str| python.headers[k].as_str();
    let x_headers = python.headers.as_object().is_some_and(|h| {
        h.iter()
            .filter(|(k, _)| k.starts_with("X-"))
            .all(|(k, v)| got.header(&k.to_ascii_lowercase()) == v.as_str())
    });
    let checks = [
        ("method", got.method == python.method),
        ("target", got.target == python.target),
        ("body", as_json(&got.body) == python.json()),
        (
            "auth",
            got.header("authorization") == header("Authorization"),
        ),
        ("X- headers (ticket, extra headers)", x_headers),
        (
            "content-length",
            got.header("content-length") == header("Content-Length"),
        ),
        (
            "content-type (Python sends none)",
            got.header("content-type").is_none(),
        ),
    ];
    match checks.iter().find(|(_, ok)| !ok) {
        Some((what, _)) => Err(format!("{what} differs: got {got:?}")),
        None => Ok(()),
    }
}

#[test]
fn json_bodies_are_byte_identical_to_python() {
    let recorder = Recorder::start();
    Run::new(
        r#"govern().get_artifact("ar.1").get_signoff("s1").update_status("WAITING_FOR_FEEDBACK");"#,
    )
    .env("GOVERN_HOST", &recorder.url)
    .env("GOVERN_API_KEY", "APIKEY123")
    .ok();
    let got = recorder.take();
    assert_eq!(
        got[0].body,
        r#"{"targetStatus": "WAITING_FOR_FEEDBACK", "usersToSendEmailTo": null, "reloadConfForReset": false}"#
    );
}

/// The golden uploads (multipart bodies, not derivable): replayed from Rhai, each part
/// compared with Python's (headers, file name, bytes), the boundary normalised; the
/// framing headers as Python sends them (a real Content-Length, a 32-hex boundary).
#[test]
fn uploads_match_the_python_client_part_by_part() {
    let golden = calls::load();
    let recorder = Recorder::start();
    let dir = tempfile::tempdir().expect("temp dir");
    for upload in multipart::UPLOADS {
        let call = golden
            .iter()
            .find(|c| c.name == upload.call)
            .unwrap_or_else(|| panic!("{} is not in the golden file", upload.call));
        let [python] = call.requests.as_slice() else {
            panic!("{}: one request expected", upload.call);
        };
        let mut run = Run::new(&format!("let c = govern();\n{}\n", upload.statements))
            .env("GOVERN_HOST", &recorder.url)
            .env("GOVERN_API_KEY", "APIKEY123");
        if let Some(content) = upload.file {
            let path = dir.path().join(upload.call.replace(' ', "_"));
            std::fs::write(&path, content).expect("write the file to upload");
            run = run.script_arg(path.to_str().expect("utf-8 path"));
        }
        run.ok();
        let got = recorder.take();
        let [got] = got.as_slice() else {
            panic!("{}: sent {got:?}", upload.call);
        };
        assert_eq!(
            (got.method.as_str(), got.target.as_str()),
            (python.method.as_str(), python.target.as_str()),
            "{}",
            upload.call
        );
        assert_eq!(
            got.header("authorization"),
            python.headers["Authorization"].as_str()
        );
        let content_type = got.header("content-type").unwrap_or_default();
        let boundary = multipart::boundary(content_type)
            .unwrap_or_else(|| panic!("{}: content type {content_type:?}", upload.call));
        assert!(
            boundary.len() == 32 && boundary.chars().all(|c| c.is_ascii_hexdigit()),
            "{}: boundary {boundary:?} is not 32 hex digits as Python's",
            upload.call
        );
        assert_eq!(
            got.header("content-length"),
            Some(got.body.len().to_string().as_str()),
            "{}: a real Content-Length, as Python sends",
            upload.call
        );
        assert_eq!(got.header("transfer-encoding"), None, "{}", upload.call);
        let ours = multipart::parts(got.body.as_bytes(), boundary)
            .unwrap_or_else(|e| panic!("{}: {e}: {:?}", upload.call, got.body));
        let theirs = multipart::parts(python.body.as_bytes(), "{BOUNDARY}")
            .unwrap_or_else(|e| panic!("golden {}: {e}", upload.call));
        assert_eq!(ours, theirs, "{}: parts differ from Python's", upload.call);
        assert_eq!(
            got.body.replace(boundary, "{BOUNDARY}"),
            python.body,
            "{}: the body, boundary normalised",
            upload.call
        );
    }
}
