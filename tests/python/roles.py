"""Drive the sandbox's roles and permissions with the unmodified official Python client.

Usage: python roles.py URL ADMIN_KEY

Expects a fresh sandbox with the demo seed. Makes the same calls as the Rhai round trip
of tests/script_roles.rs (so both leave the same state), including scenario 10 of
govern-protocol.md §7 (group rules bootstrapped on two blueprints), then checks the
sandbox's refusals, each leaving nothing changed. Prints one line per check and exits
non-zero on the first failure.
"""
import sys

from dataikuapi import GovernClient
from dataikuapi.utils import DataikuException
from checks import check, raises, summary

URL, KEY = sys.argv[1], sys.argv[2]
client = GovernClient(URL, KEY)


h = client.get_roles_permissions_handler()

# Roles.
items = h.list_roles()
check("system roles", [i.to_role().role_id for i in items] == ["ro.reader", "ro.contributor", "ro.project_manager"])
check("role label", items[0].get_raw()["label"] == "Reader")
steward = h.create_role("steward", {"label": "Data steward", "description": "Owns data"})
check("created role id", steward.role_id == "ro.steward", steward.role_id)
sd = steward.get_definition()
check("role definition", sd.get_raw() == {"id": "ro.steward", "label": "Data steward", "description": "Owns data"}, sd.get_raw())
sd.get_raw()["description"] = "Owns the data"
sd.save()
check("role saved", sd.definition["description"] == "Owns the data")
check("role re-read", h.get_role("ro.steward").get_definition().get_raw()["description"] == "Owns the data")
temp = h.create_role("ro.temp", {"label": "Temp"})
check("given prefix kept", temp.role_id == "ro.temp", temp.role_id)
temp.delete()
raises("deleted role", temp.get_definition, "Role not found")
check("four roles", len(h.list_roles()) == 4)

# Role assignments: scenario 10 on two blueprints, then a field rule.
check("seeded assignments", [i.to_blueprint_role_assignments().blueprint_id for i in h.list_role_assignments()]
      == ["bp.system.business_initiative", "bp.system.dataiku_project", "bp.model_review"])
for bp in ["bp.system.business_initiative", "bp.system.govern_bundle"]:
    try:
        made = h.create_role_assignments({"blueprintId": bp})
        check("created assignments " + bp, made.blueprint_id == bp)
    except DataikuException as e:
        check("existing assignments " + bp, "already exists" in str(e), str(e))
    d = h.get_role_assignments(bp).get_definition()
    rules = d.get_raw()["roleAssignmentsRules"]
    for role, group in [("ro.reader", "readers"), ("ro.contributor", "contributors"),
                        ("ro.project_manager", "project_managers")]:
        rules.setdefault(role, []).append(
            {"criteria": [], "userContainers": [{"type": "group", "groupName": group}], "fieldIds": []})
    d.save()
ra = h.get_role_assignments("bp.system.govern_bundle")
d = ra.get_definition()
d.get_raw()["roleAssignmentsRules"]["ro.steward"] = [{
    "criteria": [{"type": "field-value", "fieldId": "node_id", "operator": "EQUALS", "value": "design"}],
    "userContainers": [{"type": "global-api-key", "keyId": "gk.1"}],
    "fieldIds": ["owner"],
}]
d.save()
stored = ra.get_definition().definition["roleAssignmentsRules"]
check("group rule stored", stored["ro.reader"] == [
    {"criteria": [], "userContainers": [{"type": "group", "groupName": "readers"}], "fieldIds": []}], stored)
check("keyId stored as globalAPIKeyId",
      stored["ro.steward"][0]["userContainers"] == [{"type": "global-api-key", "globalAPIKeyId": "gk.1"}])
check("four assignments (three seeded)", len(h.list_role_assignments()) == 4)
scratch = h.create_role_assignments({"blueprintId": "bp.system.govern_project", "roleAssignmentsRules": {}})
scratch.delete()
raises("deleted assignments", scratch.get_definition, "not found")

# Blueprint permissions.
p = h.create_blueprint_permissions({"blueprintId": "bp.system.govern_bundle", "permissions": {
    "everyone": {"read": False},
    "ro.steward": {"read": True, "write": True, "fields": {"owner": {"read": True, "write": False}}},
}})
check("permissions handle", p.blueprint_id == "bp.system.govern_bundle")
pd = p.get_definition()
pd.get_raw()["permissions"]["ro.reader"] = {"read": True}
pd.save()
check("permissions saved", p.get_definition().get_raw()["permissions"]["ro.reader"] == {"read": True})
gone = h.create_blueprint_permissions({"blueprintId": "bp.system.govern_project", "permissions": {}})
check("permissions listed", [i.to_blueprint_permissions().blueprint_id for i in h.list_blueprint_permissions()]
      == ["bp.model_review", "bp.system.govern_bundle", "bp.system.govern_project"])
gone.delete()
raises("deleted permissions: defaults apply", gone.get_definition, "not found")

# Default permissions.
dp = h.get_default_permissions_definition()
check("default permissions", dp.get_raw()["permissions"]["ro.contributor"] == {"read": True, "write": True, "create": True})
dp.get_raw()["permissions"]["ro.steward"] = {"read": True}
dp.save()
check("defaults saved", h.get_default_permissions_definition().get_raw()["permissions"]["ro.steward"] == {"read": True})

# Refusals, each changing nothing (read back). The Python client sends what Rhai
# refuses before sending: the sandbox answers as Govern does.
before = h.get_role_assignments("bp.system.govern_bundle").get_definition().get_raw()


def assignments_with(rule, role="ro.reader"):
    d = h.get_role_assignments("bp.system.govern_bundle").get_definition()
    d.get_raw()["roleAssignmentsRules"].setdefault(role, []).append(rule)
    return d.save


raises("wrong container type", assignments_with(
    {"criteria": [], "userContainers": [{"type": "USER", "login": "x"}], "fieldIds": []}),
    'unknown type "USER" (possible type values are: "role", "global-api-key", "user", "group")')
raises("unknown role", assignments_with(
    {"criteria": [], "userContainers": [], "fieldIds": []}, role="ro.nope"), "Unknown role ro.nope")
raises("assignments exist", lambda: h.create_role_assignments({"blueprintId": "bp.system.govern_bundle"}),
       "already exists")
raises("unknown blueprint", lambda: h.create_role_assignments({"blueprintId": "bp.nope"}), "Blueprint not found")
check("assignments unchanged", h.get_role_assignments("bp.system.govern_bundle").get_definition().get_raw() == before)
pbefore = p.get_definition().get_raw()
pd = p.get_definition()
pd.get_raw()["permissions"]["ro.reader"] = {"reed": True}
raises("unknown permission", pd.save, 'Unknown permission "reed"')
check("permissions unchanged", p.get_definition().get_raw() == pbefore)
raises("role in use", steward.delete, "still used")
check("role kept", h.get_role("ro.steward").get_definition().get_raw()["label"] == "Data steward")

# Scenario 9 verbatim (the developer guide's rule has no fieldIds): Govern stores
# such a rule as an empty binding, silently, and so does the sandbox.
d = h.get_role_assignments("bp.system.business_initiative").get_definition()
d.get_raw()["roleAssignmentsRules"]["ro.project_manager"].append(
    {"criteria": [], "userContainers": [{"type": "user", "login": "new_user"}]})
d.save()
last = d.get_raw()["roleAssignmentsRules"]["ro.project_manager"][-1]
check("scenario 9 verbatim binds nobody", last == {"criteria": [], "userContainers": [], "fieldIds": []}, last)
d.get_raw()["roleAssignmentsRules"]["ro.project_manager"].pop()
d.save()

summary()
