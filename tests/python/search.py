"""Search scenarios 4, 18, 19 and 20 of govern-protocol.md section 7, driven by the
official Python client. Mirrors tests/python/search.rhai; each prints `label value`
lines (ids comma-joined) that tests/script_search.rs compares. Usage: search.py URL KEY
"""
import sys

from dataikuapi.govern_client import GovernClient
from dataikuapi.govern.artifact_search import (
    GovernArtifactSearchQuery, GovernArtifactFilterBlueprints, GovernArtifactFilterFieldValue,
    GovernArtifactFilterArchivedStatus, GovernArtifactSearchSortName)


def out(label, ids):
    print(label, ",".join(ids))


def ids_of(response):
    return [h.to_artifact().artifact_id for h in response.get_response_hits()]


client = GovernClient(sys.argv[1], sys.argv[2])

# 4: govern projects, two batches of 2.
request = client.new_artifact_search_request(
    GovernArtifactSearchQuery(artifact_filters=[GovernArtifactFilterBlueprints(["bp.system.govern_project"])]))
out("s4.batch1", ids_of(request.fetch_next_batch(page_size=2)))
out("s4.batch2", ids_of(request.fetch_next_batch(page_size=2)))

# 18 (dry run): Dataiku items of a node, paged by 1000 until hasNextPage is false.
dataiku_bps = [b.to_blueprint().blueprint_id for b in client.list_blueprints()
               if b.to_blueprint().blueprint_id.startswith("bp.system.dataiku_")]
query = GovernArtifactSearchQuery()
query.add_artifact_filter(GovernArtifactFilterBlueprints(dataiku_bps))
query.add_artifact_filter(GovernArtifactFilterFieldValue(
    condition_type="EQUALS", condition="design-node", field_id="node_id", case_sensitive=True))
request = client.new_artifact_search_request(query)
found = []
while True:
    response = request.fetch_next_batch(page_size=1000)
    found += ids_of(response)
    if not response.get_raw()["hasNextPage"]:
        break
out("s18", found)

# 19: the Dataiku project of a node and project key, then what governs it; the projects
# of that key not on an automation node.
query = GovernArtifactSearchQuery()
query.add_artifact_filter(GovernArtifactFilterArchivedStatus(False))
query.add_artifact_filter(GovernArtifactFilterBlueprints(["bp.system.dataiku_project"]))
query.add_artifact_filter(GovernArtifactFilterFieldValue("EQUALS", "design-node", "node_id"))
query.add_artifact_filter(GovernArtifactFilterFieldValue("EQUALS", "CHURN", "project_key"))
hit = client.new_artifact_search_request(query).fetch_next_batch().get_response_hits()[0]
project = hit.to_artifact()
governed_by = project.get_definition().get_raw()["fields"]["governed_by"]
out("s19.project", [project.artifact_id, governed_by])
query = GovernArtifactSearchQuery(artifact_search_sort=GovernArtifactSearchSortName("DESC"))
query.add_artifact_filter(GovernArtifactFilterBlueprints(["bp.system.dataiku_project"]))
query.add_artifact_filter(GovernArtifactFilterFieldValue(
    "EQUALS", "true", "automation_node", negate_condition=True))
out("s19.not_automation", ids_of(client.new_artifact_search_request(query).fetch_next_batch()))

# 20: the deployment of a node and id, its bundle, the bundle's review sign-off.
query = GovernArtifactSearchQuery()
query.add_artifact_filter(GovernArtifactFilterArchivedStatus(False))
query.add_artifact_filter(GovernArtifactFilterBlueprints(["bp.system.project_deployer_deployment"]))
query.add_artifact_filter(GovernArtifactFilterFieldValue("EQUALS", "deployer-node", "node_id"))
query.add_artifact_filter(GovernArtifactFilterFieldValue("EQUALS", "churn-prod", "deployment_id"))
deployment = client.new_artifact_search_request(query).fetch_next_batch().get_response_hits()[0].to_artifact()
bundle_id = deployment.get_definition().get_raw()["fields"]["dataiku_bundle"]
status = client.get_artifact(bundle_id).get_signoff("review").get_definition().get_raw()["status"]
out("s20", [deployment.artifact_id, bundle_id, status])
