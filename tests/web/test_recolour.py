"""The browser-side recolour (``assets/recolour.js``) places allies as the server does.

1. The rule in JavaScript, run in Chromium, against the server's tiers: every ally,
   many (year, edition) frames, thresholds at published values (ties at the line),
   at the edges of rounding bands and between; on the bundled data and on a copy
   where shares are known only to one decimal (so "too close to call" occurs).
2. In the dashboard, with the server's view answers held back: a slider step
   recolours the map's tiles at once to the server's colours for the new threshold,
   and the server's answer, when let through, agrees (tiles and count).
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pandas as pd

import twotier
from tests.conftest import needs_browser
from twotier.data import NatoData

pytestmark = needs_browser
YEARS = [(2024, "latest"), (2023, "2024-06"), (2021, "2023-07"), (2025, "latest")]
SCRIPT = Path(twotier.__file__).parent / "web" / "assets" / "recolour.js"


def _rounded_copy() -> NatoData:
    """Bundled data with every share rounded to one decimal (half-width 0.05)."""
    base = twotier.load_data()
    figures = base.figures.copy()
    share = figures["indicator"] == "pct_gdp"
    figures.loc[share, "value"] = figures.loc[share, "value"].round(1)
    figures.loc[share, "unit"] = figures.loc[share, "unit"] + " (source gives 1 decimal)"
    return NatoData(figures=figures, allies=base.allies, editions=base.editions, aid=base.aid)


def _thresholds(frame: pd.DataFrame) -> list[float]:
    values = [float(v) for v in frame["value"].dropna()]
    halves = [float(h) for h in frame["value_halfwidth"].dropna()]
    edges = [v + s * h for v, h in zip(values, halves, strict=True) for s in (-1, 1)]
    return sorted({0.0, 1.0, 2.0, 2.5, 3.5, *values, *edges, *(v + 0.003 for v in values)})


def test_the_browser_rule_gives_the_servers_tiers(chromium: Any) -> None:
    from twotier.web.views.coverage import recolour_data

    page = chromium.new_page()
    page.add_script_tag(content=SCRIPT.read_text(encoding="utf-8"))
    cases, expected = [], []
    for data in (twotier.load_data(), _rounded_copy()):
        for year, edition in YEARS:
            start = twotier.coverage(twotier.threshold_policy(2.0), year, edition, data=data)
            for t in _thresholds(start):
                frame = twotier.coverage(twotier.threshold_policy(t), year, edition, data=data)
                cases.append([recolour_data(frame, _state(t)), t])
                status = frame["covered"].map({True: "covered", False: "not covered"})
                expected.append(list(status.fillna("unknown")))
    got = page.evaluate(
        """cases => cases.map(([f, t]) => f.iso3.map((_, i) => window.twotierStatusOf(
             f.value[i], f.halfwidth[i], f.member[i], window.twotierRoundLike(t, f.decimals))))""",
        cases,
    )
    assert len(got) == len(expected) > 300
    rounded = [row for row, (f, _) in zip(expected, cases, strict=True) if any(f["halfwidth"])]
    assert any("unknown" in row for row in rounded)  # too close to call happens
    assert got == expected
    page.close()


def test_the_browser_rounds_a_threshold_as_the_server_does(chromium: Any) -> None:
    values = (
        [i / 1000 for i in range(0, 6001, 7)] + [j / 8 for j in range(48)] + [2.0500000000000003]
    )
    page = chromium.new_page()
    page.add_script_tag(content=SCRIPT.read_text(encoding="utf-8"))
    got = page.evaluate("xs => xs.map(x => window.twotierRoundLike(x, 2))", values)
    expected = [twotier.threshold_policy(x).criteria[0].threshold for x in values]
    assert got == expected
    page.close()


def _state(threshold: float) -> Any:
    from twotier.web.state import parse_state

    return parse_state(f"?threshold={threshold}")[0]


def _covered(threshold: float) -> str:
    frame = twotier.coverage(twotier.threshold_policy(threshold), 2024)
    return str(len(twotier.coverage_summary(frame).covered))


def _tile_fills(threshold: float) -> list[str]:
    """The tile colours the server draws for ``threshold`` (2024, latest)."""
    from twotier.web.views.coverage import recolour_data

    frame = twotier.coverage(twotier.threshold_policy(threshold), 2024)
    fill = recolour_data(frame, _state(threshold))["fill"]
    status = frame["covered"].map({True: "covered", False: "not covered"}).fillna("unknown")
    status[~frame["armed_forces"].astype(bool)] = "no armed forces"
    return [fill[s] for s in status]


#: The tiles' colours as drawn (the SVG plotly drew, where the browser repaints them).
FILLS = """() => { const g = document.querySelector('#map .js-plotly-plot');
  if (!g) return null;
  const hex = c => '#' + (c.match(/\\d+/g) || []).slice(0, 3)
    .map(x => Number(x).toString(16).padStart(2, '0')).join('');
  return [...g.querySelectorAll('.shapelayer path[data-index]')]
    .sort((a, b) => a.getAttribute('data-index') - b.getAttribute('data-index'))
    .slice(0, 32).map(p => hex(p.style.fill)); }"""


def test_a_slider_step_recolours_before_the_server_answers(chromium: Any, base_url: str) -> None:
    page = chromium.new_page(viewport={"width": 1440, "height": 900})
    page.set_default_timeout(90_000)  # a loaded machine; every wait is for a condition
    page.goto(base_url + "/?threshold=2.2&year=2024", timeout=60_000)
    page.wait_for_selector("#card-covered", timeout=90_000)
    page.wait_for_function("document.querySelectorAll('#map .main-svg').length > 0",
                           timeout=90_000)  # fmt: skip
    first = json.dumps(_tile_fills(2.2), separators=(",", ":"))
    page.wait_for_function(f"JSON.stringify(({FILLS})()) === '{first}'")  # map drawn
    assert page.evaluate(FILLS) == _tile_fills(2.2) != _tile_fills(2.25)
    held: list[Any] = []
    holding = [True]

    def hold(route: Any) -> None:
        if holding[0] and "content.children" in (route.request.post_data or ""):
            held.append(route)  # the server's view answer waits
        else:
            route.continue_()

    page.route("**/_dash-update-component*", hold)
    page.locator("#threshold [role=slider]").first.focus()
    page.keyboard.press("ArrowRight")
    expected = json.dumps(_tile_fills(2.25), separators=(",", ":"))
    page.wait_for_function(f"JSON.stringify(({FILLS})()) === '{expected}'")
    # Not the server's view yet: its title and cards still say 2.2 (read from the DOM:
    # the view is behind the loading spinner once the answer is held over 500 ms).
    text = "id => document.getElementById(id).textContent"
    assert "2.25%" not in page.evaluate(text, "coverage-title")
    assert page.evaluate(text, "card-covered") == _covered(2.2)
    deadline = time.monotonic() + 90
    while not held and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    assert held, "the server's view request was sent"
    holding[0] = False
    for route in held:
        route.continue_()
    # The server's view (its title names the rule's threshold) agrees with the browser.
    page.wait_for_function(
        "(document.querySelector('#coverage-title') || {}).innerText.includes('2.25%')",
        timeout=60_000,
    )
    # The cards and the map's tiles follow the title in the same answer (plotly may draw
    # the map a moment later on a loaded machine): wait for both, then check them.
    page.wait_for_function(f"JSON.stringify(({FILLS})()) === '{expected}' && "
                           f"document.getElementById('card-covered').innerText === "
                           f"'{_covered(2.25)}'")  # fmt: skip
    page.wait_for_timeout(300)  # room for a late redraw by the server's answer to show
    assert page.inner_text("#card-covered") == _covered(2.25)
    assert page.evaluate(FILLS) == _tile_fills(2.25)
    page.close()
