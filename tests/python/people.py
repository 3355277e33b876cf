"""Users and groups with the unmodified official Python client.

Mirrors tests/python/people.rhai call for call; both print `label JSON` lines that
tests/script_people.rs compares (and pins). Runs scenario 8 of govern-protocol.md §7
(govern-users-groups) first, then every other user and group method.
Usage: people.py URL ADMIN_KEY (a sandbox started with `--seed none`).
"""
import json
import sys

from dataikuapi.govern_client import GovernClient
from dataikuapi.utils import DataikuException


def out(label, value):
    print(label, json.dumps(value))


def error(label, fn):
    try:
        fn()
        out(label, "accepted")
    except DataikuException as e:
        out(label, str(e))


client = GovernClient(sys.argv[1], sys.argv[2])

# Scenario 8: users and groups as the developer guide manages them.
out("users_before", [u["login"] for u in client.list_users()])
group = client.create_group("test_group", description="test group", source_type="LOCAL")
out("group", group.name)
local = client.create_user("local_user", "password", display_name="Local user",
                           groups=["test_group"], email="local@example.com")
ldap = client.create_user("ldap_user", None, source_type="LDAP", profile="DESIGNER")
client.create_user("no_auth_user", None, source_type="LOCAL_NO_AUTH")
out("created", [local.login, ldap.login])
settings = local.get_settings()
raw = settings.get_raw()
raw["displayName"] = "Local user, renamed"
raw["email"] = "renamed@example.com"
raw["userProfile"] = "READER"
raw["groups"] = []
settings.save()
info = local.get_info()
out("edited", [info.display_name, info.email, info.groups, info.enabled])
out("ldap", [ldap.get_settings().get_raw()["sourceType"], ldap.get_settings().get_raw()["userProfile"]])
definition = group.get_definition()
definition["admin"] = True
definition["ldapGroupNames"] = ["cn=testers,dc=example"]
group.set_definition(definition)
again = group.get_definition()
out("group_definition", [again["admin"], again["ldapGroupNames"], again["sourceType"], again["description"]])
out("groups", [g["name"] for g in client.list_groups()])
ldap.delete()
out("after_delete", [u["login"] for u in client.list_users()])

# Every other method.
out("list_keys", sorted(client.list_users()[0].keys()))
out("settings_keys", sorted(client.list_users(include_settings=True)[0].keys()))
out("as_objects", [u.login for u in client.list_users(as_objects=True)])
settings = local.get_settings()
settings.user_properties["team"] = "risk"
settings.admin_properties["badge"] = 7
settings.enabled = False
settings.save()
settings = local.get_settings()
out("settings", [settings.user_properties, settings.admin_properties, settings.enabled,
                 settings.creation_date is not None])
out("password_hidden", "password" not in settings.get_raw() and "passwordHash" not in settings.get_raw())
activity = local.get_activity()
out("activity", [activity.login, activity.last_successful_login, activity.last_failed_login,
                 activity.last_session_activity])
out("activities", [a.login for a in client.list_users_activity()])
out("enabled_activities", [a.login for a in client.list_users_activity(enabled_users_only=True)])
matrix = client.get_authorization_matrix().raw
out("matrix_users", sorted(matrix["perUser"].keys()))
out("matrix_groups", matrix["perGroup"])
out("users_info", [[i.login, i.display_name, i.enabled] for i in client.list_users_info()])
out("groups_info", [g.name for g in client.list_groups_info()])
out("definition", local.get_definition()["displayName"])
local.set_definition({"displayName": "Set by definition", "enabled": True, "groups": ["test_group"]})
out("set_definition", [local.get_info().display_name, local.get_info().enabled])

own = client.get_own_user().get_settings()
own.user_properties["theme"] = "dark"
own.save()
own = client.get_own_user().get_settings()
out("own", [own.get_raw()["login"], own.user_properties, "adminProperties" in own.get_raw()])

out("create_users", client.create_users([{"login": "bulk1", "password": "p"},
                                         {"login": "local_user"},
                                         {"login": "bulk2", "groups": ["no_such_group"]}]))
out("bulk1", client.get_user("bulk1").get_settings().get_raw()["userProfile"])
out("edit_users", client.edit_users([{"login": "bulk1", "displayName": "Bulk one", "enabled": False},
                                     {"login": "nobody"}]))
out("edited_bulk1", [client.get_user("bulk1").get_info().display_name,
                     client.get_user("bulk1").get_info().enabled])
out("delete_users", client.delete_users(["bulk1", "admin", "nobody"]))

# Refusals, each leaving everything as it was.
error("existing_user", lambda: client.create_user("local_user", "x"))
error("existing_group", lambda: client.create_group("test_group"))
error("unknown_group", lambda: client.create_user("typo_user", "x", groups=["tset_group"]))
out("typo_user_absent", "typo_user" not in [u["login"] for u in client.list_users()])
error("self_delete", lambda: client.get_user("admin").delete())
group.delete()
error("last_admin", lambda: client.get_user("admin").delete(allow_self_deletion=True))
out("admin_kept", "admin" in [u["login"] for u in client.list_users()])
out("group_left_members", local.get_info().groups)
local.delete()
out("users_after", [u["login"] for u in client.list_users()])
