"""The audit heads `govscript run --audit-to-govern` wrote, read back with the
unmodified official Python client (`list_logs`, `get_log`).

Prints `RESULT <json>`: every audit-trail entry whose customMsgType is
`govscript-audit-head`, as stored, and the raw text of the audit log (to look for keys).
Usage: audit_heads.py URL ADMIN_KEY
"""
import json
import sys

from dataikuapi.govern_client import GovernClient

client = GovernClient(sys.argv[1], sys.argv[2])
names = [n for n in client.list_logs() if "audit" in n]
entries = []
text = ""
for name in names:
    content = client.get_log(name)
    text += content
    for line in content.splitlines():
        entry = json.loads(line)
        if entry.get("customMsgType") == "govscript-audit-head":
            entries.append(entry)
print("RESULT", json.dumps({"entries": entries, "text": text}))
