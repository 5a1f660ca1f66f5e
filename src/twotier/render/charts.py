"""Charts of the coverage view (map, ranking, shortfall, Wales scatter, dumbbell).

Every function takes a result frame of the public API and returns a plotly figure as
plain data (see :mod:`twotier.render._figure`); none reads data or computes a model. Each
figure carries a caption (source, edition, definition) in ``layout.meta["caption"]``,
which the dashboard and reports print under the chart. The same functions serve the
dashboard, the reports and ``twotier chart``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from twotier.render._figure import (
    GRAPH_CONFIG,
    LINE,
    OKABE_ITO,
    TIER_COLOURS,
    Fig,
    caption_of,
    empty_figure,
    hline,
    new_figure,
    plain,
    same_as,
    thresholds_of,
    tier_list,
    vline,
)
from twotier.render.describe import CoverageTexts
from twotier.render.model_charts import (
    EVENTS,
    backing_bars,
    editions_slope,
    negotiation_ranges,
    projection_band,
    projection_heatmap,
    sensitivity,
    trends,
)
from twotier.render.tilemap import tile_map

__all__ = [
    "EVENTS",
    "GRAPH_CONFIG",
    "OKABE_ITO",
    "TIER_COLOURS",
    "Fig",
    "backing_bars",
    "caption_for",
    "caption_of",
    "coverage_figures",
    "coverage_map",
    "dumbbell",
    "editions_slope",
    "negotiation_ranges",
    "projection_band",
    "projection_heatmap",
    "ranking_bar",
    "sensitivity",
    "shortfall_bar",
    "trends",
    "wales_scatter",
]

LINES = ((2.0, "2%"), (3.5, "3.5%"), (5.0, "5%"))


def caption_for(frame: pd.DataFrame, extra: str = "") -> str:
    """Source, edition(s) and definition of a coverage frame."""
    cells = [cell for cell in frame["edition"].tolist() if not pd.isna(cell)]
    editions = sorted({e for cell in cells for e in str(cell).split("+")})
    edition = frame.attrs.get("edition", "")
    text = (
        f"Source: NATO, Defence Expenditure of NATO Countries; edition {edition}"
        + (f" (figures from {', '.join(editions)})" if editions else "")
        + ". Defence expenditure as a share of GDP under NATO's definition (Table 3); "
        "estimates marked by NATO. Iceland has no armed forces and no figures."
    )
    return f"{text} {extra}".strip()


def coverage_map(frame: pd.DataFrame, title: str = "") -> Fig:
    """Allies by tier as a tile grid (Europe with a North America inset).

    Each tile is labelled with its ISO code and value; hover gives tier, value, margin,
    shortfall, edition and estimate. Iceland reads "no armed forces".
    """
    return tile_map(frame, title or "Allies by tier", caption_for(frame))


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


def _column(frame: pd.DataFrame, name: str) -> list[Any] | None:
    """A column as a plain list (None when the frame has no such column)."""
    return frame[name].tolist() if name in frame else None


def _at(values: list[Any] | None, i: int) -> Any:
    return None if values is None else values[i]


def ranking_bar(frame: pd.DataFrame, title: str = "") -> Fig:
    """Allies ranked by the rule's value, coloured by tier.

    With 2 / 3.5 / 5 % lines and a line at the rule's own threshold; allies without a
    figure are listed as such.
    """
    # On plain lists and one numpy sort: pandas per tier and per row cost more than the
    # rest of a dashboard update (the order is the one ``sort_values`` gives).
    values = frame["value"].to_numpy(dtype=float, na_value=np.nan)
    known = ~np.isnan(values)
    if not known.any():
        return empty_figure(title or "Defence expenditure, % of GDP", caption_for(frame),
                            "No ally has a figure for this year in this edition.")  # fmt: skip
    rows = np.flatnonzero(known)
    order = rows[values[rows].argsort(kind="quicksort")].tolist()
    ally, status = frame["ally"].tolist(), tier_list(frame)
    estimate, indicator = frame["estimate"].tolist(), frame["indicator"].tolist()
    pct = all(indicator[i] == "pct_gdp" for i in order)
    rule = thresholds_of(frame, known)
    lines = sorted({x for x, _ in LINES} | set(rule)) if pct else rule
    top = max(float(values[rows].max()), max(lines, default=0)) * 1.12
    scale = 600 / top  # pixels per unit at a typical plot width
    traces = []
    for name, colour in TIER_COLOURS.items():
        part = [i for i in order if status[i] == name]
        xs = [float(values[i]) for i in part]
        labels = [_value_label(x, estimate[i]) for x, i in zip(xs, part, strict=True)]
        traces.append({
            "type": "bar", "x": xs, "y": [ally[i] for i in part],
            "orientation": "h", "name": name, "marker": {"color": colour},
            "text": labels, "cliponaxis": False, "insidetextanchor": "end",
            "insidetextfont": {"color": "white"},
            "textposition": [_label_position(x, t, lines, scale)
                             for x, t in zip(xs, labels, strict=True)],
            "hovertemplate": "%{y}: %{x:.2f}<extra>" + name + "</extra>",
        })  # fmt: skip
    missing = sorted(np.flatnonzero(~known).tolist(), key=lambda i: ally[i], reverse=True)
    if missing:
        forces, member = _column(frame, "armed_forces"), _column(frame, "member_in_year")
        traces.append({
            "type": "bar", "x": [0] * len(missing), "y": [ally[i] for i in missing],
            "orientation": "h", "name": "no figure", "marker": {"color": TIER_COLOURS["unknown"]},
            "text": [_missing_label({"armed_forces": _at(forces, i),
                                     "member_in_year": _at(member, i)}) for i in missing],
            "textposition": "outside", "cliponaxis": False, "hoverinfo": "y+text",
        })  # fmt: skip
    names = [ally[i] for i in missing + order]
    fig = new_figure(traces, title or "Defence expenditure, % of GDP", caption_for(frame),
                     height=max(420, 18 * len(names) + 140), barmode="overlay",
                     xaxis={"range": [0, top]},
                     yaxis={"categoryorder": "array", "categoryarray": names})  # fmt: skip
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


def shortfall_bar(frame: pd.DataFrame, title: str = "") -> Fig:
    """What each uncovered ally would have to add to reach the threshold, US$ bn."""
    shortfall = frame["shortfall_usd_m"].to_numpy(dtype=float, na_value=np.nan)
    rows = np.flatnonzero(np.nan_to_num(shortfall, nan=0.0) > 0)
    order = rows[shortfall[rows].argsort(kind="quicksort")].tolist()
    ally = frame["ally"].tolist()
    unknown = [a for a, c, s in zip(ally, frame["covered"].tolist(), shortfall, strict=True)
               if same_as(c, False) and s != s]  # fmt: skip
    caption = caption_for(frame, "Shortfall = (threshold - share) x GDP of that year, current US$.")
    title = title or "Shortfall to the threshold"
    if not order:
        sentence = ("Every ally with a figure meets the rule: no shortfall."
                    if not unknown else "Shortfall unknown: no GDP figure for "
                    + ", ".join(unknown) + ".")  # fmt: skip
        return empty_figure(title, caption, sentence)
    bn = [float(shortfall[i]) / 1000 for i in order]
    trace = {
        "type": "bar", "x": bn, "y": [ally[i] for i in order],
        "orientation": "h", "marker": {"color": TIER_COLOURS["not covered"]},
        "text": [f"{v:,.1f}" for v in bn],
        "textposition": "outside", "cliponaxis": False, "name": "shortfall",
        "hovertemplate": "%{y}: US$ %{x:,.1f} bn<extra></extra>",
    }  # fmt: skip
    if unknown:
        caption += " Shortfall unknown (no GDP figure): " + ", ".join(unknown) + "."
    return new_figure([trace], title, caption, height=max(300, 24 * len(order) + 140),
                      showlegend=False,
                      xaxis={"title": {"text": "US$ bn, current prices"},
                             "range": [0, max(bn) * 1.15]})  # fmt: skip


def wales_scatter(shares: pd.DataFrame, equipment: pd.DataFrame, year: int) -> Fig:
    """Share of GDP against the equipment share, with the Wales 2 % and 20 % lines."""
    data = shares.merge(equipment, on=["iso3", "ally"], suffixes=("_gdp", "_eq"))
    trace = {
        "type": "scatter", "x": plain(data["value_gdp"]), "y": plain(data["value_eq"]),
        "mode": "markers+text", "text": plain(data["iso3"]), "textposition": "top center",
        "marker": {"size": 9, "color": TIER_COLOURS["covered"]},
        "hovertext": plain(data["ally"]),
    }  # fmt: skip
    editions = sorted(set(data["edition_gdp"]) | set(data["edition_eq"]))
    fig = new_figure(
        [trace], f"Wales guidelines, {year}",
        f"Source: NATO, Tables 3 and 8a; edition(s) {', '.join(editions)}.",
        xaxis={"title": {"text": "Defence expenditure, % of GDP"}},
        yaxis={"title": {"text": "Major equipment, % of defence expenditure"}},
    )  # fmt: skip
    vline(fig, 2.0, "2% of GDP")
    hline(fig, 20.0, "20% equipment")
    return fig


def dumbbell(first: pd.DataFrame, last: pd.DataFrame, years: tuple[int, int]) -> Fig:
    """Each ally's share of GDP in two years (e.g. 2014 against the latest)."""
    data = first.merge(last, on=["iso3", "ally"], suffixes=("_a", "_b")).sort_values("value_b")
    xs: list[Any] = []
    ys: list[Any] = []
    for a, b, ally in zip(plain(data["value_a"]), plain(data["value_b"]), data["ally"],
                          strict=True):  # fmt: skip
        xs += [a, b, None]  # one trace for all connecting lines (None breaks them)
        ys += [ally, ally, None]
    traces = [
        {"type": "scatter", "x": xs, "y": ys, "mode": "lines", "line": {"color": "#bbb"},
         "showlegend": False, "hoverinfo": "skip"},
        {"type": "scatter", "x": plain(data["value_a"]), "y": plain(data["ally"]),
         "mode": "markers", "name": str(years[0]), "marker": {"color": "#999", "size": 8}},
        {"type": "scatter", "x": plain(data["value_b"]), "y": plain(data["ally"]),
         "mode": "markers", "name": str(years[1]),
         "marker": {"color": TIER_COLOURS["covered"], "size": 9}},
    ]  # fmt: skip
    editions = sorted(set(data["edition_a"]) | set(data["edition_b"]))
    fig = new_figure(traces, f"Defence expenditure, % of GDP: {years[0]} and {years[1]}",
                     f"Source: NATO, Table 3; edition(s) {', '.join(editions)}.",
                     height=max(420, 18 * len(data) + 120))  # fmt: skip
    vline(fig, 2.0, "2%")
    return fig


def coverage_figures(
    frame: pd.DataFrame, data: Any, year: int, edition: str, policy: Any = None
) -> dict[str, Fig]:
    """The charts of the coverage view, by kind.

    ``map, ranking, shortfall`` always;
    ``wales`` when the edition has equipment shares for the year; ``dumbbell`` (2014
    against ``year``) when it has 2014 shares. Used by the dashboard, the reports and
    ``twotier chart``, so the three show the same charts. Each carries its publication
    texts (headline with rule and year, subtitle, source, notes, text alternative) in
    ``layout.meta``; ``policy`` (a :class:`twotier.Policy`) names the rule in them.
    """
    import twotier

    def shares_of(indicator: str, y: int) -> pd.DataFrame:
        return twotier.select_figures(data, indicators=[indicator], years=[y], edition=edition)

    figs = {
        "map": coverage_map(frame),
        "ranking": ranking_bar(frame),
        "shortfall": shortfall_bar(frame),
    }
    shares = shares_of("pct_gdp", year)
    equipment = shares_of("equipment_pct", year)
    if len(equipment):
        figs["wales"] = wales_scatter(shares, equipment, year)
    first = shares_of("pct_gdp", 2014)
    if len(first) and year != 2014:
        figs["dumbbell"] = dumbbell(first, shares, (2014, year))
    texts = CoverageTexts(frame, data.editions, policy, year, edition)
    for kind, fig in figs.items():
        texts.describe(kind, fig, shares=shares, equipment=equipment, first=first)
    return figs
