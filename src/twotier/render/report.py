"""Self-contained HTML and PDF reports, and single charts as PNG or SVG.

The HTML report embeds plotly.js and the map boundaries, so it makes no network
request. PDF and image export print that page in the system's Chromium through
Playwright (``TWOTIER_CHROMIUM``, default ``/usr/bin/chromium``), with the network
blocked. Every output file is written to a temporary file beside the target and moved
into place only when complete: a failed run leaves no partial file.
"""

from __future__ import annotations

import html
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.io
import plotly.offline

import twotier
from twotier.errors import InputError
from twotier.render import charts
from twotier.render._browser import CHROMIUM_ARGS, atomic, browser, plotly_head
from twotier.render.backtest_report import backtest_section_html
from twotier.render.export import CHART_KINDS, build_chart, write_chart
from twotier.render.publish import publication_figure
from twotier.rules.coverage import TABLE_COLUMNS

__all__ = ["CHART_KINDS", "CHROMIUM_ARGS", "build_chart", "build_report_html", "write_chart",
           "write_report"]  # fmt: skip

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


def _cell(value: Any) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return "unknown"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)


def _table(frame: pd.DataFrame) -> str:
    cols = [c for c in TABLE_COLUMNS if c not in ("source", "retrieved_from")]
    shown = frame[cols].astype(object).map(_cell)
    table = shown.to_html(index=False, classes="coverage", border=0, escape=True)
    caption = "<caption>Coverage of each ally: rule value, edition, margin, shortfall</caption>"
    return table.replace(">", ">" + caption, 1)


#: Width of a chart in the report: A4 less 10 mm margins is 190 mm = 718 CSS pixels.
PAGE_WIDTH = 700


def _chart_block(fig: charts.Fig, exported: datetime) -> str:
    """One chart framed for print at the page width, with its text alternative."""
    framed = publication_figure(fig, PAGE_WIDTH, None, exported)
    alt = html.escape(str(fig["layout"].get("meta", {}).get("alt", "")))
    div = plotly.io.to_html(framed, full_html=False, include_plotlyjs=False, validate=False,
                            config={**charts.GRAPH_CONFIG, "staticPlot": True})  # fmt: skip
    return (
        f'<figure class="chart" role="img" aria-label="{alt}">{div}'
        f'<p class="alt"><b>Text alternative.</b> {alt}</p></figure>'
    )


def build_report_html(
    policy: str | Path | twotier.Policy, year: int, edition: str = "latest", *,
    backtest: Any = None,
) -> str:  # fmt: skip
    """The complete report as one HTML document (no external requests).

    ``backtest``: a :func:`twotier.backtest` result to add as a section (render/backtest_report).
    """
    data = twotier.load_data()
    pol = twotier.get_policy(policy)
    frame = twotier.coverage(pol, year, edition, data=data)
    s = twotier.coverage_summary(frame)
    figs = list(charts.coverage_figures(frame, data, year, edition, policy=pol).values())
    exported = datetime.now(UTC)
    divs = "\n".join(_chart_block(fig, exported) for fig in figs)
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
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>twotier report: {html.escape(pol.id)} {year}</title>
<style>
@page {{ size: A4; margin: 12mm 10mm 16mm 10mm; }}
body {{ font-family: "DejaVu Sans", Arial, sans-serif; margin: 24px; color: #222;
        max-width: {PAGE_WIDTH}px; }}
@media print {{ body {{ margin: 0; }} }}
.alt {{ font-size: 10px; color: #444; margin: 2px 0 0 0; }}
h1 {{ font-size: 22px; }} h2 {{ font-size: 17px; margin-top: 28px; break-after: avoid; }}
.chart {{ margin: 12px 0; page-break-inside: avoid; }}
figcaption, .note {{ font-size: 11px; color: #555; overflow-wrap: anywhere; }}
table.coverage {{ border-collapse: collapse; font-size: 11px; }}
table.coverage td, table.coverage th {{ border-bottom: 1px solid #ddd; padding: 2px 6px; }}
</style>
{plotly_head()}
</head><body>
<h1>{html.escape(pol.title)}: {year}, edition {html.escape(edition)}</h1>
<p class="note">Rule: {html.escape(pol.source)}
({html.escape(pol.status)}, {html.escape(pol.date)}).
{html.escape(pol.description)}</p>
<h2>Summary</h2>{summary}
<h2>Charts</h2>{divs}
<h2>Coverage table</h2>{_table(frame)}
{"" if backtest is None else backtest_section_html(backtest, exported)}
<h2>Sources and editions</h2><ul>{sources}</ul>
<p class="note">Figure sources: {"; ".join(html.escape(u) for u in urls)}</p>
<h2>Caveats</h2><ul>{"".join(f"<li>{html.escape(c)}</li>" for c in CAVEATS)}</ul>
<p class="note">Made with twotier {twotier.__version__} on {datetime.now(UTC):%Y-%m-%d}.</p>
</body></html>"""


def _print_pdf(html_text: str, target: Path, running: str) -> None:
    footer = (
        '<div style="font-size:8px;width:100%;padding:0 10mm;color:#555;display:flex;'
        f'justify-content:space-between"><span>{html.escape(running)}</span>'
        '<span>page <span class="pageNumber"></span> of <span class="totalPages"></span>'
        "</span></div>"
    )
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
                prefer_css_page_size=True,
                display_header_footer=True,
                header_template="<span></span>",
                footer_template=footer,
                tagged=True,
                outline=True,
            )

        browser(work)


def write_report(
    policy: str | Path | twotier.Policy, year: int, out: str | Path, edition: str = "latest",
    *, backtest: Any = None,
) -> Path:  # fmt: skip
    """Write the report to ``out`` (``.html`` or ``.pdf``), atomically.

    ``backtest``: see :func:`build_report_html`.
    """
    target = Path(out)
    if target.suffix.lower() not in (".html", ".pdf"):
        raise InputError(f"out: expected a .html or .pdf file name, found {target.name!r}",
                         field="out")  # fmt: skip
    text = build_report_html(policy, year, edition, backtest=backtest)
    if target.suffix.lower() == ".html":
        return atomic(target, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    pol = twotier.get_policy(policy)
    running = f"twotier {twotier.__version__} · {pol.id} · {year} · NATO edition {edition}"
    return atomic(target, lambda tmp: _print_pdf(text, tmp, running))
