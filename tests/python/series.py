"""Time series with the unmodified official Python client against the sandbox.

Usage: python series.py URL ADMIN_KEY

Expects a fresh sandbox with the demo seed (its user keys `<login>-sandbox-key`).
Prints one line per check, then `RESULT <json>`: the results that
tests/script_series.rs compares with the same operations made from Rhai
(tests/python/series.rhai).

The Python client sends a timestamp in seconds as it is, and Govern stores it in
January 1970: `seconds_stored` records that (govscript refuses it; not compared).
"""
import json
import sys

from dataikuapi import GovernClient
from dataikuapi.utils import DataikuException
from checks import check, summary

URL, KEY = sys.argv[1], sys.argv[2]
client = GovernClient(URL, KEY)
T = 1700000000000
out = {}


def error(fn):
    """The exception text of a call that must fail."""
    try:
        fn()
    except DataikuException as e:
        return "DataikuException: %s" % e
    check("expected an error", False)


def stamps(points):
    return [p["timestamp"] for p in points]


# Creation with initial datapoints, given out of order, values of every JSON kind.
ts = client.create_time_series([
    {"timestamp": T + 3000, "value": {"auc": 0.81}},
    {"timestamp": T + 1000, "value": 0.75},
    {"timestamp": T + 2000, "value": "n/a"},
])
check("ids are ts.N", ts.time_series_id.startswith("ts."), ts.time_series_id)
out["id"] = ts.time_series_id
out["all"] = ts.get_values()
check("ordered by timestamp", stamps(out["all"]) == [T + 1000, T + 2000, T + 3000])
out["empty"] = client.create_time_series().get_values()

# Windows: both bounds excluded.
out["window"] = stamps(ts.get_values(T + 1000, T + 3000))
out["from"] = stamps(ts.get_values(min_timestamp=T + 1000))
out["to"] = stamps(ts.get_values(max_timestamp=T + 3000))
out["wide"] = stamps(ts.get_values(T, T + 4000))
check("a window excludes its bounds", out["window"] == [T + 2000], out["window"])

# upsert True overwrites, False keeps the old value and adds new timestamps.
ts.push_values([{"timestamp": T + 2000, "value": [1, 2]}, {"timestamp": T + 4000, "value": None}])
ts.push_values([{"timestamp": T + 2000, "value": "kept?"}, {"timestamp": T + 5000, "value": True}],
               upsert=False)
out["pushed"] = ts.get_values()
check("upsert=False keeps", out["pushed"][1]["value"] == [1, 2], out["pushed"])

# Delete a window (bounds excluded), then everything; the series stays.
ts.delete(T + 1000, T + 4000)
out["after_window_delete"] = stamps(ts.get_values())
ts.delete(max_timestamp=T + 2000)
out["after_until_delete"] = stamps(ts.get_values())
ts.delete()
out["after_delete_all"] = ts.get_values()
ts.push_values([{"timestamp": T, "value": 1}])
out["still_there"] = stamps(ts.get_values())

# Unknown series.
out["unknown_get"] = error(lambda: client.get_time_series("ts.999").get_values())
out["unknown_push"] = error(lambda: client.get_time_series("ts.999").push_values([{"timestamp": T, "value": 1}]))
out["unknown_delete"] = error(lambda: client.get_time_series("ts.999").delete())

# Owner rights: bob's series is his, admins' and Govern managers' (dave), not alice's.
bob = GovernClient(URL, "bob-sandbox-key")
mine = bob.create_time_series([{"timestamp": T, "value": "bob"}])
out["bob_reads"] = stamps(mine.get_values())
out["alice_reads"] = error(lambda: GovernClient(URL, "alice-sandbox-key").get_time_series(mine.time_series_id).get_values())
out["dave_reads"] = stamps(GovernClient(URL, "dave-sandbox-key").get_time_series(mine.time_series_id).get_values())
out["admin_reads"] = stamps(client.get_time_series(mine.time_series_id).get_values())

# Scenario 5: an artifact field holds a time-series id.
bp = client.get_blueprint_designer().create_blueprint("bp.model_metrics", {"name": "Model metrics"})
v = bp.create_version("bv.v1", name="v1")
d = v.get_definition()
d.get_raw()["fieldDefinitions"] = {
    "evaluation_metrics_auc": {"label": "AUC", "fieldType": "TIME_SERIES", "required": False, "sourceType": "STORE"}}
d.save()
v.get_trace().set_status("ACTIVE")
auc = client.create_time_series([{"timestamp": T, "value": 0.9}, {"timestamp": T + 86400000, "value": 0.92}])
art = client.create_artifact({"blueprintVersionId": {"blueprintId": "bp.model_metrics", "versionId": "bv.v1"},
                              "name": "churn model", "fields": {"evaluation_metrics_auc": auc.time_series_id}})
field = art.get_definition().get_raw()["fields"]["evaluation_metrics_auc"]
out["scenario5"] = [p["value"] for p in client.get_time_series(field).get_values()]
check("scenario 5", out["scenario5"] == [0.9, 0.92], out["scenario5"])

# Not compared: what the Python client does with seconds.
secs = client.create_time_series([{"timestamp": 1700000000, "value": 1}])
check("Python sends seconds and they are stored", stamps(secs.get_values()) == [1700000000])

summary()
print("RESULT " + json.dumps(out))
