"""The page's main callback: link, controls and view kept in step, in one request.

A change of a control (a threshold step) writes the link (``url.search``) and draws
the view for it in the same answer; a new link (opened, edited, back and forward)
sets the controls and draws its view. One round trip per change: the link and the
view used to be two requests one after the other.

A view is sent as the changes to the view the page shows where it can be (see
:mod:`twotier.web.patch`; applied by ``assets/changes.js``), else whole.
"""

from __future__ import annotations

import logging
from typing import Any

import dash
from dash import ClientsideFunction, Input, Output, html
from dash import State as DashState

import twotier
from twotier.errors import TwotierError, relabel
from twotier.web import errors as web_errors
from twotier.web import registry, views
from twotier.web.layout import groups as groups_of_views
from twotier.web.patch import view_changes
from twotier.web.registry import Control
from twotier.web.replay import data_token
from twotier.web.state import State, parse_state

__all__ = ["RECOLOURED", "errors_list", "field_labels", "register", "with_uploaded"]

LOG = logging.getLogger("twotier.web")

#: Graphs the browser recolours on a threshold step (``assets/recolour.js``); a view
#: update for another threshold always sends their figures again.
RECOLOURED = ("map", "ranking")


def _synced() -> list[Control]:
    """The controls kept in step with the URL (the uploaded policy travels separately)."""
    return [c for c in registry.controls().values() if c.kind != "store"]


def _value_for_state(control: Control, value: Any) -> Any:
    if control.kind == "multi":
        return ",".join(value) if isinstance(value, list) else str(value or "")
    if value is None:
        if control.kind in ("dropdown", "tabs"):
            # A dropdown cleared itself because the link held a value it does not
            # offer: keep the link (and its error message) as it is.
            raise ValueError(control.key)
        return control.default
    return control.type(value)


def _state_from_controls(values: dict[str, Any], toml: str) -> State:
    changes = {c.key: _value_for_state(c, values[c.key]) for c in _synced()}
    return State(**changes, toml=toml if values["policy"] == "uploaded" else "")


def _controls_from_state(state: State) -> list[Any]:
    return [
        [v for v in getattr(state, c.key).split(",") if v] if c.kind == "multi"
        else getattr(state, c.key)
        for c in _synced()
    ]  # fmt: skip


def field_labels() -> dict[str, str]:
    """Core field names -> the labels of the dashboard's controls (errors name the control)."""
    labels = {key: control.label for key, control in registry.controls().items()}
    labels["rng"] = labels.get("seed", "Seed")  # the models' SPEC 7 argument
    return labels


def errors_list(messages: list[str]) -> Any:
    """The messages as the page's error list ("" for none)."""
    if not messages:
        return ""
    return html.Ul([html.Li(m) for m in messages])


def with_uploaded(options: list[Any]) -> list[Any]:
    """The policy options with the uploaded policy among them."""
    if any(o["value"] == "uploaded" for o in options):
        return options
    return [*options, {"label": "Uploaded policy", "value": "uploaded"}]


def _drawn(state: State) -> dict[str, str]:
    """What the page shows after a view update: the state drawn, and the data drawn from."""
    return {"query": state.query(), "data": data_token(twotier.load_data())}


def _changes(content: Any, state: State, drawn: Any) -> dict[str, Any] | None:
    """The view ``content`` as changes to the view the page shows, where there is one.

    ``drawn`` is what the page reports it shows (set by :func:`_drawn` with the last
    view update it applied); None (send the whole view) for anything else: none,
    another data set, another view, a crafted value, a view this process has not
    drawn recently.
    """
    if not isinstance(drawn, dict) or drawn.get("data") != data_token(twotier.load_data()):
        return None
    query = drawn.get("query")
    if not isinstance(query, str) or len(query) > web_errors.MAX_SEARCH_CHARS:
        return None
    old_state, problems = parse_state(query)
    if problems or old_state.tab != state.tab:
        return None
    # Only a view this process drew recently: drawing the old view again would cost as
    # much as the new one (the page sent its last request to another worker, or long ago).
    old = views.drawn(old_state)
    if old is None:
        return None
    redraw = frozenset(RECOLOURED if old_state.threshold != state.threshold else ())
    return view_changes(old, content, redraw=redraw)


def _view(search: str, drawn: Any, groups: dict[str, tuple[str, ...]]) -> list[Any]:
    """The view of the link ``search``: content, errors, control groups, drawn, changes."""
    state, problems = parse_state(search)
    styles = [{"display": "flex" if state.tab in shown else "none"} for shown in groups.values()]
    try:
        content = views.render(state)
    except TwotierError as exc:
        message = relabel(exc, field_labels())
        nothing = html.P("Nothing to show for these settings.")
        return [nothing, errors_list([*problems, message]), *styles, None, None]
    except Exception:  # never a traceback or a 500 in the page
        LOG.exception("view %s failed", state.tab)
        message = "internal error while drawing this view; see the server log"
        return [html.P("Nothing to show."), errors_list([*problems, message]), *styles, None, None]
    changes = _changes(content, state, drawn)
    if changes is not None:  # set in the page by assets/changes.js
        return [dash.no_update, errors_list(problems), *styles, _drawn(state), changes]
    return [content, errors_list(problems), *styles, _drawn(state), None]


def register(app: dash.Dash) -> None:
    """Add the callback (and the browser's side of the changes) to ``app``."""
    synced = _synced()
    keys = [c.key for c in synced]
    groups = groups_of_views()
    view = [
        Output("content", "children"),
        Output("error", "children"),
        *[Output(g, "style") for g in groups],
        Output("drawn", "data"),
        Output("view-changes", "data"),
    ]
    link = [
        Output("url", "search"),
        *[Output(*c.target) for c in synced],
        Output("uploaded", "data", allow_duplicate=True),
        Output("policy", "options", allow_duplicate=True),
    ]

    @app.callback(
        [*view, *link],
        [Input("url", "search"), *[Input(*c.target) for c in synced]],
        [DashState("uploaded", "data"), DashState("policy", "options"), DashState("drawn", "data")],
        prevent_initial_call="initial_duplicate",
    )
    def page(search: str, *args: Any) -> list[Any]:
        values = dict(zip(keys, args[: len(keys)], strict=True))
        toml, options, drawn = args[len(keys) :]
        if dash.ctx.triggered_id in (None, "url"):
            state, _ = parse_state(search)
            if state.toml:
                toml = state.toml
                options = with_uploaded(options)
            controls = _controls_from_state(state)
            return [*_view(search, drawn, groups), dash.no_update, *controls, toml, options]
        try:
            query = _state_from_controls(values, toml or "").query()
        except (TypeError, ValueError):
            return [dash.no_update] * (len(view) + len(link))
        if query == (search or ""):  # the link already says so; its view is drawn
            return [dash.no_update] * (len(view) + len(link))
        return [*_view(query, drawn, groups), query, *[dash.no_update] * (len(link) - 1)]

    app.clientside_callback(  # the changes, set in the page
        ClientsideFunction(namespace="twotier_view", function_name="apply"),
        Input("view-changes", "data"),
        prevent_initial_call=True,
    )
