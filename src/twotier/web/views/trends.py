"""Trends view: chosen allies' defence expenditure over time."""

from __future__ import annotations

from typing import Any

from dash import html

import twotier
from twotier.render import charts
from twotier.web.blocks import figure_block, table_block
from twotier.web.registry import Control, View
from twotier.web.state import State


def _ally_options() -> list[dict[str, Any]]:
    allies = twotier.load_data().allies.sort_values("name")
    return [{"label": f"{n} ({c})", "value": c}
            for c, n in zip(allies["iso3"], allies["name"], strict=True)]  # fmt: skip


ALLIES = Control(key="allies", label="Allies", kind="multi", default="POL,DEU,FRA,ESP,USA",
                 options=_ally_options)  # fmt: skip


def trends_view(state: State) -> list[Any]:
    """Share of GDP of the chosen allies, every year, by the chosen edition."""
    allies = [a for a in state.allies.split(",") if a]
    data = twotier.load_data()
    series = twotier.select_figures(
        data, indicators=["pct_gdp"], allies=allies, edition=state.edition
    )
    return [
        html.H2("Defence expenditure over time", id="trends-title"),
        figure_block(charts.trends(series, editions=data.editions), "trends"),
        table_block(series, "trends-table", "Source: NATO, Table 3; edition per figure shown."),
    ]


VIEW = View(
    id="trends", label="Trends", render=trends_view, controls=(ALLIES,), order=30, year=False
)
