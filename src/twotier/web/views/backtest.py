"""Backtest view: would the projections have been right? Scores and reliability chart."""

from __future__ import annotations

from typing import Any

from dash import html

import twotier
from twotier.render import kinds, projection_charts
from twotier.render.backtest_report import CHART_METHODS, where_it_loses
from twotier.web.blocks import figure_block, table_block
from twotier.web.registry import View
from twotier.web.state import State

#: Samples per forecast in the dashboard and its exports (the CLI's default is 2,000).
DRAWS = kinds.BACKTEST_DRAWS


def backtest_view(state: State) -> list[Any]:
    """Scores of the response model and the baselines, and its reliability chart."""
    result = twotier.backtest(draws=DRAWS, rng=0)
    overall = result.scores[result.scores["horizon"] == "all"]
    rel = result.reliability
    losses = where_it_loses(result) or ["No score misses its goal or loses to a baseline."]
    return [
        html.H2("Backtest: origins 2016-2021, horizons 1-5 years", id="backtest-title"),
        table_block(
            overall.round(3), "backtest-scores",
            f"Lower Brier, log score and CRPS are better; coverage should be near 0.5 and 0.9. "
            f"Truth: NATO edition {result.meta['edition']}; {DRAWS} draws, seed 0.",
        ),
        figure_block(projection_charts.reliability_chart(
            rel[rel["method"].isin(CHART_METHODS)], result.meta,
            editions=twotier.load_data().editions), "backtest-reliability"),
        html.H3("Where the response model loses"),
        html.Ul([html.Li(s) for s in losses], id="backtest-losses"),
        table_block(
            result.reliability.round(3), "backtest-reliability-table",
            "Reliability: forecast-probability bins (width 0.1), cases, mean forecast, "
            "observed frequency.",
        ),
    ]  # fmt: skip


VIEW = View(
    id="backtest", label="Backtest", render=backtest_view, controls=(), order=70, year=False
)
