"""Chart exports: headline, year, source and date inside the image, nothing outside it."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from tests.conftest import CHROMIUM, needs_browser
from twotier.render import export
from twotier.render._browser import CHROMIUM_ARGS
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


@needs_browser
def test_every_export_holds_headline_year_source_date_inside_the_image() -> None:
    from playwright.sync_api import sync_playwright

    today = datetime.now(UTC).strftime("%Y-%m-%d")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page()
        cases = [(k, "640") for k in export.CHART_KINDS]
        cases += [("ranking", "1200x675"), ("ranking", "1080x1080"), ("shortfall", "1200x675")]
        for kind, size in cases:
            fig = export.build_chart(kind, "two-tier-2pct", 2024, "2024-06")
            svg = export.chart_image(fig, "svg", size, page=page).decode()
            width, height = (
                int(v) for v in re.findall(r'<svg[^>]* width="(\d+)" height="(\d+)"', svg)[0]
            )
            page.set_content(f"<body style='margin:0'>{svg}</body>")
            boxes = page.evaluate(BOXES)
            assert len(boxes) >= 5, kind
            # Wrapped lines are separate text nodes: compare without white space.
            text = "".join(b[0] for b in boxes).replace(" ", "")
            for needle in (
                fig["layout"]["meta"]["headline"],
                "2024",
                f"exported {today}",
                "Source: NATO, Defence Expenditure of NATO Countries (2014-2024)",
            ):
                assert needle.replace(" ", "") in text, (kind, size, needle)
            outside = [b for b in boxes if b[1] < -0.5 or b[2] < -0.5 or b[3] > width + 0.5
                       or b[4] > height + 0.5]  # fmt: skip
            assert outside == [], (kind, size, outside[:3])
        browser.close()
