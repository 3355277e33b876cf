//! Integration tests of `POST /artifacts/search` against the demo seed.
mod common;

use common::{Sandbox, assert_error};
use serde_json::{Value, json};

fn ids(v: &Value) -> Vec<String> {
    v["uiArtifacts"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|h| h["artifact"]["id"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn search_filters_sorts_and_pages() {
    let sb = Sandbox::with().key("k").start();
    let search = |body: Value| {
        sb.ok(
            "POST",
            "/dip/publicapi/artifacts/search",
            Some(&body.to_string()),
        )
    };
    let all = search(
        json!({"artifactSearchSource": {"type": "all"}, "artifactFilters": [],
                            "artifactSearchPagination": {"pageSize": 100, "lastArtifactId": null}}),
    );
    assert_eq!(ids(&all).len(), 22);
    assert_eq!(all["hasNextPage"], false);
    // Keyset pagination: 10 + 10 + 2.
    let mut last = Value::Null;
    let mut pages = Vec::new();
    loop {
        let r = search(
            json!({"artifactSearchSource": {"type": "all"}, "artifactFilters": [],
                              "artifactSearchPagination": {"pageSize": 10, "lastArtifactId": last}}),
        );
        let page = ids(&r);
        last = json!(page.last());
        pages.push(page.len());
        if r["hasNextPage"] == false {
            break;
        }
    }
    assert_eq!(pages, vec![10, 10, 2]);
    let archived = |b: bool| {
        ids(&search(
            json!({"artifactFilters": [{"type": "archived", "isArchived": b}]}),
        ))
    };
    assert!(!archived(false).contains(&"ar.10".to_string()));
    assert!(archived(true).contains(&"ar.10".to_string()));
    let bundles = search(json!({"artifactFilters": [
        {"type": "blueprints", "blueprintIds": ["bp.system.dataiku_bundle", "bp.system.dataiku_project"]},
        {"type": "field", "conditionType": "EQUALS", "condition": "CHURN", "fieldId": "project_key", "caseSensitive": true},
        {"type": "field", "conditionType": "START_WITH", "condition": "churn v", "negateCondition": true}],
        "artifactSearchSort": {"direction": "ASC", "column": {"type": "name"}}}));
    assert_eq!(ids(&bundles), vec!["ar.17"]);
    let bools = search(json!({"artifactFilters": [
        {"type": "field", "conditionType": "EQUALS", "condition": "false", "fieldId": "automation_node"}]}));
    assert_eq!(ids(&bools), vec!["ar.17", "ar.18"]);
    let by_score = search(
        json!({"artifactFilters": [{"type": "blueprints", "blueprintIds": ["bp.model_review"]}],
        "artifactSearchSort": {"direction": "ASC", "column": {"type": "field",
            "fields": [{"blueprintId": "bp.model_review", "fieldId": "score"}]}}}),
    );
    assert_eq!(ids(&by_score).first().map(String::as_str), Some("ar.6"));
    let r = sb.call(
        "POST",
        "/dip/publicapi/artifacts/search",
        Some(r#"{"artifactFilters": [{"type": "bogus"}]}"#),
    );
    assert_error(&r, 400, "Unknown artifact filter type: bogus");
}
