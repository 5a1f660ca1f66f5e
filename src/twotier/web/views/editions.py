"""Editions view: who changes tier between two NATO report editions."""

from __future__ import annotations

from typing import Any

from dash import html

import twotier
from twotier.render import kinds
from twotier.web.blocks import figure_block, table_block
from twotier.web.registry import Control, View, edition_options, year_options
from twotier.web.state import State, policy_of

OLDER = Control(key="ea", label="Older edition", kind="dropdown", default="2023-07",
                options=edition_options(latest=False))  # fmt: skip
NEWER = Control(key="eb", label="Newer edition", kind="dropdown", default="2024-03",
                options=edition_options(latest=False))  # fmt: skip
YEAR = Control(key="eyear", label="Year", kind="dropdown", default=2023, options=year_options)


def editions_view(state: State) -> list[Any]:
    """Allies whose tier differs between editions ``ea`` and ``eb`` for ``eyear``."""
    policy = policy_of(state)
    diff = twotier.diff(policy, state.eyear, state.ea, state.eb, include_unknown=False)
    return [
        html.H2(
            f"Who changes tier between editions {state.ea} and {state.eb} ({state.eyear})",
            id="editions-title",
        ),
        html.P(
            f"{len(diff)} of {diff.attrs.get('compared', 'the')} allies compared change tier "
            f"under {policy.title}. NATO revises its estimates with each edition.",
            id="editions-count",
        ),
        figure_block(kinds.editions_chart(policy, diff, state.ea, state.eb, state.eyear), "slope"),
        table_block(
            diff, "editions-table", f"Source: NATO, editions {state.ea} and {state.eb}, Table 3."
        ),
    ]


VIEW = View(id="editions", label="Editions", render=editions_view,
            controls=(OLDER, NEWER, YEAR), order=20, year=False)  # fmt: skip
