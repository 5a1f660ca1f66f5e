"""Charts of the model views: rule comparison, projections, negotiation.

Plain-data plotly figures (see :mod:`twotier.render._figure`), each with its publication
texts (headline, subtitle, source line, notes, text alternative) in ``layout.meta``; no
data is read and no model computed here. Trends and editions are in
:mod:`twotier.render.time_charts`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from twotier.render._figure import TIER_COLOURS, Fig, new_figure, plain
from twotier.render.publish import citation, set_texts, source_line
from twotier.render.time_charts import EVENTS, editions_slope, trends

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


def backing_bars(
    compare: pd.DataFrame, policies: Sequence[str], *, used: Sequence[str] = (),
    editions: pd.DataFrame | None = None, titles: Sequence[str] = (),
) -> Fig:  # fmt: skip
    """Share of the alliance's defence expenditure bound to defend each ally.

    ``used`` are the editions the figures come from (for the source line), ``titles``
    the policies' titles (for the text alternative).
    """
    data = compare[compare["iso3"] != "ALLIANCE"]
    traces = [
        {"type": "bar", "x": plain(data["iso3"]), "y": plain(data[f"{p}:backing_share"]),
         "name": p, "hovertext": plain(data["ally"]),
         "hovertemplate": "%{hovertext}: %{y:.1%} under " + p + "<extra></extra>"}
        for p in policies
    ]  # fmt: skip
    fig = new_figure(
        traces, "", "",
        yaxis={"title": {"text": "Share of alliance defence expenditure"}, "tickformat": ".0%"},
        xaxis={"tickangle": -90}, barmode="group",
    )  # fmt: skip
    year = compare.attrs.get("year", "")
    source = source_line(editions, list(used), "Tables 2 and 3")
    lost = {p: data[f"{p}:backing_share"].isna().sum() for p in policies}
    unknown = [f"{p}: {n}" for p, n in lost.items() if n]
    alt = (f"Grouped bar chart, {year}: for each of {len(data)} allies the share of the "
           f"alliance's defence expenditure bound to defend it under "
           f"{', '.join(titles or policies)}.")  # fmt: skip
    return set_texts(
        fig, f"Who is bound to defend each ally under {len(policies)} rules, {year}",
        "Backing: current-US$ defence expenditure of every ally bound to defend the ally under "
        "the rule, its own included, as a share of the alliance total; colours: "
        + ", ".join(policies) + ".", source,
        "An ally without a figure has no bar (unknown, not zero)"
        + (f" ({'; '.join(unknown)})." if unknown else "."), alt,
    )  # fmt: skip


def _model_source(meta: Mapping[str, Any], editions: pd.DataFrame | None) -> str:
    edition = meta.get("edition")
    return f"Source: {citation(editions, str(edition))}." if edition else "Source: NATO."


def projection_band(
    alliance: pd.DataFrame, policy: str, draws: int, seed: int, *,
    meta: Mapping[str, Any] | None = None, editions: pd.DataFrame | None = None,
    title: str = "",
) -> Fig:  # fmt: skip
    """Number of allies in tier 1 per year: mean and 5-95 % band.

    ``meta`` is the projection's ``meta`` (edition, scenario, horizon), ``title`` the
    policy's title.
    """
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
    notes = (f"Monte Carlo, {draws} draws, seed {seed}; model and assumptions in the table "
             "below. Results under stated assumptions, not forecasts.")  # fmt: skip
    fig = new_figure(traces, "", notes, yaxis={"title": {"text": "Allies in tier 1"}})
    meta = meta or {}
    first, last = (int(alliance["year"].min()), int(alliance["year"].max())) if len(
        alliance) else (0, 0)  # fmt: skip
    mean = plain(alliance["covered_mean"])
    alt = (f"Line chart with a band: expected allies meeting the rule from {first} "
           f"({mean[0]:.1f}) to {last} ({mean[-1]:.1f}), 5-95 % band shaded."
           if mean else "No projected years.")  # fmt: skip
    return set_texts(
        fig, f"Allies meeting {title or policy}: projection {first} to {last}",
        f"Mean and 5-95 % band of the number of allies meeting the rule each year; scenario "
        f"{meta.get('scenario', '')}, from NATO's figures to {meta.get('as_of', '')}.",
        _model_source(meta, editions), notes, alt,
    )  # fmt: skip


def negotiation_ranges(frame: pd.DataFrame, *, meta: Mapping[str, Any] | None = None) -> Fig:
    """Bargaining range and Nash split (Ukraine's share) for each lever setting.

    ``meta`` is the negotiation result's ``meta`` (its one-sentence result, the aid data's
    cut-off and the resources' basis).
    """
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
    notes = ("A stated bargaining model (Fearon 1995; Tullock contest; Nash 1950) under the "
             "assumptions in the table of parameters; not a forecast.")  # fmt: skip
    fig = new_figure(
        traces, "", notes, height=460,
        xaxis={"title": {"text": "Ukraine's share of the contested good (prize = 1)"},
               "range": [0, 1]},
        yaxis={"autorange": "reversed"}, margin={"l": 200},
    )  # fmt: skip
    meta = meta or {}
    as_of = meta.get("aid_as_of", "")
    basis = {"market": "SIPRI (market exchange rates)", "ppp": "IISS (Russia at PPP)"}.get(
        str(meta.get("resources_basis")), str(meta.get("resources_basis", ""))
    )
    source = (f"Sources: Kiel Institute, Ukraine Support Tracker (data to {as_of}); military "
              f"expenditure: {basis}; ECB exchange rate. Each parameter's source: "
              "twotier negotiate.")  # fmt: skip
    rows = "; ".join(
        f"{s}: range {lo:.2f} to {hi:.2f}, Nash split {x:.2f}"
        for s, lo, hi, x in zip(
            frame["setting"], frame["range_low"], frame["range_high"], frame["nash_x"], strict=True
        )
    )
    return set_texts(
        fig, f"Aid leverage: Ukraine's share of a settlement by lever setting (aid data to "
        f"{as_of})", str(meta.get("sentence", "")), source, notes,
        f"Horizontal ranges of the settlements both sides prefer to war, per setting: {rows}.",
    )  # fmt: skip


def projection_heatmap(
    allies: pd.DataFrame, *, meta: Mapping[str, Any] | None = None,
    editions: pd.DataFrame | None = None, title: str = "",
) -> Fig:  # fmt: skip
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
    fig = new_figure([trace], "", caption, height=max(420, 16 * len(wide) + 120))
    meta = meta or {}
    years = [str(y) for y in wide.columns]
    span = f"{years[0]} to {years[-1]}" if years else ""
    last = wide[wide.columns[-1]].sort_values(ascending=False) if years else pd.Series()
    alt = (f"Heat map of {len(wide)} allies by year, {span}: probability of meeting the rule. "
           f"In {years[-1]}: " + "; ".join(f"{k} {v:.2f}" for k, v in last.items()) + "."
           if years else "No projected years.")  # fmt: skip
    return set_texts(
        fig, f"Probability of meeting {title or meta.get('policy', 'the rule')}, by ally, {span}",
        "Blue: likely to meet the rule; orange: likely not; grey: a coin flip. Scenario "
        f"{meta.get('scenario', '')}.", _model_source(meta, editions), caption, alt,
    )  # fmt: skip


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
