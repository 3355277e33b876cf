"""Drive a govscript sandbox with the unmodified official Python client.

Usage: python sandbox_conformance.py URL ADMIN_KEY

Expects a fresh sandbox with the demo seed (see src/sandbox/seed.rs). Prints one line per
check and exits non-zero on the first failure.
"""
import sys
import traceback

from dataikuapi import GovernClient
from dataikuapi.govern.users_container import GovernUserUsersContainer
from dataikuapi.govern.artifact_search import (
    GovernArtifactFilterArchivedStatus,
    GovernArtifactFilterArtifacts,
    GovernArtifactFilterBlueprints,
    GovernArtifactFilterBlueprintVersions,
    GovernArtifactFilterFieldValue,
    GovernArtifactSearchQuery,
    GovernArtifactSearchSortField,
    GovernArtifactSearchSortFieldDefinition,
    GovernArtifactSearchSortName,
    GovernArtifactSearchSortWorkflow,
)
from dataikuapi.govern.blueprint import GovernBlueprintVersionId
from checks import check, raises, summary

URL, KEY = sys.argv[1], sys.argv[2]
client = GovernClient(URL, KEY)
as_bob = GovernClient(URL, KEY, extra_headers={"X-DKU-ProxyUser": "bob"})


def main():
    # Instance and auth
    info = client.get_auth_info()
    check("auth_info.authIdentifier", info["authIdentifier"] == "admin", info)
    inst = client.get_instance_info()
    check("instance_info", inst.node_type == "GOVERN" and inst.node_id and inst.node_name)
    check("auth_info as bob", as_bob.get_auth_info()["authIdentifier"] == "bob")
    slash = GovernClient(URL + "/", KEY)  # puts "//dip/publicapi/..." on the wire
    check("host with trailing slash", slash.get_auth_info()["authIdentifier"] == "admin")

    # Blueprints
    items = client.list_blueprints()
    ids = [i.to_blueprint().blueprint_id for i in items]
    check("list_blueprints", "bp.model_review" in ids and "bp.system.govern_project" in ids, ids)
    check("blueprint list item raw", items[0].get_raw()["blueprint"]["id"] == ids[0])
    bp = client.get_blueprint("bp.model_review")
    check("blueprint.get_definition", bp.get_definition().get_raw()["name"] == "Model review")
    versions = bp.list_versions()
    vids = [v.to_blueprint_version().version_id for v in versions]
    check("blueprint.list_versions", "bv.v1" in vids and "bv.v2" in vids, vids)
    check("version list item raw", versions[0].get_raw()["blueprintVersion"]["id"]["blueprintId"] == "bp.model_review")
    v1 = bp.get_version("bv.v1")
    check("version.get_blueprint", v1.get_blueprint().blueprint_id == "bp.model_review")
    check("version.get_trace ACTIVE", v1.get_trace().status == "ACTIVE")
    v2trace = bp.get_version("bv.v2").get_trace()
    check("v2 trace DRAFT forked", v2trace.status == "DRAFT" and v2trace.origin_version_id == "bv.v1")
    check("v2 trace raw", v2trace.get_raw()["blueprintVersionId"]["versionId"] == "bv.v2")
    steps = [s["id"] for s in v1.get_definition().get_raw()["workflowDefinition"]["stepDefinitions"]]
    check("version.get_definition steps", steps == ["draft", "review", "deployment"], steps)
    raises("unknown blueprint 404", lambda: client.get_blueprint("bp.nope").get_definition(), "Blueprint not found: bp.nope")

    # Artifacts
    bvid = {"blueprintId": "bp.model_review", "versionId": "bv.v1"}
    art = client.create_artifact({
        "blueprintVersionId": bvid,
        "name": "Conformance model",
        "fields": {"owner": "admin", "risk": "Low", "score": 0.5},
        "workflow": {"steps": {"draft": {"status": "FINISHED"}, "review": {"status": "ONGOING"}}},
    })
    check("create_artifact id", art.artifact_id.startswith("ar."), art.artifact_id)
    d = art.get_definition()
    raw = d.get_raw()
    check("artifact.get_definition", raw["name"] == "Conformance model" and raw["status"]["stepId"] == "review", raw)
    check("artifact workflow", raw["workflow"]["steps"]["deployment"]["status"] == "NOT_STARTED")
    bvh = d.get_blueprint_version()
    check("definition.get_blueprint_version", bvh.version_id == "bv.v1" and bvh.blueprint_id == "bp.model_review")
    raw["fields"]["score"] = 0.75
    d.save()
    check("definition.save", d.get_raw()["fields"]["score"] == 0.75 and art.get_definition().get_raw()["fields"]["score"] == 0.75)
    so_steps = [s.to_signoff().step_id for s in art.list_signoffs()]
    check("create_artifact made sign-offs", so_steps == ["review", "deployment"], so_steps)
    check("signoff list item raw", art.list_signoffs()[0].get_raw()["status"] == "NOT_STARTED")
    raises("create on DRAFT version", lambda: client.create_artifact(
        {"blueprintVersionId": {"blueprintId": "bp.model_review", "versionId": "bv.v2"}, "name": "x", "fields": {}}), "DRAFT")
    raises("unknown field rejected", lambda: client.create_artifact(
        {"blueprintVersionId": bvid, "name": "x", "fields": {"nope": 1}}),
        "Some fields of Artifact were not found in its blueprint version reference. Field names: nope")

    # Sign-off status
    so = art.get_signoff("review")
    check("signoff.get_definition", so.get_definition().get_raw()["status"] == "NOT_STARTED")
    so.update_status("WAITING_FOR_FEEDBACK", users_to_notify=[{"userLogin": "alice", "groupId": "business"}])
    check("update_status WAITING_FOR_FEEDBACK", so.get_definition().get_raw()["status"] == "WAITING_FOR_FEEDBACK")
    raises("illegal status move", lambda: so.update_status("NOT_STARTED"),
           "Unable to set the status to 'NOT_STARTED' when current status is 'WAITING_FOR_FEEDBACK'")
    raises("APPROVED only via approval", lambda: so.update_status("APPROVED"), "Unable to set the status to 'APPROVED'")

    # Feedback
    fb = so.add_feedback("business", "MINOR_ISSUE", "needs docs")
    check("add_feedback id", fb.feedback_id.startswith("fb."), fb.feedback_id)
    fbs = so.list_feedbacks()
    check("list_feedbacks", [f.feedback_id for f in fbs] == [fb.feedback_id])
    check("feedback list item raw", fbs[0].get_raw()["author"] == "admin" and fbs[0].to_feedback().feedback_id == fb.feedback_id)
    fdef = fb.get_definition()
    check("feedback.get_definition", fdef.get_raw()["status"] == "MINOR_ISSUE" and fdef.get_raw()["comment"] == "needs docs")
    fdef.get_raw()["status"] = "APPROVED"
    fdef.save()
    check("feedback.save", fdef.get_raw()["status"] == "APPROVED" and fb.get_definition().get_raw()["status"] == "APPROVED")
    fb2 = so.add_feedback("business", "APPROVED")
    check("second feedback same user", len(so.list_feedbacks()) == 2 and "comment" not in fb2.get_definition().get_raw())
    fb2.delete()
    check("feedback.delete", len(so.list_feedbacks()) == 1)
    raises("feedback non-member refused", lambda: so.add_feedback("technical", "APPROVED"), "User is not part of the group")
    bob_so = as_bob.get_artifact(art.artifact_id).get_signoff("review")
    raises("bob not in business", lambda: bob_so.add_feedback("business", "APPROVED"), "not part of the group")
    bob_fb = bob_so.add_feedback("technical", "MAJOR_ISSUE", "leakage")
    check("bob feedback technical", bob_fb.get_definition().get_raw()["author"] == "bob")
    raises("edit someone else's feedback (bob on admin's)", lambda: as_bob.get_artifact(art.artifact_id)
           .get_signoff("review").get_feedback(fb.feedback_id).get_definition().save(), "Only the author")
    so.delegate_feedback("technical", GovernUserUsersContainer("admin").build())
    tech = [g for g in so.get_definition().get_raw()["configuration"]["feedbackUsersGroups"] if g["id"] == "technical"][0]
    check("delegate_feedback appended", tech["users"][-1] == {"usersContainer": {"type": "user", "login": "admin"}, "delegated": True}, tech)
    so.add_feedback("technical", "APPROVED", "as delegate")
    check("feedback as delegate", len(so.list_feedbacks()) == 3)

    # Details
    det = so.get_details().get_raw()
    groups = {g["groupId"]: g["users"] for g in det["feedbackGroups"]}
    check("details feedback groups", "admin" in groups["business"] and "alice" in groups["business"] and "bob" in groups["technical"], det)
    check("details approvers", "admin" in det["approvers"] and "carol" in det["approvers"], det)

    # Approval
    try:
        so.get_approval().get_definition()
        check("approval missing -> ValueError", False)
    except ValueError:
        check("approval missing -> ValueError", True)
    so.update_status("WAITING_FOR_APPROVAL")
    appr = so.add_approval("APPROVED", "ok")
    adef = appr.get_definition()
    check("add_approval", adef.get_raw()["status"] == "APPROVED" and adef.get_raw()["comment"] == "ok")
    check("sign-off follows approval", so.get_definition().get_raw()["status"] == "APPROVED")
    raises("second approval refused", lambda: so.add_approval("REJECTED"), "already exists")
    adef.get_raw()["status"] = "REJECTED"
    adef.save()
    check("approval.save", adef.get_raw()["status"] == "REJECTED" and so.get_definition().get_raw()["status"] == "REJECTED")
    appr.delete()
    sdef = so.get_definition().get_raw()
    check("approval.delete", sdef["status"] == "WAITING_FOR_APPROVAL" and sdef["approverResponse"] is None)
    raises("bob is not an approver", lambda: bob_so.add_approval("APPROVED"), "not an approver")
    so.add_approval("APPROVED")

    # Recurrence
    rec = so.get_recurrence_configuration()
    check("get_recurrence_configuration", rec.get_raw().get("activated") is False)
    rec.get_raw().update({"activated": True, "weeks": 2, "reloadConf": True})
    rec.save()
    again = so.get_recurrence_configuration().get_raw()
    check("recurrence save", again["activated"] is True and again["weeks"] == 2 and again["reloadConf"] is True, again)
    bad = so.get_recurrence_configuration()
    bad.get_raw().update({"activated": True, "days": 0, "weeks": 0, "months": 0, "years": 0})
    raises("recurrence zero period refused", bad.save, "positive")

    # Reset
    so.update_status("NOT_STARTED", reload_conf_for_reset=False)
    sdef = so.get_definition().get_raw()
    tech = [g for g in sdef["configuration"]["feedbackUsersGroups"] if g["id"] == "technical"][0]
    check("reset keeps conf", sdef["status"] == "NOT_STARTED" and sdef["feedbackResponses"] == [] and tech["users"][-1].get("delegated"))
    so.update_status("WAITING_FOR_APPROVAL")
    so.add_approval("APPROVED")
    so.update_status("NOT_STARTED", users_to_notify=[], reload_conf_for_reset=True)
    sdef = so.get_definition().get_raw()
    tech = [g for g in sdef["configuration"]["feedbackUsersGroups"] if g["id"] == "technical"][0]
    check("reset reloads conf", not any(u.get("delegated") for u in tech["users"]) and sdef["approverResponse"] is None)

    # Delegated approval on the deployment sign-off (admin is not a deployment approver)
    dep = art.get_signoff("deployment")
    dep.update_status("WAITING_FOR_APPROVAL")
    raises("deployment approval refused", lambda: dep.add_approval("APPROVED"), "not an approver")
    dep.delegate_approval(GovernUserUsersContainer("admin").build())
    dep.add_approval("APPROVED", "delegated")
    check("delegate_approval", dep.get_approval().get_definition().get_raw()["author"] == "admin")

    # create_signoff on seeded ar.9 (deployment ONGOING, no sign-off)
    a9 = client.get_artifact("ar.9")
    check("ar.9 has no deployment sign-off", [s.to_signoff().step_id for s in a9.list_signoffs()] == ["review"])
    new_so = a9.create_signoff("deployment")
    check("create_signoff", new_so.get_definition().get_raw()["status"] == "NOT_STARTED")
    raises("create_signoff twice", lambda: a9.create_signoff("deployment"), "already exists")
    raises("create_signoff step not ongoing", lambda: client.get_artifact("ar.7").create_signoff("review"), "not active")

    # Search
    q = GovernArtifactSearchQuery()
    q.add_artifact_filter(GovernArtifactFilterBlueprints(["bp.model_review"]))
    q.add_artifact_filter(GovernArtifactFilterArchivedStatus(False))
    req = client.new_artifact_search_request(q)
    seen = []
    while True:
        resp = req.fetch_next_batch(page_size=5)
        hits = resp.get_response_hits()
        seen += [h.to_artifact().artifact_id for h in hits]
        if not resp.get_raw()["hasNextPage"]:
            break
    check("search paged by blueprint", "ar.1" in seen and "ar.10" not in seen and art.artifact_id in seen
          and len(seen) == len(set(seen)) and all(
              client.get_artifact(i).get_definition().get_raw()["blueprintVersionId"]["blueprintId"] == "bp.model_review"
              for i in seen[:3]), seen)
    q = GovernArtifactSearchQuery(artifact_search_sort=GovernArtifactSearchSortField(
        [GovernArtifactSearchSortFieldDefinition("bp.model_review", "score").build()], direction="DESC"))
    q.add_artifact_filter(GovernArtifactFilterBlueprintVersions([GovernBlueprintVersionId("bp.model_review", "bv.v1").build()]))
    q.add_artifact_filter(GovernArtifactFilterFieldValue("EQUALS", "high", field_id="risk"))
    hits = client.new_artifact_search_request(q).fetch_next_batch().get_response_hits()
    scores = [h.get_raw()["artifact"]["fields"]["score"] for h in hits]
    check("search field filter + field sort DESC", scores == sorted(scores, reverse=True) and len(scores) >= 3, scores)
    q = GovernArtifactSearchQuery(artifact_search_sort=GovernArtifactSearchSortName())
    q.add_artifact_filter(GovernArtifactFilterFieldValue("CONTAINS", "CHURN", case_sensitive=True))
    names = [h.get_raw()["artifact"]["name"] for h in client.new_artifact_search_request(q).fetch_next_batch().get_response_hits()]
    check("search name filter case-sensitive + name sort", names == ["CHURN", "CHURN v1", "CHURN v2"], names)
    q = GovernArtifactSearchQuery(artifact_search_sort=GovernArtifactSearchSortWorkflow("DESC"))
    q.add_artifact_filter(GovernArtifactFilterArtifacts(["ar.7", "ar.8", "ar.1"]))
    order = [h.to_artifact().artifact_id for h in client.new_artifact_search_request(q).fetch_next_batch().get_response_hits()]
    check("search artifacts filter + workflow sort", order == ["ar.8", "ar.1", "ar.7"], order)

    # Delete
    art.delete()
    raises("artifact deleted", art.get_definition, "Artifact not found: %s" % art.artifact_id)
    summary()


if __name__ == "__main__":
    try:
        main()
    except SystemExit:
        raise
    except Exception:
        traceback.print_exc()
        print("FAIL unexpected exception")
        sys.exit(1)
