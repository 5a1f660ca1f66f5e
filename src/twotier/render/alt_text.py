"""A text alternative for any chart: its own, or what it draws in a few sentences.

Generated from the plain-data figure itself (:mod:`twotier.render._figure`), so it says
exactly what is drawn: the title, each series with its number of points and its
highest and lowest values, the reference lines, or the sentence of an empty chart.
Screen readers read it in place of the picture; the dashboard also offers each chart's
numbers as a table (CSV). Presentation only.
"""

from __future__ import annotations

from typing import Any

from twotier.render._figure import Fig

__all__ = ["alt_text"]

KINDS = {
    "bar": "bars",
    "choropleth": "map",
    "scatter": "points",
    "scattergeo": "map points",
    "heatmap": "heat map",
}


def _numbers(values: Any) -> list[float]:
    if not isinstance(values, list | tuple):
        return []
    return [float(v) for v in values if isinstance(v, int | float) and not isinstance(v, bool)]


def _pairs(trace: dict[str, Any]) -> list[tuple[str, float]]:
    """(label, value) of each point: the category axis gives the label."""
    horizontal = trace.get("orientation") == "h"
    labels, values = (trace.get("y"), trace.get("x")) if horizontal else (
        trace.get("x"), trace.get("y"))  # fmt: skip
    text = trace.get("text")
    if trace.get("type", "scatter") == "scatter" and isinstance(text, list | tuple) and all(
        isinstance(t, str) for t in text
    ) and isinstance(labels, list | tuple) and len(text) == len(labels) and not all(
        isinstance(v, str) for v in labels
    ):  # fmt: skip
        labels = text  # a scatter of numbers labelled by name: the label is the name
    if not isinstance(labels, list | tuple) or not isinstance(values, list | tuple):
        return []
    return [
        (str(lab), float(val))
        for lab, val in zip(labels, values, strict=False)
        if isinstance(val, int | float) and not isinstance(val, bool)
    ]


def _fmt(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".") if abs(value) < 1000 else f"{value:,.0f}"


def _series(trace: dict[str, Any]) -> str:
    kind = str(trace.get("type", "scatter"))
    name = str(trace.get("name") or "").strip()
    head = f"{name}: " if name else ""
    if kind in ("choropleth", "scattergeo"):
        places = [str(p) for p in trace.get("locations") or []]
        return f"{head}{len(places)} on the map" + (f" ({', '.join(places)})" if places else "")
    if kind == "heatmap":
        rows, cols = trace.get("y") or [], trace.get("x") or []
        return f"{head}heat map of {len(rows)} rows by {len(cols)} columns"
    pairs = _pairs(trace)
    if not pairs:
        count = len(_numbers(trace.get("x"))) or len(trace.get("x") or [])
        return f"{head}{count} {KINDS.get(kind, 'points')}" if count else ""
    high = max(pairs, key=lambda p: p[1])
    low = min(pairs, key=lambda p: p[1])
    if len(pairs) == 1:
        return f"{head}{high[0]} {_fmt(high[1])}"
    if trace.get("type") == "scatter" and "lines" in str(trace.get("mode", "lines")):
        first, last = pairs[0], pairs[-1]
        return (
            f"{head}from {_fmt(first[1])} ({first[0]}) to {_fmt(last[1])} ({last[0]}), "
            f"highest {_fmt(high[1])} ({high[0]})"
        )
    return (
        f"{head}{len(pairs)} {KINDS.get(kind, 'points')}, highest {high[0]} {_fmt(high[1])}, "
        f"lowest {low[0]} {_fmt(low[1])}"
    )


def _lines(layout: dict[str, Any]) -> str:
    labels = [
        str(a.get("text"))
        for a in layout.get("annotations") or []
        if a.get("text") and a.get("showarrow") is False and len(str(a.get("text"))) <= 12
    ]
    return f" Reference lines: {', '.join(labels)}." if labels else ""


def alt_text(fig: Fig, limit: int = 12) -> str:
    """A few sentences describing the chart (title, series, lines), for screen readers.

    A figure that carries its own text alternative (``layout.meta["alt"]``, written by
    the chart that knows its data) keeps it; any other is described from what it draws.
    """
    layout = fig.get("layout") or {}
    own = (layout.get("meta") or {}).get("alt")
    if own:
        return str(own)
    title = layout.get("title")
    text = str(title.get("text", "") if isinstance(title, dict) else title or "Chart")
    empty = (layout.get("meta") or {}).get("empty")
    if empty:
        return f"Chart: {text}. {empty}"
    drawn = [t for t in fig.get("data") or [] if t.get("mode") != "text"]  # labels only
    parts = [p for p in (_series(t) for t in drawn[:limit]) if p]
    more = len(drawn) - limit
    body = "; ".join(parts) + (f"; and {more} more series" if more > 0 else "")
    return f"Chart: {text}. {body}.{_lines(layout)}".replace("..", ".")
