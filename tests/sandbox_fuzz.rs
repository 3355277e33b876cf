//! Property test of the sandbox's request parsing: random methods, paths, query strings
//! and bodies (valid and invalid JSON, documents of odd shapes) never get a 5xx or a
//! dropped connection, and the server still answers afterwards.
//!
//! The seed is fixed for reproducible CI runs; `PROPTEST_RNG_SEED=N` explores others and
//! `PROPTEST_CASES=N` runs more cases.
mod common;

use common::{API, Sandbox};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestRunner};
use serde_json::{Map, Value};

/// One generated request.
#[derive(Debug, Clone)]
struct Req {
    method: &'static str,
    target: String,
    body: Option<String>,
}

/// Words the router knows, so random paths reach real handlers often.
const WORDS: &[&str] = &[
    "artifact",
    "artifacts",
    "search",
    "ar.1",
    "ar.2",
    "ar.999",
    "blueprint",
    "blueprints",
    "bp.model_review",
    "version",
    "versions",
    "bv.v1",
    "workflow",
    "step",
    "review",
    "draft",
    "signoff",
    "signoffs",
    "create",
    "details",
    "update-status",
    "feedback",
    "approval",
    "delegate-feedback",
    "delegate-approval",
    "schedule-reset",
    "fb.1",
    "auth",
    "info",
    "instance-info",
    "",
    ".",
    "..",
    "%00",
    "\u{e9}t\u{e9}",
];

/// Keys the handlers read, in queries and bodies.
const KEYS: &[&str] = &[
    "id",
    "name",
    "fields",
    "workflow",
    "status",
    "steps",
    "blueprintVersionId",
    "blueprintId",
    "versionId",
    "query",
    "artifactFilters",
    "groupId",
    "users_to_notify",
    "usersToNotify",
    "comment",
    "pageSize",
    "limit",
    "sort",
    "feedbackStatus",
    "approvalStatus",
    "owner",
    "risk",
    "score",
    "delegatedTo",
    "stepId",
    "archived",
];

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        "\\PC{0,12}".prop_map(Value::from),
        prop::sample::select(WORDS).prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(KEYS), inner), 0..5).prop_map(|kv| {
                Value::Object(kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
            }),
        ]
    })
}

fn body() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        Just(None),
        json_value().prop_map(|v| Some(v.to_string())),
        // A document of known keys with random values: what a confused client sends.
        prop::collection::vec((prop::sample::select(KEYS), json_value()), 0..6).prop_map(|kv| {
            let m: Map<String, Value> = kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
            Some(Value::Object(m).to_string())
        }),
        // Broken JSON and bytes that are not JSON at all.
        json_value().prop_map(|v| {
            let t = v.to_string();
            Some(t.chars().take(t.chars().count() / 2).collect())
        }),
        "\\PC{0,40}".prop_map(Some),
    ]
}

/// Endpoint templates (`{}` is a path parameter) and the methods they answer.
const ROUTES: &[(&str, &[&str])] = &[
    ("/artifacts", &["POST"]),
    ("/artifacts/search", &["POST"]),
    ("/artifact/{}", &["GET", "PUT", "DELETE"]),
    ("/artifact/{}/signoffs", &["GET"]),
    ("/artifact/{}/workflow/step/{}/signoff", &["GET"]),
    ("/artifact/{}/workflow/step/{}/signoff/create", &["POST"]),
    ("/artifact/{}/workflow/step/{}/signoff/details", &["GET"]),
    (
        "/artifact/{}/workflow/step/{}/signoff/update-status",
        &["POST"],
    ),
    (
        "/artifact/{}/workflow/step/{}/signoff/schedule-reset",
        &["POST"],
    ),
    ("/artifact/{}/workflow/step/{}/signoff/feedback", &["POST"]),
    (
        "/artifact/{}/workflow/step/{}/signoff/feedback/{}",
        &["PUT", "DELETE"],
    ),
    (
        "/artifact/{}/workflow/step/{}/signoff/delegate-feedback",
        &["POST"],
    ),
    (
        "/artifact/{}/workflow/step/{}/signoff/approval",
        &["POST", "PUT", "DELETE"],
    ),
    (
        "/artifact/{}/workflow/step/{}/signoff/delegate-approval",
        &["POST"],
    ),
    ("/blueprints", &["GET"]),
    ("/blueprint/{}", &["GET"]),
    ("/blueprint/{}/versions", &["GET"]),
    ("/blueprint/{}/version/{}", &["GET"]),
    ("/auth/info", &["GET"]),
    ("/instance-info", &["GET"]),
];

/// Every method the generator uses.
const METHODS: &[&str] = &["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"];

/// Path parameters: mostly ids that exist, sometimes anything.
fn param() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(&[
            "ar.1", "ar.2", "ar.3", "ar.5", "review", "draft", "deployment", "bp.model_review",
            "bv.v1", "fb.1", "fb.2",
        ][..]).prop_map(str::to_string),
        1 => prop::sample::select(WORDS).prop_map(str::to_string),
        1 => "\\PC{0,10}".prop_map(|s| utf8_percent_encode(&s, NON_ALPHANUMERIC).to_string()),
    ]
}

fn random_path() -> impl Strategy<Value = String> {
    let segment = prop_oneof![
        4 => prop::sample::select(WORDS).prop_map(str::to_string),
        1 => "\\PC{0,10}".prop_map(|s| utf8_percent_encode(&s, NON_ALPHANUMERIC).to_string()),
    ];
    let prefix = prop::sample::select(&[API, "/public/api", "", "/dip", "//dip/publicapi/"][..]);
    (prefix, prop::collection::vec(segment, 0..8), any::<bool>()).prop_map(|(p, segs, slash)| {
        let mut out = p.to_string();
        for s in segs {
            out.push('/');
            out.push_str(&s);
        }
        if slash {
            out.push('/');
        }
        out
    })
}

/// A method and a path: mostly a known route with a method it answers.
fn method_and_path() -> impl Strategy<Value = (&'static str, String)> {
    let routed = (
        prop::sample::select(ROUTES),
        prop::collection::vec(param(), 3),
        prop::sample::select(&[API, "/public/api"][..]),
        any::<prop::sample::Index>(),
        prop::sample::select(METHODS),
        prop::bool::weighted(0.85),
    )
        .prop_map(|((route, methods), params, prefix, pick, other, usual)| {
            let mut out = prefix.to_string();
            let mut params = params.into_iter();
            for (i, part) in route.split("{}").enumerate() {
                if i > 0 {
                    out.push_str(&params.next().unwrap_or_default());
                }
                out.push_str(part);
            }
            let method = if usual { *pick.get(methods) } else { other };
            (method, out)
        });
    prop_oneof![
        4 => routed,
        1 => (prop::sample::select(METHODS), random_path()),
    ]
}

fn query() -> impl Strategy<Value = String> {
    let value = prop_oneof![
        "\\PC{0,12}".prop_map(|s| utf8_percent_encode(&s, NON_ALPHANUMERIC).to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        prop::sample::select(WORDS).prop_map(str::to_string),
    ];
    prop::collection::vec((prop::sample::select(KEYS), value), 0..4).prop_map(|kv| {
        kv.into_iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&")
    })
}

fn request() -> impl Strategy<Value = Req> {
    (method_and_path(), query(), body()).prop_map(|((method, path), q, body)| Req {
        method,
        target: if q.is_empty() {
            path
        } else {
            format!("{path}?{q}")
        },
        body,
    })
}

#[test]
fn random_requests_never_get_a_5xx_and_the_server_keeps_answering() {
    let sb = Sandbox::start();
    let mut config = Config {
        failure_persistence: None,
        ..Config::default()
    };
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = 600;
    }
    if config.rng_seed == RngSeed::Random {
        config.rng_seed = RngSeed::Fixed(0x5a4d_b0c5);
    }
    let mut runner = TestRunner::new(config);
    let outcome = runner.run(&request(), |req| {
        let answer = sb.try_call(req.method, &req.target, req.body.as_deref());
        let answer = answer.map_err(|e| TestCaseError::fail(format!("no answer: {e}")))?;
        prop_assert!(
            answer.status < 500,
            "{req:?} -> {} {}",
            answer.status,
            answer.body
        );
        if req.method != "HEAD" && !answer.body.is_empty() {
            prop_assert!(
                serde_json::from_str::<Value>(&answer.body).is_ok(),
                "{req:?} -> non-JSON {}",
                answer.body
            );
        }
        Ok(())
    });
    if let Err(e) = outcome {
        panic!("{e}");
    }
    assert_eq!(
        sb.ok("GET", &format!("{API}/auth/info"), None)["authIdentifier"],
        "admin"
    );
}
