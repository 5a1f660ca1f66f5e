"""Latency of the coverage view's data requests under 20 concurrent clients (loopback).

Starts the dashboard in a subprocess on 127.0.0.1, then 20 client threads each send
requests for a while: (a) the JSON endpoint /api/coverage and (b) the Dash callback
that draws the coverage view (the POST the page itself makes), for a mix of
thresholds and years (the first request of each combination is a cache miss).
Prints p50 / p95 / max in milliseconds. Bounded: 20 clients x 25 requests each.
Run: ``.venv/bin/python benchmarks/bench_web.py``.
"""

from __future__ import annotations

import json
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

CLIENTS = 20
REQUESTS = 25


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def callback_payload(search: str) -> bytes:
    body = {
        "output": "..content.children...error.children...ctl-editions.style...ctl-trends.style"
        "...ctl-compare.style...ctl-projections.style..",
        "outputs": [{"id": i, "property": p} for i, p in [
            ("content", "children"), ("error", "children"), ("ctl-editions", "style"),
            ("ctl-trends", "style"), ("ctl-compare", "style"), ("ctl-projections", "style")]],
        "inputs": [{"id": "url", "property": "search", "value": search}],
        "changedPropIds": ["url.search"],
        "state": [],
    }  # fmt: skip
    return json.dumps(body).encode()


def timed(request: urllib.request.Request) -> float:
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=30) as r:
        r.read()
        assert r.status == 200
    return (time.perf_counter() - start) * 1000


def run(base: str, kind: str) -> list[float]:
    combos = [(t, y) for t in (1.5, 2.0, 2.5, 3.0, 3.5) for y in (2022, 2023, 2024)]

    def client(i: int) -> list[float]:
        out = []
        for k in range(REQUESTS):
            t, y = combos[(i + k) % len(combos)]
            if kind == "api":
                req = urllib.request.Request(f"{base}/api/coverage?threshold={t}&year={y}")
            else:
                req = urllib.request.Request(
                    f"{base}/_dash-update-component", data=callback_payload(
                        f"?threshold={t}&year={y}"),
                    headers={"Content-Type": "application/json"})  # fmt: skip
            out.append(timed(req))
        return out

    with ThreadPoolExecutor(CLIENTS) as pool:
        return [x for part in pool.map(client, range(CLIENTS)) for x in part]


def report(label: str, samples: list[float]) -> None:
    q = statistics.quantiles(samples, n=100)
    print(f"{label:<34} n={len(samples):4d}  p50 {q[49]:7.1f} ms  p95 {q[94]:7.1f} ms  "
          f"max {max(samples):7.1f} ms")  # fmt: skip


def main() -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen([sys.executable, "-m", "twotier.cli", "serve", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/api/coverage?year=2024", timeout=2).read()
                break
            except OSError:
                time.sleep(0.2)
        for kind, label in (("api", "GET /api/coverage"), ("dash", "coverage view callback")):
            report(f"{label} (first pass)", run(base, kind))
            report(f"{label} (warm)", run(base, kind))
    finally:
        proc.terminate()
        proc.wait(timeout=10)


if __name__ == "__main__":
    main()
