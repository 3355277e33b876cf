//! Blueprint handles from Rhai against a real sandbox: every method, with results checked.
mod common;
use common::Sandbox;

#[test]
fn blueprint_list_definition_versions_trace() {
    let sandbox = Sandbox::start();
    let out = sandbox
        .script(
            r#"
let client = govern();
let items = client.list_blueprints();
let ids = [];
for item in items { ids.push(item.to_blueprint().blueprint_id); }
assert("bp.model_review" in ids, "custom blueprint listed");
assert("bp.system.govern_project" in ids, "system blueprint listed");
assert_eq(type_of(items[0]), "GovernBlueprintListItem");
assert_eq(items[0].get_raw().blueprint.id, items[0].to_blueprint().blueprint_id);

let bp = client.get_blueprint("bp.model_review");
assert_eq(bp, items.filter(|i| i.get_raw().blueprint.id == "bp.model_review")[0].to_blueprint(), "handles compare by id");
let def = bp.get_definition();
assert_eq(type_of(def), "GovernBlueprintDefinition");
assert_eq(def.get_raw().id, "bp.model_review");
assert_eq(def.get_raw().name, "Model review");

let versions = bp.list_versions();
let vids = versions.map(|v| v.to_blueprint_version().version_id);
assert("bv.v1" in vids && "bv.v2" in vids, `versions: ${vids}`);
assert_eq(versions[0].get_raw().blueprintVersion.id.blueprintId, "bp.model_review");

let v1 = bp.get_version("bv.v1");
assert_eq(v1.get_blueprint(), bp);
let vdef = v1.get_definition();
assert_eq(type_of(vdef), "GovernBlueprintVersionDefinition");
let steps = vdef.get_raw().workflowDefinition.stepDefinitions;
assert(steps.len() >= 3, "at least three workflow steps");
assert_eq(steps[1].id, "review");
assert_eq(vdef.get_raw().fieldDefinitions.risk.fieldType, "CATEGORY");

let t1 = v1.get_trace();
assert_eq(type_of(t1), "GovernBlueprintVersionTrace");
assert_eq(t1.status, "ACTIVE");
let t2 = bp.get_version("bv.v2").get_trace();
assert_eq(t2.status, "DRAFT");
assert_eq(t2.origin_version_id, "bv.v1");
assert_eq(t2.get_raw().status, "DRAFT");

let sys = client.get_blueprint("bp.system.govern_project").get_version("bv.system.default").get_trace();
assert_eq(sys.status, "ACTIVE");
print(`${bp} ${v1} ok`);
"#,
        )
        .ok();
    assert!(
        out.contains(
            "GovernBlueprint(bp.model_review) GovernBlueprintVersion(bp.model_review, bv.v1) ok"
        ),
        "{out}"
    );
}

#[test]
fn identity_and_instance_info() {
    let sandbox = Sandbox::start();
    let out = sandbox
        .script(&format!(
            r#"
let client = govern();
let me = client.get_auth_info();
assert_eq(me.authIdentifier, "admin");
let info = client.get_instance_info();
assert_eq(info.node_type, "GOVERN");
assert(info.node_id != (), "node id");
assert_eq(info.raw.nodeName, info.node_name);
assert_eq(info.get_raw().nodeType, "GOVERN");
print(client);
let other = GovernClient(client.host, "{}");
assert_eq(other.get_auth_info().authIdentifier, "admin");
"#,
            sandbox.key
        ))
        .ok();
    assert!(out.starts_with("GovernClient(http://127.0.0.1:"), "{out}");
}
