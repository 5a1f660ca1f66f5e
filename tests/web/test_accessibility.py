"""Accessibility of the dashboard in Debian's Chromium: axe-core, keyboard, language.

axe-core (Deque, MPL-2.0) comes from the npm registry through ``scripts/fetch-axe``
(run by ``scripts/test``) into ``.cache/``; it is injected into each page. Without
Chromium or the fetched file the tests skip with a reason.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import needs_browser
from twotier.web.registry import views

AXE_VERSION = "4.10.3"
AXE = Path(
    os.environ.get(
        "TWOTIER_AXE",
        Path(__file__).resolve().parents[2] / ".cache" / f"axe-core-{AXE_VERSION}" / "axe.min.js",
    )
)
needs_axe = pytest.mark.skipif(not AXE.exists(), reason="axe-core not fetched (scripts/fetch-axe)")

DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}


#: Longest wait for anything in a page (ms): generous, for a loaded machine; a wait is
#: for a condition, so a fast machine goes on at once.
WAIT_MS = 90_000


def _open(browser: Any, url: str, viewport: dict[str, int]) -> Any:
    page = browser.new_page(viewport=viewport)
    page.set_default_timeout(WAIT_MS)
    pending = _dash_requests(page)
    _go(page, url)
    # networkidle is half a second without requests; a busy browser can take longer
    # between two chained callbacks: wait until none has been pending for a second.
    quiet, deadline = 0, time.monotonic() + WAIT_MS / 1000
    while quiet < 4:
        assert time.monotonic() < deadline, f"{pending[0]} callback requests still pending"
        page.wait_for_timeout(250)  # also delivers the request events
        quiet = quiet + 1 if pending[0] == 0 else 0
    return page


def _go(page: Any, url: str) -> None:
    """Load ``url`` and wait until the view is drawn and no request is pending."""
    page.goto(url, timeout=WAIT_MS)
    page.wait_for_selector("#content > *", timeout=WAIT_MS)
    page.wait_for_load_state("networkidle", timeout=WAIT_MS)


def _dash_requests(page: Any) -> list[int]:
    """A counter of the page's callback requests still waiting for their answer."""
    pending = [0]

    def sent(request: Any) -> None:
        if "_dash-update-component" in request.url:
            pending[0] += 1

    def ended(request: Any) -> None:
        if "_dash-update-component" in request.url:
            pending[0] -= 1

    page.on("request", sent)
    page.on("requestfinished", ended)
    page.on("requestfailed", ended)
    return pending


def _axe(page: Any) -> list[dict[str, Any]]:
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "nodes": [n["target"] for n in v["nodes"]][:3],
        }
        for v in result["violations"]
        if v["impact"] in ("serious", "critical") or v["id"] in LANDMARK_RULES
    ]


#: Moderate axe rules kept at zero too: one footer landmark, every control in a landmark.
LANDMARK_RULES = ("region", "landmark-no-duplicate-contentinfo", "landmark-unique")


@needs_browser
@needs_axe
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_no_serious_critical_or_landmark_axe_violations(
    base_url: str, chromium: Any, viewport: dict[str, int]
) -> None:
    found = {}
    for view in [v.id for v in views()]:
        page = _open(chromium, f"{base_url}/?tab={view}", viewport)
        problems = _axe(page)
        if problems:
            found[view] = problems
        page.close()
    assert found == {}


@needs_browser
def test_page_language_is_english(base_url: str, chromium: Any) -> None:
    page = _open(chromium, base_url, DESKTOP)
    assert page.evaluate("document.documentElement.lang") == "en"
    page.close()


@needs_browser
def test_keyboard_reaches_and_opens_every_view(base_url: str, chromium: Any) -> None:
    """Tab from the top of the page reaches each view's tab; Enter opens it."""
    page = _open(chromium, base_url, DESKTOP)
    labels = {v.label: v.id for v in views()}
    reached: dict[str, int] = {}
    for step in range(80):
        page.keyboard.press("Tab")
        text = page.evaluate("(document.activeElement.innerText || '').trim()")
        if text in labels and text not in reached:
            reached[text] = step
    assert set(reached) == set(labels)
    # Enter on the last view's tab opens that view (the URL says so).
    last = views()[-1]
    _go(page, base_url)  # settled as when the Tabs were counted
    for _ in range(reached[last.label] + 1):
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_function(f"location.search.includes('tab={last.id}')")
    page.close()


def _api(base_url: str, query: str) -> dict[str, Any]:
    import json
    import urllib.request

    with urllib.request.urlopen(f"{base_url}/api/coverage?{query}") as answer:
        body: dict[str, Any] = json.loads(answer.read())
    return body


@needs_browser
def test_explain_panel_numbers_equal_the_api(base_url: str, chromium: Any) -> None:
    query = "policy=two-tier-2pct&year=2024&edition=2024-06"
    page = _open(chromium, f"{base_url}/?{query}&ally=ESP&whatif=2.1", DESKTOP)
    page.wait_for_selector("#explain")
    spain = next(a for a in _api(base_url, query)["allies"] if a["iso3"] == "ESP")
    assert page.inner_text("#explain-value-0").startswith(f"{spain['value']:.2f}")
    assert page.inner_text("#explain-margin-0") == f"{spain['margin_pp']:+.2f}"
    assert page.inner_text("#explain-shortfall") == f"US$ {spain['shortfall_usd_m']:,.1f} million"
    assert page.inner_text("#explain-whatif-status").startswith("covered")
    # Spain is outlined in the ranking (the picked ally is highlighted in every chart).
    count = """() => [...document.querySelectorAll('#ranking .point path')]
                 .filter(p => (p.style.stroke || '').includes('17, 17, 17')).length"""
    page.wait_for_function(f"({count})() === 1")  # plotly draws after the answer
    assert page.evaluate(count) == 1
    page.close()


@needs_browser
def test_ally_found_by_name_and_what_if_applied_with_enter(base_url: str, chromium: Any) -> None:
    page = _open(chromium, base_url, DESKTOP)
    page.click("#ally")
    page.keyboard.type("Spain")
    page.keyboard.press("Enter")
    page.wait_for_function("location.search.includes('ally=ESP')")
    page.fill("#whatif", "2.5")
    page.keyboard.press("Enter")
    page.wait_for_function("location.search.includes('whatif=2.5')")
    page.wait_for_selector("#explain-whatif")
    assert "If Spain's figure were 2.5" in page.inner_text("#explain-whatif")
    page.close()


@needs_browser
def test_slider_mark_and_number_box_set_exact_values(base_url: str, chromium: Any) -> None:
    page = _open(chromium, base_url, DESKTOP)
    # A click where the label is (the slider's track lies over it and takes the click).
    box = page.locator("#threshold .dash-slider-mark", has_text="3.5%").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_function("location.search.includes('threshold=3.5')")
    assert "threshold=3.45" not in page.evaluate("location.search")
    number = page.locator("#threshold input")
    number.fill("2.7")
    number.press("Enter")
    page.wait_for_function("location.search.includes('threshold=2.7')")
    page.close()


@needs_browser
def test_years_offered_are_those_of_the_edition(base_url: str, chromium: Any) -> None:
    """Edition 2024-06 has no 2025 figures: 2025 is not offered, and a link asking for
    it moves to the nearest year that has figures."""
    import twotier

    page = _open(chromium, f"{base_url}/?edition=2024-06&year=2025", DESKTOP)
    page.wait_for_function("!location.search.includes('year=2025')")
    expected = twotier.years_with_figures(twotier.load_data(), "2024-06")
    thumb = page.locator("#year [role=slider]")
    page.wait_for_function(
        f"document.querySelector('#year [role=slider]').getAttribute('aria-valuemax') == "
        f"'{max(expected)}'")  # fmt: skip
    assert thumb.get_attribute("aria-valuemin") == str(min(expected))
    assert thumb.get_attribute("aria-valuenow") == "2024"
    page.close()


def _year_now(page: Any) -> int:
    return int(page.locator("#year [role=slider]").get_attribute("aria-valuenow"))


def _settled(page: Any, pending: list[int]) -> int:
    """The year once the slider is paused, every callback request has its answer and the
    link names the slider's year, unchanged for a second (a step already on its way
    when Pause was pressed still lands; on a loaded machine that can take seconds)."""
    seen: list[tuple[Any, ...]] = []
    deadline = time.monotonic() + WAIT_MS / 1000
    while time.monotonic() < deadline:
        page.wait_for_timeout(250)  # also lets Playwright deliver the request events
        year = _year_now(page)
        state = (year, page.get_attribute("#year-play", "aria-pressed"), pending[0],
                 page.evaluate("location.search").count(f"year={year}"))  # fmt: skip
        seen = [*seen[-3:], state]
        if len(seen) == 4 and all(s == (year, "false", 0, 1) for s in seen):
            return year
    raise AssertionError(f"the slider did not settle after Pause: {seen}")


@needs_browser
def test_year_slider_plays_and_answers_the_arrow_keys(base_url: str, chromium: Any) -> None:
    """Play steps the year (and the link) forward; pause stops it; arrows move it."""
    page = _open(chromium, f"{base_url}/?year=2020&edition=2024-06", DESKTOP)
    pending = _dash_requests(page)
    thumb = page.locator("#year [role=slider]")
    assert thumb.get_attribute("aria-label") == "Year"
    assert page.get_attribute("#year-play", "aria-pressed") == "false"
    page.click("#year-play")
    page.wait_for_function("location.search.includes('year=2021')", timeout=60_000)
    assert page.get_attribute("#year-play", "aria-pressed") == "true"
    page.click("#year-play")  # pause
    year = _settled(page, pending)
    time.sleep(4)  # longer than one step: a paused slider stays where it is
    assert _year_now(page) == year and pending[0] == 0
    assert page.get_attribute("#year-play", "aria-pressed") == "false"
    assert page.evaluate("location.search").count(f"year={year}") == 1
    thumb.focus()
    page.keyboard.press("ArrowLeft")
    page.wait_for_function(f"location.search.includes('year={year - 1}')")
    assert _year_now(page) == year - 1
    page.close()


@needs_browser
def test_phone_shows_content_first_with_controls_in_a_drawer(base_url: str, chromium: Any) -> None:
    page = _open(chromium, base_url, PHONE)
    assert not page.is_visible("#policy")
    top = page.evaluate("document.querySelector('#content').getBoundingClientRect().top")
    assert top < PHONE["height"] / 2
    # The first chart (the map) starts on the first screen; the cards sit two per row.
    chart = page.evaluate("document.querySelector('#content .chart').getBoundingClientRect().top")
    assert chart < PHONE["height"] - 100
    cards = page.evaluate(
        "[...document.querySelectorAll('.card')].map(c => c.getBoundingClientRect().top)"
    )
    assert cards[0] == cards[1]
    page.click("#drawer-toggle")
    assert page.is_visible("#policy")
    assert page.get_attribute("#drawer-toggle", "aria-expanded") == "true"
    # Nothing is wider than the screen (no sideways scrolling of the page).
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.close()
