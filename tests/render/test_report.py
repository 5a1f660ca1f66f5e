"""Reports (HTML, PDF) and chart export, rendered in Debian's Chromium."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import CHROMIUM, needs_browser
from twotier.render.report import CHROMIUM_ARGS as ARGS


def _read_pgm(path: Path) -> np.ndarray:
    data = path.read_bytes()
    parts = data.split(maxsplit=4)
    width, height = int(parts[1]), int(parts[2])
    return np.frombuffer(parts[4][: width * height], np.uint8).reshape(height, width)


@needs_browser
def test_pdf_report_renders_to_non_blank_pages(tmp_path: Path) -> None:
    from twotier.render.report import write_report

    out = write_report("two-tier-2pct", 2024, tmp_path / "r.pdf", "2024-06")
    assert out.read_bytes().startswith(b"%PDF")
    subprocess.run(
        ["pdftoppm", "-r", "30", "-gray", "-f", "1", "-l", "2", str(out), str(tmp_path / "page")],
        check=True,
    )
    pages = sorted(tmp_path.glob("page*.pgm"))
    assert len(pages) == 2
    for page in pages:
        pixels = _read_pgm(page)
        assert (pixels < 200).mean() > 0.01  # ink on the page
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    words = _check_pdf_text_inside_the_page(out)
    # Nothing of a chart is cut off: every value label, headline and credit is in the text.
    import twotier
    from twotier.render import charts

    data = twotier.load_data()
    policy = twotier.get_policy("two-tier-2pct")
    frame = twotier.coverage(policy, 2024, "2024-06", data=data)
    figs = charts.coverage_figures(frame, data, 2024, "2024-06", policy=policy)
    labels = {t for f in figs.values() for tr in f["data"] if tr["type"] == "bar"
              for t in tr.get("text", [])}  # fmt: skip
    # The largest values (the ones the old report cut off), formatted here independently.
    top = frame.loc[frame["value"].idxmax()]
    biggest = f"{frame['shortfall_usd_m'].max() / 1000:,.1f}"
    assert {f"{top['value']:.2f}" + ("e" if top["estimate"] else ""), biggest} <= labels
    assert {w for label in labels for w in label.split()} - set(words) == set()
    text = " ".join(words)
    for fig in figs.values():
        assert fig["layout"]["meta"]["headline"] in text
    assert text.count("Chart: twotier") == len(figs)


MM = 72 / 25.4  # PDF points per millimetre


def _check_pdf_text_inside_the_page(pdf: Path) -> list[str]:
    """Every word (charts included) lies inside the page's 10 mm side margins; tagged;
    page numbers and the running footer on every page."""
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    assert "Tagged:          yes" in info.stdout
    box = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout  # fmt: skip
    pages = re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', box, re.S)
    assert len(pages) >= 3
    word = re.compile(r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" '
                      r'yMax="([-\d.]+)">(.*?)</word>')  # fmt: skip
    found: list[str] = []
    for number, (width, height, body) in enumerate(pages, start=1):
        words = [
            (float(a), float(b), float(c), float(d), t) for a, b, c, d, t in word.findall(body)
        ]
        outside = [w for w in words if w[0] < 10 * MM - 1 or w[2] > float(width) - 10 * MM + 1
                   or w[1] < 0 or w[3] > float(height)]  # fmt: skip
        assert outside == [], (number, outside[:5])
        text = " ".join(w[4] for w in words)
        assert f"page {number} of {len(pages)}" in text and "two-tier-2pct" in text
        found += [w[4] for w in words]
    return found


@needs_browser
def test_html_report_is_self_contained(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    from twotier.render.report import write_report

    out = write_report("us-guarantee-2pct", 2024, tmp_path / "r.html")
    text = out.read_text()
    # No external resource is referenced (plotly.js itself is inlined; the strings it
    # contains are not requests, which the browser check below covers).
    for needle in ("<script src=", "<link ", "@import", '<img src="http'):
        assert needle not in text
    assert "not a fee or dues paid to NATO" in text
    # 2024 under latest: NATO's July 2026 edition (bundled editions.csv, SOURCES.md).
    assert "Sources and editions" in text and "of NATO Countries (2014-2026)" in text
    requests: list[str] = []
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = b.new_page()
        page.set_default_timeout(90_000)  # a loaded machine; the waits are for conditions
        page.on("request", lambda r: requests.append(r.url))
        page.goto(out.as_uri())
        page.wait_for_function("document.querySelectorAll('.js-plotly-plot').length >= 3")
        page.wait_for_timeout(500)
        b.close()
    assert [u for u in requests if not u.startswith(("file://", "data:"))] == []


@needs_browser
def test_chart_export_png_svg_and_atomic_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from twotier.cli import main

    assert main(["chart", "ranking", "--year", "2024", "--out", str(tmp_path / "r.png")]) == 0
    assert (tmp_path / "r.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (
        main(
            [
                "chart",
                "map",
                "--threshold",
                "2.5",
                "--year",
                "2024",
                "--out",
                str(tmp_path / "m.svg"),
            ]
        )
        == 0
    )
    assert "<svg" in (tmp_path / "m.svg").read_text()[:500]
    assert main(["chart", "pie", "--year", "2024", "--out", str(tmp_path / "x.png")]) == 2
    assert main(["chart", "map", "--year", "2024", "--out", str(tmp_path / "x.gif")]) == 2
    monkeypatch.setenv("TWOTIER_CHROMIUM", "/nonexistent/chromium")
    assert (
        main(
            [
                "report",
                "--policy",
                "article5",
                "--year",
                "2024",
                "--out",
                str(tmp_path / "fail.pdf"),
            ]
        )
        == 1  # the environment, not the input: exit status 1
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.svg", "r.png"]
