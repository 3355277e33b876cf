//! `GovernClient`: the entry point scripts get from `govern()` or `GovernClient(host, key)`.
use super::arg::{Args, JsonMap, Param};
use super::bridge::{Bridge, RhaiResult, local_error};
use super::convert::to_dynamic;
use super::def::prop;
use super::handle::{Api, Document, Handle};
use super::kinds::*;
use super::method::methods;
use super::register::Register;
use crate::client::{ClientConfig, GovernClient as Client};
use rhai::{Dynamic, Engine, FuncRegistration, INT, Map, Module};
use std::time::Duration;

/// The script-side client.
pub type ScriptClient = Handle<GovernClient>;

/// Builds a script-side client from a configuration.
pub fn connect(mut config: ClientConfig, bridge: &Bridge) -> RhaiResult<ScriptClient> {
    config.stats = bridge.stats().clone();
    config.operation_hooks = bridge.operation_hooks().clone();
    let host = config.host.clone();
    let client = Client::new(config).map_err(super::bridge::to_rhai)?;
    let api = Api {
        client,
        bridge: bridge.clone(),
    };
    Ok(Handle::new(&api, host))
}

/// The keyword arguments of the `GovernClient(host, api_key, ...)` constructor.
fn constructor_options() -> Vec<Param> {
    vec![
        Param::of::<bool>("insecure"),
        Param::of::<Option<INT>>("timeout"),
    ]
}

/// The keyword arguments of the `GovernClient(host, #{...})` form, Python's included.
fn map_options() -> Vec<Param> {
    vec![
        Param::of::<Option<String>>("api_key"),
        Param::of::<Option<String>>("internal_ticket"),
        Param::of::<Option<JsonMap>>("extra_headers"),
        Param::of::<bool>("insecure"),
        Param::of::<Option<INT>>("timeout"),
    ]
}

const CALL: &str = "GovernClient";

/// `GovernClient(host, api_key, insecure = false, timeout = None)`.
fn construct(
    bridge: &Bridge,
    host: &str,
    api_key: &str,
    given: Vec<Dynamic>,
) -> RhaiResult<ScriptClient> {
    let mut args = Args::resolve(CALL, vec![], &constructor_options(), given)?;
    let config = configure(host, api_key.to_string(), None, &mut args)?;
    connect(config, bridge)
}

/// `GovernClient(host, #{api_key, internal_ticket, extra_headers, insecure, timeout})`:
/// Python's keyword arguments; a ticket is sent as `X-DKU-APITicket` instead of a key.
fn construct_with_options(bridge: &Bridge, host: &str, options: Map) -> RhaiResult<ScriptClient> {
    let mut args = Args::resolve(CALL, vec![], &map_options(), vec![Dynamic::from(options)])?;
    let api_key = args
        .optional::<Option<String>>(|| None)?
        .unwrap_or_default();
    let ticket = args
        .optional::<Option<String>>(|| None)?
        .filter(|t| !t.is_empty());
    let headers = match args.optional::<Option<JsonMap>>(|| None)? {
        Some(JsonMap(serde_json::Value::Object(map))) => map
            .into_iter()
            .map(|(name, value)| match value {
                serde_json::Value::String(v) => Ok((name, v)),
                other => Err(local_error(
                    CALL,
                    format!("extra_headers: the value of {name:?} must be a string, not {other}"),
                )),
            })
            .collect::<RhaiResult<Vec<_>>>()?,
        _ => Vec::new(),
    };
    if api_key.is_empty() && ticket.is_none() {
        return Err(local_error(
            CALL,
            "API Key is required (or an internal_ticket)",
        ));
    }
    let mut config = configure(host, api_key, ticket, &mut args)?;
    config.extra_headers = headers;
    connect(config, bridge)
}

/// The configuration of a client of `host` with a key or a ticket (remembered as a
/// secret); `args` holds the remaining `insecure` and `timeout`.
fn configure(
    host: &str,
    api_key: String,
    ticket: Option<String>,
    args: &mut Args,
) -> RhaiResult<ClientConfig> {
    if host.is_empty() {
        return Err(local_error(CALL, "host is empty"));
    }
    // A host that is no http(s) URL fails now, not as a broken connection retried.
    crate::client::secrets::parse_host(host).map_err(|m| local_error(CALL, m))?;
    if api_key.is_empty() && ticket.is_none() {
        return Err(local_error(CALL, "API Key is required"));
    }
    let mut config = ClientConfig::new(host, api_key);
    if let Some(ticket) = ticket {
        crate::client::secrets::remember(&ticket);
        config.internal_ticket = Some(ticket.into());
    }
    config.insecure = args.optional(|| false)?;
    if let Some(secs) = args.optional::<Option<INT>>(|| None)? {
        let secs = u64::try_from(secs)
            .ok()
            .filter(|s| *s >= 1)
            .ok_or_else(|| {
                local_error(
                    CALL,
                    format!("timeout must be at least 1 second, not {secs}"),
                )
            })?;
        config.timeout = Duration::from_secs(secs);
    }
    Ok(config)
}

/// Registers `GovernClient`'s properties and identity methods (no per-run state).
pub fn register(engine: &mut impl Register, module: &mut Module) {
    prop(
        engine,
        "host",
        "The instance URL the client talks to.",
        |c: &mut ScriptClient| c.key.clone(),
    );
    for (name, key, doc) in [
        ("node_id", "nodeId", "The node id (`nodeId`), or `()`."),
        (
            "node_name",
            "nodeName",
            "The node name (`nodeName`), or `()`.",
        ),
        (
            "node_type",
            "nodeType",
            "The node type (`nodeType`), or `()`.",
        ),
    ] {
        prop(
            engine,
            name,
            doc,
            move |d: &mut Document<GovernInstanceInfo>| {
                d.raw.get_str(key).map_or(Dynamic::UNIT, Dynamic::from)
            },
        );
    }

    methods! { module; Handle<GovernClient> as c {
        /// Who the API key authenticates as: `authIdentifier`, `groups`, ...
        fn get_auth_info() -> Dynamic {
            Ok(to_dynamic(&c.run(c.client().get_auth_info())?))
        }
        /// Node id, name and type of the instance.
        fn get_instance_info() -> Document<GovernInstanceInfo> {
            c.fetch(c.client().get_instance_info())
        }
    }}
}

/// Registers the `GovernClient(host, api_key, ...)` constructor on a run's engine: its
/// clients talk through that run's `bridge`.
pub fn register_constructor(engine: &mut Engine, bridge: &Bridge) {
    let options: Vec<String> = constructor_options().iter().map(Param::info).collect();
    let doc = [
        "/// A client for the Govern instance at `host` (e.g. `https://govern:11200`).",
        "/// Keyword arguments: `insecure` skips TLS verification, `timeout` is in seconds.",
    ];
    for extra in 0..=options.len() {
        let mut info = vec!["host: String".to_string(), "api_key: String".to_string()];
        info.extend(options[..extra].iter().cloned());
        info.push("GovernClient".into());
        let registration = FuncRegistration::new("GovernClient")
            .with_params_info(info)
            .with_comments(doc);
        let b = bridge.clone();
        match extra {
            0 => registration
                .register_into_engine(engine, move |h: &str, k: &str| construct(&b, h, k, vec![])),
            1 => registration.register_into_engine(engine, move |h: &str, k: &str, x: Dynamic| {
                construct(&b, h, k, vec![x])
            }),
            _ => registration
                .register_into_engine(engine, move |h: &str, k: &str, x: Dynamic, y: Dynamic| {
                    construct(&b, h, k, vec![x, y])
                }),
        };
    }
    let b = bridge.clone();
    FuncRegistration::new("GovernClient")
        .with_params_info(["host: String", "options: Map", "GovernClient"])
        .with_comments([
            "/// A client from Python's keyword arguments: `GovernClient(host, #{ api_key: k })`,",
            "/// or `#{ internal_ticket: t }` (sent as `X-DKU-APITicket`, no key), with",
            "/// `extra_headers` (a map of headers added to every request), `insecure`, `timeout`.",
        ])
        .register_into_engine(engine, move |h: &str, options: Map| {
            construct_with_options(&b, h, options)
        });
}
