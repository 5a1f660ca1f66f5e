"""Projections view: Monte-Carlo paths of who would meet the policy, year by year."""

from __future__ import annotations

from typing import Any

from dash import html

import twotier
from twotier.errors import InputError
from twotier.render import charts, kinds
from twotier.web.blocks import figure_block, table_block
from twotier.web.registry import Control, View
from twotier.web.state import State, policy_of

HORIZON = Control(key="horizon", label="Horizon", kind="number", default=2035,
                  props={"min": 2025, "max": 2050, "step": 1})  # fmt: skip
SCENARIO = Control(key="scenario", label="Scenario", kind="dropdown", default="constant",
                   options=lambda: [{"label": s, "value": s}
                                    for s in ("constant", "trend", "target")])  # fmt: skip
DRAWS = Control(key="draws", label="Draws", kind="number", default=5000,
                props={"min": 1, "max": 20000, "step": 1})  # fmt: skip
SEED = Control(key="seed", label="Seed", kind="number", default=0, props={"step": 1})


def projections_view(state: State) -> list[Any]:
    """Probability bands of the allies meeting the policy up to the horizon."""
    if not 1 <= state.draws <= 20_000:
        raise InputError(
            f"draws: expected 1 to 20000 in the dashboard, found {state.draws}", field="draws"
        )
    policy = policy_of(state)
    params = twotier.ProjectionParams(
        horizon=state.horizon, scenario=state.scenario, draws=state.draws, seed=state.seed
    )
    result = twotier.project(policy, params, state.edition)
    last = result.allies[result.allies["year"] == state.horizon]
    editions = twotier.load_data().editions
    return [
        html.H2(f"Projection to {state.horizon}: {policy.title}", id="projections-title"),
        figure_block(
            charts.projection_band(
                result.alliance,
                policy.id,
                state.draws,
                state.seed,
                meta=result.meta,
                editions=editions,
                title=kinds.rule_name(policy),
            ),
            "projection",
        ),
        figure_block(
            charts.projection_heatmap(
                result.allies, meta=result.meta, editions=editions, title=kinds.rule_name(policy)
            ),
            "projection-heatmap",
        ),
        table_block(
            last,
            "projection-table",
            f"Allies in {state.horizon}: probability of tier "
            "1 and share quantiles (model results, not forecasts).",
        ),
        table_block(
            result.assumptions,
            "projection-assumptions",
            "Assumptions per ally, estimated from each ally's history in the data.",
        ),
    ]


VIEW = View(id="projections", label="Projections", render=projections_view,
            controls=(HORIZON, SCENARIO, DRAWS, SEED), order=50, year=False)  # fmt: skip
