"""Verbatim copies of the coverage charts before they were rewritten on plain lists (for
the equivalence test of ``test_charts_fast.py``; main at bf82c64)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from twotier.render._figure import (
    LINE,
    TIER_COLOURS,
    Fig,
    empty_figure,
    new_figure,
    plain,
    thresholds_of,
    vline,
)
from twotier.render.charts import LINES, caption_for
from twotier.render.tilemap import _FILL, _INK, TILES


def status_of(frame: pd.DataFrame) -> pd.Series:
    """Tier of each row of a coverage frame: covered, not covered or unknown."""
    covered = frame["covered"]
    status = pd.Series("unknown", index=frame.index)
    status[covered.eq(True).fillna(False).astype(bool)] = "covered"
    status[covered.eq(False).fillna(False).astype(bool)] = "not covered"
    return status


def _missing_label(row: Any) -> str:
    if row.get("armed_forces") is False:
        return "no armed forces, no figure"
    if row.get("member_in_year") is False:
        return "not a member"
    return "no figure"


def _value_label(value: float, estimate: Any) -> str:
    return f"{value:.2f}" + ("e" if pd.notna(estimate) and bool(estimate) else "")


def _label_position(value: float, label: str, lines: list[float], scale: float) -> str:
    """Outside the bar unless the label would run across a reference line."""
    end = value + (len(label) * 7 + 6) / scale
    return "inside" if any(value < x <= end for x in lines) and value > 0.6 else "outside"


def ranking_bar(frame: pd.DataFrame, title: str = "") -> Fig:
    """Allies ranked by the rule's value, coloured by tier.

    With 2 / 3.5 / 5 % lines and a line at the rule's own threshold; allies without a
    figure are listed as such.
    """
    status = status_of(frame)
    data = frame.assign(status=status).dropna(subset=["value"]).sort_values("value")
    missing = frame[frame["value"].isna()].sort_values("ally", ascending=False)
    if not len(data):
        return empty_figure(title or "Defence expenditure, % of GDP", caption_for(frame),
                            "No ally has a figure for this year in this edition.")  # fmt: skip
    pct = bool((data["indicator"] == "pct_gdp").all())
    rule = thresholds_of(data)
    lines = sorted({x for x, _ in LINES} | set(rule)) if pct else rule
    top = max(float(data["value"].max()), max(lines, default=0)) * 1.12
    scale = 600 / top  # pixels per unit at a typical plot width
    traces = []
    for name, colour in TIER_COLOURS.items():
        part = data[data["status"] == name]
        labels = [_value_label(v, e) for v, e in zip(part["value"], part["estimate"], strict=True)]
        traces.append({
            "type": "bar", "x": plain(part["value"]), "y": plain(part["ally"]),
            "orientation": "h", "name": name, "marker": {"color": colour},
            "text": labels, "cliponaxis": False, "insidetextanchor": "end",
            "insidetextfont": {"color": "white"},
            "textposition": [_label_position(v, t, lines, scale)
                             for v, t in zip(part["value"], labels, strict=True)],
            "hovertemplate": "%{y}: %{x:.2f}<extra>" + name + "</extra>",
        })  # fmt: skip
    if len(missing):
        traces.append({
            "type": "bar", "x": [0] * len(missing), "y": plain(missing["ally"]),
            "orientation": "h", "name": "no figure", "marker": {"color": TIER_COLOURS["unknown"]},
            "text": [_missing_label(r) for r in missing.to_dict("records")],
            "textposition": "outside", "cliponaxis": False, "hoverinfo": "y+text",
        })  # fmt: skip
    order = plain(missing["ally"]) + plain(data["ally"])
    fig = new_figure(traces, title or "Defence expenditure, % of GDP", caption_for(frame),
                     height=max(420, 18 * len(order) + 140), barmode="overlay",
                     xaxis={"range": [0, top]},
                     yaxis={"categoryorder": "array", "categoryarray": order})  # fmt: skip
    fig["layout"]["uniformtext"] = {"minsize": 9, "mode": "show"}
    _line_labels(fig, lines, rule, pct, scale)
    return fig


def _line_labels(fig: Fig, lines: list[float], rule: list[float], pct: bool,
                 scale: float) -> None:  # fmt: skip
    """Reference lines, the rule's own solid; labels that would touch go up a row."""
    right = -1e9
    for x in lines:
        own = x in rule
        label = f"{x:g}%" + (" (rule)" if own and pct and x not in (2.0, 3.5, 5.0) else "")
        label = label if pct else f"{x:g}"
        half = (len(label) * 7 / 2 + 4) / scale
        shift = 14 if x - half < right else 0
        right = x + half if not shift else right
        vline(fig, x, label, dash="solid" if own else "dot", colour="#222" if own else LINE,
              yshift=shift)  # fmt: skip


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


def tile_map(frame: pd.DataFrame, title: str, caption: str) -> Fig:
    """Allies as equal tiles coloured by tier, labelled with ISO code and value."""
    status = status_of(frame)
    if "armed_forces" in frame:
        status[frame["armed_forces"].eq(False).fillna(False).astype(bool)] = "no armed forces"
    rows: list[dict[str, Any]] = [
        {str(k): v for k, v in r.items()} for r in frame.to_dict("records") if r["iso3"] in TILES
    ]
    shapes, xs, ys, text, hover, ink = [], [], [], [], [], []
    for row, state in zip(rows, status[frame["iso3"].isin(list(TILES))], strict=True):
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


def shortfall_bar(frame: pd.DataFrame, title: str = "") -> Fig:
    """What each uncovered ally would have to add to reach the threshold, US$ bn."""
    data = frame[frame["shortfall_usd_m"].fillna(0) > 0].sort_values("shortfall_usd_m")
    unknown = frame[frame["covered"].eq(False).fillna(False).astype(bool)
                    & frame["shortfall_usd_m"].isna()]  # fmt: skip
    caption = caption_for(frame, "Shortfall = (threshold - share) x GDP of that year, current US$.")
    title = title or "Shortfall to the threshold"
    if not len(data):
        sentence = ("Every ally with a figure meets the rule: no shortfall."
                    if not len(unknown) else "Shortfall unknown: no GDP figure for "
                    + ", ".join(plain(unknown["ally"])) + ".")  # fmt: skip
        return empty_figure(title, caption, sentence)
    top = float(data["shortfall_usd_m"].max()) / 1000 * 1.15
    trace = {
        "type": "bar", "x": plain(data["shortfall_usd_m"] / 1000), "y": plain(data["ally"]),
        "orientation": "h", "marker": {"color": TIER_COLOURS["not covered"]},
        "text": [f"{v / 1000:,.1f}" for v in data["shortfall_usd_m"]],
        "textposition": "outside", "cliponaxis": False, "name": "shortfall",
        "hovertemplate": "%{y}: US$ %{x:,.1f} bn<extra></extra>",
    }  # fmt: skip
    if len(unknown):
        caption += " Shortfall unknown (no GDP figure): " + ", ".join(plain(unknown["ally"])) + "."
    return new_figure([trace], title, caption, height=max(300, 24 * len(data) + 140),
                      showlegend=False,
                      xaxis={"title": {"text": "US$ bn, current prices"},
                             "range": [0, top]})  # fmt: skip
