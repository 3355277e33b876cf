//! Helpers of the rights tests (`sandbox_rights*.rs`): the demo seed's user keys
//! (src/sandbox/seed/rights.json), calls with a key, searches as a key, and writes
//! straight into the sandbox's database where the roles endpoints of issue 13 are not
//! on this branch.
use crate::common::{API, Resp, Sandbox};
use serde_json::{Value, json};

/// The seeded user keys (`<login>-sandbox-key`) and the blueprint of ar.15 and ar.16.
pub const ALICE: &str = "alice-sandbox-key";
pub const BOB: &str = "bob-sandbox-key";
pub const CAROL: &str = "carol-sandbox-key";
pub const DAVE: &str = "dave-sandbox-key";
pub const ERIN: &str = "erin-sandbox-key";
pub const BI: &str = "bp.system.business_initiative";

/// A request with `key` and an optional JSON body.
pub fn call(sb: &Sandbox, key: &str, method: &str, target: &str, body: Option<&Value>) -> Resp {
    let body = body.map(Value::to_string);
    sb.call_with(method, target, body.as_deref(), Some(key), &[])
}

/// The path of artifact `id`.
pub fn art(id: &str) -> String {
    format!("{API}/artifact/{id}")
}

/// The artifact as the admin key reads it.
pub fn admin_read(sb: &Sandbox, id: &str) -> Resp {
    sb.call("GET", &art(id), None)
}

/// The ids a search with `filters` returns to `key` (pages of `page`), and whether the
/// first page said there was a next one.
pub fn search(sb: &Sandbox, key: &str, filters: Value, page: u64) -> (Vec<String>, bool) {
    let mut ids = Vec::new();
    let mut last = Value::Null;
    let mut first_has_next = None;
    loop {
        let body = json!({"artifactSearchSource": {"type": "all"}, "artifactFilters": filters,
                          "artifactSearchPagination": {"pageSize": page, "lastArtifactId": last}});
        let r = call(
            sb,
            key,
            "POST",
            &format!("{API}/artifacts/search"),
            Some(&body),
        );
        assert_eq!(r.status, 200, "{}", r.raw);
        let hits = r.body["uiArtifacts"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        first_has_next.get_or_insert(r.body["hasNextPage"] == true);
        ids.extend(
            hits.iter()
                .filter_map(|h| h["artifact"]["id"].as_str().map(str::to_string)),
        );
        match hits.last() {
            Some(h) if r.body["hasNextPage"] == true => last = h["artifact"]["id"].clone(),
            _ => return (ids, first_has_next.unwrap_or(false)),
        }
    }
}

/// The filters of one blueprint.
pub fn of_blueprint(bp: &str) -> Value {
    json!([{"type": "blueprints", "blueprintIds": [bp]}])
}

/// A new business initiative named `name`.
pub fn new_initiative(name: &str) -> Value {
    json!({"blueprintVersionId": {"blueprintId": BI, "versionId": "bv.system.default"},
           "name": name, "fields": {"description": "made by a test"}})
}

/// Stores `doc` under `id` in `table` of the running sandbox's database, as the roles
/// endpoints (another branch of issue 13) will; `None` deletes it.
/// It bypasses the sandbox's write hooks (grants table, kept rights views): prefer the
/// roles endpoints, now on main.
pub fn store_doc(sb: &Sandbox, table: &str, id: &str, doc: Option<Value>) {
    let db = rusqlite::Connection::open(&sb.db).expect("open the sandbox database");
    db.busy_timeout(std::time::Duration::from_secs(30))
        .expect("busy timeout");
    match doc {
        Some(doc) => db.execute(
            &format!("INSERT OR REPLACE INTO {table} (id, body) VALUES (?1, ?2)"),
            rusqlite::params![id, doc.to_string()],
        ),
        None => db.execute(
            &format!("DELETE FROM {table} WHERE id = ?1"),
            rusqlite::params![id],
        ),
    }
    .expect("write the sandbox database");
}
