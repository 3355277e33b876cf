//! The client's hooks and call names, in process against a real sandbox: every
//! mutating request passes the attempt hooks, named after the Python call it serves;
//! operation hooks see each call once, carried by the client value.
mod common;
use govscript::client::operation::{Decision, HookFuture, OperationCall};
use govscript::client::{
    ClientConfig, GovernClient, GovernError, MutationHook, OperationHook, OperationHooks, Request,
    operation,
};
use govscript::sandbox::{SandboxConfig, Seed, start};
use serde_json::Value;
use std::sync::{Arc, Mutex};

/// Records what it sees; refuses DELETEs when `refuse_deletes`.
#[derive(Default)]
struct Recorder {
    seen: Mutex<Vec<String>>,
    refuse_deletes: bool,
}

impl MutationHook for Recorder {
    fn before(&self, request: &Request) -> govscript::client::Result<()> {
        self.seen.lock().expect("lock").push(format!(
            "before {} {} {}",
            request.call, request.method, request.path
        ));
        if self.refuse_deletes && request.method == govscript::client::Method::DELETE {
            return Err(GovernError::local(request.call, "refused by the hook"));
        }
        Ok(())
    }

    fn after(&self, request: &Request, outcome: Result<&Value, &GovernError>) {
        let outcome = if outcome.is_ok() { "ok" } else { "failed" };
        self.seen
            .lock()
            .expect("lock")
            .push(format!("after {} {outcome}", request.call));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hooks_see_mutations_by_python_name_and_can_stop_them() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let dir = tempfile::tempdir().expect("tempdir");
    let sandbox = start(SandboxConfig {
        db: dir.path().join("s.db"),
        bind: "127.0.0.1:0".parse().expect("addr"),
        admin_key: Some("hook-key".into()),
        seed: Seed::Demo,
        record: None,
        ..SandboxConfig::default()
    })
    .await
    .expect("start sandbox");
    let hook = Arc::new(Recorder {
        refuse_deletes: true,
        ..Recorder::default()
    });
    let config = ClientConfig::new(&sandbox.url, "hook-key");
    let client = GovernClient::with_hooks(config, vec![hook.clone()]).expect("client");

    // A read passes no hook; a write passes both, named after the call it serves.
    let doc = operation::named("GovernArtifact.get_definition", client.get_artifact("ar.1"))
        .await
        .expect("read");
    operation::named(
        "GovernArtifactDefinition.save",
        client.save_artifact("ar.1", doc),
    )
    .await
    .expect("save");
    // A refused request is not sent: the artifact is still there.
    let refused = operation::named("GovernArtifact.delete", client.delete_artifact("ar.1")).await;
    let error = refused.expect_err("the hook refuses deletes");
    assert_eq!(
        error.to_string(),
        "GovernArtifact.delete: refused by the hook"
    );
    client
        .get_artifact("ar.1")
        .await
        .expect("ar.1 still exists");

    assert_eq!(
        *hook.seen.lock().expect("lock"),
        [
            "before GovernArtifactDefinition.save PUT /artifact/ar.1",
            "after GovernArtifactDefinition.save ok",
            "before GovernArtifact.delete DELETE /artifact/ar.1",
        ]
    );
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_error_outside_a_named_call_shows_the_request_alone() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    // A port bound then released: nothing listens there (port 9 may have a listener).
    let url = common::unused_url();
    let client = GovernClient::new(ClientConfig::new(&url, "k")).expect("client");
    let error = client
        .get_artifact("ar.1")
        .await
        .expect_err("nothing listens on a released port");
    let text = error.to_string();
    assert!(
        text.starts_with(&format!("cannot connect to {url}")),
        "{text}"
    );
    assert!(
        text.ends_with("(GET /dip/publicapi/artifact/ar.1)"),
        "{text}"
    );
}

/// Records each operation once; answers DELETEs itself (nothing is sent).
#[derive(Default)]
struct Planner {
    seen: Mutex<Vec<String>>,
}

impl OperationHook for Planner {
    fn before<'a>(
        &'a self,
        op: &'a OperationCall<'a>,
    ) -> HookFuture<'a, govscript::client::Result<Decision>> {
        Box::pin(async move {
            let pre = op
                .pre_image
                .map_or("none".into(), |p| p["name"].to_string());
            self.seen.lock().expect("lock").push(format!(
                "{} {:?} {} {} {:?} pre={pre}",
                op.call, op.kind, op.request.method, op.request.path, op.targets
            ));
            if op.request.method == govscript::client::Method::DELETE {
                return Ok(Decision::Answer(Value::Null));
            }
            Ok(Decision::Send)
        })
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operation_hooks_see_the_call_carried_by_the_client_even_in_a_spawned_task() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let dir = tempfile::tempdir().expect("tempdir");
    let sandbox = start(SandboxConfig {
        db: dir.path().join("s.db"),
        bind: "127.0.0.1:0".parse().expect("addr"),
        admin_key: Some("op-key".into()),
        seed: Seed::Demo,
        record: None,
        ..SandboxConfig::default()
    })
    .await
    .expect("start sandbox");
    let planner = Arc::new(Planner::default());
    let mut config = ClientConfig::new(&sandbox.url, "op-key");
    config.operation_hooks = OperationHooks(vec![planner.clone()]);
    let client = GovernClient::new(config).expect("client");

    // No task-local name: the operation travels with the client into the task.
    let save = client.in_operation("GovernArtifactDefinition.save", vec!["ar.1".into()]);
    tokio::spawn(async move {
        let doc = save.get_artifact("ar.1").await.expect("read");
        save.note_pre_image(&doc);
        save.save_artifact("ar.1", doc).await.expect("save");
    })
    .await
    .expect("task");
    // Answered by the hook: nothing is sent, the artifact is still there.
    let delete = client.in_operation("GovernArtifact.delete", vec!["ar.1".into()]);
    delete.delete_artifact("ar.1").await.expect("answered");
    client
        .get_artifact("ar.1")
        .await
        .expect("ar.1 still exists");

    let seen = planner.seen.lock().expect("lock").clone();
    assert_eq!(
        seen[..3],
        [
            "GovernArtifactDefinition.save Read GET /artifact/ar.1 [\"ar.1\"] pre=none",
            "GovernArtifactDefinition.save Mutate PUT /artifact/ar.1 [\"ar.1\"] pre=\"Churn model\"",
            "GovernArtifact.delete Mutate DELETE /artifact/ar.1 [\"ar.1\"] pre=none",
        ]
    );
    sandbox.shutdown().await;
}
