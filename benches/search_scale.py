#!/usr/bin/env python3
"""Search at scale: seeds a sandbox with N generated artifacts (`--seed bulk:N`), times
search pages over HTTP (keep-alive, stdlib only) and a Rhai script iterating every hit
with the lazy iterator (wall time and peak RSS of the `govscript run` process).

Usage: benches/search_scale.py [GOVSCRIPT_BINARY] [N]
(default: target/release/govscript, 100000). Prints a markdown table for BENCHMARKS.md.
SEARCH_BENCH_DB=FILE reuses a database seeded before (the seed time is then the start).
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
N = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
KEY = "bench-key"
RUNS = 30

ALL = {"type": "all"}
QUERIES = {
    "field EQUALS owner=bob, sort by name": {
        "artifactFilters": [{"type": "field", "conditionType": "EQUALS", "condition": "bob",
                             "fieldId": "owner"}],
        "artifactSearchSort": {"direction": "ASC", "column": {"type": "name"}}},
    "field EQUALS risk=high, sort by name DESC": {
        "artifactFilters": [{"type": "field", "conditionType": "EQUALS", "condition": "high",
                             "fieldId": "risk"}],
        "artifactSearchSort": {"direction": "DESC", "column": {"type": "name"}}},
    "blueprint + field EQUALS owner=bob, sort by field score": {
        "artifactFilters": [{"type": "blueprints", "blueprintIds": ["bp.model_review"]},
                            {"type": "field", "conditionType": "EQUALS", "condition": "bob",
                             "fieldId": "owner"}],
        "artifactSearchSort": {"direction": "ASC", "column": {"type": "field", "fields": [
            {"blueprintId": "bp.model_review", "fieldId": "score"}]}}},
    "archived + field EQUALS owner=bob, sort by field score": {
        "artifactFilters": [{"type": "archived", "isArchived": False},
                            {"type": "field", "conditionType": "EQUALS", "condition": "bob",
                             "fieldId": "owner"}],
        "artifactSearchSort": {"direction": "ASC", "column": {"type": "field", "fields": [
            {"blueprintId": "bp.model_review", "fieldId": "score"}]}}},
    "field CONTAINS description '99', sort by name": {
        "artifactFilters": [{"type": "field", "conditionType": "CONTAINS", "condition": "99",
                             "fieldId": "description"}],
        "artifactSearchSort": {"direction": "ASC", "column": {"type": "name"}}},
    "no filter, sort by workflow": {
        "artifactFilters": [],
        "artifactSearchSort": {"direction": "ASC", "column": {"type": "workflow"}}},
}

RHAI = """
let n = 0;
for hit in govern().search(#{page_size: PAGE}) { n += 1; }
print(n);
"""


def start_sandbox(db):
    env = dict(os.environ, GOVSCRIPT_SANDBOX_ADMIN_KEY=KEY)
    t0 = time.monotonic()
    proc = subprocess.Popen([BIN, "sandbox", "--db", db, "--port", "0", "--seed", f"bulk:{N}"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, text=True)
    for line in proc.stdout:
        if "listening on http://" in line:
            return proc, line.split("http://")[1].strip(), time.monotonic() - t0
    raise SystemExit("sandbox did not start")


def main():
    tmp = tempfile.mkdtemp()
    db = os.environ.get("SEARCH_BENCH_DB") or os.path.join(tmp, "bench.db")
    proc, addr, seed_s = start_sandbox(db)
    host, port = addr.split(":")
    conn = http.client.HTTPConnection(host, int(port))
    auth = "Basic " + base64.b64encode(f"{KEY}:".encode()).decode()

    def search(body):
        conn.request("POST", "/dip/publicapi/artifacts/search", json.dumps(body),
                     {"Authorization": auth, "Content-Type": "application/json"})
        r = conn.getresponse()
        data = r.read()
        assert r.status == 200, data[:300]
        return json.loads(data)

    print(f"seed bulk:{N}: {seed_s:.1f} s from start to listening (db {os.path.getsize(db) >> 20} MiB)")
    print()
    print("| query (page of 100) | hits/page | first page median ms | p95 ms | deep page median ms (after 49 pages, or past the last) |")
    print("|---|---|---|---|---|")
    for label, q in QUERIES.items():
        body = dict(artifactSearchSource=ALL, **q)
        times, deep = [], []
        for _ in range(RUNS):
            body["artifactSearchPagination"] = {"pageSize": 100, "lastArtifactId": None}
            t = time.perf_counter()
            page = search(body)
            times.append((time.perf_counter() - t) * 1000)
        # A cursor 49 pages in.
        last = None
        for _ in range(49):
            body["artifactSearchPagination"] = {"pageSize": 100, "lastArtifactId": last}
            hits = search(body)["uiArtifacts"]
            if not hits:
                break
            last = hits[-1]["artifact"]["id"]
        for _ in range(RUNS):
            body["artifactSearchPagination"] = {"pageSize": 100, "lastArtifactId": last}
            t = time.perf_counter()
            search(body)
            deep.append((time.perf_counter() - t) * 1000)
        p95 = sorted(times)[int(0.95 * len(times)) - 1]
        print(f"| {label} | {len(page['uiArtifacts'])} | {statistics.median(times):.1f} | "
              f"{p95:.1f} | {statistics.median(deep):.1f} |")
    print()
    print("| Rhai `for hit in govern().search(#{page_size: P})` over every artifact | hits | wall s | peak RSS MiB |")
    print("|---|---|---|---|")
    for page in (100, 1000):
        script = os.path.join(tmp, f"iterate{page}.rhai")
        with open(script, "w") as f:
            f.write(RHAI.replace("PAGE", str(page)))
        env = dict(os.environ, GOVERN_HOST=f"http://{addr}", GOVERN_API_KEY=KEY)
        t = time.monotonic()
        child = subprocess.Popen([BIN, "run", script], stdout=subprocess.PIPE, env=env, text=True)
        out = child.stdout.read()
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.monotonic() - t
        assert status == 0, out
        print(f"| page_size {page} | {out.strip()} | {wall:.1f} | {usage.ru_maxrss / 1024:.1f} |")
    proc.terminate()
    proc.wait()


if __name__ == "__main__":
    main()
