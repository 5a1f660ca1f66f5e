"""The dashboard in Debian's Chromium (Playwright), the JSON API, reports and charts.

Skipped with a reason when Chromium is not installed (scripts/test installs it).
"""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

import twotier
from tests.conftest import needs_browser

SHOTS = os.environ.get("TWOTIER_SCREENSHOTS")  # e.g. docs/screenshots, to refresh them


class Page:
    """A page that records console errors, failed requests and every request URL."""

    def __init__(self, browser: Any) -> None:
        self.page = browser.new_page(viewport={"width": 1400, "height": 1000})
        self.page.set_default_timeout(90_000)  # for a loaded machine; waits are for conditions
        self.errors: list[str] = []
        self.failed: list[str] = []
        self.requests: list[str] = []
        self.pending = 0  # requests sent and not yet answered
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("requestfailed", self._failed)
        self.page.on("request", self._sent)
        self.page.on("requestfinished", self._answered)
        self.page.on(
            "response",
            lambda r: self.failed.append(f"{r.status} {r.url}") if r.status >= 400 else None,
        )

    def _sent(self, request: Any) -> None:
        self.requests.append(request.url)
        self.pending += 1

    def _answered(self, _: Any) -> None:
        self.pending -= 1

    def _failed(self, request: Any) -> None:
        self.failed.append(request.url)
        self.pending -= 1

    def open(self, url: str) -> Any:
        self.page.goto(url)
        self.page.wait_for_load_state("networkidle")
        self.page.wait_for_selector("#content > *")
        # networkidle is half a second without requests; a busy browser can take longer
        # between two chained callbacks. Wait until nothing is pending for a second, so
        # the next load does not abort a callback (a failed request) and checks read the
        # finished page.
        quiet, deadline = 0, time.monotonic() + 90
        while quiet < 4:
            assert time.monotonic() < deadline, f"{self.pending} requests still pending"
            self.page.wait_for_timeout(250)  # also delivers the request events
            quiet = quiet + 1 if self.pending == 0 else 0
        return self.page

    def check_clean(self, base: str) -> None:
        assert self.errors == []
        assert self.failed == []
        assert [u for u in self.requests if not u.startswith(base)] == []


@needs_browser
@pytest.mark.parametrize(
    "tab", ["coverage", "editions", "trends", "compare", "projections", "negotiation"]
)
def test_each_view_loads_offline_and_cleanly(
    base_url: str, chromium: Any, tab: str, tmp_path: Path
) -> None:
    p = Page(chromium)
    page = p.open(f"{base_url}/?tab={tab}")
    page.wait_for_selector(".js-plotly-plot .main-svg")
    assert page.locator(f"#{tab}-title").count() == 1
    assert page.locator("#error").inner_text().strip() == ""
    assert (
        page.locator("figcaption")
        .first.inner_text()
        .startswith(("Source", "Backing", "Monte", "A stated"))
    )
    folder = Path(SHOTS) if SHOTS else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{tab}.png"), full_page=False)
    p.check_clean(base_url)
    page.close()


def _covered(threshold: float, year: int = 2024, edition: str = "latest") -> int:
    frame = twotier.coverage(twotier.threshold_policy(threshold), year, edition)
    return len(twotier.coverage_summary(frame).covered)


@needs_browser
def test_moving_the_threshold_changes_the_count_to_what_the_api_says(
    base_url: str, chromium: Any
) -> None:
    p = Page(chromium)
    page = p.open(base_url)
    assert page.locator("#card-covered").inner_text() == str(_covered(2.0))
    box = page.locator(
        "#threshold input[type=number], input.dash-input-slider, #threshold ~ input, "
        ".dash-slider-input input"
    ).first
    handle = page.locator("#threshold [role=slider]").first
    handle.focus()
    for _ in range(10):  # 10 steps of 0.05 points: 2.0 -> 2.5
        page.keyboard.press("ArrowRight")
    page.wait_for_function("window.location.search.includes('threshold=2.5')")
    page.wait_for_function(
        f"document.querySelector('#card-covered').innerText === '{_covered(2.5)}'"
    )
    assert page.locator("#card-covered").inner_text() == str(_covered(2.5))
    assert _covered(2.5) < _covered(2.0)
    assert box is not None
    p.check_clean(base_url)
    page.close()


@needs_browser
def test_a_shared_link_reproduces_the_state(base_url: str, chromium: Any) -> None:
    p = Page(chromium)
    page = p.open(f"{base_url}/?threshold=3.5&year=2023&edition=2024-06")
    assert page.locator("#card-covered").inner_text() == str(_covered(3.5, 2023, "2024-06"))
    assert "2023, edition 2024-06" in page.locator("#coverage-title").inner_text()
    assert page.locator("#coverage-table tbody tr").count() == 32
    assert page.locator("#coverage-table tbody tr").first.locator("td").count() == len(
        page.locator("#coverage-table thead th").all()
    )
    page = p.open(f"{base_url}/?tab=editions&ea=2023-07&eb=2024-03&eyear=2023")
    assert (
        page.locator("#editions-count")
        .inner_text()
        .startswith("2 of 30 allies compared change tier")
    )
    p.check_clean(base_url)
    page.close()


@needs_browser
def test_bad_links_and_uploads_show_a_message(base_url: str, chromium: Any, tmp_path: Path) -> None:
    p = Page(chromium)
    page = p.open(f"{base_url}/?year=2031")
    # Errors name the control by its label, never a CLI flag such as --year.
    error = page.locator("#error").inner_text()
    assert "Year: no pct_gdp figures for 2031" in error and "--" not in error
    page = p.open(f"{base_url}/?policy=nope")
    assert "Policy: unknown policy 'nope'" in page.locator("#error").inner_text()
    page = p.open(f"{base_url}/?threshold=-1")
    assert "Threshold, % of GDP: expected a percentage of GDP from 0 to 100, found -1" in (
        page.locator("#error").inner_text()
    )
    page = p.open(f"{base_url}/?tab=projections&seed=-1&draws=10")
    assert "Seed: expected a seed" in page.locator("#error").inner_text()
    page = p.open(f"{base_url}/?draws=abc&tab=projections")
    assert "draws: expected a whole number" in page.locator("#error").inner_text()
    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[policy]\nid = "x"\ntitle = "t"\nsource = "s"\ndate = "2024"\n'
        "[[tier1.criteria]]\nindicator = 'pct_gdp'\nthreshold = 'two'\n"
    )
    page = p.open(base_url)
    page.set_input_files("#upload input[type=file]", str(bad))
    page.wait_for_function("document.querySelector('#error').innerText.includes('bad.toml')")
    assert (
        "Uploaded policy (bad.toml): key tier1.criteria[0].threshold: expected a number"
        in page.locator("#error").inner_text()
    )
    good = tmp_path / "good.toml"
    good.write_text(
        twotier.builtin_policy_text("hague-core-3.5").replace(
            'id = "hague-core-3.5"', 'id = "my-rule"'
        )
    )
    page.set_input_files("#upload input[type=file]", str(good))
    page.wait_for_function("window.location.search.includes('policy=uploaded')")
    page.wait_for_function("document.querySelector('#coverage-title').innerText.includes('3.5%')")
    big = tmp_path / "big.toml"
    big.write_text("# padding\n" * 10_000)  # 100 kB, over the 64 KiB limit
    page.set_input_files("#upload input[type=file]", str(big))
    page.wait_for_function("document.querySelector('#error').innerText.includes('big.toml')")
    assert "policy file too large" in page.locator("#error").inner_text()
    shared = page.url
    page = p.open(shared)  # the uploaded rule travels in the link
    assert "3.5%" in page.locator("#coverage-title").inner_text()
    p.check_clean(base_url)
    page.close()


def _get(url: str) -> tuple[int, dict[str, Any]]:
    try:
        with urllib.request.urlopen(url) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_json_api_answers_4xx_on_bad_requests(base_url: str) -> None:
    code, doc = _get(f"{base_url}/api/coverage?year=2024&edition=2024-06")
    assert code == 200 and len(doc["summary"]["covered"]) == 23
    code, doc = _get(f"{base_url}/api/coverage?threshold=3.5&year=2024&edition=2024-06")
    assert code == 200 and doc["summary"]["covered"] == ["POL"]
    for query, field in [
        ("year=2031", "year"),
        ("year=abc", "year"),
        ("", "year"),
        ("year=2024&policy=nope", "policy"),
        ("year=2024&edition=1999-01", "edition"),
        ("year=2024&colour=red", "colour"),
    ]:
        code, doc = _get(f"{base_url}/api/coverage?{query}")
        assert code == 400 and field in doc["error"], (query, doc)
        assert not doc["error"].startswith("--"), doc  # URL parameters, not CLI flags


def test_server_binds_to_loopback_by_default() -> None:
    import inspect

    from twotier.cli import serve
    from twotier.web.app import serve as run

    assert inspect.signature(run).parameters["host"].default == "127.0.0.1"
    assert inspect.signature(serve).parameters["host"].default == "127.0.0.1"


def test_every_table_downloads_as_csv(base_url: str) -> None:
    import csv
    import io

    with urllib.request.urlopen(f"{base_url}/download/coverage-table.csv?threshold=2.5") as r:
        assert r.headers["Content-Type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(r.read().decode())))
    assert len(rows) == 32
    assert sum(row["tier"] == "1" for row in rows) == _covered(2.5)
    # Cited: NATO's publication; the transcription URL is kept as retrieved_from.
    assert all(row["source"].startswith("NATO, ") for row in rows if row["value"])
    assert all(row["retrieved_from"].startswith("https://") for row in rows if row["value"])
    with urllib.request.urlopen(
        f"{base_url}/download/negotiation-parameters.csv?tab=negotiation"
    ) as r:
        assert b"aid_baseline_eur_bn" in r.read()
    code, doc = _get(f"{base_url}/download/nope.csv")
    assert code == 400 and "table" in doc["error"]
