"""The dashboard's registry: views and controls declared once, links keep working."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from twotier.web import registry
from twotier.web.state import State, parse_state

#: The URL parameters and defaults of the dashboard before the registry (links made
#: with the earlier version must open the same view).
OLD_DEFAULTS = {
    "tab": "coverage", "policy": "threshold", "threshold": 2.0, "year": 2024,
    "edition": "latest", "ea": "2023-07", "eb": "2024-03", "eyear": 2023,
    "allies": "POL,DEU,FRA,ESP,USA", "policies": "article5,two-tier-2pct,us-guarantee-2pct",
    "horizon": 2035, "scenario": "constant", "draws": 5000, "seed": 0, "toml": "",
}  # fmt: skip

OLD_TABS = ("coverage", "editions", "trends", "compare", "projections", "negotiation")


def test_every_old_parameter_keeps_its_key_type_and_default() -> None:
    controls = registry.controls()
    for key, default in OLD_DEFAULTS.items():
        assert key in controls, key
        assert controls[key].default == default and controls[key].type is type(default), key
    assert State().as_dict() == {k: State().as_dict()[k] for k in controls}
    assert {k: getattr(State(), k) for k in OLD_DEFAULTS} == OLD_DEFAULTS


def test_every_old_view_is_registered_in_the_old_order() -> None:
    assert registry.view_ids()[: len(OLD_TABS)] == OLD_TABS


@pytest.mark.parametrize(
    ("link", "expected"),
    [
        ("?threshold=3.5&year=2023&edition=2024-06",
         {"threshold": 3.5, "year": 2023, "edition": "2024-06"}),
        ("?tab=editions&ea=2023-07&eb=2024-03&eyear=2023",
         {"tab": "editions", "ea": "2023-07", "eb": "2024-03", "eyear": 2023}),
        ("?tab=trends&allies=POL%2CDEU", {"tab": "trends", "allies": "POL,DEU"}),
        ("?tab=projections&horizon=2040&scenario=trend&draws=100&seed=7",
         {"tab": "projections", "horizon": 2040, "scenario": "trend", "draws": 100, "seed": 7}),
        ("?policy=uploaded&toml=W3BvbGljeV0K", {"policy": "uploaded", "toml": "W3BvbGljeV0K"}),
    ],
)  # fmt: skip
def test_old_links_parse_to_the_same_state(link: str, expected: dict[str, Any]) -> None:
    state, problems = parse_state(link)
    assert problems == []
    assert state == State(**{**OLD_DEFAULTS, **expected})


def test_bad_values_are_reported_by_key_and_replaced_by_defaults() -> None:
    state, problems = parse_state("?draws=abc&threshold=nan&tab=nope&colour=red")
    assert state == State()
    assert [p.split(":")[0] for p in problems] == ["draws", "threshold", "colour", "tab"]


keys = st.sampled_from(sorted(OLD_DEFAULTS))
values = st.one_of(st.integers(-(10**6), 10**6), st.floats(-1e6, 1e6), st.text(max_size=20))


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(keys, values, max_size=6))
def test_query_round_trips(changes: dict[str, Any]) -> None:
    """Whatever a state holds (of its keys' types), its link gives the same state back."""
    controls = registry.controls()
    typed = {}
    for key, value in changes.items():
        kind = controls[key].type
        if kind is str:
            typed[key] = str(value)
        elif kind is int and isinstance(value, int):
            typed[key] = value
        elif kind is float and isinstance(value, float | int):
            typed[key] = float(value)
    typed["tab"] = "coverage"
    state = State(**typed)
    back, problems = parse_state(state.query())
    assert problems == [] and back == state


def test_layout_has_each_control_once_in_its_view_group() -> None:
    from twotier.web.layout import layout

    page = json.loads(json.dumps(layout().to_plotly_json(), default=_plain))
    ids = _ids(page)
    for control in registry.controls().values():
        assert ids.count(control.target[0]) == 1, control.key
    for view in registry.views():
        if view.controls:
            assert ids.count(view.group) == 1


def test_a_new_view_module_is_found_without_other_edits(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys
    import types

    from twotier.web import views as package

    module = types.ModuleType("twotier.web.views.zz_example")
    extra = registry.Control(key="zzlevel", label="Level", kind="number", default=3)
    module.VIEW = registry.View(  # type: ignore[attr-defined]
        id="zz", label="Example", render=lambda s: [str(s.zzlevel)], controls=(extra,)
    )
    monkeypatch.setitem(sys.modules, module.__name__, module)
    real = registry.pkgutil.iter_modules

    def with_extra(path: Any) -> Any:
        yield from real(path)
        yield types.SimpleNamespace(name="zz_example")

    monkeypatch.setattr(registry.pkgutil, "iter_modules", with_extra)
    registry.views.cache_clear()
    registry.controls.cache_clear()
    try:
        assert "zz" in registry.view_ids()
        state, problems = parse_state("?tab=zz&zzlevel=5")
        assert problems == [] and state.zzlevel == 5
        # The view's own components come after the page-wide notes (year completeness).
        assert package.render(state)[-1:] == ("5",)
    finally:
        monkeypatch.undo()
        registry.views.cache_clear()
        registry.controls.cache_clear()
    assert "zz" not in registry.view_ids()


def _plain(value: Any) -> Any:
    return value.to_plotly_json() if hasattr(value, "to_plotly_json") else str(value)


def _ids(node: Any) -> list[str]:
    found: list[str] = []
    if isinstance(node, dict):
        props = node.get("props", {})
        if isinstance(props, dict) and isinstance(props.get("id"), str):
            found.append(props["id"])
        for value in props.values() if isinstance(props, dict) else node.values():
            found += _ids(value)
    elif isinstance(node, list):
        for item in node:
            found += _ids(item)
    return found
