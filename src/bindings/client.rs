//! `GovernClient`: the entry point scripts get from `govern()` or `GovernClient(host, key)`.
use super::args::{bool_arg, optional};
use super::bridge::{Bridge, RhaiResult, local_error};
use super::convert::{to_dynamic, to_json};
use super::handle::{Api, Document, Handle, def, dynamic, register_document, register_handle};
use super::kinds::*;
use crate::client::{ClientConfig, GovernClient as Client};
use rhai::{Array, Dynamic, Engine};
use std::time::Duration;

/// The script-side client.
pub type ScriptClient = Handle<GovernClient>;

/// Builds a script-side client from a configuration.
pub fn connect(config: ClientConfig, bridge: &Bridge) -> RhaiResult<ScriptClient> {
    let host = config.host.clone();
    let client = Client::new(config).map_err(super::bridge::to_rhai)?;
    let api = Api {
        client,
        bridge: bridge.clone(),
    };
    Ok(Handle::new(&api, host))
}

/// `GovernClient(host, api_key, #{insecure, timeout})`.
fn construct(
    bridge: &Bridge,
    host: &str,
    api_key: &str,
    options: Vec<Dynamic>,
) -> RhaiResult<ScriptClient> {
    const CALL: &str = "GovernClient";
    if host.is_empty() {
        return Err(local_error(CALL, "host is empty"));
    }
    if api_key.is_empty() {
        return Err(local_error(CALL, "API Key is required"));
    }
    let [insecure, timeout] =
        <[_; 2]>::try_from(optional(CALL, &["insecure", "timeout"], options)?).unwrap_or_default();
    let mut config = ClientConfig::new(host, api_key);
    config.insecure = bool_arg(CALL, "insecure", insecure, false)?;
    if let Some(t) = timeout {
        let secs = t
            .as_int()
            .map_err(|_| local_error(CALL, "timeout must be a number of seconds"))?;
        config.timeout = Duration::from_secs(secs.max(1) as u64);
    }
    connect(config, bridge)
}

/// Registers `GovernClient` and its methods covered so far.
pub fn register(engine: &mut Engine, bridge: &Bridge) {
    register_handle::<GovernClient>(engine);
    register_document::<GovernInstanceInfo>(engine);
    engine.register_get("host", |c: &mut ScriptClient| c.key.clone());

    let b = bridge.clone();
    def(
        engine,
        "GovernClient",
        &["host: String", "api_key: String", "GovernClient"],
        "A client for the Govern instance at `host` (e.g. `https://govern:11200`).",
        move |host: &str, key: &str| construct(&b, host, key, vec![]),
    );
    let b = bridge.clone();
    def(
        engine,
        "GovernClient",
        &[
            "host: String",
            "api_key: String",
            "options: Map",
            "GovernClient",
        ],
        "A client with options: `#{ insecure: true }` skips TLS verification, `timeout` in seconds.",
        move |host: &str, key: &str, opts: Dynamic| construct(&b, host, key, vec![opts]),
    );

    def(
        engine,
        "get_artifact",
        &["self", "artifact_id: String", "GovernArtifact"],
        "A handle on an artifact (no request is made until you use it).",
        |c: &mut ScriptClient, id: &str| Handle::<GovernArtifact>::new(&c.api, id.to_string()),
    );
    def(
        engine,
        "create_artifact",
        &["self", "artifact: Map", "GovernArtifact"],
        "Creates an artifact from `#{blueprintVersionId, name, fields}`; returns its handle.",
        |c: &mut ScriptClient, artifact: Dynamic| -> RhaiResult<Handle<GovernArtifact>> {
            let body =
                to_json(&artifact).map_err(|m| local_error("GovernClient.create_artifact", m))?;
            let client = c.api.client.clone();
            let id = c
                .api
                .run("GovernClient.create_artifact", client.create_artifact(body))?;
            Ok(Handle::new(&c.api, id))
        },
    );
    def(
        engine,
        "list_blueprints",
        &["self", "Array"],
        "Lists the blueprints the API key can see, as `GovernBlueprintListItem`s.",
        |c: &mut ScriptClient| -> RhaiResult<Array> {
            let client = c.api.client.clone();
            let items = c
                .api
                .run("GovernClient.list_blueprints", client.list_blueprints())?;
            Ok(items
                .into_iter()
                .map(|item| {
                    let id = item
                        .pointer("/blueprint/id")
                        .and_then(|v| v.as_str())
                        .unwrap_or_default()
                        .to_string();
                    dynamic(Document::<GovernBlueprintListItem>::new(&c.api, id, item))
                })
                .collect())
        },
    );
    def(
        engine,
        "get_blueprint",
        &["self", "blueprint_id: String", "GovernBlueprint"],
        "A handle on a blueprint (no request is made until you use it).",
        |c: &mut ScriptClient, id: &str| Handle::<GovernBlueprint>::new(&c.api, id.to_string()),
    );
    def(
        engine,
        "get_auth_info",
        &["self", "Map"],
        "Who the API key authenticates as: `authIdentifier`, `groups`, ...",
        |c: &mut ScriptClient| -> RhaiResult<Dynamic> {
            let client = c.api.client.clone();
            Ok(to_dynamic(&c.api.run(
                "GovernClient.get_auth_info",
                client.get_auth_info(),
            )?))
        },
    );
    def(
        engine,
        "get_instance_info",
        &["self", "GovernInstanceInfo"],
        "Node id, name and type of the instance.",
        |c: &mut ScriptClient| -> RhaiResult<Document<GovernInstanceInfo>> {
            let client = c.api.client.clone();
            let info = c
                .api
                .run("GovernClient.get_instance_info", client.get_instance_info())?;
            Ok(Document::new(&c.api, c.key.clone(), info))
        },
    );

    for (prop, key) in [
        ("node_id", "nodeId"),
        ("node_name", "nodeName"),
        ("node_type", "nodeType"),
    ] {
        engine.register_get(prop, move |d: &mut Document<GovernInstanceInfo>| {
            d.raw.get_str(key).map_or(Dynamic::UNIT, Dynamic::from)
        });
    }
}
