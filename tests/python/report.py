"""The oracle of tests/stdlib_report.rs, with the unmodified official Python client:
sign-off counts per blueprint and artifacts missing required fields, computed from
the same search (the default query) that `govern/report` walks.
Prints `label JSON` lines. Usage: report.py URL KEY
"""
import json
import sys

from dataikuapi.govern_client import GovernClient
from dataikuapi.govern.artifact_search import GovernArtifactSearchQuery


def out(label, value):
    print(label, json.dumps(value, sort_keys=True))


client = GovernClient(sys.argv[1], sys.argv[2])

artifacts = []
request = client.new_artifact_search_request(GovernArtifactSearchQuery())
while True:
    response = request.fetch_next_batch(page_size=100)
    artifacts += [h.get_raw()["artifact"] for h in response.get_response_hits()]
    if not response.get_raw()["hasNextPage"]:
        break

status = {}
for artifact in artifacts:
    items = client.get_artifact(artifact["id"]).list_signoffs()
    if not items:
        continue
    bp = artifact["blueprintVersionId"]["blueprintId"]
    row = status.setdefault(bp, {"artifacts": 0, "total": 0})
    row["artifacts"] += 1
    for item in items:
        s = item.get_raw()["status"]
        row[s] = row.get(s, 0) + 1
        row["total"] += 1
out("status", status)

required = {}
missing = []
for artifact in artifacts:
    version = artifact["blueprintVersionId"]
    key = (version["blueprintId"], version["versionId"])
    if key not in required:
        definition = client.get_blueprint(key[0]).get_version(key[1]).get_definition().get_raw()
        fields = definition.get("blueprintVersion", definition).get("fieldDefinitions", {})
        required[key] = sorted(f for f, d in fields.items() if d.get("required"))
    for field in required[key]:
        if artifact.get("fields", {}).get(field) in (None, "", []):
            missing.append([artifact["id"], field])
out("missing", missing)
