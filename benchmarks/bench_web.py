"""Coverage view updates as the user makes them: distinct and repeated, 1 and 20 clients.

The user's case is a new threshold on each move of the slider, so most requests are
*distinct* (no cache can answer them). For each server this starts ``twotier serve``
on 127.0.0.1 and sends the Dash callback the page itself makes when the URL changes
(found in ``/_dash-dependencies``: the callback whose input is ``url.search`` and
which draws ``content``):

- distinct: every request a threshold (0.50 to 5.99, step 0.01) and year not asked
  before of that server;
- repeated: the same 15 (threshold, year) pairs again and again (cache hits).

Each at 1 client (40 requests) and 20 concurrent clients (20 x 20 requests). Prints
p50 / p95 / max latency and completed updates per second. With ``--old DIR`` (a
checkout of the previous implementation with its own ``.venv``) the same requests
are sent to it in the same run and the ratios are printed.
Run: ``.venv/bin/python benchmarks/bench_web.py [--old DIR] [--workers N]``.
"""

from __future__ import annotations

import itertools
import json
import statistics
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _servers import old_checkout, server

CLIENTS = 20
PER_CLIENT = 20
SINGLE = 40
YEARS = (2024, 2023, 2022)


def _view_callback(base: str) -> dict[str, object]:
    with urllib.request.urlopen(base + "/_dash-dependencies", timeout=30) as r:
        deps = json.loads(r.read())
    for dep in deps:
        ids = [(i["id"], i["property"]) for i in dep["inputs"]]
        if ("url", "search") in ids and "content.children" in dep["output"]:
            return dep
    raise RuntimeError("no callback draws content from url.search")


def _outputs(spec: str) -> list[dict[str, str]]:
    parts = spec.strip(".").split("...") if spec.startswith("..") else [spec]
    out = []
    for part in parts:
        ident, prop = part.rsplit(".", 1)
        out.append({"id": ident, "property": prop})
    return out


def payload_maker(base: str) -> Callable[[str], bytes]:
    dep = _view_callback(base)
    outputs = _outputs(str(dep["output"]))

    def make(search: str) -> bytes:
        inputs = [
            {**i, "value": search if (i["id"], i["property"]) == ("url", "search") else None}
            for i in dep["inputs"]  # type: ignore[attr-defined]
        ]
        state = [{**s, "value": None} for s in dep["state"]]  # type: ignore[attr-defined]
        body = {
            "output": dep["output"],
            "outputs": outputs if len(outputs) > 1 else outputs[0],
            "inputs": inputs,
            "changedPropIds": ["url.search"],
            "state": state,
        }
        return json.dumps(body).encode()

    return make


def timed(base: str, body: bytes) -> float:
    req = urllib.request.Request(
        f"{base}/_dash-update-component",
        data=body,
        headers={"Content-Type": "application/json", "Accept-Encoding": "gzip"},
    )
    start = time.perf_counter()
    with urllib.request.urlopen(req, timeout=120) as r:
        r.read()
        if r.status != 200:
            raise RuntimeError(f"status {r.status}")
    return (time.perf_counter() - start) * 1000


def distinct_searches() -> Iterator[str]:
    for t in range(50, 600):
        for y in YEARS:
            yield f"?threshold={t / 100:.2f}&year={y}"


REPEATED = [f"?threshold={t}&year={y}" for t in (1.5, 2.0, 2.5, 3.0, 3.5) for y in YEARS]


def run(base: str, searches: Iterator[str], clients: int, per_client: int) -> dict[str, float]:
    make = payload_maker(base)
    lock = threading.Lock()

    def next_search() -> str:
        with lock:
            return next(searches)

    def client(_: int) -> list[float]:
        return [timed(base, make(next_search())) for _ in range(per_client)]

    start = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        samples = [x for part in pool.map(client, range(clients)) for x in part]
    wall = time.perf_counter() - start
    q = statistics.quantiles(samples, n=100)
    return {"n": len(samples), "p50": q[49], "p95": q[94], "max": max(samples),
            "rate": len(samples) / wall}  # fmt: skip


def measure(base: str) -> dict[str, dict[str, float]]:
    distinct = distinct_searches()
    for s in REPEATED:  # warm the repeated pairs (and the server's imports)
        timed(base, payload_maker(base)(s))
    return {
        "distinct, 1 client": run(base, distinct, 1, SINGLE),
        "distinct, 20 clients": run(base, distinct, CLIENTS, PER_CLIENT),
        "repeated, 1 client": run(base, itertools.cycle(REPEATED), 1, SINGLE),
        "repeated, 20 clients": run(base, itertools.cycle(REPEATED), CLIENTS, PER_CLIENT),
    }


def show(label: str, results: dict[str, dict[str, float]]) -> None:
    for case, r in results.items():
        print(
            f"{label:<4} {case:<22} n={r['n']:4.0f}  p50 {r['p50']:7.1f} ms  "
            f"p95 {r['p95']:7.1f} ms  max {r['max']:7.1f} ms  {r['rate']:6.1f} updates/s"
        )


def main() -> None:
    old = old_checkout(sys.argv)
    args: tuple[str, ...] = ()
    if "--workers" in sys.argv:
        args = ("--workers", sys.argv[sys.argv.index("--workers") + 1])
    with server(None, args) as base:
        new = measure(base)
    show("new", new)
    if old is None:
        return
    with server(old) as base:
        before = measure(base)
    show("old", before)
    for case in new:
        n, o = new[case], before[case]
        print(f"ratio {case:<22} p95 old/new {o['p95'] / n['p95']:6.1f}x  "
              f"rate new/old {n['rate'] / o['rate']:6.1f}x")  # fmt: skip


if __name__ == "__main__":
    main()
