#!/usr/bin/env python3
"""Rights at scale: one sandbox seeded with N generated artifacts and R generated
role-assignment rules (`--seed bulk:N,rules:R`), then the same search pages timed with
the admin key and with non-admin user keys, alternately, in one run (HTTP keep-alive,
stdlib only).

The non-admin keys are the demo seed's: alice reads the models she owns (a `fieldIds`
rule: the grants table) and the initiatives and projects of group `readers` (a static
rule: a blueprint condition); carol also reads the High-risk models (a criteria rule).

Usage: benches/rights_scale.py [GOVSCRIPT_BINARY] [N] [R]
(default: target/release/govscript, 10000, 50). Prints a markdown table for
BENCHMARKS.md: median and p95 page time per key and the ratio to the admin's.
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
    print(f"seed bulk:{N},rules:{R}: {seed_s:.1f} s from start to listening "
          f"(db {os.path.getsize(db) >> 20} MiB)")
    print()
    print("| query (page of 100) | key | hits/page | median ms | p95 ms | median / admin's |")
    print("|---|---|---|---|---|---|")
    for label, q in QUERIES.items():
        body = dict(artifactSearchSource=ALL, artifactSearchPagination={"pageSize": 100,
                                                                         "lastArtifactId": None}, **q)
        times = {k: [] for k in keys}
        hits = {}
        for k, key in keys.items():  # warm-up, and the page size seen
            hits[k] = len(search(key, body)["uiArtifacts"])
        for _ in range(RUNS):  # alternate keys, so that both see the same machine load
            for k, key in keys.items():
                t = time.perf_counter()
                search(key, body)
                times[k].append((time.perf_counter() - t) * 1000)
        admin_median = statistics.median(times["admin"])
        for k in keys:
            median = statistics.median(times[k])
            p95 = sorted(times[k])[int(0.95 * RUNS) - 1]
            print(f"| {label} | {k} | {hits[k]} | {median:.1f} | {p95:.1f} | "
                  f"{median / admin_median:.2f} |")
    proc.terminate()
    proc.wait()


if __name__ == "__main__":
    main()
