"""A tile-grid map of the allies: one equal square each.

Europe is laid out roughly as on a map, with North America as an inset on the left.

Every ally gets the same area, so Luxembourg, the Baltic states and the Balkans are as
legible as the United States; no boundaries are needed (nothing to download). Tiles are
shapes in data coordinates, so they scale with the chart; an invisible marker per tile
carries the hover text (tier, value, margin, shortfall, edition, estimate).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from twotier.render._figure import TIER_COLOURS, Fig, new_figure, same_as, tier_list

__all__ = ["TILES", "tile_map"]

#: (column, row) of each ally; row 0 at the top. North America at columns -3 and -2.
TILES: dict[str, tuple[float, float]] = {
    "CAN": (-3, 0), "USA": (-3, 1),
    "ISL": (0, 0), "NOR": (4, 0), "SWE": (5, 0), "FIN": (6, 0),
    "GBR": (1, 1), "DNK": (4, 1), "EST": (6, 1),
    "NLD": (2, 2), "DEU": (3, 2), "POL": (4, 2), "LTU": (5, 2), "LVA": (6, 2),
    "BEL": (1, 3), "LUX": (2, 3), "CZE": (3, 3), "SVK": (4, 3),
    "FRA": (1, 4), "SVN": (3, 4), "HUN": (4, 4), "ROU": (5, 4),
    "PRT": (-0.2, 5), "ESP": (0.8, 5), "ITA": (2, 5), "HRV": (3, 5), "BGR": (5, 5),
    "MNE": (3, 6), "MKD": (4, 6), "TUR": (6, 6),
    "ALB": (3, 7), "GRC": (4, 7),
}  # fmt: skip

_FILL = {**TIER_COLOURS, "no armed forces": "#ffffff"}
_INK = {"covered": "white", "not covered": "#222", "unknown": "#222", "no armed forces": "#444"}


def _num(value: Any, fmt: str, unit: str = "") -> str:
    return "unknown" if value is None or pd.isna(value) else f"{value:{fmt}}{unit}"


def _hover(row: dict[str, Any], status: str) -> str:
    estimate = row.get("estimate")
    lines = [
        f"<b>{row['ally']}</b>: {status}",
        f"value: {_num(row.get('value'), '.2f', '% of GDP')}"
        + (" (NATO estimate)" if pd.notna(estimate) and bool(estimate) else ""),
        f"margin to the line: {_num(row.get('margin_pp'), '+.2f', ' pp')}",
        f"shortfall: {_num(row.get('shortfall_usd_m'), ',.0f', ' US$ m')}",
        f"edition: {row.get('edition') if pd.notna(row.get('edition')) else 'none'}",
    ]
    return "<br>".join(lines)


def _label(row: dict[str, Any], status: str) -> str:
    if status == "no armed forces":
        return f"<b>{row['iso3']}</b><br>no armed<br>forces"
    value = row.get("value")
    shown = "no figure" if value is None or pd.isna(value) else f"{value:.2f}"
    estimate = row.get("estimate")
    mark = "e" if pd.notna(estimate) and bool(estimate) and shown != "no figure" else ""
    return f"<b>{row['iso3']}</b><br>{shown}{mark}"


#: Columns a tile's label and hover text read.
_SHOWN = ("iso3", "ally", "value", "estimate", "margin_pp", "shortfall_usd_m", "edition")


def _tiles(frame: pd.DataFrame) -> list[tuple[dict[str, Any], str]]:
    """Each ally on the grid as (row of the shown columns, tier), in the frame's order."""
    status = tier_list(frame)
    if "armed_forces" in frame:
        forces = frame["armed_forces"].tolist()
        status = ["no armed forces" if same_as(f, False) else s
                  for s, f in zip(status, forces, strict=True)]  # fmt: skip
    columns = {c: frame[c].tolist() for c in _SHOWN if c in frame}
    rows = [dict(zip(columns, cells, strict=True)) for cells in zip(*columns.values(), strict=True)]
    return [(row, state) for row, state in zip(rows, status, strict=True) if row["iso3"] in TILES]


def tile_map(frame: pd.DataFrame, title: str, caption: str) -> Fig:
    """Allies as equal tiles coloured by tier, labelled with ISO code and value."""
    shapes, xs, ys, text, hover, ink = [], [], [], [], [], []
    for row, state in _tiles(frame):
        x, y = TILES[row["iso3"]]
        shapes.append({"type": "rect", "x0": x - 0.46, "x1": x + 0.46, "y0": -y - 0.46,
                       "y1": -y + 0.46, "xref": "x", "yref": "y", "layer": "below",
                       "line": {"color": "#999" if state == "no armed forces" else "white",
                                "width": 1},
                       "fillcolor": _FILL[state]})  # fmt: skip
        xs.append(x)
        ys.append(-y)
        text.append(_label(row, state))
        hover.append(_hover(row, state))
        ink.append(_INK[state])
    data: list[dict[str, Any]] = [{
        "type": "scatter", "x": xs, "y": ys, "mode": "markers+text", "text": text,
        "textfont": {"color": ink, "size": 11}, "hovertext": hover, "hoverinfo": "text",
        "marker": {"size": 30, "symbol": "square", "opacity": 0}, "showlegend": False,
    }]  # fmt: skip
    for name in ("covered", "not covered", "unknown"):  # legend entries for the tile colours
        data.append({"type": "scatter", "x": [None], "y": [None], "mode": "markers",
                     "name": name if name != "unknown" else "no figure",
                     "marker": {"size": 12, "symbol": "square",
                                "color": TIER_COLOURS[name]}})  # fmt: skip
    hidden = {"visible": False, "showgrid": False, "zeroline": False, "fixedrange": True}
    fig = new_figure(
        data, title, caption, height=520, shapes=shapes,
        xaxis={**hidden, "range": [-3.7, 6.7]},
        yaxis={**hidden, "range": [-7.7, 0.9], "scaleanchor": "x", "scaleratio": 1},
        margin={"l": 10, "r": 10, "t": 92, "b": 10},
    )  # fmt: skip
    fig["layout"]["annotations"].append({
        "text": "North America", "x": -3, "y": 0.62, "xref": "x", "yref": "y",
        "showarrow": False, "font": {"size": 10, "color": "#666"},
        "yanchor": "bottom"})  # fmt: skip
    fig["layout"]["shapes"].append({
        "type": "line", "x0": -1.75, "x1": -1.75, "y0": 0.7, "y1": -7.6, "xref": "x",
        "yref": "y", "line": {"color": "#ccc", "width": 1, "dash": "dot"}})  # fmt: skip
    return fig
