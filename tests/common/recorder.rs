//! A minimal HTTP/1.1 server that records every request byte-for-byte and answers
//! canned JSON, like the harness that captured `govern-golden-requests.json`.
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

/// One recorded request.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// Method.
    pub method: String,
    /// Raw request target.
    pub target: String,
    /// Headers, names lower-cased.
    pub headers: Vec<(String, String)>,
    /// Body text.
    pub body: String,
}

impl Recorded {
    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The recording server; runs until the test process ends.
pub struct Recorder {
    /// Base URL.
    pub url: String,
    requests: Arc<Mutex<Vec<Recorded>>>,
    answers: Arc<Mutex<Answers>>,
}

/// What the recorder answers a GET, settable before each replayed call.
#[derive(Debug, Clone, Default)]
pub struct Answers {
    /// The document GETs answer (a save sends it back); `None`: the canned answer.
    pub document: Option<String>,
    /// Whether GETs and PUTs answer an empty list (a list read, or a saved list such as
    /// the custom pages order).
    pub list: bool,
}

/// The canned answer: every key any call of the covered classes reads.
pub const CANNED: &str = r#"{"artifactId": "ar.1", "id": "fb.1", "hasResult": true, "key": "secret",
 "artifact": {"id": "ar.1", "blueprintVersionId": {"blueprintId": "bp.x", "versionId": "bv.y"}},
 "blueprint": {"id": "bp.x"}, "blueprintVersion": {"id": {}},
 "blueprintVersionTrace": {"status": "ACTIVE"},
 "feedbackResponses": [{"id": "fb.1", "status": "APPROVED"}],
 "approverResponse": {"status": "APPROVED"},
 "uiArtifacts": [{"artifact": {"id": "ar.1"}}]}"#;

/// The answer to a POST: the canned answer, with the ids creations read
/// (`blueprintVersion.id.versionId` names the created version).
const CREATED: &str = r#"{"artifactId": "ar.1", "id": "fb.1", "hasResult": true, "key": "secret", "blueprintId": "bp.x",
 "artifact": {"id": "ar.1", "blueprintVersionId": {"blueprintId": "bp.x", "versionId": "bv.y"}},
 "blueprint": {"id": "bp.x"}, "blueprintVersion": {"id": {"blueprintId": "bp.x", "versionId": "bv.y"}},
 "blueprintVersionTrace": {"status": "ACTIVE"},
 "feedbackResponses": [{"id": "fb.1", "status": "APPROVED"}],
 "approverResponse": {"status": "APPROVED"},
 "uiArtifacts": [{"artifact": {"id": "ar.1"}}]}"#;

impl Recorder {
    /// Starts the server on a free loopback port.
    pub fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let requests: Arc<Mutex<Vec<Recorded>>> = Arc::default();
        let answers: Arc<Mutex<Answers>> = Arc::default();
        let (sink, plan) = (requests.clone(), answers.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (sink, plan) = (sink.clone(), plan.clone());
                std::thread::spawn(move || serve(stream, sink, plan));
            }
        });
        Self {
            url,
            requests,
            answers,
        }
    }

    /// Sets what GETs answer from now on.
    pub fn answer(&self, answers: Answers) {
        *self.answers.lock().expect("recorder lock") = answers;
    }

    /// Takes the requests recorded so far.
    pub fn take(&self) -> Vec<Recorded> {
        std::mem::take(&mut *self.requests.lock().expect("recorder lock"))
    }
}

fn serve(stream: std::net::TcpStream, sink: Arc<Mutex<Vec<Recorded>>>, plan: Arc<Mutex<Answers>>) {
    let mut writer = stream.try_clone().expect("clone stream");
    let mut reader = BufReader::new(stream);
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let mut parts = line.split_whitespace();
        let (method, target) = (
            parts.next().unwrap_or("").to_string(),
            parts.next().unwrap_or("").to_string(),
        );
        let mut headers = Vec::new();
        loop {
            let mut h = String::new();
            reader.read_line(&mut h).expect("header");
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            if let Some((k, v)) = h.split_once(':') {
                headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
            }
        }
        let len: usize = headers
            .iter()
            .find(|(k, _)| k == "content-length")
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(0);
        let mut body = vec![0; len];
        reader.read_exact(&mut body).expect("body");
        let answers = plan.lock().expect("recorder lock").clone();
        let answer = match method.as_str() {
            "GET" | "PUT" if answers.list => "[]".to_string(),
            "GET" => answers.document.unwrap_or_else(|| CANNED.to_string()),
            "POST" => CREATED.to_string(),
            _ => CANNED.to_string(),
        };
        sink.lock().expect("recorder lock").push(Recorded {
            method,
            target,
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
        });
        let response = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{answer}",
            answer.len()
        );
        if writer.write_all(response.as_bytes()).is_err() {
            return;
        }
    }
}
