"""The backtest as a report section (HTML), and as a report of its own (HTML or PDF).

Everything shown is computed from a :class:`~twotier.models.projection.backtest.BacktestResult`
(:func:`twotier.backtest`): the score table, Brier score by horizon, the reliability chart
and table, the real-time check, and a list of where the response model loses, found by
comparing the numbers (never written by hand).
"""

from __future__ import annotations

import html
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from twotier.errors import InputError
from twotier.render import projection_charts

__all__ = ["backtest_section_html", "check_report_path", "where_it_loses", "write_backtest_report"]

#: The goals of issue #12 the section checks (stated next to the results).
COVERAGE_90_GOAL = (0.85, 0.95)
RELIABILITY_GOAL = 0.10
RELIABILITY_MIN_CASES = 20
#: Methods drawn in the reliability chart (the others are in the tables).
CHART_METHODS = ("response", "response_uncalibrated", "pooled_random_walk")


def _table(frame: pd.DataFrame, caption: str) -> str:
    shown = frame.copy()
    shown.columns.name = None
    if "cases" in shown:
        shown["cases"] = shown["cases"].astype("Int64")
    for col in shown.columns:
        if pd.api.types.is_float_dtype(shown[col]):
            shown[col] = shown[col].map(lambda v: "unknown" if pd.isna(v) else f"{v:.3f}")
    text = shown.to_html(index=False, classes="coverage", border=0, escape=True)
    return text.replace(">", f"><caption>{html.escape(caption)}</caption>", 1)


def where_it_loses(result: Any, method: str = "response") -> list[str]:
    """Sentences naming every score on which ``method`` misses a goal or a baseline wins."""
    out = []
    scores = result.scores
    for horizon, part in scores.groupby("horizon", sort=False):
        part = part.set_index("method")
        if method not in part.index:
            continue
        own = part.loc[method, "brier"]
        better = part[(part["brier"] < own) & (part.index != method)]
        if not better.empty:
            names = ", ".join(f"{m} {b:.3f}" for m, b in better["brier"].items())
            where = "overall" if horizon == "all" else f"at horizon {horizon}"
            out.append(f"Brier {where}: {method} {own:.3f}, lower: {names}.")
    row = scores[(scores["method"] == method) & (scores["horizon"] == "all")]
    if not row.empty:
        cov = float(row["coverage_90"].iloc[0])
        lo, hi = COVERAGE_90_GOAL
        if not lo <= cov <= hi:
            out.append(f"90 % intervals cover {cov:.3f} of outcomes (goal {lo:.2f}-{hi:.2f}).")
    rel = result.reliability
    rel = rel[(rel["method"] == method) & (rel["cases"] >= RELIABILITY_MIN_CASES)]
    for _, r in rel[rel["gap"].abs() > RELIABILITY_GOAL].iterrows():
        out.append(
            f"Reliability in the bin {r['bin_low']:.1f}-{r['bin_high']:.1f} ({r['cases']} "
            f"cases): forecast {r['forecast']:.3f}, observed {r['observed']:.3f} "
            f"(gap {r['gap']:+.3f}, goal within ±{RELIABILITY_GOAL:.2f})."
        )
    return out


def backtest_section_html(result: Any, exported: datetime | None = None) -> str:
    """The backtest section: setup, scores, reliability, real-time check, where it loses."""
    from twotier.render.report import _chart_block

    when = exported or datetime.now(UTC)
    meta, params = result.meta, result.params
    scores = result.scores
    overall = scores[scores["horizon"] == "all"].drop(columns="horizon")
    overall = overall.sort_values("brier")
    by_h = scores[scores["horizon"] != "all"].pivot(index="method", columns="horizon",
                                                    values="brier").reset_index()  # fmt: skip
    rel = result.reliability
    chart = projection_charts.reliability_chart(rel[rel["method"].isin(CHART_METHODS)], meta)
    own = rel[rel["method"] == "response"].drop(columns="method")
    losses = where_it_loses(result) or ["No score misses its goal or loses to a baseline."]
    origins = params.get("origins", [])
    setup = (
        f"Origins {min(origins)}-{max(origins)}, horizons {params.get('horizons')}; every "
        f"method sees only the figures for years up to its origin in NATO edition "
        f"{meta.get('edition')} and is scored against that edition's later figures. "
        f"Event: share at or above {meta.get('threshold_pct')} % of GDP. "
        f"{params.get('draws')} draws per forecast; log score clipped at "
        f"{meta.get('log_score_clip')}. {meta.get('note')}"
    )
    parts = [
        "<h2>Backtest: would the projections have been right?</h2>",
        f"<p class='note'>{html.escape(setup)}</p>",
        _table(overall, "Scores over all origins and horizons (lower Brier, log score and "
               "CRPS are better; coverage should be near 0.50 and 0.90)"),
        _table(by_h, "Brier score by horizon (years ahead)"),
        _chart_block(chart, when),
        _table(own, "Reliability of the response model: forecast-probability bins"),
        "<h3>Where it loses</h3><ul class='note'>",
        "".join(f"<li>{html.escape(s)}</li>" for s in losses),
        "</ul>",
    ]  # fmt: skip
    if not result.realtime.empty:
        rt = result.realtime[result.realtime["horizon"] == "all"].drop(columns="horizon")
        parts += [
            _table(rt.sort_values("brier"), "Real-time check: history of one edition, truth "
                   "of the newest complete edition"),
            f"<p class='note'>Bases: {html.escape(str(meta.get('realtime_bases')))}</p>",
        ]  # fmt: skip
    return "\n".join(parts)


def check_report_path(out: str | Path) -> Path:
    """``out`` as a path, refused before the backtest runs: suffix, folder (adversarial2 L8)."""
    from twotier.render._browser import _check_folder

    target = Path(out)
    if target.suffix.lower() not in (".html", ".pdf"):
        raise InputError(f"out: expected a .html or .pdf file name, found {target.name!r}",
                         field="out")  # fmt: skip
    _check_folder(target)
    return target


def write_backtest_report(result: Any, out: str | Path) -> Path:
    """Write the backtest alone as a report (``.html`` or ``.pdf``), atomically."""
    from twotier import __version__
    from twotier.render._browser import atomic, plotly_head
    from twotier.render.report import PAGE_WIDTH, _print_pdf

    target = check_report_path(out)
    body = backtest_section_html(result)
    text = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>twotier backtest</title>
<style>
@page {{ size: A4; margin: 12mm 10mm 16mm 10mm; }}
body {{ font-family: "DejaVu Sans", Arial, sans-serif; margin: 24px; color: #222;
        max-width: {PAGE_WIDTH}px; }}
@media print {{ body {{ margin: 0; }} }}
.alt {{ font-size: 10px; color: #444; margin: 2px 0 0 0; }}
h2 {{ font-size: 17px; margin-top: 28px; }} h3 {{ font-size: 14px; }}
.chart {{ margin: 12px 0; page-break-inside: avoid; }}
.note {{ font-size: 11px; color: #555; }} ul.note {{ color: #222; }}
table.coverage {{ border-collapse: collapse; font-size: 11px; margin: 8px 0; }}
table.coverage td, table.coverage th {{ border-bottom: 1px solid #ddd; padding: 2px 6px; }}
</style>
{plotly_head()}
</head><body>
{body}
<p class="note">Made with twotier {__version__} on {datetime.now(UTC):%Y-%m-%d}.</p>
</body></html>"""
    if target.suffix.lower() == ".html":
        return atomic(target, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    running = f"twotier {__version__} · backtest · NATO edition {result.meta.get('edition')}"
    return atomic(target, lambda tmp: _print_pdf(text, tmp, running))
