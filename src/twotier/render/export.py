"""Single charts as publication-ready PNG or SVG.

``twotier chart``, the static chart URL and the dashboard's export links all go through
:func:`chart_image`.

The chart is any of :data:`CHART_KINDS` (the registry :data:`twotier.render.kinds.KINDS`:
the coverage view's five, trends, editions, compare, projections, response,
negotiation, aid and backtest), framed by
:func:`twotier.render.publish.publication_figure` (headline with rule and year,
subtitle, NATO source line, notes, credit, export date) at a size preset, and drawn by
plotly.js in Chromium.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import twotier
from twotier.errors import InputError
from twotier.render import _browser, charts, kinds
from twotier.render.publish import publication_figure, size_of

__all__ = ["CHART_KINDS", "COVERAGE_KINDS", "FORMATS", "build_chart", "chart_image", "write_chart"]

#: Every exportable chart kind (see :data:`twotier.render.kinds.KINDS`).
CHART_KINDS = tuple(kinds.KINDS)
#: The coverage view's charts (the PDF report draws these).
COVERAGE_KINDS = ("map", "ranking", "shortfall", "wales", "dumbbell")
FORMATS = ("png", "svg")


def build_chart(
    kind: str, policy: str | Path | twotier.Policy, year: int, edition: str = "latest",
    options: Mapping[str, Any] | None = None,
) -> charts.Fig:  # fmt: skip
    """Chart ``kind`` (see :data:`CHART_KINDS`) with its publication texts.

    ``options`` are the kind's own inputs (:data:`twotier.render.kinds.OPTIONS`, e.g.
    ``{"allies": "POL,ESP"}`` for ``trends``); missing ones take the dashboard's defaults.
    """
    if kind not in kinds.KINDS:
        raise InputError(f"kind: unknown chart {kind!r}; accepted: {', '.join(CHART_KINDS)}",
                         field="kind")  # fmt: skip
    kinds.check_options(kind, dict(options or {}))  # an option of another kind: refused
    request = kinds.ChartRequest(twotier.get_policy(policy), year, edition, dict(options or {}))
    return kinds.build(kind, request)


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
