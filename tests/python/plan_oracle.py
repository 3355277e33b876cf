"""The official Python client as the oracle of tests/plan_resources.rs and
tests/plan_lists.rs: reads what `govscript apply` made, or changes something between
plan and apply (drift).
Usage: plan_oracle.py URL API_KEY COMMAND ARGS...
  designer BP VERSION ROLE_ASSIGNMENTS_BP  prints RESULT {blueprint, version, assignments}
  role-label ROLE LABEL                    sets a role's label (drift)
  create-role IDENTIFIER LABEL             creates a role (drift on a planned creation)
  search BLUEPRINT                         prints RESULT [ids of its artifacts, all pages]
"""
import json
import sys

from dataikuapi.govern_client import GovernClient
from dataikuapi.govern.artifact_search import GovernArtifactSearchQuery, GovernArtifactFilterBlueprints

url, key, command = sys.argv[1:4]
args = sys.argv[4:]
client = GovernClient(url, key)
roles = client.get_roles_permissions_handler()

if command == "designer":
    bp, version, assigned = args
    blueprint = client.get_blueprint_designer().get_blueprint(bp)
    print("RESULT", json.dumps({
        "blueprint": blueprint.get_definition().get_raw(),
        "version": blueprint.get_version(version).get_definition().get_raw(),
        "assignments": roles.get_role_assignments(assigned).get_definition().get_raw(),
    }))
elif command == "role-label":
    role, label = args
    definition = roles.get_role(role).get_definition()
    definition.get_raw()["label"] = label
    definition.save()
    print("RESULT", json.dumps(definition.get_raw()))
elif command == "create-role":
    identifier, label = args
    made = roles.create_role(identifier, {"label": label})
    print("RESULT", json.dumps(made.get_definition().get_raw()))
elif command == "search":
    (blueprint,) = args
    request = client.new_artifact_search_request(
        GovernArtifactSearchQuery(artifact_filters=[GovernArtifactFilterBlueprints([blueprint])]))
    ids = []
    while True:
        hits = request.fetch_next_batch(page_size=3).get_response_hits()
        if not hits:
            break
        ids.extend(hit.get_raw()["artifact"]["id"] for hit in hits)
    print("RESULT", json.dumps(ids))
else:
    sys.exit("unknown command " + command)
