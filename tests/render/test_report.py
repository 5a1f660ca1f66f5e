"""Reports (HTML, PDF) and chart export, rendered in Debian's Chromium."""

from __future__ import annotations

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
    assert "Sources and editions" in text and "Defence Expenditure of NATO Countries" in text
    requests: list[str] = []
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = b.new_page()
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
