//! The blueprint designer from Rhai against a real sandbox: every method of its twelve
//! classes, with results checked, and a blueprint designed, activated and used end to end.
mod common;
use common::Sandbox;

#[test]
fn design_activate_and_drive_a_signoff_end_to_end() {
    let sandbox = Sandbox::start();
    let out = sandbox
        .script(
            r#"
let c = govern();
let bd = c.get_blueprint_designer();
assert_eq(type_of(bd), "GovernAdminBlueprintDesigner");

// Blueprint: create, list, definition, save.
let bp = bd.create_blueprint("bp.e2e", #{ name: "End to end", icon: "science" });
assert_eq(type_of(bp), "GovernAdminBlueprint");
assert_eq(bp.blueprint_id, "bp.e2e");
assert_eq(bp, bd.get_blueprint("bp.e2e"));
let items = bd.list_blueprints();
assert_eq(type_of(items[0]), "GovernAdminBlueprintListItem");
let ids = items.map(|i| i.to_blueprint().blueprint_id);
assert("bp.e2e" in ids && "bp.system.govern_project" in ids, `blueprints: ${ids}`);
let def = bp.get_definition();
assert_eq(type_of(def), "GovernAdminBlueprintDefinition");
assert_eq(def.blueprint_id, "bp.e2e");
assert_eq(def.get_raw().name, "End to end");
def.raw.name = "End to end, renamed";
def.save();
assert_eq(bp.get_definition().get_raw().name, "End to end, renamed");

// Version: created empty and DRAFT; fields and workflow saved.
let v = bp.create_version("bv.one", #{ name: "One" });
assert_eq(type_of(v), "GovernAdminBlueprintVersion");
assert_eq(v.blueprint_id, "bp.e2e");
assert_eq(v.version_id, "bv.one");
let t = v.get_trace();
assert_eq(type_of(t), "GovernAdminBlueprintVersionTrace");
assert_eq(t.status, "DRAFT");
assert_eq(t.origin_version_id, ());
assert_eq([t.blueprint_id, t.version_id], ["bp.e2e", "bv.one"]);
let vd = v.get_definition();
assert_eq(type_of(vd), "GovernAdminBlueprintVersionDefinition");
assert_eq(vd.version_id, "bv.one");
vd.raw.fieldDefinitions = #{
    title: #{ label: "Title", fieldType: "TEXT", required: false, sourceType: "STORE" },
    score: #{ label: "Score", fieldType: "NUMBER", required: false, sourceType: "STORE" },
};
vd.raw.workflowDefinition = #{ stepDefinitions: [#{ id: "draft", name: "Draft" }, #{ id: "review", name: "Review" }] };
vd.save();
let again = v.get_definition().get_raw();
assert_eq(again.fieldDefinitions.score.fieldType, "NUMBER");
assert_eq(again.workflowDefinition.stepDefinitions.to_map().map(|s| s.id), ["draft", "review"]);
let vitems = bp.list_versions();
assert_eq(type_of(vitems[0]), "GovernAdminBlueprintVersionListItem");
assert_eq(vitems.map(|i| i.to_blueprint_version().version_id), ["bv.one"], "the admin list shows DRAFT versions");

// Sign-off configuration of the review step.
let sc = v.create_signoff_configuration("review", #{
    title: "Review gate",
    mandatory: false,
    feedbackUsersGroups: [#{ id: "business", title: "Business", users: [#{ usersContainer: #{ type: "user", login: "admin" } }] }],
    approvers: [#{ usersContainer: #{ type: "user", login: "admin" } }],
});
assert_eq(type_of(sc), "GovernAdminSignoffConfiguration");
assert_eq([sc.blueprint_id, sc.version_id, sc.step_id], ["bp.e2e", "bv.one", "review"]);
let scitems = v.list_signoff_configurations();
assert_eq(type_of(scitems[0]), "GovernAdminSignoffConfigurationListItem");
assert_eq(scitems.map(|i| i.to_signoff_configuration().step_id), ["review"]);
let scd = sc.get_definition();
assert_eq(type_of(scd), "GovernAdminSignoffConfigurationDefinition");
assert_eq(scd.get_raw().title, "Review gate");
scd.raw.description = "Both must agree";
scd.save();
assert_eq(v.get_signoff_configuration("review").get_definition().get_raw().description, "Both must agree");

// A DRAFT version takes no artifact; an ACTIVE one does.
let artifact = #{ blueprintVersionId: #{ blueprintId: "bp.e2e", versionId: "bv.one" }, name: "First", fields: #{ title: "t", score: 3 } };
expect_error(|| c.create_artifact(artifact), "artifact created on a DRAFT version");
t.set_status("ACTIVE");
assert_eq(t.status, "ACTIVE");
assert_eq(v.get_trace().status, "ACTIVE");
let a = c.create_artifact(artifact);
assert_eq(a.get_definition().get_raw().fields.score, 3);

// The artifact runs the designed workflow and its sign-off.
let s = a.get_signoff("review");
assert_eq(s.get_definition().get_raw().configuration.title, "Review gate");
s.update_status("WAITING_FOR_FEEDBACK");
s.add_feedback("business", "APPROVED");
s.update_status("WAITING_FOR_APPROVAL");
s.add_approval("APPROVED");
assert_eq(s.get_definition().get_raw().status, "APPROVED");

// A version in use cannot be deleted, nor its blueprint; once the artifact is gone
// they can, with the sign-off configuration.
expect_error(|| v.delete(), "a version in use deleted");
expect_error(|| bp.delete(), "a blueprint in use deleted");
a.delete();
sc.delete();
assert_eq(v.list_signoff_configurations().len(), 0);
v.delete();
assert_eq(bp.list_versions().len(), 0);
bp.delete();
let e = expect_error(|| bp.get_definition(), "a deleted blueprint read");
assert_eq(e.status, 404);
print("designed end to end");
"#,
        )
        .ok();
    assert!(out.contains("designed end to end"), "{out}");
}

#[test]
fn scenario_14_forks_a_system_version_and_adds_a_field() {
    let sandbox = Sandbox::start();
    let out = sandbox
        .script(
            r#"
let c = govern();
let bp = c.get_blueprint_designer().get_blueprint("bp.system.govern_project");
let v = bp.create_version("my_new_version", #{ name: "My New Version", origin_version_id: "bv.system.default" });
let t = v.get_trace();
assert_eq(t.status, "DRAFT");
assert_eq(t.origin_version_id, "bv.system.default");
let d = v.get_definition();
let origin = bp.get_version("bv.system.default").get_definition().get_raw();
assert_eq(d.get_raw().fieldDefinitions.keys().len(), origin.fieldDefinitions.keys().len(), "a fork copies the fields");
assert_eq(d.get_raw().workflowDefinition, origin.workflowDefinition, "and the workflow");
d.raw.fieldDefinitions.new_field = #{ label: "my new field", description: "d", fieldType: "TEXT", required: false, sourceType: "STORE" };
d.save();
assert_eq(v.get_definition().get_raw().fieldDefinitions.new_field.label, "my new field");
// The read-only side sees the saved definition once the version is active.
v.get_trace().set_status("ACTIVE");
// Govern prefixes a new identifier with `bv.`; the handle carries the id it answered.
assert_eq(v.version_id, "bv.my_new_version");
let seen = c.get_blueprint("bp.system.govern_project").get_version(v.version_id).get_definition().get_raw();
assert_eq(seen.fieldDefinitions.new_field.fieldType, "TEXT");
let a = c.create_artifact(#{ blueprintVersionId: #{ blueprintId: "bp.system.govern_project", versionId: v.version_id }, name: "Uses the new field", fields: #{ new_field: "hello" } });
assert_eq(a.get_definition().get_raw().fields.new_field, "hello");
print("forked");
"#,
        )
        .ok();
    assert!(out.contains("forked"), "{out}");
}

#[test]
fn a_save_dropping_artifact_values_needs_danger_zone_accepted() {
    let sandbox = Sandbox::start();
    let out = sandbox
        .script(
            r#"
let c = govern();
let v = c.get_blueprint_designer().get_blueprint("bp.model_review").get_version("bv.v1");
let d = v.get_definition();
d.get_raw().fieldDefinitions.remove("score");
let e = expect_error(|| d.save(), "a save dropping values accepted");
assert(e.status >= 400 && e.status < 500, `status ${e.status}`);
assert("score" in v.get_definition().get_raw().fieldDefinitions, "nothing changed");
d.save(#{ danger_zone_accepted: true });
assert(!("score" in v.get_definition().get_raw().fieldDefinitions), "saved with the danger zone accepted");
print("danger zone");
"#,
        )
        .ok();
    assert!(out.contains("danger zone"), "{out}");
}

#[test]
fn bad_designer_input_is_refused_and_changes_nothing() {
    let sandbox = Sandbox::start();
    let out = sandbox
        .script(
            r#"
let c = govern();
let bd = c.get_blueprint_designer();
let e = expect_error(|| bd.get_blueprint("bp.nope").get_definition(), "unknown blueprint read");
assert_eq(e.status, 404);
let e = expect_error(|| bd.get_blueprint("bp.model_review").get_version("bv.nope").get_trace(), "unknown version read");
assert_eq(e.status, 404);
expect_error(|| bd.create_blueprint("bp/slash", #{ name: "x" }), "an id with a slash accepted");
assert(!bd.list_blueprints().map(|i| i.to_blueprint().blueprint_id).contains("bp/slash"), "nothing created");

let v = bd.get_blueprint("bp.model_review").get_version("bv.v2");
let before = v.get_definition().get_raw();
let d = v.get_definition();
d.raw.fieldDefinitions.bad = #{ label: "Bad", fieldType: "NO_SUCH_TYPE" };
expect_error(|| d.save(), "an unknown field type accepted");
let d = v.get_definition();
d.get_raw().workflowDefinition.stepDefinitions.push(#{ id: "review", name: "Twice" });
expect_error(|| d.save(), "a step id used twice accepted");
assert_eq(v.get_definition().get_raw(), before, "nothing changed");

let t = v.get_trace();
expect_error(|| t.set_status("PUBLISHED"), "an unknown status accepted");
assert_eq(v.get_trace().status, "DRAFT");
print("refused");
"#,
        )
        .ok();
    assert!(out.contains("refused"), "{out}");
}
