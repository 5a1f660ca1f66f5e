"""Charts over time and across vintages: the trends lines and the editions slope chart.

Plain-data plotly figures (see :mod:`twotier.render._figure`) with their publication
texts (headline, subtitle, NATO source line, notes, text alternative) in
``layout.meta``; no data is read and no model computed here.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

import pandas as pd

from twotier.render._figure import (
    OKABE_ITO,
    SYMBOLS,
    TIER_COLOURS,
    Fig,
    empty_figure,
    hline,
    new_figure,
    plain,
    vline,
)
from twotier.render.publish import set_texts, source_line

__all__ = ["DASHES", "EVENTS", "editions_slope", "series_style", "trends"]

#: Event markers of the trends chart (year, label).
EVENTS = ((2014, "Wales summit (Sep 2014)"), (2022, "Russia's full-scale invasion (Feb 2022)"),
          (2025, "The Hague summit (Jun 2025)"))  # fmt: skip

#: Line dashes cycled with the colours (a new dash and symbol every seven series).
DASHES = ("solid", "dash", "dot", "dashdot", "longdash")

#: Above this many series the legend moves to the right and each line ends in its label.
_MANY = 8


def series_style(i: int) -> dict[str, Any]:
    """Colour, marker symbol and dash of the ``i``-th series.

    Seven Okabe-Ito colours (black is kept for reference lines); every seven series the
    symbol and the dash change too, so 35 series stay apart without relying on colour.
    """
    colour = OKABE_ITO[i % 7]
    group = i // 7
    return {"line": {"color": colour, "dash": DASHES[group % len(DASHES)], "width": 2},
            "marker": {"color": colour, "symbol": SYMBOLS[group % len(SYMBOLS)],
                       "size": 7}}  # fmt: skip


def _event_lines(fig: Fig, years: tuple[int, int]) -> None:
    """Event lines; their labels above the plot, a row up when they would touch."""
    span = max(years[1] - years[0], 1)
    scale = 700 / span  # pixels per year at a typical plot width
    right = -1e9
    for year, label in EVENTS:
        if not years[0] <= year <= years[1]:
            continue
        shift = 14 if year < right else 0
        right = year + (len(label) * 6.5 + 6) / scale if not shift else right
        vline(fig, year, label, dash="dash", colour="#999", xanchor="left", yshift=shift,
              font={"size": 10, "color": "#555"})  # fmt: skip


def _line_ends(fig: Fig, ends: list[tuple[int, float, str, str]], top: float) -> None:
    """Each line's ISO code at its last point, pushed apart so that none overlap."""
    heights = _dodge([v for _, v, _, _ in ends], top / 38)
    for (year, _, code, colour), y in zip(ends, heights, strict=True):
        fig["layout"]["annotations"].append({
            "text": code, "x": year, "xref": "x", "y": y, "yref": "y", "xanchor": "left",
            "xshift": 6, "showarrow": False, "font": {"size": 9, "color": colour},
            "bgcolor": "rgba(255,255,255,0.85)",
        })  # fmt: skip


def _trend_alt(series: pd.DataFrame) -> str:
    parts = []
    for ally, part in series.sort_values("year").groupby("ally", sort=True):
        first, last = part.iloc[0], part.iloc[-1]
        parts.append(f"{ally} {first['value']:.2f}% in {first['year']} to {last['value']:.2f}% "
                     f"in {last['year']}")  # fmt: skip
    return "Line chart of defence expenditure as a share of GDP: " + "; ".join(parts) + "."


def trends(
    series: pd.DataFrame, thresholds: Sequence[float] = (2.0, 3.5), *,
    editions: pd.DataFrame | None = None,
) -> Fig:  # fmt: skip
    """Share of GDP over time per ally, with threshold lines and event markers.

    ``series`` is :func:`twotier.select_figures` for ``pct_gdp``; ``editions`` the
    editions table (:attr:`twotier.NatoData.editions`) that names NATO's publications in
    the source line.
    """
    used = sorted(set(series["edition"])) if len(series) else []
    source = source_line(editions, used)
    if not len(series):
        fig = empty_figure("Defence expenditure, % of GDP, over time", source,
                           "No % of GDP figures for these allies in this edition "
                           "(Iceland has no armed forces).")  # fmt: skip
        return set_texts(fig, "Defence expenditure as a share of GDP: no figures", "", source)
    names = sorted(set(series["ally"]))
    many = len(names) > _MANY
    traces = []
    ends = []
    for i, (ally, part) in enumerate(series.sort_values("year").groupby("ally", sort=True)):
        traces.append({
            "type": "scatter", "x": plain(part["year"]), "y": plain(part["value"]),
            "mode": "lines+markers", "name": str(ally),
            "hovertemplate": f"{ally}, %{{x}}: %{{y:.2f}}% of GDP<extra></extra>",
            **series_style(i),
        })  # fmt: skip
        last = part.iloc[-1]
        ends.append((int(last["year"]), float(last["value"]), str(last["iso3"]),
                     series_style(i)["line"]["color"]))  # fmt: skip
    years = (int(series["year"].min()), int(series["year"].max()))
    legend = ({"orientation": "v", "x": 1.02, "xanchor": "left", "y": 1, "yref": "paper",
               "yanchor": "top"} if many else {})  # fmt: skip
    fig = new_figure(traces, "", source, height=max(420, 19 * len(names) + 140) if many else 440,
                     legend=legend, yaxis={"title": {"text": "% of GDP"}, "rangemode": "tozero"},
                     xaxis={"dtick": 2}, margin={"t": 96, "r": 150 if many else 30})  # fmt: skip
    for y in thresholds:
        hline(fig, y, f"{y:g}%", xanchor="left", x=0)
    _event_lines(fig, years)
    if many:
        _line_ends(fig, ends, float(series["value"].max()))
    who = ", ".join(names) if len(names) <= 5 else f"{len(names)} allies"
    estimates = bool(series["estimate"].eq(True).any()) if "estimate" in series else False
    notes = ("Estimates (NATO's own) are included. " if estimates else "") \
        + "Each point is the figure of the newest edition that has it; editions differ in " \
        "definition (2026-07: core defence expenditure)."  # fmt: skip
    return set_texts(
        fig, f"Defence expenditure as a share of GDP, {years[0]} to {years[1]}: {who}",
        f"% of GDP, NATO definition; dotted lines at {', '.join(f'{t:g}%' for t in thresholds)}; "
        "dashed: events.", source, notes, _trend_alt(series),
    )  # fmt: skip


def _dodge(values: list[float], gap: float) -> list[float]:
    """Label heights: the values, pushed apart to at least ``gap`` (order kept).

    Labels are pushed up, then all moved down by the mean push (not below the lowest
    value), so that a crowd of labels stays centred on its lines.
    """
    order = sorted(range(len(values)), key=lambda i: values[i])
    out = list(values)
    for before, i in itertools.pairwise(order):
        out[i] = max(out[i], out[before] + gap)
    if not values:
        return out
    shift = min(sum(out) / len(out) - sum(values) / len(values), out[order[0]] - 0.0)
    return [v - shift for v in out]


def _end_labels(fig: Fig, diff: pd.DataFrame, top: float) -> None:
    """Ally names at both ends of the slopes, pushed apart so that none overlap."""
    gap = top / 24
    for x, column, anchor, shift in ((0, "value_a", "right", -10), (1, "value_b", "left", 10)):
        values = [float(v) for v in diff[column]]
        for row, y in zip(diff.itertuples(), _dodge(values, gap), strict=True):
            value = getattr(row, column)
            text = f"{row.ally} {value:.2f}" if x == 0 else f"{value:.2f} {row.ally}"
            fig["layout"]["annotations"].append({
                "text": text, "x": x, "xref": "x", "y": y, "yref": "y", "xanchor": anchor,
                "xshift": shift, "showarrow": False, "font": {"size": 11},
                "bgcolor": "rgba(255,255,255,0.85)",
            })  # fmt: skip


def editions_slope(
    diff: pd.DataFrame, editions: tuple[str, str], year: int, *, rule: str = "",
    thresholds: Sequence[float] = (2.0,), editions_table: pd.DataFrame | None = None,
) -> Fig:  # fmt: skip
    """Allies that change tier between two editions: a slope from one vintage to the other.

    A category axis (two vintages, not two dates), the ally's name and value at both
    ends (labels pushed apart so that none overlap), the line blue where the newer
    edition's figure is higher and orange where it is lower, and a line at each threshold
    of the rule.
    """
    a, b = editions
    source = source_line(editions_table, sorted({a, b}))
    compared = diff.attrs.get("compared")
    uncomparable = list(diff.attrs.get("uncomparable", []))
    counts = (f"{compared} allies compared" if compared is not None else "") + (
        f"; not comparable (no figure in one edition): {', '.join(uncomparable)}"
        if uncomparable else "")  # fmt: skip
    headline = f"Allies that change tier between NATO's {a} and {b} editions, {year}"
    subtitle = (f"Defence expenditure as a share of GDP for {year} as each edition reports it"
                "; blue: revised up, orange: revised down" + (f"; {rule}" if rule else "")
                + (f". {counts}." if counts else "."))  # fmt: skip
    notes = "NATO revises its figures, estimates especially, in each edition."
    bases = dict(diff.attrs.get("bases", {}))
    if len(set(bases.values())) > 1:  # e.g. total against core defence expenditure
        notes += " The two editions measure different things (" + "; ".join(
            f"{e}: {b}" for e, b in sorted(bases.items())) + "): a change may be the " \
            "definition, not spending."  # fmt: skip
    if not len(diff):
        fig = empty_figure(headline, source, f"No ally changes tier between editions {a} and {b} "
                           f"for {year} ({compared} allies compared).")  # fmt: skip
        return set_texts(fig, headline, subtitle, source, notes)
    top = max(float(diff[["value_a", "value_b"]].max().max()), *thresholds) * 1.15
    traces = []
    for row in diff.to_dict("records"):
        up = float(row["value_b"]) >= float(row["value_a"])
        colour = TIER_COLOURS["covered" if up else "not covered"]
        traces.append({
            "type": "scatter", "x": [a, b], "y": plain([row["value_a"], row["value_b"]]),
            "mode": "lines+markers", "name": str(row["ally"]), "showlegend": False,
            "line": {"color": colour, "width": 2}, "marker": {"color": colour, "size": 8},
            "hovertemplate": f"{row['ally']}, edition %{{x}}: %{{y:.2f}}% of GDP<extra></extra>",
        })  # fmt: skip
    fig = new_figure(
        traces, headline, source, height=max(380, 22 * len(diff) + 200),
        xaxis={"type": "category", "range": [-1.1, 2.1], "title": {"text": "NATO edition"},
               "showgrid": False},
        yaxis={"range": [0, top], "title": {"text": "% of GDP"}},
    )  # fmt: skip
    for t in thresholds:
        hline(fig, t, f"{t:g}%")
    _end_labels(fig, diff, top)
    moves = "; ".join(f"{r.ally} {r.value_a:.2f}% to {r.value_b:.2f}%" for r in diff.itertuples())
    alt = f"Slope chart of {len(diff)} allies that change tier between editions {a} and {b} " \
        f"for {year}: {moves}."  # fmt: skip
    return set_texts(fig, headline, subtitle, source, notes, alt)
