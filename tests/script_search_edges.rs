//! The artifact search at its edges, from Rhai and raw HTTP against a real sandbox: the
//! lazy iterator neither repeats nor skips while another process creates artifacts;
//! an unknown filter, sort or source and a bad page size are refused and change
//! nothing; a deleted cursor artifact and a database without the search index.
mod common;

use common::Sandbox;
use serde_json::Value;
use std::collections::HashSet;

#[test]
fn lazy_iterator_neither_repeats_nor_skips_while_another_process_creates_artifacts() {
    let sb = Sandbox::start();
    let initial: HashSet<String> = sb
        .all_artifacts()
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_string())
        .collect();
    // The script pauses after each page until this test has created that page's
    // artifacts (it polls for the marker artifact `zz marker N`).
    let mut run = sb
        .script(
            r#"
let c = govern();
let n = 0;
let page = 0;
for hit in c.search(GovernArtifactSearchQuery(#{artifact_search_sort: GovernArtifactSearchSortName()}), #{page_size: 3}) {
    print(`hit ${hit.to_artifact().artifact_id}`);
    n += 1;
    if n % 3 == 0 && page < 4 {
        page += 1;
        print(`waiting ${page}`);
        let marker = GovernArtifactSearchQuery(#{artifact_filters: [GovernArtifactFilterFieldValue("EQUALS", `zz marker ${page}`)]});
        while c.search(marker).count() == 0 { }
    }
}
print("done");
"#,
        )
        .spawn();
    let create = |name: &str| -> String {
        let body = serde_json::json!({"blueprintVersionId": {"blueprintId": "bp.model_review", "versionId": "bv.v1"},
            "name": name, "fields": {"owner": "x"}});
        sb.ok("POST", "/dip/publicapi/artifacts", Some(&body.to_string()))["artifactId"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let mut before = Vec::new();
    let mut after = Vec::new();
    for page in 1..=4 {
        run.wait_for_line(&format!("waiting {page}"));
        // Sorting before every name (already passed) and after (still to come).
        before.push(create(&format!("AAA early {page}")));
        after.push(create(&format!("yy late {page}")));
        after.push(create(&format!("zz marker {page}")));
    }
    run.wait_for_line("done");
    let out = run.wait_within(std::time::Duration::from_secs(60)).stdout;
    let hits: Vec<&str> = out.lines().filter_map(|l| l.strip_prefix("hit ")).collect();
    let unique: HashSet<&str> = hits.iter().copied().collect();
    assert_eq!(unique.len(), hits.len(), "no artifact twice: {hits:?}");
    for id in initial.iter().chain(&after) {
        assert!(unique.contains(id.as_str()), "{id} missing: {hits:?}");
    }
    for id in &before {
        assert!(
            !unique.contains(id.as_str()),
            "{id} sorts before the cursor"
        );
    }
}

#[test]
fn unknown_condition_filter_type_or_bad_page_size_is_a_400_and_changes_nothing() {
    let sb = Sandbox::start();
    let before = sb.all_artifacts();
    let out = sb
        .script(
            r#"
let c = govern();
fn fails(c, q, size) {
    let e = expect_error(|| c.new_artifact_search_request(q).fetch_next_batch(size), "bad search");
    print(`${e.status} ${e.message}`);
}
fails(c, GovernArtifactSearchQuery().add_artifact_filter(GovernArtifactFilterFieldValue("LIKE", "x")), 20);
let e = expect_error(|| c.new_artifact_search_request(GovernArtifactSearchQuery().add_artifact_filter(GovernArtifactFilter("bogus"))), "abstract filter");
print(e.message);
fails(c, GovernArtifactSearchQuery(), 0);
fails(c, GovernArtifactSearchQuery(), -5);
let e = expect_error(|| c.search(#{page_size: 0}), "page size 0");
print(e.message);
let e = expect_error(|| c.search(GovernArtifactSearchQuery(), -1), "page size -1");
print(e.message);
"#,
        )
        .ok();
    assert!(
        out.contains("400 ") && out.contains("Unknown field filter conditionType: LIKE"),
        "{out}"
    );
    assert!(
        out.contains("Cannot build an abstract GovernArtifactFilter"),
        "{out}"
    );
    assert!(
        out.contains("pageSize must be a positive integer, not 0"),
        "{out}"
    );
    assert!(
        out.contains("pageSize must be a positive integer, not -5"),
        "{out}"
    );
    assert!(out.contains("page_size must be at least 1, not 0"), "{out}");
    assert!(
        out.contains("page_size must be at least 1, not -1"),
        "{out}"
    );
    // Python would send any filter type a subclass builds: the sandbox refuses it.
    let r = sb.call(
        "POST",
        "/dip/publicapi/artifacts/search",
        Some(
            r#"{"artifactSearchSource": {"type": "all"}, "artifactFilters": [{"type": "bogus"}]}"#,
        ),
    );
    common::assert_error(&r, 400, "Unknown artifact filter type: bogus");
    assert_eq!(sb.all_artifacts(), before);
}

/// The search endpoint's answer to a raw body.
fn raw_search(sb: &Sandbox, body: Value) -> common::http::Resp {
    sb.call(
        "POST",
        "/dip/publicapi/artifacts/search",
        Some(&body.to_string()),
    )
}

#[test]
fn unknown_sort_column_direction_or_source_used_to_be_ignored() {
    let sb = Sandbox::start();
    let r = raw_search(
        &sb,
        serde_json::json!({"artifactFilters": [], "artifactSearchSort": {"direction": "ASC", "column": {"type": "colour"}}}),
    );
    common::assert_error(&r, 400, "Unknown artifact sort column type: colour");
    let r = raw_search(
        &sb,
        serde_json::json!({"artifactFilters": [], "artifactSearchSort": {"direction": "UP", "column": {"type": "name"}}}),
    );
    common::assert_error(&r, 400, "Unknown sort direction: UP");
    let r = raw_search(
        &sb,
        serde_json::json!({"artifactSearchSource": {"type": "mine"}, "artifactFilters": []}),
    );
    common::assert_error(&r, 400, "Unknown artifact search source type");
}

#[test]
fn a_deleted_cursor_artifact_used_to_restart_paging_from_the_first_page() {
    let sb = Sandbox::start();
    let page = |last: Value, sort: Value| {
        let body = serde_json::json!({"artifactFilters": [], "artifactSearchSort": sort,
            "artifactSearchPagination": {"pageSize": 3, "lastArtifactId": last}});
        raw_search(&sb, body)
    };
    assert_eq!(page(Value::Null, Value::Null).status, 200);
    sb.ok("DELETE", "/dip/publicapi/artifact/ar.3", None);
    // Served from the top again, the next page repeated ar.1 and ar.2. By id, the
    // deleted cursor still says where to go on.
    let next = page(Value::from("ar.3"), Value::Null);
    assert_eq!(next.status, 200, "{}", next.raw);
    let ids: Vec<&str> = next.body["uiArtifacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["artifact"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["ar.4", "ar.5", "ar.6"]);
    // Sorted otherwise, its key is gone: a clear error rather than a wrong page.
    let by_name = serde_json::json!({"direction": "ASC", "column": {"type": "name"}});
    common::assert_error(
        &page(Value::from("ar.3"), by_name),
        400,
        "lastArtifactId ar.3 is not an artifact",
    );
}

#[test]
fn a_database_without_the_search_index_is_indexed_on_start() {
    let (_dir, db) = common::temp_db();
    let count = |sb: &Sandbox| {
        raw_search(
            sb,
            serde_json::json!({"artifactSearchPagination": {"pageSize": 100}}),
        )
        .body["uiArtifacts"]
            .as_array()
            .map_or(0, Vec::len)
    };
    let sb = Sandbox::with().key("k").db(&db).start();
    assert_eq!(count(&sb), 22);
    sb.stop();
    // As a database written before the index existed.
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch(
        "DROP TABLE search_artifacts; DROP TABLE search_values; DROP TABLE search_sort;
         DELETE FROM meta WHERE key = 'search_index_version';",
    )
    .unwrap();
    drop(conn);
    let sb = Sandbox::with().key("k").db(&db).start();
    assert_eq!(count(&sb), 22);
}
