"""What a reader waits for in a browser: first render, and threshold change to redraw.

Drives Debian's Chromium (``/usr/bin/chromium``, or ``$TWOTIER_CHROMIUM``) with
Playwright against ``twotier serve`` on 127.0.0.1. Every call of plotly's
``newPlot``/``react`` is timed in the page (the promise's resolution, so the chart
is drawn), whichever plotly bundle the page loads.

- first render: a new browser context (empty cache) opens the coverage view; time
  from navigation start until every chart of the view is drawn (median of 5 loads;
  also the bytes of JavaScript transferred);
- threshold change: one step of the threshold slider (arrow key, +0.05 points, a
  threshold not seen before); time until the cards show the server's count for the
  new threshold and the last chart redraw after the key press (median of 9 steps);
  also the first chart redraw after the key press (the browser-side recolour where
  there is one: a plotly draw, or a repaint of the map's or ranking's SVG in place;
  else the server's view).

With ``--old DIR`` (a checkout of the previous implementation with its own
``.venv``) the same is measured on it in the same run.
Run: ``.venv/bin/python benchmarks/bench_browser.py [--old DIR]``.
"""

from __future__ import annotations

import contextlib
import os
import statistics
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
import twotier
from _servers import old_checkout, server

CHROMIUM = os.environ.get("TWOTIER_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
LOADS = 5
STEPS = 9

#: Times every finished plotly draw (graph id, ms since navigation start).
HOOK = """
window.__draws = [];
(function () {
  function wrap(P) {
    ['newPlot', 'react'].forEach(function (name) {
      var f = P[name];
      if (!f || f.__timed) return;
      var w = function (gd) {
        var id = typeof gd === 'string' ? gd : (gd && gd.id);
        var r = f.apply(this, arguments);
        Promise.resolve(r).then(function () {
          window.__draws.push({id: id, t: performance.now()});
        });
        return r;
      };
      w.__timed = true;
      P[name] = w;
    });
  }
  var held;
  Object.defineProperty(window, 'Plotly', {
    configurable: true,
    get: function () { return held; },
    set: function (v) { held = v; if (v) wrap(v); },
  });
})();
"""

ALL_DRAWN = """() => {
  const graphs = [...document.querySelectorAll('#content .js-plotly-plot')];
  return document.querySelector('#coverage-title') && graphs.length >= 3 &&
         graphs.every(g => g.querySelector('.main-svg'));
}"""


def _covered(threshold: float) -> int:
    frame = twotier.coverage(twotier.threshold_policy(threshold), 2024, "latest")
    return len(twotier.coverage_summary(frame).covered)


def first_render(browser: Any, base: str) -> tuple[float, int]:
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    context.add_init_script(HOOK)
    page = context.new_page()
    sizes: list[int] = []

    def on_response(r: Any) -> None:
        if r.url.split("?")[0].endswith(".js"):
            with contextlib.suppress(Exception):  # a response without a body
                sizes.append(int(r.header_value("content-length") or len(r.body())))

    page.on("response", on_response)
    page.goto(base + "/", wait_until="commit")
    page.wait_for_function(ALL_DRAWN, timeout=120_000)
    page.wait_for_timeout(300)
    last = page.evaluate("Math.max(...window.__draws.map(d => d.t))")
    context.close()
    return float(last), sum(sizes)


def threshold_steps(browser: Any, base: str) -> tuple[list[float], list[float]]:
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    context.add_init_script(HOOK)
    page = context.new_page()
    page.goto(base + "/")
    page.wait_for_function(ALL_DRAWN, timeout=120_000)
    page.wait_for_timeout(500)
    handle = page.locator("#threshold [role=slider]").first
    handle.focus()
    times, firsts = [], []
    threshold = 2.0
    for _ in range(STEPS):
        threshold = round(threshold + 0.05, 2)
        expected = str(_covered(threshold))
        page.evaluate(
            "() => { window.__t0 = performance.now(); window.__card = null;"
            " const el = document.querySelector('#card-covered');"
            " window.__obs && window.__obs.disconnect();"
            " window.__obs = new MutationObserver(() => { window.__card = performance.now(); });"
            " window.__obs.observe(document.querySelector('#content'),"
            "   {subtree: true, childList: true, characterData: true});"
            " window.__paint = null; window.__paints && window.__paints.disconnect();"
            " window.__paints = new MutationObserver(() => {"
            "   window.__paint = window.__paint || performance.now(); });"
            " ['#map', '#ranking'].forEach(id => window.__paints.observe("
            "   document.querySelector(id), {subtree: true, attributeFilter: ['style']})); }"
        )
        page.keyboard.press("ArrowRight")
        page.wait_for_function(
            f"() => (document.querySelector('#card-covered') || {{}}).innerText === '{expected}'"
            f" && window.location.search.includes('threshold={threshold:g}')",
            timeout=120_000,
        )
        page.wait_for_timeout(600)  # quiet: no more redraws
        done = page.evaluate(
            "Math.max(window.__card || 0, ...window.__draws.filter(d => d.t > window.__t0)"
            ".map(d => d.t)) - window.__t0"
        )
        first = page.evaluate(
            "Math.min(window.__paint || Infinity,"
            " ...window.__draws.filter(d => d.t > window.__t0).map(d => d.t)) - window.__t0"
        )
        times.append(float(done))
        firsts.append(float(first))
    context.close()
    return times, firsts


def measure(browser: Any, base: str) -> dict[str, float]:
    first_render(browser, base)  # warm the server
    loads = [first_render(browser, base) for _ in range(LOADS)]
    steps, firsts = threshold_steps(browser, base)
    return {
        "first render ms (median)": statistics.median(t for t, _ in loads),
        "JavaScript kB": loads[-1][1] / 1024,
        "threshold change to redraw ms (median)": statistics.median(steps),
        "threshold change to redraw ms (max)": max(steps),
        "threshold change to first redraw ms (median)": statistics.median(firsts),
    }


def main() -> None:
    from playwright.sync_api import sync_playwright

    old = old_checkout(sys.argv)
    results = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        with server() as base:
            results["new"] = measure(browser, base)
        if old is not None:
            with server(old) as base:
                results["old"] = measure(browser, base)
        browser.close()
    for label, r in results.items():
        for key, value in r.items():
            print(f"{label:<4} {key:<40} {value:9.0f}")
    if "old" in results:
        for key in results["new"]:
            print(f"ratio old/new {key:<40} {results['old'][key] / results['new'][key]:6.1f}x")


if __name__ == "__main__":
    main()
