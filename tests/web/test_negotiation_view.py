"""The dashboard's Negotiation view: its own lever controls and the one-sentence result."""

from __future__ import annotations

from typing import Any

import pytest

import twotier
from twotier.web import registry
from twotier.web.state import State, parse_state
from twotier.web.views import render


def _text(node: Any) -> str:
    children = getattr(node, "children", None)
    if isinstance(children, list):
        return " ".join(_text(c) for c in children)
    if children is None:
        return ""
    return children if isinstance(children, str) else _text(children)


def _sentence(parts: list[Any]) -> str:
    return next(_text(p) for p in parts if getattr(p, "id", None) == "negotiation-sentence")


def test_levers_are_controls_of_the_view_and_move_the_sentence() -> None:
    view = next(v for v in registry.views() if v.id == "negotiation")
    assert {c.key for c in view.controls} == {"ncut", "nrise", "nsanctions", "naudience", "nbasis"}
    plain = _sentence(list(render(State(tab="negotiation"))))
    assert "would not be carried out" in plain and "not a forecast" in plain
    state, errors = parse_state("?tab=negotiation&naudience=100&nsanctions=0.2")
    assert not errors
    loud = _sentence(list(render(state)))
    assert "the threat to Kyiv would be carried out" in loud and loud != plain


def test_bad_lever_values_are_one_line_errors() -> None:
    for state in (State(tab="negotiation", nbasis="nominal"), State(tab="negotiation", ncut=3.0)):
        with pytest.raises(twotier.TwotierError) as info:
            list(render(state))
        assert "\n" not in str(info.value) and "--" not in str(info.value)
