"""The parity scenario, driven by the official Python client.

Mirrors tests/python/parity.rhai call for call; each prints `label JSON` lines that
tests/python_parity.rs compares. Usage: parity.py URL API_KEY
"""
import json
import sys

from dataikuapi.govern_client import GovernClient
from dataikuapi.govern.blueprint import GovernBlueprintVersionId
from dataikuapi.govern.users_container import GovernUserUsersContainer


def out(label, value):
    print(label, json.dumps(value))


client = GovernClient(sys.argv[1], sys.argv[2])
out("auth", client.get_auth_info()["authIdentifier"])
out("node_type", client.get_instance_info().node_type)
out("blueprints", [i.to_blueprint().blueprint_id for i in client.list_blueprints()])
bp = client.get_blueprint("bp.model_review")
out("bp_name", bp.get_definition().get_raw()["name"])
out("versions", [v.to_blueprint_version().version_id for v in bp.list_versions()])
trace = bp.get_version("bv.v2").get_trace()
out("trace", [trace.status, trace.origin_version_id])
steps = bp.get_version("bv.v1").get_definition().get_raw()["workflowDefinition"]["stepDefinitions"]
out("steps", [s["id"] for s in steps])

artifact = client.create_artifact({
    "blueprintVersionId": GovernBlueprintVersionId("bp.model_review", "bv.v1").build(),
    "name": "Parity",
    "fields": {"owner": "bob", "risk": "Medium", "score": 3},
})
out("created", artifact.artifact_id)
definition = artifact.get_definition()
definition.get_raw()["fields"]["owner"] = "dave"
definition.save()
out("owner", artifact.get_definition().get_raw()["fields"]["owner"])
out("bv", definition.get_blueprint_version().version_id)
out("signoffs", sorted([[s.get_raw()["signoffId"]["stepId"], s.get_raw()["status"]] for s in artifact.list_signoffs()]))

review = artifact.get_signoff("review")
review.update_status("WAITING_FOR_FEEDBACK", users_to_notify=[{"userLogin": "admin", "groupId": "business"}])
fb = review.add_feedback("business", "APPROVED", comment="ok")
out("feedback_ids", [f.to_feedback().feedback_id for f in review.list_feedbacks()])
fb_def = fb.get_definition()
fb_def.get_raw()["status"] = "MINOR_ISSUE"
fb_def.save()
saved = fb.get_definition().get_raw()
out("feedback_saved", [saved["status"], saved["comment"]])
try:
    review.add_feedback("technical", "APPROVED")
    out("technical_before_delegation", "accepted")
except Exception as e:
    out("technical_before_delegation", str(e))
review.delegate_feedback("technical", GovernUserUsersContainer("admin").build())
review.add_feedback("technical", "APPROVED")
fb.delete()
out("feedback_left", [f.get_raw()["groupId"] for f in review.list_feedbacks()])
review.update_status("WAITING_FOR_APPROVAL")
review.add_approval("APPROVED", comment="fine")
approval = review.get_approval().get_definition()
out("approval", approval.get_raw()["status"])
approval.get_raw()["status"] = "REJECTED"
approval.save()
out("after_approval_save", review.get_definition().get_raw()["status"])
details = review.get_details().get_raw()
out("details_approvers", sorted(details["approvers"]))
review.get_approval().delete()
out("after_approval_delete", review.get_definition().get_raw()["status"])
try:
    review.update_status("NOT_STARTED")
    out("illegal_reset", "accepted")
except Exception as e:
    out("illegal_reset", str(e))
review.add_approval("ABANDONED")
review.update_status("NOT_STARTED", reload_conf_for_reset=True)
out("after_reset", review.get_definition().get_raw()["status"])

recurrence = review.get_recurrence_configuration()
recurrence.get_raw()["activated"] = True
recurrence.get_raw()["months"] = 6
recurrence.save()
rc = review.get_recurrence_configuration().get_raw()
out("recurrence", [rc["activated"], rc["months"]])

deployment = artifact.get_signoff("deployment")
deployment.update_status("WAITING_FOR_APPROVAL")
deployment.delegate_approval(GovernUserUsersContainer("admin").build())
deployment.add_approval("APPROVED")
out("deployment", deployment.get_definition().get_raw()["status"])

late = client.get_artifact("ar.9").create_signoff("deployment")
out("late_signoff", late.get_definition().get_raw()["status"])

artifact.delete()
try:
    artifact.get_definition()
    out("deleted", "still there")
except Exception as e:
    out("deleted", str(e))
