//! The library API used by `govscript run --sandbox`: `start` on the current runtime,
//! then `shutdown`.
use govscript::sandbox::{AdminKeyOrigin, SandboxConfig, Seed, start};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn start_serves_and_shutdown_stops() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let dir = tempfile::tempdir().expect("tempdir");
    let config = SandboxConfig {
        db: dir.path().join("s.db"),
        bind: "127.0.0.1:0".parse().expect("addr"),
        admin_key: None,
        seed: Seed::Demo,
        record: None,
        ..SandboxConfig::default()
    };
    let sb = start(config.clone()).await.expect("start");
    assert_eq!(sb.admin_key_origin, AdminKeyOrigin::Generated);
    assert!(sb.url.starts_with("http://127.0.0.1:"));
    let http = reqwest::Client::new();
    let url = format!("{}/dip/publicapi/auth/info", sb.url);
    let info: serde_json::Value = http
        .get(&url)
        .basic_auth(&sb.admin_key, Some(""))
        .send()
        .await
        .expect("request")
        .json()
        .await
        .expect("json");
    assert_eq!(info["authIdentifier"], "admin");
    sb.shutdown().await;
    assert!(
        http.get(&url).send().await.is_err(),
        "still serving after shutdown"
    );

    // A second start on the same DB keeps the stored key secret.
    let again = start(config).await.expect("restart");
    assert_eq!(again.admin_key_origin, AdminKeyOrigin::Existing);
    assert!(again.admin_key.is_empty());
    again.shutdown().await;
}
