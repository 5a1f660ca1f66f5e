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
    import numpy as np

    from twotier.models.negotiation.engine import (
        evaluate_negotiation,
        parameter_table,
        sweep_negotiation,
    )

    params, scenario = twotier.negotiation_params("default")
    frame = evaluate_negotiation(params)
    a0 = params.aid_baseline_eur_bn
    sweep = sweep_negotiation(
        params, "aid_after_russia_refusal_eur_bn", list(np.linspace(a0, 4 * a0, 13))
    )
    return [
        html.H2(f"Aid leverage: {scenario.title}", id="negotiation-title"),
        figure_block(charts.negotiation_ranges(frame), "negotiation"),
        figure_block(
            charts.sensitivity(sweep, "aid_after_russia_refusal_eur_bn", "both threats"),
            "negotiation-sensitivity",
        ),
        table_block(
            frame,
            "negotiation-table",
            "One row per lever setting. Results of a "
            "stated model under the assumptions below, not forecasts.",
        ),
        table_block(
            parameter_table(params, notes=twotier.aid_notes()),
            "negotiation-parameters",
            "Every parameter, its unit and the source or reason of its value.",
        ),
    ]


VIEW = View(id="negotiation", label="Negotiation", render=negotiation_view, order=60)
