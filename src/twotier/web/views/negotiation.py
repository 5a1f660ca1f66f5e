"""Negotiation view: the aid-leverage bargaining model and its sensitivity to aid."""

from __future__ import annotations

from typing import Any

from dash import html

import twotier
from twotier.render import charts
from twotier.web.blocks import figure_block, table_block
from twotier.web.registry import View
from twotier.web.state import State


def negotiation_view(state: State) -> list[Any]:
    """The default scenario's outcomes, a sweep of aid after refusal, every parameter."""
    params, _ = twotier.negotiation_params("default")
    name = "aid_after_russia_refusal_eur_bn"
    result = twotier.negotiate("default", sweep=(name, twotier.aid_sweep_values(params)))
    frame, sweep = result.outcomes, result.frames()["sweep"]
    return [
        html.H2(f"Aid leverage: {result.meta['scenario_title']}", id="negotiation-title"),
        figure_block(charts.negotiation_ranges(frame), "negotiation"),
        figure_block(
            charts.sensitivity(sweep, name, "both threats"),
            "negotiation-sensitivity",
        ),
        table_block(
            frame,
            "negotiation-table",
            "One row per lever setting. Results of a "
            "stated model under the assumptions below, not forecasts.",
        ),
        table_block(
            result.parameters,
            "negotiation-parameters",
            "Every parameter, its unit and the source or reason of its value.",
        ),
    ]


VIEW = View(id="negotiation", label="Negotiation", render=negotiation_view, order=60)
