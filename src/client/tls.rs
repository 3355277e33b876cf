//! TLS for every verifying client of the process: one configuration, whose verifier
//! reads the system's trusted roots at the first TLS handshake rather than when a
//! client is built.
//!
//! reqwest's own configuration reads and parses every certificate of the system
//! store (`/etc/ssl/certs` on Linux: about 15 ms) each time a client is built, and a
//! `GovernClient` builds two (with and without redirects): a script that only creates
//! a client, or talks to an `http://` sandbox, paid for roots it never used. Now the
//! roots are read once per process, by the first handshake that needs them, and the
//! verification itself is the platform verifier's, as reqwest's is.
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use rustls_platform_verifier::Verifier;
use std::sync::{Arc, OnceLock};

/// The TLS configuration of clients that verify certificates (`--insecure` ones let
/// reqwest build theirs, which verifies nothing and so reads no roots).
pub(super) fn verifying_config() -> rustls::ClientConfig {
    static CONFIG: OnceLock<rustls::ClientConfig> = OnceLock::new();
    CONFIG
        .get_or_init(|| {
            let provider = Arc::new(rustls::crypto::ring::default_provider());
            let mut config = rustls::ClientConfig::builder_with_provider(provider.clone())
                .with_safe_default_protocol_versions()
                // ring implements both default versions (TLS 1.2 and 1.3).
                .expect("ring supports the default TLS versions")
                // A custom verifier, not a weaker one: it is the platform verifier, built late.
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(LazyPlatformVerifier::new(provider)))
                .with_no_client_auth();
            // What reqwest offers when it builds the configuration itself.
            config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
            config
        })
        .clone()
}

/// The platform's certificate verifier, built (roots read) on first use.
#[derive(Debug)]
struct LazyPlatformVerifier {
    provider: Arc<CryptoProvider>,
    verifier: OnceLock<Result<Verifier, rustls::Error>>,
}

impl LazyPlatformVerifier {
    fn new(provider: Arc<CryptoProvider>) -> Self {
        Self {
            provider,
            verifier: OnceLock::new(),
        }
    }

    /// The verifier, built now if this is the first handshake; a failure to read the
    /// roots fails every handshake with its error.
    fn verifier(&self) -> Result<&Verifier, rustls::Error> {
        self.verifier
            .get_or_init(|| Verifier::new(self.provider.clone()))
            .as_ref()
            .map_err(Clone::clone)
    }
}

impl ServerCertVerifier for LazyPlatformVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        self.verifier()?.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        )
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.verifier()?.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.verifier()?.verify_tls13_signature(message, cert, dss)
    }

    /// Known without the roots: the schemes of the crypto provider, as the platform
    /// verifier answers.
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}
