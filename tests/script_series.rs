//! Time series from Rhai against a real sandbox: every method with its results
//! checked (windows exclude both bounds, upsert true and false, a window delete versus
//! deleting everything), the refusals (a timestamp in seconds or no integer, refused
//! before anything is sent; a bad body, refused by the sandbox with nothing changed;
//! an unknown series), owner rights, and scenario 5. The official Python client runs
//! the same operations in `tests/python/series.py` with the same results.
mod common;
use common::{ADMIN_KEY, API, Sandbox, assert_error};
use serde_json::{Value, json};

const T: i64 = 1_700_000_000_000;

/// The time-series requests the sandbox has recorded.
fn series_requests(sb: &Sandbox) -> Vec<Value> {
    sb.recorded()
        .into_iter()
        .filter(|r| {
            r["target"]
                .as_str()
                .is_some_and(|t| t.contains("/time-series"))
        })
        .collect()
}

/// The timestamps stored in `id`, read over HTTP with the admin key.
fn stamps(sb: &Sandbox, id: &str) -> Vec<i64> {
    let points = sb.ok("GET", &format!("{API}/time-series/{id}"), None);
    points
        .as_array()
        .expect("a list of datapoints")
        .iter()
        .map(|p| p["timestamp"].as_i64().expect("an integer timestamp"))
        .collect()
}

#[test]
fn every_time_series_method_reads_and_writes_the_sandbox() {
    let sb = Sandbox::start();
    let out = sb
        .script(
            r#"
let c = govern();
let T = 1700000000000;
let ts = c.create_time_series([#{ timestamp: T + 2000, value: "b" }, #{ timestamp: T + 1000, value: 1.5 }]);
assert_eq(type_of(ts), "GovernTimeSeries");
assert_eq(ts.time_series_id, "ts.1");
assert_eq(ts.client.host, c.host);
assert_eq(ts, c.get_time_series("ts.1"));
print(ts);

// Ordered by timestamp, each with its series id.
assert_eq(ts.get_values(), [
    #{ timeSeriesId: "ts.1", timestamp: T + 1000, value: 1.5 },
    #{ timeSeriesId: "ts.1", timestamp: T + 2000, value: "b" },
]);
assert_eq(c.create_time_series().get_values(), []);

// upsert true (the default) overwrites; false keeps the stored value, adds the new.
ts.push_values([#{ timestamp: T + 2000, value: #{ x: [1] } }, #{ timestamp: T + 3000, value: () }]);
ts.push_values([#{ timestamp: T + 2000, value: "ignored" }, #{ timestamp: T + 4000, value: true }], false);
assert_eq(ts.get_values().map(|p| p.value), [1.5, #{ x: [1] }, (), true]);

// Windows exclude both bounds.
assert_eq(ts.get_values(T + 1000, T + 4000).map(|p| p.timestamp), [T + 2000, T + 3000]);
assert_eq(ts.get_values(#{ min_timestamp: T + 3000 }).map(|p| p.timestamp), [T + 4000]);
assert_eq(ts.get_values(#{ max_timestamp: T + 2000 }).map(|p| p.timestamp), [T + 1000]);
assert_eq(ts.get_values(T + 2000, T + 2000), []);

// A window delete keeps its bounds; a delete without bounds empties, keeping the series.
ts.delete(T + 1000, T + 4000);
assert_eq(ts.get_values().map(|p| p.timestamp), [T + 1000, T + 4000]);
ts.delete();
assert_eq(ts.get_values(), []);
ts.push_values([#{ timestamp: T, value: 0 }]);
assert_eq(ts.get_values().map(|p| p.value), [0]);
print("done");
"#,
        )
        .ok();
    assert!(out.contains("GovernTimeSeries(ts.1)"), "{out}");
    assert!(out.trim_end().ends_with("done"), "{out}");
    // What went on the wire: Python's query spelling, the series id added to each point.
    let sent = series_requests(&sb);
    let push = sent
        .iter()
        .find(|r| r["method"] == "PUT")
        .expect("a push was recorded");
    assert_eq!(
        push["target"],
        format!("{API}/time-series/ts.1?upsert=True")
    );
    let body: Value = serde_json::from_str(push["body"].as_str().expect("a body")).expect("JSON");
    assert_eq!(body[0]["timeSeriesId"], "ts.1");
    assert!(
        sent.iter()
            .any(|r| r["target"] == format!("{API}/time-series/ts.1?upsert=False"))
    );
}

/// Govern stores a timestamp in seconds as a date in 1970: govscript used to have no
/// time-series calls at all; now it refuses such a timestamp (and one that is no
/// integer) with an error saying so, before sending anything.
#[test]
fn a_timestamp_in_seconds_or_not_an_integer_is_refused_before_sending() {
    let sb = Sandbox::start();
    let out = sb
        .script(
            r#"
let c = govern();
let ts = c.create_time_series([#{ timestamp: 1700000000000, value: 1 }]);
let e = expect_error(|| ts.push_values([#{ timestamp: 1700000001000, value: 2 }, #{ timestamp: 1700000002, value: 3 }]));
assert_eq(e.status, ());
assert_eq(e.operation, "GovernTimeSeries.push_values");
print(e.message);
let e = expect_error(|| c.create_time_series([#{ timestamp: 1700000000, value: 1 }]));
assert(e.message.contains("datapoints[0].timestamp 1700000000 looks like seconds"), e.message);
let e = expect_error(|| ts.push_values([#{ timestamp: 1700000001000.5, value: 2 }]));
assert(e.message.contains("must be an integer of epoch milliseconds"), e.message);
let e = expect_error(|| ts.push_values([#{ timestamp: "1700000001000", value: 2 }]));
assert(e.message.contains("must be an integer of epoch milliseconds"), e.message);
let e = expect_error(|| ts.push_values([#{ value: 2 }]));
assert(e.message.contains("datapoints[0].timestamp is missing"), e.message);
let e = expect_error(|| ts.get_values(1700000000, ()));
assert(e.message.contains("min_timestamp 1700000000 looks like seconds"), e.message);
let e = expect_error(|| ts.delete(#{ max_timestamp: 1700000000 }));
assert(e.message.contains("max_timestamp 1700000000 looks like seconds"), e.message);
let e = expect_error(|| ts.delete(#{ max_timestamp: 1.5 }));
assert(e.message.contains("max_timestamp"), e.message);
print("done");
"#,
        )
        .ok();
    assert!(
        out.contains(
            "datapoints[1].timestamp 1700000002 looks like seconds, not epoch milliseconds: \
             Govern would store it in 1970; give 1700000002000"
        ),
        "{out}"
    );
    assert!(out.contains("nothing was sent"), "{out}");
    assert!(out.trim_end().ends_with("done"), "{out}");
    // Only the first creation reached the server; the series is as it was made.
    let sent: Vec<String> = series_requests(&sb)
        .iter()
        .map(|r| {
            format!(
                "{} {}",
                r["method"].as_str().unwrap_or(""),
                r["target"].as_str().unwrap_or("")
            )
        })
        .collect();
    assert_eq!(sent, [format!("POST {API}/time-series")]);
    assert_eq!(stamps(&sb, "ts.1"), [T]);
}

/// The sandbox refuses a malformed push or creation with a Govern-style 400 and
/// stores nothing of it (not even its valid datapoints).
#[test]
fn a_bad_body_is_a_400_that_changes_nothing() {
    let sb = Sandbox::start();
    let created = sb.ok(
        "POST",
        &format!("{API}/time-series"),
        Some(&format!("[{{\"timestamp\": {T}, \"value\": 1}}]")),
    );
    assert_eq!(created["id"], "ts.1");
    assert_eq!(created["owner"], "admin");
    let target = format!("{API}/time-series/ts.1");
    let good = format!("{{\"timestamp\": {}, \"value\": 2}}", T + 1);
    for (body, needle) in [
        (
            "{\"timestamp\": 1}".to_string(),
            "must be a list of datapoints",
        ),
        (format!("[{good}, 3]"), "Datapoint 1 must be an object"),
        (
            format!("[{good}, {{\"timestamp\": \"x\"}}]"),
            "timestamp must be an integer",
        ),
        (
            format!("[{good}, {{\"timestamp\": 1.5}}]"),
            "timestamp must be an integer",
        ),
        (
            format!("[{good}, {{\"value\": 1}}]"),
            "timestamp must be an integer",
        ),
        (
            "[{\"timestamp\": 5, \"timeSeriesId\": \"ts.2\"}]".to_string(),
            "Time series IDs do not match",
        ),
        ("[{\"timestamp\": ".to_string(), "Malformed JSON"),
    ] {
        assert_error(&sb.call("PUT", &target, Some(&body)), 400, needle);
    }
    assert_error(
        &sb.call(
            "PUT",
            &format!("{target}?upsert=maybe"),
            Some(&format!("[{good}]")),
        ),
        400,
        "Invalid value for upsert",
    );
    assert_error(
        &sb.call("GET", &format!("{target}?timestampMin=soon"), None),
        400,
        "Invalid query string",
    );
    assert_error(
        &sb.call(
            "POST",
            &format!("{API}/time-series"),
            Some("[{\"value\": 1}]"),
        ),
        400,
        "timestamp must be an integer",
    );
    assert_eq!(stamps(&sb, "ts.1"), [T]);
    // The refused creation made no series: the next one is ts.2.
    assert_eq!(
        sb.ok("POST", &format!("{API}/time-series"), None)["id"],
        "ts.2"
    );
    // Python's and lowercase spellings of upsert both work.
    sb.ok(
        "PUT",
        &format!("{target}?upsert=false"),
        Some(&format!("[{{\"timestamp\": {T}, \"value\": 9}}]")),
    );
    assert_eq!(sb.ok("GET", &target, None)[0]["value"], 1);
    sb.ok(
        "PUT",
        &format!("{target}?upsert=true"),
        Some(&format!("[{{\"timestamp\": {T}, \"value\": 9}}]")),
    );
    assert_eq!(sb.ok("GET", &target, None)[0]["value"], 9);
}

#[test]
fn an_unknown_series_is_a_govern_style_404() {
    let sb = Sandbox::start();
    for method in ["GET", "PUT", "DELETE"] {
        let r = sb.call(method, &format!("{API}/time-series/ts.42"), Some("[]"));
        assert_error(&r, 404, "Time series not found: ts.42");
        assert_eq!(
            r.body["errorType"],
            "com.dataiku.dip.exceptions.NotFoundException"
        );
    }
    let out = sb
        .script(
            r#"let e = expect_error(|| govern().get_time_series("ts.42").get_values());
print(`${e.status} ${e.message}`);"#,
        )
        .ok();
    assert!(out.contains("404 Time series not found: ts.42"), "{out}");
}

/// Every time-series call, owner rights and scenario 5, from the official Python
/// client (`tests/python/series.py`) and from Rhai (`tests/python/series.rhai`), each
/// on a fresh sandbox: same results.
#[test]
fn the_official_python_client_and_rhai_get_the_same_results() {
    if !common::python::python_client_available() {
        return;
    }
    let py_sandbox = Sandbox::start();
    let stdout = common::python::run_script("series.py", &[&py_sandbox.url, ADMIN_KEY]);
    let python_result = common::python::result_line(&stdout);

    let rhai_sandbox = Sandbox::start();
    let rhai_result =
        common::python::result_line(&rhai_sandbox.script(include_str!("python/series.rhai")).ok());
    // Python's run made one more series (seconds, not compared) after the others.
    assert_eq!(rhai_result, python_result);
    assert_eq!(python_result["window"], json!([T + 2000]));
    assert_eq!(python_result["wide"], json!([T + 1000, T + 2000, T + 3000]));
    assert_eq!(python_result["pushed"][1]["value"], json!([1, 2]));
    assert_eq!(
        python_result["after_window_delete"],
        json!([T + 1000, T + 4000, T + 5000])
    );
    assert_eq!(python_result["after_delete_all"], json!([]));
    assert_eq!(python_result["scenario5"], json!([0.9, 0.92]));
    assert_eq!(
        python_result["unknown_get"],
        "DataikuException: com.dataiku.dip.exceptions.NotFoundException: Time series not found: ts.999"
    );
    let alice = python_result["alice_reads"].as_str().unwrap_or_default();
    assert!(
        alice.contains("UnauthorizedException") && alice.contains("belongs to another user"),
        "{alice}"
    );
    assert_eq!(python_result["dave_reads"], json!([T]));
}
