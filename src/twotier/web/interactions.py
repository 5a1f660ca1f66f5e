"""Callbacks that keep the controls honest: only year/edition pairs that have figures.

Registered by :func:`twotier.web.app.create_app` next to the ones derived from the
registry. The years offered are those the edition in view has figures for; a link
(or a change of edition) asking for a year this edition has no figures for, but another
has, moves to the nearest year that has them (a year no edition has keeps its error).
"""

from __future__ import annotations

from typing import Any

import dash
from dash import Input, Output

import twotier
from twotier.errors import TwotierError
from twotier.web.state import parse_state

__all__ = ["nearest_year", "register", "year_options"]


def year_options(edition: str) -> list[int]:
    """Years with at least one % of GDP figure in ``edition`` (``latest``: any edition)."""
    return twotier.years_with_figures(twotier.load_data(), edition)


def nearest_year(year: int, years: list[int]) -> int:
    """The year of ``years`` closest to ``year`` (the later one on a tie)."""
    return min(years, key=lambda y: (abs(y - year), -y))


def register(app: dash.Dash) -> None:
    """Add the callbacks to ``app``."""

    @app.callback(
        [Output("year", "options"), Output("url", "search", allow_duplicate=True)],
        [Input("url", "search")],
        prevent_initial_call="initial_duplicate",
    )
    def years_for_edition(search: str | None) -> list[Any]:
        state, _ = parse_state(search)
        try:
            years = year_options(state.edition)
        except TwotierError:
            return [dash.no_update, dash.no_update]
        options = [{"label": str(y), "value": y} for y in years]
        if not years or state.year in years or state.year not in year_options("latest"):
            # Fine, or a year no edition has: that link keeps its error message.
            return [options, dash.no_update]
        # The link asks for a year the edition has no figures for: the nearest one.
        return [options, state.replace(year=nearest_year(state.year, years)).query()]
