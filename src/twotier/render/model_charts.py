"""Charts of the other views: trends, editions, rule comparison, projections, negotiation.

Plain-data plotly figures (see :mod:`twotier.render._figure`), each with its caption in
``layout.meta["caption"]``; no data is read and no model computed here.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from twotier.render._figure import TIER_COLOURS, Fig, hline, new_figure, plain, vline

__all__ = [
    "EVENTS",
    "backing_bars",
    "editions_slope",
    "negotiation_ranges",
    "projection_band",
    "projection_heatmap",
    "sensitivity",
    "trends",
]

#: Event markers of the trends chart (year, label).
EVENTS = ((2014, "Wales summit (Sep 2014)"), (2022, "Russia's full-scale invasion (Feb 2022)"),
          (2025, "The Hague summit (Jun 2025)"))  # fmt: skip


def trends(series: pd.DataFrame, thresholds: Sequence[float] = (2.0, 3.5)) -> Fig:
    """Share of GDP over time per ally, with threshold lines and event markers."""
    traces = [
        {"type": "scatter", "x": plain(part["year"]), "y": plain(part["value"]),
         "mode": "lines+markers", "name": str(ally)}
        for ally, part in series.groupby("ally", sort=True)
    ]  # fmt: skip
    editions = sorted(set(series["edition"])) if len(series) else []
    fig = new_figure(
        traces, "Defence expenditure, % of GDP, over time",
        f"Source: NATO, Table 3; edition(s) {', '.join(editions)}. Each point is the "
        "figure of the edition shown in the data table.",
        yaxis={"title": {"text": "% of GDP"}},
    )  # fmt: skip
    for y in thresholds:
        hline(fig, y, f"{y:g}%")
    for year, label in EVENTS:
        vline(fig, year, label, dash="dash", colour="#aaa", textangle=-90,
              font={"size": 10}, yanchor="top", xanchor="left")  # fmt: skip
    return fig


def editions_slope(diff: pd.DataFrame, editions: tuple[str, str], year: int) -> Fig:
    """Allies that change tier between two editions: value in each."""
    traces = [
        {"type": "scatter", "x": list(editions), "y": plain([row.value_a, row.value_b]),
         "mode": "lines+markers+text", "name": row.ally,
         "text": [f"{row.value_a}", f"{row.value_b}"], "textposition": "middle right"}
        for row in diff.itertuples()
    ]  # fmt: skip
    caption = f"Source: NATO, editions {editions[0]} and {editions[1]}, Table 3."
    # Two vintages, not two dates: a category axis, not a calendar one.
    fig = new_figure(traces, f"Allies that change tier, {year}", caption,
                     xaxis={"type": "category", "title": {"text": "NATO edition"}})  # fmt: skip
    hline(fig, 2.0, "2%")
    return fig


def backing_bars(compare: pd.DataFrame, policies: Sequence[str]) -> Fig:
    """Share of the alliance's defence expenditure bound to defend each ally."""
    data = compare[compare["iso3"] != "ALLIANCE"]
    traces = [
        {"type": "bar", "x": plain(data["iso3"]), "y": plain(data[f"{p}:backing_share"]),
         "name": p}
        for p in policies
    ]  # fmt: skip
    return new_figure(
        traces, "Defence capacity bound to defend each ally",
        "Backing: current-US$ defence expenditure (NATO Table 2) of every ally bound to "
        "defend the ally under the rule, its own included, as a share of the alliance total.",
        yaxis={"title": {"text": "Share of alliance defence expenditure"}, "tickformat": ".0%"},
        barmode="group",
    )  # fmt: skip


def projection_band(alliance: pd.DataFrame, policy: str, draws: int, seed: int) -> Fig:
    """Number of allies in tier 1 per year: mean and 5-95 % band."""
    years = plain(alliance["year"])
    traces = [
        {"type": "scatter", "x": years, "y": plain(alliance["covered_q95"]), "mode": "lines",
         "line": {"width": 0}, "showlegend": False, "hoverinfo": "skip"},
        {"type": "scatter", "x": years, "y": plain(alliance["covered_q05"]), "mode": "lines",
         "fill": "tonexty", "fillcolor": "rgba(43,108,163,0.2)", "line": {"width": 0},
         "name": "5-95 %"},
        {"type": "scatter", "x": years, "y": plain(alliance["covered_mean"]),
         "mode": "lines+markers", "name": "mean", "line": {"color": TIER_COLOURS["covered"]}},
    ]  # fmt: skip
    return new_figure(
        traces, f"Allies in tier 1 under {policy}: projection",
        f"Monte Carlo, {draws} draws, seed {seed}; model and assumptions in the table "
        "below. Results under stated assumptions, not forecasts.",
        yaxis={"title": {"text": "Allies in tier 1"}},
    )  # fmt: skip


def negotiation_ranges(frame: pd.DataFrame) -> Fig:
    """Bargaining range and Nash split (Ukraine's share) for each lever setting."""
    setting = plain(frame["setting"])
    traces = [
        {"type": "bar", "y": setting, "x": plain(frame["range_high"] - frame["range_low"]),
         "base": plain(frame["range_low"]), "orientation": "h",
         "name": "settlements both prefer to war", "marker": {"color": "#c9d9ea"}},
        {"type": "scatter", "y": setting, "x": plain(frame["nash_x"]), "mode": "markers",
         "name": "Nash split", "marker": {"color": "#222", "size": 9}},
        {"type": "scatter", "y": setting, "x": plain(frame["p"]), "mode": "markers",
         "name": "p (Ukraine prevails)", "marker": {"symbol": "line-ns-open", "size": 14}},
    ]  # fmt: skip
    return new_figure(
        traces, "Bargaining range by lever setting",
        "A stated bargaining model (Fearon 1995; Tullock contest; Nash 1950) under the "
        "assumptions in the table below; not a forecast.", height=460,
        xaxis={"title": {"text": "Ukraine's share of the contested good (prize = 1)"},
               "range": [0, 1]},
        yaxis={"autorange": "reversed"}, margin={"l": 200},
    )  # fmt: skip


def projection_heatmap(allies: pd.DataFrame) -> Fig:
    """Probability of tier 1 per ally (rows) and year (columns)."""
    wide = allies.pivot(index="iso3", columns="year", values="p_tier1").sort_index(ascending=False)
    trace = {
        "type": "heatmap", "z": [plain(row) for row in wide.to_numpy()],
        "x": [str(y) for y in wide.columns], "y": plain(wide.index), "zmin": 0, "zmax": 1,
        "colorscale": [[0, TIER_COLOURS["not covered"]], [0.5, "#f2f2f2"],
                       [1, TIER_COLOURS["covered"]]],
        "colorbar": {"title": {"text": "P(tier 1)"}},
        "hovertemplate": "%{y} %{x}: %{z:.2f}<extra></extra>",
    }  # fmt: skip
    caption = (
        "Share of Monte Carlo draws in which the ally meets the rule; model results under "
        "the stated assumptions, not forecasts."
    )
    return new_figure([trace], "Probability of being in tier 1, by ally and year", caption,
                      height=max(420, 16 * len(wide) + 120))  # fmt: skip


def sensitivity(frame: pd.DataFrame, parameter: str, setting: str) -> Fig:
    """Bargaining range and Nash split of one setting as one parameter varies."""
    part = frame[frame["setting"] == setting]
    x = plain(part[parameter])
    traces = [
        {"type": "scatter", "x": x, "y": plain(part["range_high"]), "mode": "lines",
         "name": "range: high", "line": {"color": "#9bb7d4"}},
        {"type": "scatter", "x": x, "y": plain(part["range_low"]), "mode": "lines",
         "name": "range: low", "line": {"color": "#9bb7d4"}, "fill": "tonexty",
         "fillcolor": "rgba(155,183,212,0.3)"},
        {"type": "scatter", "x": x, "y": plain(part["nash_x"]), "mode": "lines+markers",
         "name": "Nash split", "line": {"color": "#222"}},
    ]  # fmt: skip
    return new_figure(
        traces, f"Sensitivity: {setting}, varying {parameter}",
        "One-parameter sweep of the stated bargaining model, other parameters at their "
        "values in the table below; not a forecast.",
        xaxis={"title": {"text": parameter}},
        yaxis={"title": {"text": "Ukraine's share (prize = 1)"}, "range": [0, 1]},
    )  # fmt: skip
