"""Publication frame of a chart: headline, subtitle, source, notes, credit and date inside it.

One path for every export (``twotier chart``, the dashboard's export links, the static
chart URL and the PDF report): a chart's figure carries its texts in ``layout.meta``
(``headline``, ``subtitle``, ``source``, ``notes``, ``alt``), and
:func:`publication_figure` lays them out inside the image at a given size, with room
reserved so that nothing overlaps or falls outside it.
"""

from __future__ import annotations

import copy
import textwrap
from datetime import UTC, datetime
from typing import Any

import pandas as pd

from twotier.errors import InputError
from twotier.render._figure import Fig

__all__ = ["SIZES", "citation", "publication_figure", "set_texts", "size_of", "source_line"]

#: Size presets (width, height; ``None`` = the chart's own height at that width).
SIZES: dict[str, tuple[int, int | None]] = {
    "640": (640, None),
    "1000": (1000, None),
    "1200x675": (1200, 675),
    "1080x1080": (1080, 1080),
}

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")  # fmt: skip

#: Pixel metrics of the frame (DejaVu Sans; widths are generous averages so that wrapped
#: lines never run past the edge).
_HEAD, _SUB, _SMALL = 20, 13, 11
_CHAR = {_HEAD: 12.3, _SUB: 7.6, _SMALL: 6.6}
_LINE = {_HEAD: 25, _SUB: 17, _SMALL: 14}
_PAD = 16


def size_of(name: str) -> tuple[int, int | None]:
    """The (width, height) of a size preset; bad names are an input error."""
    if name not in SIZES:
        raise InputError(f"size: unknown size {name!r}; accepted: {', '.join(SIZES)}",
                         field="size")  # fmt: skip
    return SIZES[name]


def _published(value: Any) -> str:
    text = str(value or "")
    parts = text.split("-")
    if len(parts) >= 2 and parts[1].isdigit() and 1 <= int(parts[1]) <= 12:
        month = _MONTHS[int(parts[1]) - 1]
        return f"{int(parts[2])} {month} {parts[0]}" if len(parts) == 3 else f"{month} {parts[0]}"
    return text


def citation(editions: pd.DataFrame | None, edition: str, table: str = "Table 3") -> str:
    """NATO's publication behind an edition: title, publication date and table."""
    if editions is None or "edition" not in editions:
        return f"NATO, edition {edition}, {table}"
    rows = editions[editions["edition"] == edition]
    if not len(rows):
        return f"NATO, edition {edition}, {table}"
    row = rows.iloc[0]
    return f"NATO, {row['title']}, {_published(row['published'])}, {table}"


def source_line(editions: pd.DataFrame | None, used: list[str], table: str = "Table 3") -> str:
    """The source line of a chart: every NATO publication whose figures it shows."""
    if not used:
        return "Source: NATO (no figures shown)."
    return "Source: " + "; ".join(citation(editions, e, table) for e in sorted(used)) + "."


def set_texts(
    fig: Fig, headline: str, subtitle: str, source: str, notes: str = "", alt: str = ""
) -> Fig:
    """Put a chart's publication texts into ``layout.meta`` (and the headline as its title).

    The caption printed under the chart in the dashboard is the source and notes; an
    empty chart's sentence is its text alternative.
    """
    meta = fig["layout"].setdefault("meta", {})
    alt = str(meta.get("empty") or alt or headline)
    meta.update(headline=headline, subtitle=subtitle, source=source, notes=notes, alt=alt,
                caption=f"{source} {notes}".strip())  # fmt: skip
    fig["layout"].setdefault("title", {})["text"] = headline
    return fig


def _wrap(text: str, size: int, width: int) -> list[str]:
    if not text:
        return []
    chars = max(20, int((width - 2 * _PAD) / _CHAR[size]))
    return textwrap.wrap(text, chars, break_long_words=True)


def _block(lines: list[str], size: int, colour: str, bold: bool = False) -> tuple[str, int]:
    joined = "<br>".join(lines)
    return (f"<b>{joined}</b>" if bold else joined), len(lines) * _LINE[size]


def _note(text: str, y: float, yanchor: str, shift: int, size: int, colour: str) -> dict[str, Any]:
    return {"text": text, "xref": "paper", "yref": "paper", "x": 0, "xanchor": "left",
            "xshift": 0, "y": y, "yanchor": yanchor, "yshift": shift, "showarrow": False,
            "align": "left", "font": {"size": size, "color": colour}}  # fmt: skip


def _fit_rows(fig: Fig, plot_h: int) -> None:
    """Every category row labelled, in a font that fits the row height."""
    rows = fig["layout"].get("yaxis", {}).get("categoryarray")
    if not rows:
        return
    size = max(7, min(12, int(plot_h / len(rows) * 0.8)))
    fig["layout"]["yaxis"].update(dtick=1, tickfont={"size": size})
    for trace in fig["data"]:
        if trace.get("type") == "bar":
            trace["textfont"] = {"size": size}
    fig["layout"]["uniformtext"] = {"minsize": size, "mode": "show"}


def _legend_height(fig: Fig, width: int) -> int:
    """Height of a horizontal legend: entries in columns as wide as the longest one."""
    names = [str(t.get("name", "")) for t in fig["data"] if t.get("showlegend", True) is not False]
    entry = max((len(n) for n in names), default=4) * 7 + 45
    per_row = max(1, (width - 2 * _PAD) // entry)
    return -(-len(names) // per_row) * 19 + 8


def _left_margin(fig: Fig) -> int:
    """Room for the y tick labels (category names or numbers) and the axis title."""
    labels = [str(v) for t in fig["data"] for v in (t.get("y") or []) if isinstance(v, str)]
    longest = max((len(v) for v in labels), default=6)
    title = 24 if fig["layout"].get("yaxis", {}).get("title") else 0
    return max(50, int(longest * 7.2) + 16 + title)


def publication_figure(
    fig: Fig, width: int = 1000, height: int | None = None, exported: datetime | None = None
) -> Fig:
    """``fig`` framed for publication at ``width`` x ``height`` pixels.

    The headline (rule and year), subtitle, source line, notes, credit and export date
    are placed inside the image in margins sized for their wrapped text; the legend sits
    between subtitle and plot, so it never covers tick labels. With ``height`` ``None``
    the plot keeps the chart's own height.

    Returns
    -------
    dict
        A new figure (``fig`` is not changed) with ``layout.width``/``height`` set.
    """
    meta = fig["layout"].get("meta", {})
    date = (exported or datetime.now(UTC)).strftime("%Y-%m-%d")
    import twotier

    credit = f"Chart: twotier {twotier.__version__} (open source), exported {date}."
    head, h_head = _block(_wrap(meta.get("headline", ""), _HEAD, width), _HEAD, "#111", True)
    sub, h_sub = _block(_wrap(meta.get("subtitle", ""), _SUB, width), _SUB, "#333")
    foot_text = " ".join(t for t in (meta.get("source", ""), meta.get("notes", "")) if t)
    foot, h_foot = _block([*_wrap(foot_text, _SMALL, width), credit], _SMALL, "#555")
    out = copy.deepcopy(fig)
    lay = out["layout"]
    has_legend = lay.get("showlegend", True) is not False and len(out["data"]) > 1
    geo = "geo" in lay
    legend_h = _legend_height(out, width) if has_legend else 0
    line_labels = max((20 + int(a.get("yshift", 0)) for a in lay.get("annotations", [])
                       if a.get("yanchor") == "bottom" and a.get("yref") == "y domain"),
                      default=0)  # fmt: skip
    axis_h = 0 if geo or lay.get("xaxis", {}).get("visible") is False else (
        62 if lay.get("xaxis", {}).get("title") else 36)  # fmt: skip
    top = _PAD + h_head + 6 + h_sub + 8 + legend_h + line_labels
    bottom = axis_h + 10 + h_foot + _PAD
    margin = lay.get("margin", {})
    plot_h = int(lay.get("height") or 420) - margin.get("t", 60) - margin.get("b", 50)
    total = height or (top + max(plot_h, 160) + bottom)
    plot_h = total - top - bottom
    lay.update(width=width, height=total, title={"text": ""}, autosize=False)
    hidden_y = lay.get("yaxis", {}).get("visible") is False
    left = 10 if geo or hidden_y else _left_margin(out)
    colorbar = any(t.get("type") == "heatmap" and t.get("showscale", True) for t in out["data"])
    lay["margin"] = {"l": left, "r": 110 if colorbar else 40, "t": top, "b": bottom,
                     "autoexpand": False}  # fmt: skip
    for axis in ("xaxis", "yaxis"):
        if axis in lay:
            lay[axis] = {**lay[axis], "automargin": False}
    _fit_rows(out, plot_h)
    if has_legend:
        below_sub = (_PAD + h_head + 6 + h_sub + 6) / total
        lay["legend"] = {**lay.get("legend", {}), "orientation": "h", "x": 0, "xanchor": "left",
                         "y": 1 - below_sub, "yanchor": "top", "yref": "container"}  # fmt: skip
    lay["annotations"] = [
        *lay.get("annotations", []),
        _note(head, 1, "bottom", top - _PAD - h_head, _HEAD, "#111"),
        _note(sub, 1, "bottom", top - _PAD - h_head - 6 - h_sub, _SUB, "#333"),
        _note(foot, 0, "top", -(axis_h + 10), _SMALL, "#555"),
    ]
    for note in lay["annotations"][-3:]:
        note["xshift"] = -(lay["margin"]["l"] - _PAD)
    return out
