"""The sandbox's rights matrix with the unmodified official Python client.

Usage: python rights.py URL ADMIN_KEY

Expects a fresh sandbox with the demo seed and its user keys `<login>-sandbox-key`
(alice: readers, bob: contributors, carol: project_managers and risk_officers, dave:
Govern architect, erin: sponsor of ar.15). For each call family, the admin key, a key
with the right and a key without it get the documented outcome; each refused call is
read back with the admin key. Prints one line per check and exits non-zero on the first
failure.
"""
import sys

from dataikuapi import GovernClient
from dataikuapi.govern.artifact_search import GovernArtifactSearchQuery, GovernArtifactFilterBlueprints
from dataikuapi.utils import DataikuException
from checks import check, summary

URL, ADMIN = sys.argv[1], sys.argv[2]
admin = GovernClient(URL, ADMIN)
alice, bob, carol, dave, erin = (GovernClient(URL, "%s-sandbox-key" % u)
                                 for u in ("alice", "bob", "carol", "dave", "erin"))
BI = "bp.system.business_initiative"


ERROR_TYPES = {403: "UnauthorizedException", 404: "NotFoundException"}


def refused(name, fn, status, needle=""):
    """`fn` fails with Govern's error of HTTP `status` (the client shows its type)."""
    try:
        fn()
    except DataikuException as e:
        text = str(e)
        check(name, ERROR_TYPES[status] in text and needle in text, "message was: %s" % text)
        return
    check(name, False, "no exception raised")


def raw(client, ar):
    return client.get_artifact(ar).get_definition().get_raw()


def ids(client, bp):
    request = client.new_artifact_search_request(
        GovernArtifactSearchQuery(artifact_filters=[GovernArtifactFilterBlueprints([bp])]))
    found = []
    while True:
        response = request.fetch_next_batch(page_size=1)
        found += [h.to_artifact().artifact_id for h in response.get_response_hits()]
        if not response.get_raw()["hasNextPage"]:
            return found


# Identity.
check("alice is alice", alice.get_auth_info()["authIdentifier"] == "alice")

# Designer: admin and architect yes, reader no (nothing created).
check("admin designs", len(admin.get_blueprint_designer().list_blueprints()) >= 10)
check("architect designs", len(dave.get_blueprint_designer().list_blueprints()) >= 10)
refused("reader may not design", lambda: alice.get_blueprint_designer().list_blueprints(), 403,
        "Govern architect")
refused("reader may not create a blueprint",
        lambda: alice.get_blueprint_designer().create_blueprint("py_alice", {"name": "x"}), 403)

# Read: reader yes, a key without a role on ar.16 gets Govern's 404.
check("admin reads ar.16", raw(admin, "ar.16")["name"] == "Cost reduction")
check("reader reads ar.16", raw(alice, "ar.16")["name"] == "Cost reduction")
refused("erin may not read ar.16", lambda: raw(erin, "ar.16"), 404, "Artifact not found: ar.16")

# Write: reader refused (unchanged), contributor saves.
before = raw(admin, "ar.16")
d = alice.get_artifact("ar.16").get_definition()
d.get_raw()["fields"]["description"] = "alice was here"
refused("reader may not save", d.save, 403)
check("refused save changed nothing", raw(admin, "ar.16") == before)
d = bob.get_artifact("ar.15").get_definition()
d.get_raw()["fields"]["description"] = "bob edited"
d.save()
check("contributor saves", raw(admin, "ar.15")["fields"]["description"] == "bob edited")

# Create: reader refused (no new artifact), contributor creates.
n = len(ids(admin, BI))
new = {"blueprintVersionId": {"blueprintId": BI, "versionId": "bv.system.default"},
       "name": "From Python", "fields": {}}
refused("reader may not create", lambda: alice.create_artifact(new), 403)
check("refused create added nothing", len(ids(admin, BI)) == n)
made = bob.create_artifact(new)
check("contributor creates", len(ids(admin, BI)) == n + 1)

# Delete: contributor refused, project manager deletes.
refused("contributor may not delete", lambda: bob.get_artifact(made.artifact_id).delete(), 403)
check("refused delete kept it", raw(admin, made.artifact_id)["name"] == "From Python")
carol.get_artifact(made.artifact_id).delete()
refused("project manager deleted it", lambda: raw(admin, made.artifact_id), 404)

# Search and counts: only what each key reads.
check("admin counts 2 initiatives", ids(admin, BI) == ["ar.15", "ar.16"], ids(admin, BI))
check("reader counts 2 initiatives", ids(alice, BI) == ["ar.15", "ar.16"])
check("sponsor counts her one", ids(erin, BI) == ["ar.15"], ids(erin, BI))

# Sign-offs: membership rules for user keys.
so = alice.get_artifact("ar.1").get_signoff("review")
fb = so.add_feedback("business", "APPROVED", "from a user key")
check("reviewer gives feedback", fb.get_definition().get_raw()["author"] == "alice")
refused("non-member may not give feedback",
        lambda: bob.get_artifact("ar.1").get_signoff("review").add_feedback("business", "APPROVED"),
        403, "not part of the group")
ar3 = admin.get_artifact("ar.3").get_signoff("review")
status = ar3.get_definition().get_raw()["status"]
refused("non-approver may not approve",
        lambda: alice.get_artifact("ar.3").get_signoff("review").add_approval("APPROVED"), 403,
        "not an approver")
check("refused approval changed nothing", ar3.get_definition().get_raw()["status"] == status)
carol.get_artifact("ar.3").get_signoff("review").add_approval("APPROVED", "risk accepted")
check("approver approves", ar3.get_definition().get_raw()["status"] == "APPROVED")

summary()
