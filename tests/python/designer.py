"""Drive the sandbox's blueprint designer with the unmodified official Python client.

Usage: python designer.py URL ADMIN_KEY

Expects a fresh sandbox with the demo seed. Runs scenario 14 of govern-protocol.md §7
(fork bp.system.govern_project, add a TEXT field, save, activate, use it) and a full
designer round trip (blueprint, version, fields, workflow, sign-off configuration,
ACTIVE, artifact, its sign-off driven to APPROVED). Prints one line per check and exits
non-zero on the first failure.
"""
import sys

from dataikuapi import GovernClient
from dataikuapi.govern.blueprint import GovernBlueprintVersionId
from checks import check, raises, summary

URL, KEY = sys.argv[1], sys.argv[2]
client = GovernClient(URL, KEY)


def scenario_14(designer):
    """The developer guide's fork example, then an artifact using the new field."""
    bp = designer.get_blueprint("bp.system.govern_project")
    version = bp.create_version("my_new_version", name="My New Version",
                                origin_version_id="bv.system.default")
    trace = version.get_trace()
    check("fork is DRAFT", trace.status == "DRAFT", trace.get_raw())
    check("fork origin", trace.origin_version_id == "bv.system.default")
    definition = version.get_definition()
    raw = definition.get_raw()
    origin = bp.get_version("bv.system.default").get_definition().get_raw()
    check("fork copies fields", set(origin["fieldDefinitions"]) <= set(raw["fieldDefinitions"]))
    raw["fieldDefinitions"]["new_field"] = {
        "label": "my new field", "description": "my new field description",
        "fieldType": "TEXT", "required": False, "sourceType": "STORE",
    }
    definition.save()
    check("save returns the definition", "new_field" in definition.get_raw()["fieldDefinitions"])
    check("saved field re-read", "new_field" in version.get_definition().get_raw()["fieldDefinitions"])
    version_id = GovernBlueprintVersionId("bp.system.govern_project", version.version_id)
    raises("DRAFT takes no artifact",
           lambda: client.create_artifact({"blueprintVersionId": version_id.build(), "name": "x", "fields": {}}),
           "only ACTIVE versions")
    trace.set_status("ACTIVE")
    check("set_status ACTIVE", version.get_trace().status == "ACTIVE")
    art = client.create_artifact({"blueprintVersionId": version_id.build(), "name": "Uses new_field",
                                  "fields": {"new_field": "hello"}})
    check("artifact with new_field",
          art.get_definition().get_raw()["fields"]["new_field"] == "hello")


def round_trip(designer):
    """A blueprint designed from nothing, used, and its sign-off driven to APPROVED."""
    bp = designer.create_blueprint("py_bp", {"name": "Python BP", "icon": "science"})
    check("create_blueprint", bp.blueprint_id.endswith("py_bp"), bp.blueprint_id)
    ids = [item.to_blueprint().blueprint_id for item in designer.list_blueprints()]
    check("list_blueprints", bp.blueprint_id in ids)
    bdef = bp.get_definition()
    bdef.get_raw()["name"] = "Python blueprint"
    bdef.save()
    check("blueprint save", bp.get_definition().get_raw()["name"] == "Python blueprint")

    version = bp.create_version("v1", name="Version 1")
    check("empty version", version.get_definition().get_raw()["fieldDefinitions"] == {})
    listed = [item.to_blueprint_version().version_id for item in bp.list_versions()]
    check("list_versions shows the DRAFT", listed == [version.version_id], listed)
    vdef = version.get_definition()
    raw = vdef.get_raw()
    raw["fieldDefinitions"] = {
        "owner": {"label": "Owner", "fieldType": "TEXT", "required": False, "sourceType": "STORE"},
        "score": {"label": "Score", "fieldType": "NUMBER", "required": False, "sourceType": "STORE"},
    }
    raw["workflowDefinition"] = {"stepDefinitions": [{"id": "build", "name": "Build"},
                                                     {"id": "review", "name": "Review"}]}
    vdef.save()
    bad = version.get_definition()
    bad.get_raw()["fieldDefinitions"]["odd"] = {"fieldType": "STRING"}
    raises("unknown field type", bad.save, "is not one of")

    raises("configuration with an id", lambda: version.create_signoff_configuration(
        "review", {"id": {"stepId": "review"}, "title": "Gate"}),
        "signoffConfiguration.id must not be set in creation")
    conf = version.create_signoff_configuration("review", {
        "title": "Review gate", "mandatory": True,
        "feedbackUsersGroups": [{"id": "business", "title": "Business",
                                 "users": [{"usersContainer": {"type": "user", "login": "admin"}}]}],
        "approvers": [{"usersContainer": {"type": "user", "login": "admin"}}],
    })
    steps = [c.to_signoff_configuration().step_id for c in version.list_signoff_configurations()]
    check("list_signoff_configurations", steps == ["review"], steps)
    cdef = conf.get_definition()
    cdef.get_raw()["description"] = "Checked by Python"
    cdef.save()
    check("configuration save",
          version.get_signoff_configuration("review").get_definition().get_raw()["description"]
          == "Checked by Python")

    raises("unknown status", lambda: version.get_trace().set_status("LIVE"),
           "valid statuses are DRAFT, ACTIVE, ARCHIVED")
    version.get_trace().set_status("ACTIVE")
    vid = GovernBlueprintVersionId(bp.blueprint_id, version.version_id).build()
    art = client.create_artifact({"blueprintVersionId": vid, "name": "Designed", "fields": {"owner": "me", "score": 2}})
    adef = art.get_definition()
    adef.get_raw()["workflow"]["steps"]["build"]["status"] = "FINISHED"
    adef.get_raw()["workflow"]["steps"]["review"]["status"] = "ONGOING"
    adef.save()
    so = art.get_signoff("review")
    check("sign-off from the configuration",
          so.get_definition().get_raw()["configuration"]["title"] == "Review gate")
    so.update_status("WAITING_FOR_FEEDBACK")
    so.add_feedback("business", "APPROVED", "fine")
    so.update_status("WAITING_FOR_APPROVAL")
    so.add_approval("APPROVED", "ship it")
    check("sign-off APPROVED", so.get_definition().get_raw()["status"] == "APPROVED")
    adef = art.get_definition()
    adef.get_raw()["workflow"]["steps"]["review"]["status"] = "FINISHED"
    adef.save()
    check("workflow past the mandatory gate",
          art.get_definition().get_raw()["workflow"]["steps"]["review"]["status"] == "FINISHED")

    drop = version.get_definition()
    del drop.get_raw()["fieldDefinitions"]["score"]
    raises("danger zone refused", drop.save, "would drop the values of field(s) score")
    check("score kept", art.get_definition().get_raw()["fields"]["score"] == 2)
    drop.save(danger_zone_accepted=True)
    check("danger zone accepted", "score" not in art.get_definition().get_raw()["fields"])

    raises("version in use", version.delete, "delete them first")
    raises("blueprint in use", bp.delete, "delete them first")
    art.delete()
    conf.delete()
    check("configuration deleted", version.list_signoff_configurations() == [])
    version.delete()
    bp.delete()
    check("blueprint deleted", bp.blueprint_id not in
          [item.to_blueprint().blueprint_id for item in designer.list_blueprints()])


def main():
    designer = client.get_blueprint_designer()
    scenario_14(designer)
    round_trip(designer)
    summary()


main()
