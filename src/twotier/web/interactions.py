"""Callbacks of the year slider: only years with figures, and play/pause through them.

Registered by :func:`twotier.web.app.create_app` next to the ones derived from the
registry. The slider spans the years the edition in view has figures for; a link
(or a change of edition) asking for a year this edition has no figures for, but another
has, moves to the nearest year that has them (a year no edition has keeps its error).
The play button steps the slider one year per tick of a timer, and stops at the last
year (pressed at the last year, it starts again from the first).
"""

from __future__ import annotations

from typing import Any

import dash
from dash import Input, Output
from dash import State as DashState
from dash.exceptions import PreventUpdate

import twotier
from twotier.errors import TwotierError
from twotier.web.registry import year_marks
from twotier.web.state import parse_state

__all__ = ["nearest_year", "next_year", "register", "year_options"]


def year_options(edition: str) -> list[int]:
    """Years with at least one % of GDP figure in ``edition`` (``latest``: any edition)."""
    return twotier.years_with_figures(twotier.load_data(), edition)


def nearest_year(year: int, years: list[int]) -> int:
    """The year of ``years`` closest to ``year`` (the later one on a tie)."""
    return min(years, key=lambda y: (abs(y - year), -y))


def register(app: dash.Dash) -> None:
    """Add the callbacks to ``app``."""
    span = ["min", "max", "marks", "disabled"]

    @app.callback(
        [*[Output("year", p) for p in span], Output("url", "search", allow_duplicate=True)],
        [Input("url", "search")],
        prevent_initial_call="initial_duplicate",
    )
    def years_for_edition(search: str | None) -> list[Any]:
        state, _ = parse_state(search)
        try:
            years = year_options(state.edition)
        except TwotierError:
            return [dash.no_update] * (len(span) + 1)
        marks = year_marks(years)
        values = [marks[p] for p in span]
        if not years or state.year in years or state.year not in year_options("latest"):
            # Fine, or a year no edition has: that link keeps its error message.
            return [*values, dash.no_update]
        # The link asks for a year the edition has no figures for: the nearest one.
        return [*values, state.replace(year=nearest_year(state.year, years)).query()]

    _register_play(app)


def next_year(year: float | None, first: int, last: int, start: bool) -> tuple[int, bool]:
    """The year after ``year`` while playing, and whether to keep playing.

    ``start`` marks the press of the play button: at the last year it starts again from
    the first. Playing stops on reaching the last year.
    """
    current = first if year is None or not first <= year <= last else int(year)
    if start:
        return (first if current >= last else current), first < last
    following = min(current + 1, last)
    return following, following < last


def _span_ok(year: Any, first: Any, last: Any) -> bool:
    """Whole years with ``first <= last`` (the slider's own values always are)."""

    def whole(v: Any) -> bool:
        return isinstance(v, int | float) and not isinstance(v, bool) and float(v).is_integer()

    return whole(first) and whole(last) and first <= last and (year is None or whole(year))


def _play_label(playing: bool) -> list[str]:
    if playing:
        return ["❚❚ Pause", "true", "Pause: stop stepping through the years"]
    return ["▶ Play", "false", "Play: step through the years"]


def _register_play(app: dash.Dash) -> None:
    button = [Output("year-play", p) for p in ("children", "aria-pressed", "aria-label")]

    @app.callback(
        [Output("year-timer", "disabled"), Output("year", "value", allow_duplicate=True), *button],
        [Input("year-play", "n_clicks")],
        [DashState("year-timer", "disabled"), DashState("year", "value"),
         DashState("year", "min"), DashState("year", "max")],
        prevent_initial_call=True,
    )  # fmt: skip
    def toggle(_: Any, stopped: bool, year: Any, first: int, last: int) -> list[Any]:
        if not _span_ok(year, first, last):
            raise PreventUpdate  # a crafted request: nothing to step through
        if not stopped:  # pause
            return [True, dash.no_update, *_play_label(False)]
        start, playing = next_year(year, first, last, start=True)
        return [not playing, start if start != year else dash.no_update, *_play_label(playing)]

    @app.callback(
        [Output("year", "value", allow_duplicate=True),
         Output("year-timer", "disabled", allow_duplicate=True), *button],
        [Input("year-timer", "n_intervals")],
        [DashState("year", "value"), DashState("year", "min"), DashState("year", "max")],
        prevent_initial_call=True,
    )  # fmt: skip
    def tick(_: Any, year: Any, first: int, last: int) -> list[Any]:
        if not _span_ok(year, first, last):
            raise PreventUpdate
        following, playing = next_year(year, first, last, start=False)
        if playing:
            # Only the button starts the timer: a tick answered after Pause (sent just
            # before it, on a slow machine or link) must not start the play again.
            return [following, dash.no_update, *[dash.no_update] * 3]
        return [following, True, *_play_label(False)]
