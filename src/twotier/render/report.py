"""Self-contained HTML and PDF reports, and single charts as PNG or SVG.

The HTML report embeds plotly.js and the map boundaries, so it makes no network
request. PDF and image export print that page in the system's Chromium through
Playwright (``TWOTIER_CHROMIUM``, default ``/usr/bin/chromium``), with the network
blocked. Every output file is written to a temporary file beside the target and moved
into place only when complete: a failed run leaves no partial file.
"""

from __future__ import annotations

import base64
import html
import json
import os
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.io
import plotly.offline

import twotier
from twotier.errors import EnvironmentProblem, InputError
from twotier.render import charts
from twotier.rules.coverage import TABLE_COLUMNS

__all__ = ["CHART_KINDS", "build_chart", "build_report_html", "write_chart", "write_report"]

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]  # fmt: skip

CAVEATS = [
    "2% of GDP is what an ally spends on its own defence under NATO's definition; it is not "
    "a fee or dues paid to NATO.",
    "Shares are NATO's headline ratio (Table 3). NATO marks recent years as estimates and "
    "revises them in later editions; the edition of every figure is shown.",
    "In the 2026-07 edition the headline ratio covers core defence expenditure (The Hague "
    "2025 definition).",
    "Iceland has no armed forces and no figures: its status under a spending rule is "
    "'no figures', neither covered nor failing.",
    "A rule's result is what the stated rule implies for the published figures; it is not "
    "a forecast of what any government will do.",
]


def _topojson() -> str:
    path = Path(__file__).parents[1] / "web" / "assets" / "topojson" / "world_110m.json"
    return path.read_text(encoding="utf-8")


def _table(frame: pd.DataFrame) -> str:
    cols = [c for c in TABLE_COLUMNS if c != "source"]
    shown = frame[cols].astype(object).where(frame[cols].notna(), "unknown")
    return shown.to_html(index=False, classes="coverage", border=0, escape=True)


def build_report_html(
    policy: str | Path | twotier.Policy, year: int, edition: str = "latest"
) -> str:
    """The complete report as one HTML document (no external requests)."""
    data = twotier.load_data()
    pol = twotier.get_policy(policy)
    frame = twotier.coverage(pol, year, edition, data=data)
    s = twotier.coverage_summary(frame)
    figs = list(charts.coverage_figures(frame, data, year, edition).values())
    divs = "\n".join(
        '<figure class="chart">'
        + plotly.io.to_html(fig, full_html=False, include_plotlyjs=False, validate=False,
                            config={**charts.GRAPH_CONFIG, "staticPlot": True})
        + f"<figcaption>{html.escape(charts.caption_of(fig))}</figcaption>"
        "</figure>"
        for fig in figs
    )  # fmt: skip
    editions = data.editions.set_index("edition")
    used = sorted({e for cell in frame["edition"].dropna() for e in str(cell).split("+")})
    sources = "".join(
        f"<li><b>{e}</b>: {html.escape(str(editions.loc[e, 'title']))} "
        f"({html.escape(str(editions.loc[e, 'basis']))}; "
        f"{html.escape(str(editions.loc[e, 'completeness']))})</li>"
        for e in used
    )
    urls = sorted({u for cell in frame["source"].dropna() for u in str(cell).split(" ; ")})
    shortfall = (
        "unknown" if s.shortfall_usd_m is None else f"US$ {s.shortfall_usd_m / 1000:,.1f} bn"
    )
    gdp = "unknown" if s.uncovered_gdp_share is None else f"{s.uncovered_gdp_share:.1%}"
    summary = (
        f"<ul class='summary'><li>Covered: {len(s.covered)}</li><li>Not covered: "
        f"{len(s.uncovered)} ({', '.join(s.uncovered) or 'none'})</li><li>Unknown: "
        f"{', '.join(s.unknown) or 'none'}</li><li>Population not covered: "
        f"{s.uncovered_population_m:,.1f} m ({s.uncovered_population_share:.1%})</li>"
        f"<li>Share of alliance GDP not covered: {gdp}</li><li>Frontline allies not covered: "
        f"{', '.join(s.uncovered_frontline) or 'none'}</li><li>Total shortfall: {shortfall}"
        "</li></ul>"
    )
    geo = json.dumps({"topojson": {"world_110m": json.loads(_topojson())}})
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>twotier report: {html.escape(pol.id)} {year}</title>
<style>
body {{ font-family: "DejaVu Sans", Arial, sans-serif; margin: 24px; color: #222; }}
h1 {{ font-size: 22px; }} h2 {{ font-size: 17px; margin-top: 28px; }}
.chart {{ margin: 12px 0; page-break-inside: avoid; }}
figcaption, .note {{ font-size: 11px; color: #555; }}
table.coverage {{ border-collapse: collapse; font-size: 11px; }}
table.coverage td, table.coverage th {{ border-bottom: 1px solid #ddd; padding: 2px 6px; }}
</style>
<script>window.PlotlyGeoAssets = {geo};</script>
<script>{plotly.offline.get_plotlyjs()}</script>
</head><body>
<h1>{html.escape(pol.title)}: {year}, edition {html.escape(edition)}</h1>
<p class="note">Rule: {html.escape(pol.source)}
({html.escape(pol.status)}, {html.escape(pol.date)}).
{html.escape(pol.description)}</p>
<h2>Summary</h2>{summary}
<h2>Charts</h2>{divs}
<h2>Coverage table</h2>{_table(frame)}
<h2>Sources and editions</h2><ul>{sources}</ul>
<p class="note">Figure sources: {"; ".join(html.escape(u) for u in urls)}</p>
<h2>Caveats</h2><ul>{"".join(f"<li>{html.escape(c)}</li>" for c in CAVEATS)}</ul>
<p class="note">Made with twotier {twotier.__version__} on {datetime.now(UTC):%Y-%m-%d}.</p>
</body></html>"""


def _atomic(out: Path, write: Callable[[Path], object]) -> Path:
    out = Path(out)
    if not out.parent.is_dir():
        raise InputError(f"--out: folder {out.parent} does not exist", field="out")
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=out.suffix, dir=out.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp creates 0600; give the usual mode
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return out


def _browser(work: Callable[[Any], None]) -> None:
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("TWOTIER_CHROMIUM", "/usr/bin/chromium")
    if not Path(chromium).exists():
        raise EnvironmentProblem(
            f"out: PDF and image export need Chromium at {chromium} (apt-get install "
            "chromium, or set TWOTIER_CHROMIUM)",
            field="out",
        )
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context()
            # Offline by construction: refuse anything that is not the local file.
            context.route("**/*", lambda route: route.abort()
                          if not route.request.url.startswith(("file://", "data:"))
                          else route.continue_())  # fmt: skip
            work(context.new_page())
        finally:
            browser.close()


def _print_pdf(html_text: str, target: Path) -> None:
    with tempfile.TemporaryDirectory() as folder:
        page_file = Path(folder) / "report.html"
        page_file.write_text(html_text, encoding="utf-8")

        def work(page: Any) -> None:
            page.goto(page_file.as_uri())
            page.wait_for_function(
                "document.querySelectorAll('.js-plotly-plot .main-svg').length > 0"
            )
            page.pdf(
                path=str(target),
                format="A4",
                print_background=True,
                margin={"top": "12mm", "bottom": "12mm", "left": "10mm", "right": "10mm"},
            )

        _browser(work)


def write_report(
    policy: str | Path | twotier.Policy, year: int, out: str | Path, edition: str = "latest"
) -> Path:
    """Write the report to ``out`` (``.html`` or ``.pdf``), atomically."""
    target = Path(out)
    if target.suffix.lower() not in (".html", ".pdf"):
        raise InputError(f"--out: expected a .html or .pdf file name, found {target.name!r}",
                         field="out")  # fmt: skip
    text = build_report_html(policy, year, edition)
    if target.suffix.lower() == ".html":
        return _atomic(target, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    return _atomic(target, lambda tmp: _print_pdf(text, tmp))


CHART_KINDS = ("map", "ranking", "shortfall", "wales", "dumbbell")


def build_chart(
    kind: str, policy: str | Path | twotier.Policy, year: int, edition: str = "latest"
) -> charts.Fig:
    """One chart of the coverage view (see :data:`CHART_KINDS`)."""
    if kind not in CHART_KINDS:
        raise InputError(f"KIND: unknown chart {kind!r}; accepted: {', '.join(CHART_KINDS)}",
                         field="kind")  # fmt: skip
    data = twotier.load_data()
    frame = twotier.coverage(policy, year, edition, data=data)
    figs = charts.coverage_figures(frame, data, year, edition)
    if kind not in figs:
        what = "equipment shares" if kind == "wales" else "2014 shares to compare with"
        raise InputError(f"--year: no {what} for {year} in edition {edition}", field="year")
    return figs[kind]


def write_chart(
    fig: charts.Fig, out: str | Path, width: int = 1000, height: int | None = None
) -> Path:
    """Export one figure as PNG or SVG (rendered by plotly.js in Chromium), atomically."""
    target = Path(out)
    fmt = target.suffix.lower().lstrip(".")
    if fmt not in ("png", "svg"):
        raise InputError(f"--out: expected a .png or .svg file name, found {target.name!r}",
                         field="out")  # fmt: skip
    h = height or int(fig["layout"].get("height") or 500)
    import textwrap

    caption = charts.caption_of(fig)
    lines = textwrap.wrap(html.escape(caption), width=max(60, width // 6))
    layout = dict(fig["layout"])
    layout["annotations"] = [*layout.get("annotations", []), {
        "text": "<br>".join(lines), "xref": "paper", "yref": "paper", "x": 0, "y": 0,
        "yshift": -70, "yanchor": "top", "showarrow": False, "align": "left",
        "font": {"size": 10, "color": "#555"}}]  # fmt: skip
    layout["margin"] = {**layout.get("margin", {}), "b": 90 + 14 * len(lines)}
    layout["legend"] = {**layout.get("legend", {}), "y": -0.02, "yanchor": "top"}
    fig = {"data": fig["data"], "layout": layout}
    h += 14 * len(lines)
    geo = json.dumps({"topojson": {"world_110m": json.loads(_topojson())}})
    page_html = (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<script>window.PlotlyGeoAssets = {geo};</script>"
        f"<script>{plotly.offline.get_plotlyjs()}</script></head><body>"
        f"<div id='fig'></div><script>var spec = {plotly.io.to_json(fig, validate=False)};"
        f"Plotly.newPlot('fig', spec.data, spec.layout, {{staticPlot: true}})"
        f".then(gd => Plotly.toImage(gd, {{format: '{fmt}', width: {width}, height: {h + 60}}}))"
        ".then(url => {window.exported = url;});</script></body></html>"
    )

    def write(tmp: Path) -> None:
        with tempfile.TemporaryDirectory() as folder:
            page_file = Path(folder) / "chart.html"
            page_file.write_text(page_html, encoding="utf-8")
            result: dict[str, str] = {}

            def work(page: Any) -> None:
                page.goto(page_file.as_uri())
                wait = page.wait_for_function
                wait("window.exported !== undefined", timeout=30_000)
                result["url"] = page.evaluate("window.exported")

            _browser(work)
            header, payload = result["url"].split(",", 1)
            if ";base64" in header:
                tmp.write_bytes(base64.b64decode(payload))
            else:
                from urllib.parse import unquote

                tmp.write_text(unquote(payload), encoding="utf-8")

    return _atomic(target, write)
