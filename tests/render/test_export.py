"""Chart exports: headline, year, source and date inside the image, nothing outside it."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import CHROMIUM, needs_browser
from twotier.errors import InputError
from twotier.render import export
from twotier.render._browser import CHROMIUM_ARGS
from twotier.render._figure import OKABE_ITO, TIER_COLOURS
from twotier.render.kinds import KINDS, OPTIONS
from twotier.render.publish import SIZES, publication_figure

#: Every text element's box, as the browser lays the SVG out.
BOXES = """() => [...document.querySelectorAll('text')].filter(t => t.textContent.trim())
  .map(t => { const b = t.getBoundingClientRect();
              return [t.textContent, b.left, b.top, b.right, b.bottom]; })"""


def test_frame_reserves_room_for_its_texts() -> None:
    fig = export.build_chart("ranking", "two-tier-2pct", 2024, "2024-06")
    for name, (width, height) in SIZES.items():
        framed = publication_figure(fig, width, height)
        lay = framed["layout"]
        assert lay["width"] == width and (height is None or lay["height"] == height), name
        assert lay["height"] - lay["margin"]["t"] - lay["margin"]["b"] > 100, name


def test_bad_size_and_format_are_input_errors() -> None:
    fig = export.build_chart("ranking", "two-tier-2pct", 2024, "2024-06")
    with pytest.raises(Exception, match="size: unknown size '800x600'; accepted: 640"):
        export.chart_image(fig, "svg", "800x600")
    with pytest.raises(Exception, match="out: expected a .png or .svg"):
        export.chart_image(fig, "gif")


@pytest.fixture(scope="module")
def page() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.set_default_timeout(90_000)  # a loaded machine; the waits are for conditions
        yield page
        browser.close()


#: Kinds whose figures are NATO's (the source line cites NATO's publication and edition).
NOT_NATO = {"aid", "aid-time", "negotiation"}


def _laid_out(page: Any, svg: str) -> tuple[str, list[Any], int, int]:
    width, height = (int(v) for v in re.findall(r'<svg[^>]* width="(\d+)" height="(\d+)"', svg)[0])
    page.set_content(f"<body style='margin:0'>{svg}</body>")
    boxes = page.evaluate(BOXES)
    # Wrapped lines are separate text nodes: compare without white space.
    return "".join(b[0] for b in boxes).replace(" ", ""), boxes, width, height


#: Colours a chart may use: Okabe-Ito, the tier colours, greys and light tints of blue.
SAFE = {c.lower() for c in (*OKABE_ITO, *TIER_COLOURS.values())} | {
    "#000",
    "#111",
    "#222",
    "#444",
    "#555",
    "#888",
    "#999",
    "#aaa",
    "#bbb",
    "#ccc",
    "#eee",
    "#f2f2f2",
    "white",
    "#fff",
    "#ffffff",
    "#666",
    "#333",
    "#c9d9ea",
    "#9bb7d4",
    "rgba(43,108,163,0.2)",
    "rgba(155,183,212,0.3)",
}


def _unsafe_colours(fig: dict[str, Any]) -> set[str]:
    """Colours set in a figure that are not in :data:`SAFE` (the colorway must be Okabe-Ito)."""
    found: set[str] = set()

    def walk(node: Any, key: str = "") -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, k)
        elif isinstance(node, list) and key not in ("colorscale",):
            for v in node:
                walk(v, key)
        elif key in ("color", "fillcolor", "bordercolor") and isinstance(node, str):
            found.add(node.lower())

    walk(fig["data"])
    walk({k: v for k, v in fig["layout"].items() if k not in ("font", "xaxis", "yaxis")})
    assert [c.lower() for c in fig["layout"]["colorway"]] == [c.lower() for c in OKABE_ITO]
    return found - SAFE


@needs_browser
@pytest.mark.parametrize("kind", list(KINDS))
def test_every_kind_exports_headline_year_source_date_inside_the_image(
    page: Any, kind: str
) -> None:
    """Every kind of the registry (a new kind without a frame fails here)."""
    before = datetime.now(UTC).strftime("%Y-%m-%d")
    fig = export.build_chart(kind, "two-tier-2pct", 2024, "2024-06")
    meta = fig["layout"]["meta"]
    assert _unsafe_colours(fig) == set(), kind
    year = re.search(r"\b(19|20)\d\d\b", meta.get("headline", ""))
    assert year, (kind, meta.get("headline"))  # the headline names the year(s) shown
    svg = export.chart_image(fig, "svg", "640", page=page).decode()
    after = datetime.now(UTC).strftime("%Y-%m-%d")
    text, boxes, width, height = _laid_out(page, svg)
    # The export date is the day it was drawn (either, if drawn at midnight UTC).
    assert any(f"exported {day}".replace(" ", "") in text for day in {before, after}), kind
    source = "Source: NATO, " if kind not in NOT_NATO else "Source"
    for needle in (meta["headline"], year.group(0), source, meta["source"]):
        assert needle.replace(" ", "") in text, (kind, needle)
    if kind not in NOT_NATO:  # the publication's title and edition, from the editions table
        assert re.search(r"NATO,Defence(Expenditure|Investment)ofNATOCountries\(2014-20\d\d\),"
                         r"(\d+)?[A-Z][a-z]+20\d\d", text), kind  # fmt: skip
    outside = [b for b in boxes if b[1] < -0.5 or b[2] < -0.5 or b[3] > width + 0.5
               or b[4] > height + 0.5]  # fmt: skip
    assert outside == [], (kind, outside[:3])


@needs_browser
@pytest.mark.parametrize(
    ("kind", "size"),
    [
        ("ranking", "1200x675"),
        ("ranking", "1080x1080"),
        ("shortfall", "1200x675"),
        ("trends", "1080x1080"),
    ],
)
def test_fixed_size_presets_keep_every_text_inside(page: Any, kind: str, size: str) -> None:
    fig = export.build_chart(kind, "two-tier-2pct", 2024, "2024-06")
    svg = export.chart_image(fig, "svg", size, page=page).decode()
    text, boxes, width, height = _laid_out(page, svg)
    assert (width, height) == SIZES[size]
    assert fig["layout"]["meta"]["headline"].replace(" ", "") in text
    outside = [b for b in boxes if b[1] < -0.5 or b[2] < -0.5 or b[3] > width + 0.5
               or b[4] > height + 0.5]  # fmt: skip
    assert outside == [], (kind, size, outside[:3])


def test_kind_options_are_the_dashboard_controls_defaults() -> None:
    from twotier.web.registry import controls

    by_key = controls()
    for name, option in OPTIONS.items():
        assert by_key[name].default == option.default, name


def test_bad_kind_and_option_name_the_field() -> None:
    with pytest.raises(InputError, match="kind: unknown chart 'pie'; accepted: map") as bad:
        export.build_chart("pie", "two-tier-2pct", 2024)
    assert bad.value.field == "kind"
    with pytest.raises(InputError, match="colour: unknown chart option") as bad:
        export.build_chart("trends", "two-tier-2pct", 2024, options={"colour": "red"})
    with pytest.raises(InputError, match="eyear: expected a whole number, found 'abc'") as bad:
        export.build_chart("editions", "two-tier-2pct", 2024, options={"eyear": "abc"})
    assert bad.value.field == "eyear"


@pytest.mark.parametrize(
    ("kind", "options", "field", "message"),
    [
        # Adversarial2 L3: draws=1.9 ran with 1 draw and True with 1.
        ("projection", {"draws": 1.9}, "draws", "expected a whole number, found 1.9"),
        ("projection", {"draws": True}, "draws", "expected a whole number, found True"),
        ("projection", {"horizon": " 2_030 "}, "horizon", "expected a whole number"),
        ("negotiation", {"ncut": False}, "ncut", "expected a number, found False"),
        # Adversarial2 L1: an option of another kind was ignored.
        ("ranking", {"draws": 5}, "draws", "does not apply to chart ranking"),
        ("trends", {"horizon": 2030}, "horizon", "does not apply to chart trends; it takes allies"),
    ],
)
def test_chart_options_are_read_strictly(
    kind: str, options: dict[str, object], field: str, message: str
) -> None:
    with pytest.raises(InputError, match=message) as bad:
        export.build_chart(kind, "two-tier-2pct", 2024, options=options)
    assert bad.value.field == field


def test_a_list_of_allies_is_the_comma_separated_text() -> None:
    """Adversarial2 L7: ['POL', 'DEU'] was read as the text "['POL', 'DEU']"."""
    from twotier.render.kinds import OPTIONS

    assert OPTIONS["allies"].parse(["POL", "DEU"]) == "POL,DEU"
    with pytest.raises(InputError, match="allies: expected text"):
        OPTIONS["allies"].parse(["POL", 3])


def test_trends_tell_32_allies_apart_without_colour_alone(data: Any) -> None:
    """Every (colour, symbol, dash) triple differs, so no two lines look alike."""
    import twotier

    series = twotier.select_figures(data, indicators=["pct_gdp"], edition="2024-06")
    fig = export.charts.trends(series, editions=data.editions)
    looks = {(t["line"]["color"], t["marker"]["symbol"], t["line"]["dash"]) for t in fig["data"]}
    assert len(fig["data"]) >= 31 and len(looks) == len(fig["data"])
    assert {t["line"]["color"] for t in fig["data"]} <= set(OKABE_ITO)
    # Event labels sit above the plot area, never rotated across the lines.
    events = [
        a for a in fig["layout"]["annotations"] if "summit" in a["text"] or "invasion" in a["text"]
    ]
    assert events and all(a["yref"] == "y domain" and a["y"] == 1 and a["yanchor"] == "bottom"
                          and "textangle" not in a for a in events)  # fmt: skip


@given(st.lists(st.floats(0, 10), min_size=1, max_size=40), st.floats(0.01, 1))
def test_dodged_labels_keep_order_and_gap(values: list[float], gap: float) -> None:
    from twotier.render.time_charts import _dodge

    out = _dodge(values, gap)
    ranked = sorted(range(len(values)), key=lambda i: values[i])
    for a, b in itertools.pairwise(ranked):
        assert out[b] - out[a] >= gap - 1e-9
    assert min(out) >= -1e-9
