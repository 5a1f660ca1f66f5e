"""Mark one ally in any chart (the dashboard's ally picker).

Works on plain-data figures (:mod:`twotier.render._figure`) whatever their kind: a
point whose label is the ally (bar category, map location, scatter point) gets a thick
dark outline; a line trace named after the ally is drawn thicker and the others
fainter. The figure is copied, never changed in place. Presentation only.
"""

from __future__ import annotations

import copy
from typing import Any

from twotier.render._figure import Fig

__all__ = ["HIGHLIGHT", "highlight"]

#: Outline of the highlighted ally (near-black: visible on blue, orange and grey).
HIGHLIGHT = "#111111"


def _matches(values: Any, keys: set[str]) -> list[int]:
    if not isinstance(values, list | tuple):
        return []
    bold = tuple(f"<b>{k}</b>" for k in keys)  # tile labels: "<b>ESP</b><br>1.28"
    return [
        i
        for i, v in enumerate(values)
        if isinstance(v, str) and (v.strip() in keys or v.startswith(bold))
    ]


def _outline(trace: dict[str, Any], hits: list[int], n: int) -> None:
    marker = dict(trace.get("marker") or {})
    line = dict(marker.get("line") or {})
    invisible = marker.get("opacity") == 0  # hover targets over drawn tiles
    if invisible:
        marker.update(opacity=1, color="rgba(0,0,0,0)")
    base_width = line.get("width", 0 if trace.get("type") == "bar" or invisible else 0.5)
    base_colour = line.get("color", "white")
    widths = [base_width] * n if not isinstance(base_width, list) else list(base_width)
    colours = [base_colour] * n if not isinstance(base_colour, list) else list(base_colour)
    for i in hits:
        widths[i], colours[i] = 3, HIGHLIGHT
    line.update(width=widths, color=colours)
    marker["line"] = line
    trace["marker"] = marker


def _point_keys(trace: dict[str, Any]) -> list[str]:
    kind = trace.get("type", "scatter")
    if kind in ("choropleth", "scattergeo"):
        return ["locations", "text"]
    if kind == "bar":
        return ["y", "x"] if trace.get("orientation") == "h" else ["x", "y"]
    return ["text", "customdata", "y", "x"]


def _mark_points(trace: dict[str, Any], keys: set[str]) -> bool:
    for field in _point_keys(trace):
        values = trace.get(field)
        hits = _matches(values, keys)
        if hits and isinstance(values, list | tuple):
            _outline(trace, hits, len(values))
            return True
    return False


def _is_line(trace: dict[str, Any]) -> bool:
    return trace.get("type", "scatter") == "scatter" and "lines" in str(trace.get("mode", "lines"))


def highlight(fig: Fig, iso3: str, name: str) -> Fig:
    """A copy of ``fig`` with the ally (ISO-3 code ``iso3``, display name ``name``) marked.

    Returns the figure unchanged (a copy) when the ally is not in it.
    """
    out = copy.deepcopy(fig)
    keys = {iso3, name}
    traces = out.get("data", [])
    named = [t for t in traces if _is_line(t) and str(t.get("name", "")).strip() in keys]
    if named:
        for t in traces:
            if not _is_line(t):
                continue
            line = dict(t.get("line") or {})
            if t in named:
                line["width"] = 5
            else:
                t["opacity"] = 0.35
            t["line"] = line
        return out
    for trace in traces:
        if trace.get("type") in ("heatmap",):
            continue
        _mark_points(trace, keys)
    return out
