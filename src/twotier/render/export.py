"""Single charts as publication-ready PNG or SVG.

``twotier chart``, the static chart URL and the dashboard's export links all go through
:func:`chart_image`.

The chart is one of the coverage view's (:data:`CHART_KINDS`), framed by
:func:`twotier.render.publish.publication_figure` (headline with rule and year,
subtitle, NATO source line, notes, credit, export date) at a size preset, and drawn by
plotly.js in Chromium.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import twotier
from twotier.errors import InputError
from twotier.render import _browser, charts
from twotier.render.publish import publication_figure, size_of

__all__ = ["CHART_KINDS", "FORMATS", "build_chart", "chart_image", "write_chart"]

CHART_KINDS = ("map", "ranking", "shortfall", "wales", "dumbbell")
FORMATS = ("png", "svg")


def build_chart(
    kind: str, policy: str | Path | twotier.Policy, year: int, edition: str = "latest"
) -> charts.Fig:
    """One chart of the coverage view (see :data:`CHART_KINDS`), with its texts."""
    if kind not in CHART_KINDS:
        raise InputError(f"KIND: unknown chart {kind!r}; accepted: {', '.join(CHART_KINDS)}",
                         field="kind")  # fmt: skip
    data = twotier.load_data()
    pol = twotier.get_policy(policy)
    frame = twotier.coverage(pol, year, edition, data=data)
    figs = charts.coverage_figures(frame, data, year, edition, policy=pol)
    if kind not in figs:
        what = "equipment shares" if kind == "wales" else "2014 shares to compare with"
        raise InputError(f"year: no {what} for {year} in edition {edition}", field="year")
    return figs[kind]


def _format(name: str) -> str:
    fmt = name.lower().lstrip(".")
    if fmt not in FORMATS:
        raise InputError(f"out: expected a .png or .svg file name, found {name!r}",
                         field="out")  # fmt: skip
    return fmt


def chart_image(
    fig: charts.Fig, fmt: str, size: str = "1000", exported: datetime | None = None,
    page: Any = None, painter: _browser.Painter | None = None,
) -> bytes:  # fmt: skip
    """``fig`` framed for publication at the size preset ``size``, as PNG or SVG bytes.

    ``page`` is an open Playwright page to draw in, ``painter`` a long-lived one (the
    server's); without either a Chromium is started for this chart.
    """
    fmt = _format(fmt)
    width, height = size_of(size)
    framed = publication_figure(fig, width, height, exported)
    if painter is not None:
        return painter.draw(framed, fmt)
    if page is not None:
        return _browser.draw(page, framed, fmt)
    return _browser.image_bytes(framed, fmt)


def write_chart(fig: charts.Fig, out: str | Path, size: str = "1000") -> Path:
    """Export one figure as PNG or SVG (chosen by the file name), atomically."""
    target = Path(out)
    fmt = _format(target.suffix or target.name)
    size_of(size)  # a bad size fails before Chromium starts
    return _browser.atomic(target, lambda tmp: tmp.write_bytes(chart_image(fig, fmt, size)))
