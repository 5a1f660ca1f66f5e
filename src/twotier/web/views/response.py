"""Allies' response view: a two-tier rule at the threshold as an incentive, side by side."""

from __future__ import annotations

from typing import Any

from dash import html

import twotier
from twotier.errors import InputError
from twotier.render import kinds, projection_charts
from twotier.web.blocks import figure_block, table_block
from twotier.web.registry import Control, View
from twotier.web.state import State

HORIZON = Control(key="rhorizon", label="Horizon", kind="number", default=2030,
                  props={"min": 2027, "max": 2040, "step": 1})  # fmt: skip
#: Draws in the dashboard and its exports (the CLI's default is 4,000).
DRAWS = kinds.RESPONSE_DRAWS


def response_view(state: State) -> list[Any]:
    """Expected allies at or above the line without and with the rule, per threat strength."""
    if not 0.5 <= state.threshold <= 10:
        raise InputError(
            f"threshold: the response model takes 0.5 to 10 (% of GDP), found {state.threshold}",
            field="threshold",
        )
    params = twotier.ResponseParams(
        threshold_pct=state.threshold, horizon=state.rhorizon, draws=DRAWS
    )
    result = twotier.simulate_rule_response(params, rng=0)
    last = result.allies[result.allies["year"] == state.rhorizon]
    return [
        html.H2(
            f"A two-tier rule at {state.threshold:g} % as an incentive, to {state.rhorizon}",
            id="response-title",
        ),
        figure_block(
            projection_charts.response_chart(result.alliance, state.threshold, meta=result.meta,
                                             editions=twotier.load_data().editions),
            "response",
        ),
        table_block(
            result.alliance.round(3), "response-alliance",
            f"Money in {result.meta['money_basis']}; s.e. = Monte Carlo standard error "
            f"({DRAWS} draws, seed 0). Results of a stated model, not forecasts.",
        ),
        table_block(last.round(3), "response-allies",
                    f"Each ally in {state.rhorizon}: probability at or above the line."),
        table_block(result.assumptions.round(4), "response-assumptions",
                    "Estimated parameters, their edition and source."),
    ]  # fmt: skip


VIEW = View(id="response", label="Allies' response", render=response_view,
            controls=(HORIZON,), order=65, year=False)  # fmt: skip
