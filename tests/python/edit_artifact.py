"""Edits one field of one artifact with the unmodified official Python client: the
"someone else changed it" of tests/plan.rs (drift between plan and apply).
Usage: edit_artifact.py URL API_KEY ARTIFACT_ID FIELD VALUE
Prints `RESULT <fields as saved>`.
"""
import json
import sys

from dataikuapi.govern_client import GovernClient

url, key, artifact_id, field, value = sys.argv[1:6]
client = GovernClient(url, key)
definition = client.get_artifact(artifact_id).get_definition()
definition.get_raw()["fields"][field] = value
definition.save()
print("RESULT", json.dumps(definition.get_raw()["fields"]))
