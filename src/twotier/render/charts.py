"""Charts of the coverage view (map, ranking, shortfall, Wales scatter, dumbbell).

Every function takes a result frame of the public API and returns a plotly figure as
plain data (see :mod:`twotier.render._figure`); none reads data or computes a model. Each
figure carries a caption (source, edition, definition) in ``layout.meta["caption"]``,
which the dashboard and reports print under the chart. The same functions serve the
dashboard, the reports and ``twotier chart``.
"""

from __future__ import annotations

from typing import Any

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
    status_of,
    thresholds_of,
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
    editions = sorted({e for cell in frame["edition"].dropna() for e in str(cell).split("+")})
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
