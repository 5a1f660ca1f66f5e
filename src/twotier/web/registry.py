"""The dashboard's views and controls, each declared once.

Everything else is derived from these declarations: the page layout (tabs, one
group of controls per view), the URL state (:mod:`twotier.web.state`: keys, types,
defaults, parsing) and the callbacks that keep the controls and the URL in step
(:mod:`twotier.web.app`).

How to add a view
-----------------
Write one module in :mod:`twotier.web.views` (e.g. ``views/response.py``) that
defines ``VIEW``; it is found by its package, so nothing else is edited::

    from twotier.web.blocks import figure_block, table_block
    from twotier.web.registry import Control, View

    HORIZON = Control(key="rhorizon", label="Horizon", kind="number", default=2030,
                      props={"min": 2025, "max": 2050, "step": 1})

    def response_view(state):
        frame = twotier.some_result(state.policy, state.rhorizon)   # public API only
        return [html.H2("...", id="response-title"),
                figure_block(charts.response(frame), "response"),
                table_block(frame, "response-table", "Source: ...")]

    VIEW = View(id="response", label="Allies' response", render=response_view,
                controls=(HORIZON,), order=70)

A view function takes the :class:`~twotier.web.state.State` (every control's
value by its key, e.g. ``state.threshold``) and returns page components; it raises
:class:`twotier.TwotierError` for bad input, which the page shows as a message. The
global controls (policy, threshold, year, edition) apply to every view; a view's own
controls are shown only with it. A control's ``key`` is its URL parameter and its
component id, so keep keys stable: old links depend on them. Charts go in
:mod:`twotier.render.charts`.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = ["GLOBAL_CONTROLS", "Control", "View", "controls", "view_ids", "views", "year_marks"]

Kind = Literal["dropdown", "multi", "slider", "number", "tabs", "store"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Control:
    """One input of the dashboard, kept in the URL.

    Parameters
    ----------
    key
        URL parameter and component id (``threshold`` -> ``?threshold=2.5``).
    label
        What the page shows next to it (and what error messages call it).
    kind
        ``dropdown``, ``multi`` (several values, comma-separated in the URL),
        ``slider``, ``number``, ``tabs`` (the view selector) or ``store`` (no widget).
    default
        Value when the URL does not give one; its type (int, float, str) is the type
        the URL value is parsed as.
    options
        For dropdowns: a function returning ``[{"label", "value"}]`` (called when a
        page is built, so it can list the loaded editions); for a slider, its values
        (the slider spans them, one mark each).
    props
        Extra properties of the component (``min``, ``max``, ``step``, ``marks``).
    component
        Component id and property when they differ from ``(key, "value")``.
    """

    key: str
    label: str
    kind: Kind
    default: str | int | float
    options: Callable[[], list[dict[str, Any]]] | None = None
    props: Mapping[str, Any] = field(default_factory=dict)
    component: tuple[str, str] | None = None

    @property
    def type(self) -> type:
        """The Python type of the value (from the default)."""
        return type(self.default)

    @property
    def target(self) -> tuple[str, str]:
        """(component id, property) holding the value in the page."""
        return self.component or (self.key, "value")


@dataclass(frozen=True, slots=True, kw_only=True)
class View:
    """One tab of the dashboard: a label, its own controls and a view function.

    ``year`` says whether the view shows the global year; only those views carry the
    note on how many allies have a figure for it.
    """

    id: str
    label: str
    render: Callable[[Any], Sequence[Any]]
    controls: tuple[Control, ...] = ()
    order: int = 100
    #: Whether the view shows the global year (and so its completeness note).
    year: bool = True

    @property
    def group(self) -> str:
        """Id of the page element holding this view's own controls."""
        return f"ctl-{self.id}"


def policy_options() -> list[dict[str, Any]]:
    """Options of a policy dropdown (the slider rule, then the built-in policies)."""
    import twotier

    return [{"label": "Two-tier rule at the slider's threshold", "value": "threshold"}] + [
        {"label": f"{p.title} ({p.id})", "value": p.id} for p in twotier.list_policies()
    ]


def _year_options() -> list[dict[str, Any]]:
    import twotier

    years = twotier.years_with_figures(twotier.load_data(), "latest")
    return [{"label": str(y), "value": y} for y in years]


def edition_options(latest: bool = True) -> Callable[[], list[dict[str, Any]]]:
    """Options of an edition dropdown (with ``latest`` first when asked)."""

    def options() -> list[dict[str, Any]]:
        import twotier

        names = twotier.edition_names(twotier.load_data())
        return [{"label": v, "value": v} for v in (["latest"] if latest else []) + names]

    return options


def year_options() -> list[dict[str, Any]]:
    """Options of a year dropdown (years with figures in any edition)."""
    return _year_options()


def year_marks(years: Sequence[int]) -> dict[str, Any]:
    """Range and marks of the year slider over ``years``.

    Every year is a mark; the first, the last and the even years between are labelled,
    so that the labels fit a phone.
    """
    if not years:
        return {"min": 0, "max": 0, "marks": {}, "disabled": True}
    first, last = min(years), max(years)
    marks = {y: (str(y) if y in (first, last) or (y % 2 == 0 and last - y > 1
                                                  and y - first > 1) else "")
             for y in years}  # fmt: skip
    return {"min": first, "max": last, "marks": marks, "disabled": first == last}


def ally_options() -> list[dict[str, Any]]:
    """Options of the ally picker: every member by name (searchable), and none."""
    import twotier

    allies = twotier.load_data().allies.sort_values("name")
    return [{"label": "No ally picked", "value": ""}] + [
        {"label": f"{n} ({c})", "value": c}
        for c, n in zip(allies["iso3"], allies["name"], strict=True)
    ]


MARKS = {0: "0", 1: "1", 2: "2%", 3: "3", 3.5: "3.5%", 4: "4", 5: "5%", 6: "6"}

#: Controls every view uses, in the order the page shows them.
GLOBAL_CONTROLS = (
    Control(key="tab", label="View", kind="tabs", default="coverage"),
    Control(key="policy", label="Policy", kind="dropdown", default="threshold",
            options=policy_options),
    Control(key="threshold", label="Threshold, % of GDP", kind="slider", default=2.0,
            props={"min": 0, "max": 6, "step": 0.05, "marks": MARKS}),
    Control(key="year", label="Year", kind="slider", default=2024, options=_year_options,
            props={"step": 1, "allow_direct_input": False, "included": False,
                   "tooltip": {"always_visible": True, "placement": "top"}}),
    Control(key="edition", label="Edition", kind="dropdown", default="latest",
            options=edition_options()),
    Control(key="ally", label="Ally (type a name)", kind="dropdown", default="",
            options=ally_options),
    Control(key="whatif", label="What if its figure were", kind="number", default="",
            props={"debounce": True, "min": 0, "step": 0.01, "placeholder": "e.g. 2.1"}),
    Control(key="toml", label="Uploaded policy", kind="store", default="",
            component=("uploaded", "data")),
)  # fmt: skip


@functools.cache
def views() -> tuple[View, ...]:
    """Every view, in tab order (each module of :mod:`twotier.web.views` with a VIEW)."""
    from twotier.web import views as package

    found = []
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        view = getattr(module, "VIEW", None)
        if isinstance(view, View):
            found.append(view)
    ids = [v.id for v in found]
    if len(set(ids)) != len(ids):
        raise RuntimeError(f"two dashboard views share an id: {sorted(ids)}")
    return tuple(sorted(found, key=lambda v: (v.order, v.id)))


def view_ids() -> tuple[str, ...]:
    """Ids of the views, in tab order."""
    return tuple(v.id for v in views())


@functools.cache
def controls() -> dict[str, Control]:
    """Every control by key: the global ones, then each view's own (declared once)."""
    found: dict[str, Control] = {c.key: c for c in GLOBAL_CONTROLS}
    for view in views():
        for control in view.controls:
            if found.get(control.key, control) != control:
                raise RuntimeError(f"control {control.key!r} is declared twice, differently")
            found[control.key] = control
    return found


def group_of(key: str) -> str | None:
    """The controls group (first view declaring it) a view-specific control sits in."""
    for view in views():
        if any(c.key == key for c in view.controls):
            return view.group
    return None
