//! TLS: certificates are verified by default, against the system's trusted roots (read
//! at the first handshake, `SSL_CERT_FILE` honoured), and not with `--insecure`.
//! The server is a real TLS listener on 127.0.0.1 whose certificate (for IP 127.0.0.1)
//! is signed by a test CA no system trusts (`tests/data/tls/`, made with openssl; the
//! CA's key was thrown away).
mod common;

use common::Run;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::Arc;

const TLS_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/tls");

/// A TLS server answering every request with a small JSON object; its URL.
fn tls_server() -> String {
    let certs: Vec<CertificateDer<'static>> =
        CertificateDer::pem_file_iter(format!("{TLS_DIR}/server.pem"))
            .expect("read server.pem")
            .collect::<Result<_, _>>()
            .expect("parse server.pem");
    let key = PrivateKeyDer::from_pem_file(format!("{TLS_DIR}/server.key")).expect("server.key");
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("TLS versions")
    .with_no_client_auth()
    .with_single_cert(certs, key)
    .expect("server certificate");
    let config = Arc::new(config);
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("address").port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let config = config.clone();
            std::thread::spawn(move || {
                let Ok(connection) = rustls::ServerConnection::new(config) else {
                    return;
                };
                let mut tls = rustls::StreamOwned::new(connection, stream);
                let mut request = Vec::new();
                let mut buf = [0u8; 4096];
                // A refused handshake ends here, with a read error.
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match tls.read(&mut buf) {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&buf[..n]),
                    }
                }
                let body = r#"{"authIdentifier":"tls-test"}"#;
                let _ = write!(
                    tls,
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
                     Connection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = tls.flush();
                tls.conn.send_close_notify();
                let _ = tls.flush();
            });
        }
    });
    format!("https://127.0.0.1:{port}")
}

fn auth_info(url: &str) -> Run {
    Run::new(&format!(
        "let c = GovernClient({url:?}, \"tls-test-key\");\nprint(c.get_auth_info().authIdentifier);\n"
    ))
    .arg("--retries")
    .arg("1")
}

#[test]
fn a_certificate_no_trusted_root_signed_is_refused() {
    let url = tls_server();
    // Roots from a file that does not hold the test CA: the system's, as a user has.
    let ran = auth_info(&url)
        .env("SSL_CERT_FILE", &format!("{TLS_DIR}/server.pem"))
        .run();
    assert_ne!(ran.code, 0, "{ran:?}");
    assert!(ran.stdout.is_empty(), "{ran:?}");
    assert!(
        ran.stderr.to_lowercase().contains("certificate"),
        "the error should say the certificate was refused: {ran:?}"
    );
}

#[test]
fn a_certificate_signed_by_a_root_of_ssl_cert_file_is_accepted() {
    let url = tls_server();
    let out = auth_info(&url)
        .env("SSL_CERT_FILE", &format!("{TLS_DIR}/ca.pem"))
        .ok();
    assert_eq!(out, "tls-test\n");
}

#[test]
fn insecure_connects_without_verifying_the_certificate() {
    let url = tls_server();
    let out = Run::new(&format!(
        "let c = GovernClient({url:?}, \"tls-test-key\", #{{ insecure: true }});\n\
         print(c.get_auth_info().authIdentifier);\n"
    ))
    .ok();
    assert_eq!(out, "tls-test\n");
}
