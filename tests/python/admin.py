"""Instance administration with the unmodified official Python client.

Mirrors tests/python/admin.rhai call for call; both print `label JSON` lines that
tests/script_admin.rs compares: logs and custom audit, the usage summary, general
settings, licensing, the IAM settings, and a non-admin key refused.
Usage: admin.py URL ADMIN_KEY (a sandbox with the demo seed).
"""
import json
import sys

from dataikuapi.govern_client import GovernClient
from dataikuapi.iam.settings import SSOProtocol
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

out("logs", client.list_logs())
client.log_custom_audit("parity", {"a": 1})
lines = [json.loads(l) for l in client.get_log("audit.log").split("\n") if l]
out("audit", [[l["msgType"], l["customMsgType"], l["customMsgParams"], l["authIdentifier"]] for l in lines])
error("missing_log", lambda: client.get_log("nope.log"))

summary = client.get_global_usage_summary()
out("usage_keys", sorted(summary.raw.keys()))
out("usage_users", summary.data["users"]["total"] == len(client.list_users()))

settings = client.get_general_settings()
out("general", settings.get_raw()["nodeName"])
settings.get_raw()["nodeName"] = "Renamed"
settings.save()
out("general_saved", client.get_general_settings().get_raw()["nodeName"])
bad = client.get_general_settings()
bad.get_raw()["security"] = ["no"]
error("general_wrong_type", bad.save)
out("general_after", client.get_general_settings().get_raw()["security"])

out("license", client.get_licensing_status()["licenseKind"])
client.set_license('{"content": {"licensee": "ACME"}, "signature": "c2ln"}')
status = client.get_licensing_status()
out("license_set", [status["licensee"], status["licenseKind"], status["source"]])
error("license_invalid", lambda: client.set_license('{"content": {"licensee": "X"}}'))
out("license_after", client.get_licensing_status()["licensee"])

sso = client.get_sso_settings()
out("sso", [sso.get_protocol().value, sso.get_sso_enabled(), sso.get_authorized_groups()])
sso.set_protocol(SSOProtocol.OPENID).set_sso_enabled(True).set_authorized_groups("a,b")
sso.save()
sso = client.get_sso_settings()
out("sso_saved", [sso.get_protocol().value, sso.get_sso_enabled(), sso.get_authorized_groups()])

ldap = client.get_ldap_settings()
out("ldap", [ldap.get_url(), ldap.get_user_filter()])
ldap.set_url("ldap://corp").set_use_tls(True)
ldap.save()
ldap = client.get_ldap_settings()
out("ldap_saved", [ldap.get_url(), ldap.get_use_tls()])

azure = client.get_azure_ad_settings()
out("azure", [azure.get_groups_limit(), azure.get_credential_method()])
azure.set_groups_limit(50)
azure.save()
out("azure_saved", client.get_azure_ad_settings().get_groups_limit())

bob = GovernClient(sys.argv[1], "bob-sandbox-key")
error("bob_logs", bob.list_logs)
error("bob_settings", bob.get_general_settings)
error("bob_audit", lambda: bob.log_custom_audit("x"))
