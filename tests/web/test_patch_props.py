"""patch._props reads a component's props as Dash's own to_plotly_json gives them."""

from __future__ import annotations

from typing import Any

import pytest
from dash import dcc, html
from dash.development.base_component import Component

import twotier
from twotier.web import patch, views
from twotier.web.registry import views as all_views
from twotier.web.state import State


def _components(node: Any) -> list[Component]:
    found: list[Component] = []
    if isinstance(node, Component):
        found.append(node)
        found += _components(getattr(node, "children", None))
    elif isinstance(node, list | tuple):
        for child in node:
            found += _components(child)
    elif isinstance(node, dict) and "props" in node:
        found += _components(node["props"].get("children"))
    return found


def _same_as_dash(component: Component) -> None:
    expected = component.to_plotly_json()["props"]
    got = patch._props(component)
    assert got == expected
    assert list(got) == list(expected)  # the same order of props


def test_wildcard_and_unset_props_as_dash_gives_them() -> None:
    named: Any = {"aria-label": "a label", "data-kind": "x"}
    for component in (
        html.Div("text", id="d", className="c", **named),
        html.Figure([html.P("p")], **named),
        dcc.Graph(id="g", figure={"data": []}),
        html.Span(),
    ):
        _same_as_dash(component)


@pytest.mark.parametrize("view", [v.id for v in all_views()])
def test_every_component_of_every_view(view: str) -> None:
    checked = 0
    for state in (State(tab=view), State(tab=view, ally="ESP", year=2023)):
        try:
            drawn = views.render(state)
        except twotier.TwotierError:
            continue
        for component in _components(drawn):
            _same_as_dash(component)
            checked += 1
    assert checked > 0
