"""Coverage view updates as the user makes them: distinct and repeated, 1 and 20 clients.

The user's case is a new threshold on each move of the slider, so most requests are
*distinct* (no cache can answer them). For each server this starts ``twotier serve``
on 127.0.0.1 and sends the Dash callback the page itself makes (found in
``/_dash-dependencies``: the callback whose input is ``url.search`` and which draws
``content``):

- distinct: every request a threshold (0.50 to 5.99, step 0.01) and year not asked
  before of that server (client i moves the threshold in year 2024, 2023 or 2022 by
  i mod 3), sent as the page sends a move of the slider: where the
  callback takes the controls and the view shown (``drawn``), one request from the
  controls, answered with the new link and the changes to the view (each client a page
  that keeps what the server answered); else (an older checkout) the view request
  from the link, which draws the whole view;
- repeated: the same 15 (threshold, year) pairs again and again (cache hits), as
  links opened (the whole view).

Each at 1 client (40 requests) and 20 concurrent clients (20 x 20 requests). Prints
p50 / p95 / max latency and completed updates per second. With ``--old DIR`` (a
checkout of the previous implementation with its own ``.venv``) the same requests
are sent to it in the same run and the ratios are printed.
Run: ``.venv/bin/python benchmarks/bench_web.py [--old DIR] [--workers N]``.
"""

from __future__ import annotations

import gzip
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
from typing import Any

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
    """Bodies of the request the page makes when the link changes (the view drawn whole)."""
    dep = _view_callback(base)
    outputs = _outputs(str(dep["output"]))
    empty = {"options": [], "data": None}  # the page's stores before anything is chosen

    def make(search: str) -> bytes:
        inputs = [
            {**i, "value": search if (i["id"], i["property"]) == ("url", "search") else None}
            for i in dep["inputs"]  # type: ignore[attr-defined]
        ]
        state = [{**s, "value": empty.get(s["property"])} for s in dep["state"]]  # type: ignore[attr-defined]
        body = {
            "output": dep["output"],
            "outputs": outputs if len(outputs) > 1 else outputs[0],
            "inputs": inputs,
            "changedPropIds": ["url.search"],
            "state": state,
        }
        return json.dumps(body).encode()

    return make


def _post(base: str, body: bytes) -> tuple[float, bytes]:
    req = urllib.request.Request(
        f"{base}/_dash-update-component",
        data=body,
        headers={"Content-Type": "application/json", "Accept-Encoding": "gzip"},
    )
    start = time.perf_counter()
    with urllib.request.urlopen(req, timeout=120) as r:
        raw = r.read()
        if r.status != 200:
            raise RuntimeError(f"status {r.status}")
        if r.headers.get("Content-Encoding") == "gzip":
            raw = gzip.decompress(raw)
    return (time.perf_counter() - start) * 1000, raw


def timed(base: str, body: bytes) -> float:
    return _post(base, body)[0]


class Slider:
    """One page moving the threshold (and year) slider, as the page posts it.

    Where the page's main callback takes the controls and the view the page shows
    (``drawn``), a move is one request from the controls, answered with the link and
    the view's changes. Otherwise (an older checkout: the link first, then the view from
    the link) the view request is the one measured, as before.
    """

    def __init__(self, base: str) -> None:
        self.base = base
        self.dep: Any = _view_callback(base)
        self.outputs = _outputs(str(self.dep["output"]))
        self.link = payload_maker(base)
        ids = {(i["id"], i["property"]) for i in self.dep["inputs"]}
        self.steps = ("threshold", "value") in ids and any(
            s["id"] == "drawn" for s in self.dep["state"]
        )
        self.search = ""
        self.values: dict[str, Any] = {}
        self.drawn: Any = None

    def _keep(self, raw: bytes) -> None:
        answer = json.loads(raw)["response"]
        for ident, props in answer.items():
            for prop, value in props.items():
                if ident == "url" and prop == "search":
                    self.search = value
                elif ident == "drawn" and prop == "data":
                    self.drawn = value
                else:
                    self.values[f"{ident}.{prop}"] = value

    def _keep_moved(self, raw: bytes) -> None:
        """After a move, the link and the view drawn, read alone (the client shares the
        machine with the server: it does not parse the whole answer)."""
        decoder = json.JSONDecoder()
        text = raw.decode("utf-8")
        # Dash lists the outputs in order: content, ..., drawn, view-changes, url, ...
        at = text.find('"drawn":')
        if at >= 0:
            self.drawn = decoder.raw_decode(text, at + len('"drawn":'))[0].get("data", self.drawn)
        at = text.rfind('"url":')
        if at >= 0:
            self.search = decoder.raw_decode(text, at + len('"url":'))[0].get("search", self.search)

    def open(self, search: str) -> None:
        """Open the link ``search`` (not measured)."""
        self.search = search
        self._keep(_post(self.base, self.link(search))[1])

    def move(self, search: str) -> float:
        """Move the slider to the threshold and year of ``search``; milliseconds."""
        if not self.steps:
            return timed(self.base, self.link(search))
        wanted = dict(pair.split("=") for pair in search.lstrip("?").split("&"))
        if not self.drawn:
            self.open(f"?threshold=2.00&year={wanted['year']}")
        values = {**self.values, "threshold.value": float(wanted["threshold"]),
                  "year.value": int(wanted["year"])}  # fmt: skip
        inputs = [
            {**i, "value": self.search if i["id"] == "url"
             else values.get(f"{i['id']}.{i['property']}")}
            for i in self.dep["inputs"]
        ]  # fmt: skip
        empty = {"options": [], "data": ""}
        state = [
            {**s, "value": self.drawn if s["id"] == "drawn"
             else values.get(f"{s['id']}.{s['property']}", empty.get(s["property"]))}
            for s in self.dep["state"]
        ]  # fmt: skip
        body = {
            "output": self.dep["output"],
            "outputs": self.outputs,
            "inputs": inputs,
            "changedPropIds": ["threshold.value"],
            "state": state,
        }
        ms, raw = _post(self.base, json.dumps(body).encode())
        self.values.update({"threshold.value": values["threshold.value"],
                            "year.value": values["year.value"]})  # fmt: skip
        self._keep_moved(raw)
        return ms


def distinct_searches() -> dict[int, Iterator[str]]:
    """Per year, the thresholds 0.50 to 5.99 in steps of 0.01 (each asked once)."""
    return {y: iter([f"?threshold={t / 100:.2f}&year={y}" for t in range(50, 600)]) for y in YEARS}


REPEATED = [f"?threshold={t}&year={y}" for t in (1.5, 2.0, 2.5, 3.0, 3.5) for y in YEARS]


def run(
    base: str,
    searches: Iterator[str] | dict[int, Iterator[str]],
    clients: int,
    per_client: int,
    *,
    slider: bool = False,
) -> dict[str, float]:
    """Each client sends ``per_client`` requests; per year streams go to client i's year."""
    make = payload_maker(base)
    lock = threading.Lock()

    def next_search(i: int) -> str:
        with lock:
            if isinstance(searches, dict):  # client i moves the slider in one year
                return next(searches[YEARS[i % len(YEARS)]])
            return next(searches)

    def client(i: int) -> list[float]:
        if slider:  # each client a page moving its slider
            page = Slider(base)
            return [page.move(next_search(i)) for _ in range(per_client)]
        return [timed(base, make(next_search(i))) for _ in range(per_client)]

    start = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        samples = [x for part in pool.map(client, range(clients)) for x in part]
    wall = time.perf_counter() - start
    q = statistics.quantiles(samples, n=100)
    return {"n": len(samples), "p50": q[49], "p95": q[94], "max": max(samples),
            "rate": len(samples) / wall}  # fmt: skip


def measure(base: str) -> dict[str, dict[str, float]]:
    mode = (
        "slider moves (controls -> link + view changes)"
        if Slider(base).steps
        else ("view requests from the link (the whole view)")
    )
    print(f"# {base}: distinct updates sent as {mode}", file=sys.stderr)
    distinct = distinct_searches()
    for s in REPEATED:  # warm the repeated pairs (and the server's imports)
        timed(base, payload_maker(base)(s))
    return {
        "distinct, 1 client": run(base, distinct, 1, SINGLE, slider=True),
        "distinct, 20 clients": run(base, distinct, CLIENTS, PER_CLIENT, slider=True),
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
