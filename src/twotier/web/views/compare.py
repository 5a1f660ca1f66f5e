"""Compare view: several policies side by side for one year."""

from __future__ import annotations

from typing import Any

from dash import html

import twotier
from twotier.render import charts, kinds
from twotier.web.blocks import figure_block, table_block
from twotier.web.registry import Control, View, policy_options
from twotier.web.state import State

POLICIES = Control(key="policies", label="Policies", kind="multi",
                   default="article5,two-tier-2pct,us-guarantee-2pct",
                   options=policy_options)  # fmt: skip


def compare_view(state: State) -> list[Any]:
    """Tier and backing of every ally under each chosen policy."""
    resolved = kinds.compare_policies(state.policies, state.threshold)
    frame = twotier.compare(resolved, state.year, state.edition)
    fig = charts.backing_bars(frame, [p.id for p in resolved],
                              used=kinds.used_editions(state.year, state.edition),
                              editions=twotier.load_data().editions,
                              titles=[p.title for p in resolved])  # fmt: skip
    return [
        html.H2(f"Policies compared, {state.year}", id="compare-title"),
        figure_block(fig, "backing"),
        table_block(
            frame,
            "compare-table",
            "Summary row ALLIANCE: allies in tier 1, share of "
            "population not covered, backing lost (US$ m).",
        ),
    ]


VIEW = View(id="compare", label="Compare policies", render=compare_view,
            controls=(POLICIES,), order=40)  # fmt: skip
