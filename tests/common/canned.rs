//! A server answering from a script of canned responses (what a misbehaving server or
//! proxy sends), recording `METHOD target` of each request it receives.
use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// One canned answer: status line (`503 Service Unavailable`), extra header lines
/// (each ending in `\r\n`), body. `None` drops the connection after reading the
/// request, without an answer.
pub type Answer = Option<(&'static str, &'static str, &'static str)>;

/// An answer whose body may be any bytes (invalid UTF-8, say).
type RawAnswer = Option<(&'static str, &'static str, &'static [u8])>;

/// Serves `answers` in order, one per request, the last one repeating; returns the
/// URL and the log of requests received.
pub fn scripted(answers: Vec<Answer>) -> (String, Arc<Mutex<Vec<String>>>) {
    let log: Arc<Mutex<Vec<String>>> = Arc::default();
    let seen = log.clone();
    let url = serve(raw(answers), move |request| {
        seen.lock().expect("log").push(request)
    });
    (url, log)
}

/// The requests a server received, each with the time it arrived.
pub type TimedLog = Arc<Mutex<Vec<(Instant, String)>>>;

/// As [`scripted`], the log also telling when each request arrived.
pub fn scripted_at(answers: Vec<Answer>) -> (String, TimedLog) {
    let log: TimedLog = Arc::default();
    let seen = log.clone();
    let url = serve(raw(answers), move |request| {
        seen.lock().expect("log").push((Instant::now(), request))
    });
    (url, log)
}

/// A server giving the same answer, any bytes (invalid UTF-8, say), to every request.
pub fn answering_bytes(status: &'static str, body: &'static [u8]) -> String {
    serve(vec![Some((status, "", body))], |_| {})
}

/// A Govern host that accepts connections and never answers; `accepted` gets one
/// message per connection.
pub fn silent() -> (String, std::sync::mpsc::Receiver<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("local addr"));
    let (accepted, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut open = Vec::new();
        for stream in listener.incoming().flatten() {
            open.push(stream);
            let _ = accepted.send(());
        }
    });
    (url, rx)
}

fn raw(answers: Vec<Answer>) -> Vec<RawAnswer> {
    answers
        .into_iter()
        .map(|a| a.map(|(status, headers, body)| (status, headers, body.as_bytes())))
        .collect()
}

/// Serves `answers`, calling `record` with `METHOD target` of each request as it
/// arrives; returns the URL.
fn serve(answers: Vec<RawAnswer>, record: impl Fn(String) + Send + 'static) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let mut queue: VecDeque<RawAnswer> = answers.into();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut request_line = String::new();
            if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
                continue;
            }
            let mut length = 0;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            let target: Vec<&str> = request_line.split_whitespace().take(2).collect();
            record(target.join(" "));
            let answer = if queue.len() > 1 {
                queue.pop_front().flatten()
            } else {
                queue.front().cloned().flatten()
            };
            if let Some((status, headers, body)) = answer {
                let head = format!(
                    "HTTP/1.1 {status}\r\n{headers}Content-Length: {}\r\n\
                     Connection: close\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(&[head.as_bytes(), body].concat());
            }
        }
    });
    url
}

/// A server giving the same answer to every request.
pub fn answering(status: &'static str, headers: &'static str, body: &'static str) -> String {
    scripted(vec![Some((status, headers, body))]).0
}
