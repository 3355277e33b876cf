//! The artifact search family from Rhai against a real sandbox: every class and method
//! with asserted results, the requests against the golden Python ones, the lazy
//! iterator and Python parity on the developer-guide scenarios. Iterating while another
//! process creates artifacts, and bad input: `script_search_edges.rs`.
mod common;

use common::{Sandbox, root};
use serde_json::Value;

/// The recorded search request bodies, re-serialised in their own key order.
fn search_bodies(sb: &Sandbox) -> Vec<String> {
    sb.recorded()
        .iter()
        .filter(|r| r["target"] == "/dip/publicapi/artifacts/search")
        .map(|r| ordered(r["body"].as_str().unwrap_or_default()))
        .collect()
}

/// A JSON text re-serialised compactly, keys kept in their order.
fn ordered(text: &str) -> String {
    let v: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"));
    v.to_string()
}

/// The golden (Python-recorded) body of `call`.
fn golden(call: &str) -> String {
    let path = root().join("tests/data/govern-golden-requests.json");
    let all: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let entry = all.iter().find(|c| c["call"] == call).unwrap();
    ordered(entry["requests"][0]["body"].as_str().unwrap())
}

#[test]
fn search_requests_equal_the_golden_python_ones() {
    let sb = Sandbox::start();
    sb.script(
        r#"
let c = govern();
let q = GovernArtifactSearchQuery();
q.add_artifact_filter(GovernArtifactFilterBlueprints(["bp.x"]));
q.add_artifact_filter(GovernArtifactFilterBlueprintVersions([GovernBlueprintVersionId("bp.x", "bv.y").build()]));
q.add_artifact_filter(GovernArtifactFilterArtifacts(["ar.1"]));
q.add_artifact_filter(GovernArtifactFilterFieldValue("CONTAINS", "abc", "f1", true, true));
q.add_artifact_filter(GovernArtifactFilterFieldValue(#{condition_type: "EQUALS", condition: "name"}));
q.add_artifact_filter(GovernArtifactFilterArchivedStatus(false));
q.set_artifact_search_sort(GovernArtifactSearchSortField(
    [GovernArtifactSearchSortFieldDefinition("bp.x", "f1").build()], "DESC"));
c.new_artifact_search_request(q).fetch_next_batch(5);
c.new_artifact_search_request(GovernArtifactSearchQuery()).fetch_next_batch();
c.new_artifact_search_request(GovernArtifactSearchQuery(#{artifact_search_sort: GovernArtifactSearchSortName()})).fetch_next_batch();
let q = GovernArtifactSearchQuery();
q.set_artifact_search_sort(GovernArtifactSearchSortWorkflow("DESC"));
c.new_artifact_search_request(q).fetch_next_batch();
"#,
    )
    .ok();
    let bodies = search_bodies(&sb);
    let expected: Vec<String> = [
        "search batch1",
        "search default",
        "search sort name",
        "search sort workflow",
    ]
    .iter()
    .map(|c| golden(c))
    .collect();
    assert_eq!(bodies, expected);
    // Batch 2 differs from batch 1 only by its pagination (the cursor comes from the
    // server's answer, here an empty page: it stays null).
    let batch2 = golden("search batch2");
    let batch1 = golden("search batch1");
    assert_eq!(
        batch2.replace(
            r#""pageSize":20,"lastArtifactId":"ar.1""#,
            r#""pageSize":5,"lastArtifactId":null"#
        ),
        batch1
    );
}

#[test]
fn every_builder_class_builds_pythons_json_and_exposes_its_attributes() {
    let sb = Sandbox::start();
    let out = sb
        .script(
            r#"
let f = GovernArtifactFilterFieldValue("START_WITH", "Ch", #{case_sensitive: true});
assert_eq(type_of(f), "GovernArtifactFilterFieldValue");
assert_eq(f.filter_type, "field");
assert_eq(f.condition_type, "START_WITH");
assert_eq(f.field_id, ());
assert_eq(f.build().to_string(), `{"type":"field","conditionType":"START_WITH","condition":"Ch","caseSensitive":true}`);
f.negate_condition = true;
assert_eq(f.build().negateCondition, true);
assert_eq(GovernArtifactSearchSourceAll().build().type, "all");
assert_eq(GovernArtifactSearchSortName().direction, "ASC");
assert_eq(GovernArtifactSearchSortWorkflow("DESC").build().to_string(), `{"direction":"DESC","column":{"type":"workflow"}}`);
let sf = GovernArtifactSearchSortField();
assert_eq(sf.fields, []);
assert_eq(sf.build().to_string(), `{"direction":"ASC","column":{"type":"field","fields":[]}}`);
assert_eq(GovernArtifactSearchSortFieldDefinition("bp.a", "f").build().to_string(), `{"blueprintId":"bp.a","fieldId":"f"}`);
assert_eq(GovernArtifactFilterBlueprints().build().to_string(), `{"type":"blueprints","blueprintIds":[]}`);
assert_eq(GovernArtifactFilterBlueprintVersions([GovernBlueprintVersionId("bp.a", "bv.b")]).build().blueprintVersionIds[0].versionId, "bv.b");
assert_eq(GovernArtifactFilterArtifacts(["ar.1"]).artifact_ids, ["ar.1"]);
assert_eq(GovernArtifactFilterArchivedStatus(true).build().to_string(), `{"type":"archived","isArchived":true}`);
// The abstract classes construct (as in Python) but do not build.
for abstract in [GovernArtifactFilter("x"), GovernArtifactSearchSort("name", "ASC"), GovernArtifactSearchSource("all")] {
    let e = expect_error(|| abstract.build(), "abstract build");
    assert(e.message.contains("Cannot build an abstract"), e.message);
}
// The query: chaining, reference semantics (a filter changed after being added
// changes the query), clear_*.
let a = GovernArtifactFilterArchivedStatus(false);
let q = GovernArtifactSearchQuery()
    .add_artifact_filter(a)
    .set_artifact_search_sort(GovernArtifactSearchSortName("DESC"))
    .set_artifact_search_source(GovernArtifactSearchSourceAll());
a.is_archived = true;
assert_eq(q.build().artifactFilters[0].isArchived, true);
assert_eq(q.artifact_filters.len(), 1);
assert_eq(q.build().artifactSearchSort.direction, "DESC");
q.clear_artifact_search_sort();
assert_eq(q.build().to_string(), `{"artifactSearchSource":{"type":"all"},"artifactFilters":[{"type":"archived","isArchived":true}]}`);
q.clear_artifact_filters();
assert_eq(q.build().artifactFilters, []);
// Wrong argument types are refused with the parameter named.
let e = expect_error(|| q.add_artifact_filter(GovernArtifactSearchSortName()), "sort as filter");
assert(e.message.contains("artifact_filter must be a GovernArtifactFilter"), e.message);
let e = expect_error(|| GovernArtifactFilterArchivedStatus("yes"), "string as bool");
assert(e.message.contains("is_archived must be a bool"), e.message);
let e = expect_error(|| GovernArtifactFilterFieldValue("EQUALS", #{field: "x"}), "unknown keyword");
assert(e.message.contains("unknown keyword argument 'field'"), e.message);
print("builders ok");
"#,
        )
        .ok();
    assert!(out.contains("builders ok"), "{out}");
}

#[test]
fn search_request_pages_by_last_artifact_id_and_hits_lead_to_artifacts() {
    let sb = Sandbox::start();
    let out = sb
        .script(
            r#"
let c = govern();
let q = GovernArtifactSearchQuery(#{artifact_filters: [GovernArtifactFilterBlueprints(["bp.system.govern_project"])]});
let r = c.new_artifact_search_request(q);
// Built once: later changes to the query are not seen.
q.clear_artifact_filters();
assert_eq(r.search_query.artifactFilters[0].blueprintIds, ["bp.system.govern_project"]);
assert_eq(r.last_artifact_id, ());
let p1 = r.fetch_next_batch(2);
assert_eq(type_of(p1), "GovernArtifactSearchResponse");
assert_eq(p1.get_raw().hasNextPage, true);
let hits = p1.get_response_hits();
assert_eq(type_of(hits[0]), "GovernArtifactSearchResponseHit");
assert_eq(hits.map(|h| h.get_raw().artifact.id), ["ar.12", "ar.13"]);
let a = hits[0].to_artifact();
assert_eq(type_of(a), "GovernArtifact");
assert_eq(a.get_definition().get_raw().name, "Customer 360");
assert_eq(r.last_artifact_id, "ar.13");
let p2 = r.fetch_next_batch(#{page_size: 2});
assert_eq(p2.get_response_hits().map(|h| h.to_artifact().artifact_id), ["ar.14"]);
assert_eq(p2.get_raw().hasNextPage, false);
// An empty page leaves the position where it was.
assert_eq(r.fetch_next_batch().get_response_hits(), []);
assert_eq(r.last_artifact_id, "ar.14");
print("request ok");
"#,
        )
        .ok();
    assert!(out.contains("request ok"), "{out}");
}

#[test]
fn sandbox_evaluates_every_filter_and_sort() {
    let sb = Sandbox::start();
    let out = sb
        .script(
            r#"
let c = govern();
fn ids(c, filters, sort) {
    let q = GovernArtifactSearchQuery(#{artifact_filters: filters, artifact_search_sort: sort});
    c.search(q, #{page_size: 4}).to_array().map(|h| h.to_artifact().artifact_id)
}
let mr = GovernArtifactFilterBlueprints(["bp.model_review"]);
let fv = |t, cond, opts| GovernArtifactFilterFieldValue(t, cond, opts);
// Field conditions, case-insensitive by default.
assert_eq(ids(c, [mr, fv.call("EQUALS", "BOB", #{field_id: "owner"})], ()), ["ar.2", "ar.6", "ar.11"]);
assert_eq(ids(c, [mr, fv.call("EQUALS", "BOB", #{field_id: "owner", case_sensitive: true})], ()), []);
assert_eq(ids(c, [mr, fv.call("CONTAINS", "AROL", #{field_id: "owner"})], ()), ["ar.3", "ar.10"]);
assert_eq(ids(c, [mr, fv.call("START_WITH", "fraud", #{field_id: "description"})], ()), ["ar.2"]);
assert_eq(ids(c, [mr, fv.call("END_WITH", "ier (demo)", #{field_id: "description"})], ()), ["ar.11"]);
// On the name without field_id; negated; AND of filters; archived.
assert_eq(ids(c, [fv.call("START_WITH", "churn", #{})], ()), ["ar.1", "ar.17", "ar.19", "ar.20", "ar.21", "ar.22"]);
assert_eq(ids(c, [fv.call("START_WITH", "Churn", #{case_sensitive: true})], ()), ["ar.1", "ar.21"]);
assert_eq(ids(c, [mr, fv.call("EQUALS", "Low", #{field_id: "risk", negate_condition: true}), GovernArtifactFilterArchivedStatus(false)], ()),
          ["ar.1", "ar.2", "ar.3", "ar.5", "ar.7", "ar.9", "ar.11"]);
assert("ar.10" in ids(c, [mr, GovernArtifactFilterArchivedStatus(true)], ()));
assert(!("ar.10" in ids(c, [mr, GovernArtifactFilterArchivedStatus(false)], ())));
// A missing field matches only when negated.
assert_eq(ids(c, [GovernArtifactFilterBlueprints(["bp.system.dataiku_project"]), fv.call("EQUALS", "ar.12", #{field_id: "governed_by", negate_condition: true})], ()), ["ar.18"]);
assert_eq(ids(c, [GovernArtifactFilterArtifacts(["ar.3", "ar.1", "ar.99"])], ()), ["ar.1", "ar.3"]);
assert_eq(ids(c, [GovernArtifactFilterBlueprintVersions([GovernBlueprintVersionId("bp.system.dataiku_bundle", "bv.system.default")])], ()), ["ar.19", "ar.20"]);
// Sorts: name, workflow progress, a field per blueprint; ASC and DESC.
let few = GovernArtifactFilterArtifacts(["ar.1", "ar.4", "ar.7", "ar.8", "ar.12"]);
assert_eq(ids(c, [few], GovernArtifactSearchSortName()), ["ar.1", "ar.12", "ar.7", "ar.4", "ar.8"]);
assert_eq(ids(c, [few], GovernArtifactSearchSortName("DESC")), ["ar.8", "ar.4", "ar.7", "ar.12", "ar.1"]);
assert_eq(ids(c, [few], GovernArtifactSearchSortWorkflow("DESC")), ["ar.8", "ar.4", "ar.1", "ar.12", "ar.7"]);
let by_score = GovernArtifactSearchSortField([GovernArtifactSearchSortFieldDefinition("bp.model_review", "score").build()]);
assert_eq(ids(c, [few], by_score), ["ar.7", "ar.4", "ar.1", "ar.8", "ar.12"]);
by_score.direction = "DESC";
assert_eq(ids(c, [few], by_score), ["ar.8", "ar.1", "ar.4", "ar.7", "ar.12"]);
print("filters ok");
"#,
        )
        .ok();
    assert!(out.contains("filters ok"), "{out}");
}

#[test]
fn lazy_iterator_in_pages_of_three_returns_every_artifact_once() {
    let sb = Sandbox::start();
    let out = sb
        .script(
            r#"
let c = govern();
let seen = [];
let results = c.search(#{page_size: 3});
assert_eq(type_of(results), "GovernArtifactSearchResults");
for hit in results {
    assert_eq(type_of(hit), "GovernArtifactSearchResponseHit");
    seen.push(hit.to_artifact().artifact_id);
}
print(`seen ${seen.len()}`);
let unique = #{};
for id in seen { unique[id] = true; }
print(`unique ${unique.len()}`);
let q = GovernArtifactSearchQuery(#{artifact_search_sort: GovernArtifactSearchSortName("DESC")});
print(`count ${c.search(q, 3).count()}`);
print(`array ${c.search(q, #{page_size: 5}).to_array().len()}`);
"#,
        )
        .ok();
    let all = sb.all_artifacts().len();
    assert!(all > 3, "{all}");
    for line in ["seen", "unique", "count", "array"] {
        assert!(out.contains(&format!("{line} {all}\n")), "{line}: {out}");
    }
    // Pages of 3: ceil(22 / 3) requests for the loop, one per page.
    let fetches = search_bodies(&sb)
        .iter()
        .filter(|b| b.contains(r#""pageSize":3"#))
        .count();
    assert_eq!(
        fetches,
        2 * all.div_ceil(3),
        "two iterations of 3-hit pages"
    );
}

#[test]
fn python_and_rhai_agree_on_the_search_scenarios() {
    let python = match common::python::python_client() {
        Ok(p) => p,
        Err(why) => return common::python::skip(&why),
    };
    let sb = Sandbox::start();
    let py = std::process::Command::new(&python)
        .arg(root().join("tests/python/search.py"))
        .arg(&sb.url)
        .arg(&sb.key)
        .output()
        .expect("run python");
    let py_out = String::from_utf8_lossy(&py.stdout).into_owned();
    assert!(
        py.status.success(),
        "{py_out}{}",
        String::from_utf8_lossy(&py.stderr)
    );
    let source = std::fs::read_to_string(root().join("tests/python/search.rhai")).unwrap();
    let rhai_out = sb.script(&source).ok();
    assert_eq!(rhai_out, py_out);
    for line in [
        "s4.batch1 ar.12,ar.13\n",
        "s4.batch2 ar.14\n",
        "s18 ar.17,ar.18,ar.19,ar.20\n",
        "s19.project ar.17,ar.12\n",
        "s20 ar.22,ar.20,APPROVED\n",
    ] {
        assert!(py_out.contains(line), "{line}: {py_out}");
    }
}
