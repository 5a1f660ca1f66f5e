"""Plotly figures of twotier results (the views of the dashboard and reports).

Every function takes a result frame of the public API and returns a
:class:`plotly.graph_objects.Figure`; none reads data or computes a model. Each figure
carries a caption (source, edition, definition) in ``figure.layout.meta["caption"]``,
which the dashboard and reports print under the chart.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go

__all__ = [
    "EVENTS",
    "TIER_COLOURS",
    "backing_bars",
    "caption_for",
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

#: Neutral colours: tier 1 (covered), tier 2 (not covered), unknown (no figure).
TIER_COLOURS = {"covered": "#2b6ca3", "not covered": "#e08a1e", "unknown": "#b0b0b0"}

#: Event markers of the trends chart (year, label).
EVENTS = ((2014, "Wales summit (Sep 2014)"), (2022, "Russia's full-scale invasion (Feb 2022)"),
          (2025, "The Hague summit (Jun 2025)"))  # fmt: skip

LINES = ((2.0, "2%"), (3.5, "3.5%"), (5.0, "5%"))

FONT = "DejaVu Sans, Arial, sans-serif"  # system fonts only: nothing is fetched


def _layout(fig: go.Figure, title: str, caption: str, height: int = 420) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0.01, "font": {"size": 16}},
        height=height,
        margin={"l": 60, "r": 20, "t": 60, "b": 50},
        font={"family": FONT, "size": 12},
        plot_bgcolor="white",
        paper_bgcolor="white",
        meta={"caption": caption},
        legend={"orientation": "h", "y": -0.15},
    )
    fig.update_xaxes(showgrid=False, linecolor="#888")
    fig.update_yaxes(gridcolor="#eee", linecolor="#888")
    return fig


def _status(frame: pd.DataFrame) -> pd.Series:
    covered = frame["covered"]
    status = pd.Series("unknown", index=frame.index)
    status[covered.eq(True).fillna(False).astype(bool)] = "covered"
    status[covered.eq(False).fillna(False).astype(bool)] = "not covered"
    return status


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


def coverage_map(frame: pd.DataFrame, title: str = "") -> go.Figure:
    """Members coloured by tier (choropleth on Natural Earth 1:110m boundaries)."""
    status = _status(frame)
    fig = go.Figure()
    for name, colour in TIER_COLOURS.items():
        part = frame[status == name]
        fig.add_trace(
            go.Choropleth(
                locations=part["iso3"], z=[1] * len(part), locationmode="ISO-3",
                colorscale=[[0, colour], [1, colour]], showscale=False, name=name,
                showlegend=True, marker={"line": {"color": "white", "width": 0.5}},
                text=[f"{a}: {v if pd.notna(v) else 'no figure'}"
                      for a, v in zip(part["ally"], part["value"], strict=True)],
                hoverinfo="text",
            )
        )  # fmt: skip
    fig.update_geos(
        projection_type="natural earth", showcountries=True, countrycolor="#ddd",
        showland=True, landcolor="#f4f4f4", showocean=False, lonaxis_range=[-130, 50],
        lataxis_range=[22, 75], showframe=False, resolution=110,
    )  # fmt: skip
    _layout(fig, title or "Allies by tier", caption_for(frame), height=460)
    fig.update_layout(margin={"l": 0, "r": 0, "t": 50, "b": 10})
    return fig


def ranking_bar(frame: pd.DataFrame, title: str = "") -> go.Figure:
    """Allies ranked by the rule's value, coloured by tier, with 2 / 3.5 / 5 % lines."""
    data = frame.assign(status=_status(frame)).dropna(subset=["value"])
    data = data.sort_values("value", ascending=True)
    fig = go.Figure()
    for name, colour in TIER_COLOURS.items():
        part = data[data["status"] == name]
        fig.add_trace(go.Bar(
            x=part["value"], y=part["ally"], orientation="h", name=name,
            marker_color=colour, text=[f"{v:.2f}" for v in part["value"]],
            textposition="outside", cliponaxis=False,
        ))  # fmt: skip
    if (data["indicator"] == "pct_gdp").all():
        for x, label in LINES:
            fig.add_vline(x=x, line_dash="dot", line_color="#555", annotation_text=label)
    fig.update_layout(barmode="overlay", yaxis={"categoryorder": "array",
                                                "categoryarray": list(data["ally"])})  # fmt: skip
    _layout(fig, title or "Defence expenditure, % of GDP", caption_for(frame),
            height=max(420, 18 * len(data) + 120))  # fmt: skip
    return fig


def shortfall_bar(frame: pd.DataFrame, title: str = "") -> go.Figure:
    """What each uncovered ally would have to add to reach the threshold, US$ bn."""
    data = frame[frame["shortfall_usd_m"].fillna(0) > 0].sort_values("shortfall_usd_m")
    fig = go.Figure(go.Bar(
        x=data["shortfall_usd_m"] / 1000, y=data["ally"], orientation="h",
        marker_color=TIER_COLOURS["not covered"],
        text=[f"{v / 1000:,.1f}" for v in data["shortfall_usd_m"]], textposition="outside",
        cliponaxis=False,
    ))  # fmt: skip
    fig.update_xaxes(title="US$ bn, current prices")
    _layout(fig, title or "Shortfall to the threshold", caption_for(
        frame, "Shortfall = (threshold - share) x GDP of that year, current US$."),
        height=max(300, 24 * len(data) + 140))  # fmt: skip
    return fig


def wales_scatter(shares: pd.DataFrame, equipment: pd.DataFrame, year: int) -> go.Figure:
    """Share of GDP against the equipment share, with the Wales 2 % and 20 % lines."""
    data = shares.merge(equipment, on=["iso3", "ally"], suffixes=("_gdp", "_eq"))
    fig = go.Figure(go.Scatter(
        x=data["value_gdp"], y=data["value_eq"], mode="markers+text", text=data["iso3"],
        textposition="top center", marker={"size": 9, "color": TIER_COLOURS["covered"]},
        hovertext=data["ally"],
    ))  # fmt: skip
    fig.add_vline(x=2.0, line_dash="dot", line_color="#555", annotation_text="2% of GDP")
    fig.add_hline(y=20.0, line_dash="dot", line_color="#555", annotation_text="20% equipment")
    fig.update_xaxes(title="Defence expenditure, % of GDP")
    fig.update_yaxes(title="Major equipment, % of defence expenditure")
    editions = sorted(set(data["edition_gdp"]) | set(data["edition_eq"]))
    _layout(fig, f"Wales guidelines, {year}",
            f"Source: NATO, Tables 3 and 8a; edition(s) {', '.join(editions)}.")  # fmt: skip
    return fig


def dumbbell(first: pd.DataFrame, last: pd.DataFrame, years: tuple[int, int]) -> go.Figure:
    """Each ally's share of GDP in two years (e.g. 2014 against the latest)."""
    data = first.merge(last, on=["iso3", "ally"], suffixes=("_a", "_b")).sort_values("value_b")
    fig = go.Figure()
    xs: list[object] = []
    ys: list[object] = []
    for row in data.itertuples():  # one trace for all connecting lines (None breaks them)
        xs += [row.value_a, row.value_b, None]
        ys += [row.ally, row.ally, None]
    fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", line={"color": "#bbb"},
                             showlegend=False, hoverinfo="skip"))  # fmt: skip
    fig.add_trace(go.Scatter(x=data["value_a"], y=data["ally"], mode="markers",
                             name=str(years[0]), marker={"color": "#999", "size": 8}))  # fmt: skip
    fig.add_trace(go.Scatter(x=data["value_b"], y=data["ally"], mode="markers",
                             name=str(years[1]), marker={"color": TIER_COLOURS["covered"],
                                                         "size": 9}))  # fmt: skip
    fig.add_vline(x=2.0, line_dash="dot", line_color="#555", annotation_text="2%")
    editions = sorted(set(data["edition_a"]) | set(data["edition_b"]))
    _layout(fig, f"Defence expenditure, % of GDP: {years[0]} and {years[1]}",
            f"Source: NATO, Table 3; edition(s) {', '.join(editions)}.",
            height=max(420, 18 * len(data) + 120))  # fmt: skip
    return fig


def trends(series: pd.DataFrame, thresholds: Sequence[float] = (2.0, 3.5)) -> go.Figure:
    """Share of GDP over time per ally, with threshold lines and event markers."""
    fig = go.Figure()
    for ally, part in series.groupby("ally", sort=True):
        fig.add_trace(go.Scatter(x=part["year"], y=part["value"], mode="lines+markers",
                                 name=str(ally)))  # fmt: skip
    for y in thresholds:
        fig.add_hline(y=y, line_dash="dot", line_color="#555", annotation_text=f"{y:g}%")
    for year, label in EVENTS:
        fig.add_vline(x=year, line_dash="dash", line_color="#aaa", annotation_text=label,
                      annotation_textangle=-90, annotation_font_size=10)  # fmt: skip
    fig.update_yaxes(title="% of GDP")
    editions = sorted(set(series["edition"])) if len(series) else []
    _layout(fig, "Defence expenditure, % of GDP, over time",
            f"Source: NATO, Table 3; edition(s) {', '.join(editions)}. Each point is the "
            "figure of the edition shown in the data table.")  # fmt: skip
    return fig


def editions_slope(diff: pd.DataFrame, editions: tuple[str, str], year: int) -> go.Figure:
    """Allies that change tier between two editions: value in each."""
    fig = go.Figure()
    for row in diff.itertuples():
        fig.add_trace(go.Scatter(x=list(editions), y=[row.value_a, row.value_b],
                                 mode="lines+markers+text", name=row.ally,
                                 text=[f"{row.value_a}", f"{row.value_b}"],
                                 textposition="middle right"))  # fmt: skip
    fig.add_hline(y=2.0, line_dash="dot", line_color="#555", annotation_text="2%")
    _layout(fig, f"Allies that change tier, {year}",
            f"Source: NATO, editions {editions[0]} and {editions[1]}, Table 3.")  # fmt: skip
    return fig


def backing_bars(compare: pd.DataFrame, policies: Sequence[str]) -> go.Figure:
    """Share of the alliance's defence expenditure bound to defend each ally."""
    data = compare[compare["iso3"] != "ALLIANCE"]
    fig = go.Figure()
    for p in policies:
        fig.add_trace(go.Bar(x=data["iso3"], y=data[f"{p}:backing_share"], name=p))
    fig.update_yaxes(title="Share of alliance defence expenditure", tickformat=".0%")
    _layout(fig, "Defence capacity bound to defend each ally",
            "Backing: current-US$ defence expenditure (NATO Table 2) of every ally bound to "
            "defend the ally under the rule, its own included, as a share of the alliance "
            "total.")  # fmt: skip
    fig.update_layout(barmode="group")
    return fig


def projection_band(alliance: pd.DataFrame, policy: str, draws: int, seed: int) -> go.Figure:
    """Number of allies in tier 1 per year: mean and 5-95 % band."""
    fig = go.Figure([
        go.Scatter(x=alliance["year"], y=alliance["covered_q95"], mode="lines",
                   line={"width": 0}, showlegend=False, hoverinfo="skip"),
        go.Scatter(x=alliance["year"], y=alliance["covered_q05"], mode="lines",
                   fill="tonexty", fillcolor="rgba(43,108,163,0.2)", line={"width": 0},
                   name="5-95 %"),
        go.Scatter(x=alliance["year"], y=alliance["covered_mean"], mode="lines+markers",
                   name="mean", line={"color": TIER_COLOURS["covered"]}),
    ])  # fmt: skip
    fig.update_yaxes(title="Allies in tier 1")
    _layout(fig, f"Allies in tier 1 under {policy}: projection",
            f"Monte Carlo, {draws} draws, seed {seed}; model and assumptions in the table "
            "below. Results under stated assumptions, not forecasts.")  # fmt: skip
    return fig


def negotiation_ranges(frame: pd.DataFrame) -> go.Figure:
    """Bargaining range and Nash split (Ukraine's share) for each lever setting."""
    fig = go.Figure()
    fig.add_trace(go.Bar(
        y=frame["setting"], x=frame["range_high"] - frame["range_low"], base=frame["range_low"],
        orientation="h", name="settlements both prefer to war", marker_color="#c9d9ea",
    ))  # fmt: skip
    fig.add_trace(go.Scatter(y=frame["setting"], x=frame["nash_x"], mode="markers",
                             name="Nash split", marker={"color": "#222", "size": 9}))  # fmt: skip
    fig.add_trace(go.Scatter(y=frame["setting"], x=frame["p"], mode="markers",
                             name="p (Ukraine prevails)",
                             marker={"symbol": "line-ns-open", "size": 14}))  # fmt: skip
    fig.update_xaxes(title="Ukraine's share of the contested good (prize = 1)", range=[0, 1])
    _layout(fig, "Bargaining range by lever setting",
            "A stated bargaining model (Fearon 1995; Tullock contest; Nash 1950) under the "
            "assumptions in the table below; not a forecast.", height=460)  # fmt: skip
    fig.update_layout(yaxis={"autorange": "reversed"}, margin={"l": 200})
    return fig


def projection_heatmap(allies: pd.DataFrame) -> go.Figure:
    """Probability of tier 1 per ally (rows) and year (columns)."""
    wide = allies.pivot(index="iso3", columns="year", values="p_tier1").sort_index(ascending=False)
    fig = go.Figure(go.Heatmap(
        z=wide.to_numpy(), x=[str(y) for y in wide.columns], y=list(wide.index),
        zmin=0, zmax=1, colorscale=[[0, TIER_COLOURS["not covered"]], [0.5, "#f2f2f2"],
                                    [1, TIER_COLOURS["covered"]]],
        colorbar={"title": "P(tier 1)"},
        hovertemplate="%{y} %{x}: %{z:.2f}<extra></extra>",
    ))  # fmt: skip
    caption = (
        "Share of Monte Carlo draws in which the ally meets the rule; model results under "
        "the stated assumptions, not forecasts."
    )
    _layout(fig, "Probability of being in tier 1, by ally and year", caption,
            height=max(420, 16 * len(wide) + 120))  # fmt: skip
    return fig


def sensitivity(frame: pd.DataFrame, parameter: str, setting: str) -> go.Figure:
    """Bargaining range and Nash split of one setting as one parameter varies."""
    part = frame[frame["setting"] == setting]
    fig = go.Figure([
        go.Scatter(x=part[parameter], y=part["range_high"], mode="lines", name="range: high",
                   line={"color": "#9bb7d4"}),
        go.Scatter(x=part[parameter], y=part["range_low"], mode="lines", name="range: low",
                   line={"color": "#9bb7d4"}, fill="tonexty", fillcolor="rgba(155,183,212,0.3)"),
        go.Scatter(x=part[parameter], y=part["nash_x"], mode="lines+markers", name="Nash split",
                   line={"color": "#222"}),
    ])  # fmt: skip
    fig.update_xaxes(title=parameter)
    fig.update_yaxes(title="Ukraine's share (prize = 1)", range=[0, 1])
    _layout(fig, f"Sensitivity: {setting}, varying {parameter}",
            "One-parameter sweep of the stated bargaining model, other parameters at their "
            "values in the table below; not a forecast.")  # fmt: skip
    return fig


def coverage_figures(
    frame: pd.DataFrame, data: Any, year: int, edition: str
) -> dict[str, go.Figure]:
    """The charts of the coverage view, by kind: ``map, ranking, shortfall`` always;
    ``wales`` when the edition has equipment shares for the year; ``dumbbell`` (2014
    against ``year``) when it has 2014 shares. Used by the dashboard, the reports and
    ``twotier chart``, so the three show the same charts."""
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
    return figs
