//! A search sorted by one blueprint's field (served by walking the sort-key index) pages
//! in the same order as the general plan (a sort naming several blueprints, which sorts
//! every match): ties, missing and null values, mixed kinds, both directions.
mod common;

use common::Sandbox;
use common::designer::{blueprint_with_version, bv_path, create_artifact, set_status};
use serde_json::{Value, json};

const SEARCH: &str = "/dip/publicapi/artifacts/search";

/// The `score` values of the created artifacts (`None`: no `score` field): ties, a null,
/// numbers, strings (case-folded when sorted) and a boolean.
fn scores() -> Vec<Option<Value>> {
    vec![
        Some(json!(3)),
        Some(json!(1)),
        Some(json!(3)),
        None,
        Some(Value::Null),
        Some(json!(2.5)),
        Some(json!(1)),
        Some(json!("b")),
        Some(json!("A")),
        None,
        Some(json!(3)),
        Some(json!(true)),
        Some(json!("a")),
    ]
}

/// An active blueprint `bp.sorting` whose `score` is a JSON field (any kind of value)
/// and `owner` a TEXT field; returns its ids.
fn sorting_blueprint(sb: &Sandbox) -> (String, String) {
    let (bp, bv) = blueprint_with_version(sb, "sorting");
    let mut def = sb.ok("GET", &bv_path(&bp, &bv), None)["blueprintVersion"].clone();
    def["fieldDefinitions"] = json!({
        "score": {"label": "Score", "fieldType": "JSON", "required": false, "sourceType": "STORE"},
        "owner": {"label": "Owner", "fieldType": "TEXT", "required": false, "sourceType": "STORE"},
    });
    sb.ok("PUT", &bv_path(&bp, &bv), Some(&def.to_string()));
    let active = set_status(sb, &bp, &bv, "ACTIVE");
    assert_eq!(active.status, 200, "{}", active.raw);
    (bp, bv)
}

fn create(sb: &Sandbox, (bp, bv): &(String, String), score: &Option<Value>) -> String {
    let mut fields = json!({"owner": "sorter"});
    if let Some(s) = score {
        fields["score"] = s.clone();
    }
    let made = create_artifact(sb, bp, bv, fields);
    assert_eq!(made.status, 200, "{}", made.raw);
    made.body["artifactId"]
        .as_str()
        .expect("created artifact id")
        .to_string()
}

fn page_ids(v: &Value) -> Vec<String> {
    v["uiArtifacts"]
        .as_array()
        .expect("uiArtifacts")
        .iter()
        .map(|h| h["artifact"]["id"].as_str().expect("hit id").to_string())
        .collect()
}

/// Every hit of `filters` sorted by `fields`, in pages of `size` (following
/// `lastArtifactId`).
fn paged(sb: &Sandbox, filters: &Value, fields: &Value, desc: bool, size: usize) -> Vec<String> {
    let sort = json!({"direction": if desc { "DESC" } else { "ASC" },
        "column": {"type": "field", "fields": fields}});
    let mut all: Vec<String> = Vec::new();
    loop {
        let body = json!({"artifactFilters": filters, "artifactSearchSort": sort,
            "artifactSearchPagination": {"pageSize": size, "lastArtifactId": all.last()}});
        let page = sb.ok("POST", SEARCH, Some(&body.to_string()));
        let ids = page_ids(&page);
        all.extend(ids);
        if page["hasNextPage"] != json!(true) {
            return all;
        }
        assert!(all.len() < 1000, "paging does not end");
    }
}

#[test]
fn sort_by_one_blueprints_field_pages_like_the_general_plan() {
    let sb = Sandbox::start();
    let ids = sorting_blueprint(&sb);
    let created: Vec<String> = scores().iter().map(|s| create(&sb, &ids, s)).collect();
    let bp = &ids.0;
    let one = json!([{"blueprintId": bp, "fieldId": "score"}]);
    // Another blueprint in the sort: today's plan (one query sorting every match).
    let general = json!([{"blueprintId": bp, "fieldId": "score"},
        {"blueprintId": "bp.no_such_blueprint", "fieldId": "score"}]);
    let filter_sets = [
        json!([]),
        json!([{"type": "blueprints", "blueprintIds": [bp]}]),
        json!([{"type": "blueprints", "blueprintIds": [bp, "bp.model_review"]},
            {"type": "field", "conditionType": "START_WITH", "condition": "sort", "fieldId": "owner"}]),
        // A filter on the artifact's row (joined along the walk) and a negated field probe.
        json!([{"type": "archived", "isArchived": false},
            {"type": "field", "conditionType": "END_WITH", "condition": "X", "fieldId": "owner",
                "negateCondition": true}]),
    ];
    for filters in &filter_sets {
        for desc in [false, true] {
            let expected = paged(&sb, filters, &general, desc, 1000);
            assert!(expected.len() >= created.len(), "{filters}: {expected:?}");
            for size in [1, 2, 3, 5] {
                assert_eq!(
                    paged(&sb, filters, &one, desc, size),
                    expected,
                    "filters {filters}, desc {desc}, pages of {size}"
                );
            }
        }
    }
    // The created artifacts' order, by hand: numbers, strings, other; missing/null last.
    let filters = &filter_sets[1];
    let pick = |ix: &[usize]| -> Vec<String> { ix.iter().map(|&i| created[i].clone()).collect() };
    assert_eq!(
        paged(&sb, filters, &one, false, 2),
        pick(&[1, 6, 5, 0, 2, 10, 8, 12, 7, 11, 3, 4, 9])
    );
    assert_eq!(
        paged(&sb, filters, &one, true, 2),
        pick(&[10, 2, 0, 5, 6, 1, 7, 12, 8, 11, 9, 4, 3])
    );
}
