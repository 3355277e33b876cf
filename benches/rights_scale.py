#!/usr/bin/env python3
"""Rights at scale: one sandbox seeded with N generated artifacts and R generated
role-assignment rules (`--seed bulk:N,rules:R`), then the same search pages timed with
the admin key and with non-admin user keys, alternately, in one run (HTTP keep-alive,
stdlib only). Per query and key: the first page, a deep page (after the key's own
1,000th hit, or its middle hit when it has fewer) and a count (every page of 100
fetched in turn, as a script's `.count()` does).

The non-admin keys are the demo seed's: alice reads the models she owns (a `fieldIds`
rule: the grants table) and the initiatives and projects of group `readers` (a static
rule: a blueprint condition); carol also reads the High-risk models (a criteria rule).

Usage: benches/rights_scale.py [GOVSCRIPT_BINARY] [N] [R]
(default: target/release/govscript, 10000, 50). Prints a markdown table for
BENCHMARKS.md: median and p95 request time per key and the ratio to the admin's.
"""
import base64
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

BIN = sys.argv[1] if len(sys.argv) > 1 else "target/release/govscript"
N = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
R = int(sys.argv[3]) if len(sys.argv) > 3 else 50
ADMIN = "bench-key"
USERS = {"alice": "alice-sandbox-key", "carol": "carol-sandbox-key"}
RUNS = 30
COUNT_RUNS = 5
DEPTH = 1000

ALL = {"type": "all"}
QUERIES = {
    "no filter, no sort": {"artifactFilters": []},
    "blueprint bp.model_review, sort by name": {
        "artifactFilters": [{"type": "blueprints", "blueprintIds": ["bp.model_review"]}],
        "artifactSearchSort": {"direction": "ASC", "column": {"type": "name"}}},
    "field EQUALS risk=high, sort by field score": {
        "artifactFilters": [{"type": "field", "conditionType": "EQUALS", "condition": "high",
                             "fieldId": "risk"}],
        "artifactSearchSort": {"direction": "ASC", "column": {"type": "field", "fields": [
            {"blueprintId": "bp.model_review", "fieldId": "score"}]}}},
}


def start_sandbox(db):
    env = dict(os.environ, GOVSCRIPT_SANDBOX_ADMIN_KEY=ADMIN)
    t0 = time.monotonic()
    proc = subprocess.Popen([BIN, "sandbox", "--db", db, "--port", "0", "--seed",
                             f"bulk:{N},rules:{R}"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, text=True)
    for line in proc.stdout:
        if "listening on http://" in line:
            return proc, line.split("http://")[1].strip(), time.monotonic() - t0
    raise SystemExit("sandbox did not start")


def main():
    tmp = tempfile.mkdtemp()
    db = os.path.join(tmp, "bench.db")
    proc, addr, seed_s = start_sandbox(db)
    host, port = addr.split(":")
    conns = {}

    def search(key, body):
        auth = "Basic " + base64.b64encode(f"{key}:".encode()).decode()
        for attempt in (1, 2):  # the server may have closed an idle keep-alive connection
            conn = conns.setdefault(key, http.client.HTTPConnection(host, int(port)))
            try:
                conn.request("POST", "/dip/publicapi/artifacts/search", json.dumps(body),
                             {"Authorization": auth, "Content-Type": "application/json"})
                r = conn.getresponse()
                break
            except (BrokenPipeError, ConnectionResetError, http.client.RemoteDisconnected):
                conns.pop(key).close()
                if attempt == 2:
                    raise
        data = r.read()
        assert r.status == 200, data[:300]
        return json.loads(data)

    keys = {"admin": ADMIN, **USERS}

    def page(key, q, last):
        body = dict(artifactSearchSource=ALL,
                    artifactSearchPagination={"pageSize": 100, "lastArtifactId": last}, **q)
        return search(key, body)

    def every_hit(key, q):
        ids, last = [], None
        while True:
            r = page(key, q, last)
            ids.extend(h["artifact"]["id"] for h in r["uiArtifacts"])
            if not r["hasNextPage"]:
                return ids
            last = ids[-1]

    def timed(runs, work):
        """Median and p95 ms of `work(key)` per key, keys alternating (same load)."""
        times = {k: [] for k in keys}
        for _ in range(runs):
            for k, key in keys.items():
                t = time.perf_counter()
                work(key)
                times[k].append((time.perf_counter() - t) * 1000)
        return times

    print(f"seed bulk:{N},rules:{R}: {seed_s:.1f} s from start to listening "
          f"(db {os.path.getsize(db) >> 20} MiB)")
    print()
    print("| query | request | key | hits | median ms | p95 ms | median / admin's |")
    print("|---|---|---|---|---|---|---|")
    worst = 0.0
    for label, q in QUERIES.items():
        hits = {k: every_hit(key, q) for k, key in keys.items()}  # warm-up too
        cursor = {k: (h[DEPTH - 1] if len(h) > DEPTH + 100 else h[len(h) // 2] if h else None)
                  for k, h in hits.items()}
        requests = {
            "first page of 100": (RUNS, lambda key, k: page(key, q, None),
                                  lambda k: min(100, len(hits[k]))),
            "deep page of 100": (RUNS, lambda key, k: page(key, q, cursor[k]),
                                 lambda k: len(page(keys[k], q, cursor[k])["uiArtifacts"])),
            "count (every page)": (COUNT_RUNS, lambda key, k: every_hit(key, q),
                                   lambda k: len(hits[k])),
        }
        for request, (runs, work, seen) in requests.items():
            names = {key: k for k, key in keys.items()}
            times = timed(runs, lambda key: work(key, names[key]))
            admin_median = statistics.median(times["admin"])
            for k in keys:
                median = statistics.median(times[k])
                p95 = sorted(times[k])[max(0, int(0.95 * runs) - 1)]
                ratio = median / admin_median
                worst = max(worst, ratio)
                print(f"| {label} | {request} | {k} | {seen(k)} | {median:.1f} | {p95:.1f} | "
                      f"{ratio:.2f} |", flush=True)
    print()
    print(f"worst median / admin's: {worst:.2f}")
    proc.terminate()
    proc.wait()


if __name__ == "__main__":
    main()
