"""Plain-data plotly figures: the house look, reference lines, empty states.

Figures are dicts ``{"data": [...], "layout": {...}}`` that plotly.js draws as they are;
building them skips plotly's graph-object validation, which dominated the cost of a
dashboard update. Everything here is presentation: no data is read, nothing computed.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable
from typing import Any

import pandas as pd

#: A figure as plotly.js takes it.
Fig = dict[str, Any]

FONT = "DejaVu Sans, Arial, sans-serif"  # system fonts only: nothing is fetched
INK = "#2a3f5f"
LINE = "#555"

#: Neutral colours: tier 1 (covered), tier 2 (not covered), unknown (no figure). Blue and
#: orange stay apart for the common colour-vision deficiencies; grey is "no figure".
TIER_COLOURS = {"covered": "#2b6ca3", "not covered": "#e08a1e", "unknown": "#b0b0b0"}

#: Okabe & Ito (2008), "Color Universal Design": separable for deuteranopes, protanopes
#: and tritanopes. Black first is left out (it reads as an axis or a threshold line).
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442",
             "#000000")  # fmt: skip

#: Marker symbols cycled with the palette, so that series stay apart beyond eight colours.
SYMBOLS = ("circle", "square", "diamond", "triangle-up", "cross", "x", "triangle-down", "star")

_AXIS = {
    "showgrid": True, "gridcolor": "#eee", "linecolor": "#888", "ticks": "",
    "zerolinecolor": "white", "zerolinewidth": 2, "automargin": True,
    "title": {"standoff": 15},
}  # fmt: skip

#: Plotly's toolbar without its outbound buttons (Plotly Cloud, logo link; plotly.js 4 has
#: no Chart Studio button any more).
#: The dashboard's own export buttons replace the camera (they frame the chart first).
GRAPH_CONFIG: dict[str, Any] = {
    "displaylogo": False,
    "showSendToCloud": False,
    "plotlyServerURL": "",
    "modeBarButtonsToRemove": [
        "sendChartToCloud", "sendDataToCloud", "editInChartStudio", "toImage", "select2d",
        "lasso2d",
    ],
}  # fmt: skip


def plain(values: Iterable[Any]) -> list[Any]:
    """A JSON-ready list: numpy scalars to Python, NaN and NA to ``None``."""
    out: list[Any] = []
    for v in values:
        if v is None or v is pd.NA or v is pd.NaT:
            out.append(None)
        elif hasattr(v, "item"):
            item = v.item()
            out.append(None if isinstance(item, float) and math.isnan(item) else item)
        elif isinstance(v, float) and math.isnan(v):
            out.append(None)
        else:
            out.append(v)
    return out


def new_figure(data: list[Any], title: str, caption: str, height: int = 420, **layout: Any) -> Fig:
    """A figure in the house look; ``layout`` entries are merged over it (one level)."""
    # Title, then legend, then the labels of reference lines, then the plot: the legend
    # never covers tick labels and line labels never run into bars or points.
    base: dict[str, Any] = {
        "title": {
            "text": title,
            "x": 0.01,
            "font": {"size": 16},
            "yref": "container",
            "y": 1 - 10 / height,
            "yanchor": "top",
        },
        "height": height,
        "margin": {"l": 60, "r": 30, "t": 92, "b": 50},
        "font": {"family": FONT, "size": 12, "color": INK},
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "meta": {"caption": caption},
        "legend": {
            "orientation": "h",
            "x": 0,
            "xanchor": "left",
            "yref": "container",
            "y": 1 - 36 / height,
            "yanchor": "top",
        },
        "colorway": list(OKABE_ITO),
        "hoverlabel": {"align": "left"},
        "hovermode": "closest",
        "xaxis": {**_AXIS, "showgrid": False},
        "yaxis": dict(_AXIS),
        "shapes": [],
        "annotations": [],
    }
    for key, value in layout.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            base[key] = {**base[key], **value}
        else:
            base[key] = value
    return {"data": data, "layout": base}


def vline(fig: Fig, x: float, label: str = "", dash: str = "dot", colour: str = LINE,
          **annotation: Any) -> None:  # fmt: skip
    """A vertical reference line over the whole plot height, labelled just above it."""
    lay = fig["layout"]
    lay["shapes"].append({"type": "line", "x0": x, "x1": x, "xref": "x", "y0": 0, "y1": 1,
                          "yref": "y domain", "line": {"dash": dash, "color": colour}})  # fmt: skip
    if label:
        lay["annotations"].append({"text": label, "x": x, "xref": "x", "y": 1,
                                   "yref": "y domain", "xanchor": "center",
                                   "yanchor": "bottom", "showarrow": False,
                                   **annotation})  # fmt: skip


def hline(fig: Fig, y: float, label: str = "", dash: str = "dot", colour: str = LINE,
          **annotation: Any) -> None:  # fmt: skip
    """A horizontal reference line across the plot, labelled at its right end."""
    lay = fig["layout"]
    lay["shapes"].append({"type": "line", "x0": 0, "x1": 1, "xref": "x domain", "y0": y,
                          "y1": y, "yref": "y",
                          "line": {"dash": dash, "color": colour}})  # fmt: skip
    if label:
        lay["annotations"].append({"text": label, "x": 1, "xref": "x domain", "y": y,
                                   "yref": "y", "xanchor": "right", "yanchor": "bottom",
                                   "showarrow": False, **annotation})  # fmt: skip


def empty_figure(title: str, caption: str, sentence: str, height: int = 240) -> Fig:
    """A chart with nothing to draw says so in a sentence instead of blank axes."""
    hidden = {"visible": False}
    fig = new_figure([], title, caption, height=height, xaxis=hidden, yaxis=hidden)
    lines = "<br>".join(textwrap.wrap(sentence, 80))
    fig["layout"]["annotations"].append({"text": lines, "x": 0.5, "y": 0.5, "xref": "paper",
                                         "yref": "paper", "showarrow": False,
                                         "font": {"size": 14, "color": "#444"}})  # fmt: skip
    fig["layout"]["meta"]["empty"] = sentence
    return fig


def caption_of(fig: Fig) -> str:
    """The caption (source, edition, definition) a figure carries."""
    return str(fig.get("layout", {}).get("meta", {}).get("caption", ""))


def status_of(frame: pd.DataFrame) -> pd.Series:
    """Tier of each row of a coverage frame: covered, not covered or unknown."""
    covered = frame["covered"]
    status = pd.Series("unknown", index=frame.index)
    status[covered.eq(True).fillna(False).astype(bool)] = "covered"
    status[covered.eq(False).fillna(False).astype(bool)] = "not covered"
    return status


def tier_list(frame: pd.DataFrame) -> list[str]:
    """:func:`status_of` as a plain list (no pandas per row; the dashboard's hot path)."""
    return [
        "covered" if same_as(v, True) else "not covered" if same_as(v, False) else "unknown"
        for v in frame["covered"].tolist()
    ]


def same_as(value: Any, target: bool) -> bool:
    """``value == target`` as pandas' ``eq(...).fillna(False)`` reads it (missing: False)."""
    if value is None or value is pd.NA:
        return False
    try:
        return bool(value == target)
    except (TypeError, ValueError):
        return False


def thresholds_of(frame: pd.DataFrame, rows: Any = None) -> list[float]:
    """The distinct thresholds of a coverage frame's rule (empty if it has none).

    ``rows`` (a boolean mask) restricts them to some rows.
    """
    if "threshold" not in frame:
        return []
    values = pd.to_numeric(frame["threshold"], errors="coerce")
    if rows is not None:
        values = values[rows]
    return sorted({float(v) for v in values.dropna()})
