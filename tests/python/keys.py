"""Global API keys, identity, impersonation and futures with the unmodified official
Python client against the sandbox.

Usage: python keys.py URL ADMIN_KEY

Expects a fresh sandbox with the demo seed and the enabled user `gina` (whose personal
key is `gina-personal-key-0123`). Prints one line per check, then `RESULT <json>`: the
results that tests/script_keys.rs compares with the same operations made from Rhai.

The sandbox keeps API keys hashed (Govern's secure API keys): lists and gets carry no
`key`, so the client's `list_global_api_keys(as_type='objects')`,
`get_global_api_key_by_id()` and `GovernGlobalApiKeyListItem.key` raise
`KeyError: 'key'`, as they do against a Govern with secure keys. That is checked here.
"""
import json
import sys

from dataikuapi import GovernClient
from dataikuapi.utils import DataikuException
from checks import check, summary

URL, KEY = sys.argv[1], sys.argv[2]
client = GovernClient(URL, KEY)
out = {}


def error(fn):
    """The exception text of a call that must fail."""
    try:
        fn()
    except (DataikuException, KeyError, ValueError, Exception) as e:  # noqa: B014
        return "%s: %s" % (type(e).__name__, e)
    check("expected an error", False)


def auth(c):
    info = c.get_auth_info()
    return [info["authIdentifier"], info["isAdmin"], info["authSource"]]


def keys():
    k = client.create_global_api_key("Nightly", "the nightly job", True)
    check("creation gives the secret", len(k.key) == 32)
    check("ids are gk.N", k.id_ == "gk.1", k.id_)
    g = client.create_global_api_key_with_groups(label="Readers", groups=["data_scientists"])
    items = client.list_global_api_keys()
    out["labels"] = [i.label for i in items]
    out["groups"] = [i.groups for i in items]
    out["created_by"] = [i.created_by for i in items]
    check("list items have no secret", "KeyError" in error(lambda: items[0].key))
    check("objects need the secret", "KeyError" in error(lambda: client.list_global_api_keys(as_type="objects")))
    check("by id needs the secret", "KeyError" in error(lambda: client.get_global_api_key_by_id(k.id_)))
    check("bad as_type", "Unknown as_type" in error(lambda: client.list_global_api_keys(as_type="dicts")))
    d = k.get_definition()
    out["definition"] = [d.id, d.label, d.description, d.groups, d.expires_on]
    d.label = "Nightly (renamed)"
    d.lifetime = 30
    d.save()
    again = k.get_definition()
    out["saved"] = [again.label, again.lifetime, again.expires_on is not None]
    raw = dict(again)
    raw["description"] = "set_definition"
    k.set_definition(raw)
    out["set_definition"] = k.get_definition().description
    out["by_secret"] = client.get_global_api_key(k.key).id_
    out["auth_k"] = auth(GovernClient(URL, k.key))
    as_g = GovernClient(URL, g.key)
    out["auth_g"] = auth(as_g)
    out["g_lists_keys"] = error(lambda: as_g.list_global_api_keys())
    as_k = GovernClient(URL, k.key)
    k.delete()
    out["deleted"] = error(lambda: as_k.get_auth_info())
    out["left"] = [i.id for i in client.list_global_api_keys()]


def impersonation():
    as_gina = client.get_user("gina").get_client_as()
    info = as_gina.get_auth_info()
    out["impersonated"] = [info["authIdentifier"], info["isAdmin"], info["authSource"],
                           info["via"][0]["authIdentifier"]]
    out["impersonated_lists_keys"] = error(lambda: as_gina.list_global_api_keys())
    gina = GovernClient(URL, "gina-personal-key-0123")
    out["gina_impersonates"] = error(lambda: gina.get_user("admin").get_client_as().get_auth_info())


def futures():
    started = [
        client.start_resync_users_from_supplier(["gina"]),
        client.start_resync_all_users_from_supplier(),
        client.start_fetch_external_groups("LDAP"),
        client.start_fetch_external_users("AZURE_AD", group_name="g"),
        client.start_provision_users("CUSTOM", [{"login": "x"}]),
        client.get_user("gina").start_resync_from_supplier(),
    ]
    results = [f.wait_for_result() for f in started]
    out["results"] = [[r["errorType"], r["message"]] for r in results]
    check("has_result", all(f.has_result() for f in started))
    f = started[0]
    peeked = f.peek_state()
    out["peek"] = [peeked["hasResult"], "result" in peeked]
    check("get_state has the result", f.get_state()["result"] == results[0])
    out["listed"] = len(client.list_futures())
    out["listed_all"] = len(client.list_futures(as_objects=True, all_users=True))
    f.abort()
    out["aborted"] = error(lambda: client.get_future(f.job_id).get_state()).replace(f.job_id, "JOB")
    out["bad_source"] = error(lambda: client.start_fetch_external_groups("ACTIVE_DIRECTORY"))
    gina = GovernClient(URL, "gina-personal-key-0123")
    out["gina_lists_all"] = error(lambda: gina.list_futures(all_users=True))
    out["gina_sees"] = gina.list_futures()


keys()
impersonation()
futures()
summary()
print("RESULT " + json.dumps(out, sort_keys=True))
