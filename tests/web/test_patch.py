"""A view update sent as changes (``twotier.web.patch``) gives exactly the new view.

The changes are applied here by an independent reading of Dash's wire format (props
set by component id; a ``Patch`` is a list of ``Assign`` operations at a location in
the prop), to the JSON of the old view, and compared with the JSON of the new view,
for pairs of real views: threshold steps, other years, editions, rules, a picked ally,
other tabs. The browser's side (``assets/changes.js`` with Dash's ``set_props``) is
checked in ``test_view_changes_browser.py``.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from dash._utils import to_json
from hypothesis import given, settings
from hypothesis import strategies as st

from twotier.web import views
from twotier.web.patch import view_changes
from twotier.web.state import parse_state

LINKS = [
    "?threshold=2.0",
    "?threshold=2.05",
    "?threshold=2.1",
    "?threshold=3.5",
    "?threshold=1.0&year=2023",
    "?threshold=2.05&year=2023",
    "?threshold=2.05&edition=2024-06",
    "?policy=two-tier-2pct",
    "?policy=two-tier-2pct&year=2022",
    "?threshold=2.05&ally=DEU",
    "?threshold=2.2&ally=DEU",
    "?threshold=2.2&ally=POL&whatif=1.5",
    "?tab=trends",
    "?tab=trends&year=2023",
    "?tab=editions",
    "?tab=editions&year=2022",
]


def _json(node: Any) -> Any:
    return json.loads(to_json(node))


def _view(link: str) -> list[Any]:
    state, problems = parse_state(link)
    assert not problems
    return list(views.render(state))


def _components(node: Any) -> Any:
    """Every component (JSON form) in ``node``, depth first."""
    if isinstance(node, dict):
        if set(node) == {"type", "namespace", "props"}:
            yield node
        for value in node.values():
            yield from _components(value)
    elif isinstance(node, list):
        for value in node:
            yield from _components(value)


def _assign(target: Any, location: list[Any], value: Any) -> Any:
    if not location:
        return value
    head, *rest = location
    target[head] = _assign(target[head], rest, value)
    return target


def apply(view: Any, changes: dict[str, dict[str, Any]]) -> Any:
    """``view`` (JSON) with ``changes`` (JSON) applied as Dash's renderer applies them."""
    view = copy.deepcopy(view)
    by_id: dict[str, dict[str, Any]] = {}
    for component in _components(view):
        ident = component["props"].get("id")
        if isinstance(ident, str):
            assert ident not in by_id, f"id {ident} twice"
            by_id[ident] = component
    for ident, props in changes.items():
        component = by_id[ident]  # every id changed is in the view shown
        for prop, value in props.items():
            if isinstance(value, dict) and "__dash_patch_update" in value:
                current = component["props"][prop]
                for op in value["operations"]:
                    assert op["operation"] == "Assign", op
                    current = _assign(current, op["location"], op["params"]["value"])
                component["props"][prop] = current
            else:
                component["props"][prop] = value
    return view


@settings(max_examples=40)
@given(old=st.sampled_from(LINKS), new=st.sampled_from(LINKS), redraw=st.booleans())
def test_changes_turn_the_shown_view_into_the_new_one(old: str, new: str, redraw: bool) -> None:
    before, after = _view(old), _view(new)
    forced = frozenset({"map", "ranking"} if redraw else ())
    changes = view_changes(before, after, redraw=forced)
    if changes is None:  # sent whole (another outline, a change outside the ids): correct
        return
    assert apply(_json(before), _json(changes)) == _json(after)
    if old == new and not redraw:
        assert changes == {}


def test_a_threshold_step_leaves_the_fixed_charts_alone() -> None:
    """Wales guidelines and 2014-against-the-year depend on (edition, year) only."""
    changes = view_changes(_view("?threshold=2.0"), _view("?threshold=2.05"))
    assert changes is not None
    assert {"wales", "dumbbell"}.isdisjoint(changes)
    assert {"map", "ranking", "shortfall"} <= set(changes)
    assert set(changes["card-covered"]) == {"children"}


def test_recoloured_figures_are_sent_even_when_equal() -> None:
    view = _view("?threshold=2.0")
    changes = view_changes(view, view, redraw=frozenset({"map", "ranking"}))
    assert changes is not None
    assert set(changes) == {"map", "ranking"}
    assert _json(changes["map"]["figure"]) == _json(view_figure(view, "map"))


def view_figure(view: list[Any], graph: str) -> Any:
    for component in _components(_json(view)):
        if component["props"].get("id") == graph:
            return component["props"]["figure"]
    raise AssertionError(graph)


@pytest.mark.parametrize(
    ("old", "new"), [(["a"], ["a", "b"]), (["a", "b"], ["a", "c"])], ids=["outline", "no-id"]
)
def test_whole_view_when_changes_cannot_say_it(old: list[Any], new: list[Any]) -> None:
    from dash import html

    assert view_changes([html.P(t) for t in old], [html.P(t) for t in new]) is None
