"""The dashboard's page, derived from the declared views and controls.

Header, the global controls, the tabs (one per view), one group of controls per view
(shown only with its view), the content and the footer.
"""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from twotier.web import registry
from twotier.web.registry import Control

__all__ = ["groups", "layout"]


def _field(label: str, component: Any) -> html.Label:
    return html.Label([html.Span(label), component], className="field")


def _widget(c: Control) -> Any:
    """The component of one control, at its default value."""
    options = c.options() if c.options else []
    if c.kind == "dropdown":
        return dcc.Dropdown(id=c.key, options=options, value=c.default, clearable=False, **c.props)
    if c.kind == "multi":
        value = [v for v in str(c.default).split(",") if v]
        return dcc.Dropdown(id=c.key, options=options, value=value, multi=True, **c.props)
    if c.kind == "slider" and c.options:
        span = registry.year_marks([o["value"] for o in options])
        return dcc.Slider(id=c.key, value=float(c.default), **{**span, **c.props})
    if c.kind == "slider":
        return dcc.Slider(
            id=c.key, value=float(c.default), tooltip={"always_visible": False}, **c.props
        )
    if c.kind == "number":
        return dcc.Input(id=c.key, type="number", value=c.default, **c.props)
    raise ValueError(f"control {c.key}: no widget for kind {c.kind!r}")


def _year_field(c: Control) -> html.Div:
    """The year slider with a play/pause button that steps through the years."""
    pressed: Any = {"aria-pressed": "false", "aria-label": "Play: step through the years"}
    group: Any = {"role": "group", "aria-labelledby": "year-label"}
    play = html.Button("▶ Play", id="year-play", type="button", className="play", **pressed)
    return html.Div(
        [html.Span(c.label, id="year-label"),
         html.Div([play, _widget(c)], className="year-row"),
         dcc.Interval(id="year-timer", interval=PLAY_INTERVAL_MS, disabled=True)],
        className="field year-field", **group,
    )  # fmt: skip


#: Time per year when playing (a coverage view is redrawn in about 1-2 s).
PLAY_INTERVAL_MS = 3000


def groups() -> dict[str, tuple[str, ...]]:
    """Each view's controls group id and the view ids that show it."""
    return {v.group: (v.id,) for v in registry.views() if v.controls}


def _view_groups() -> list[html.Div]:
    seen: set[str] = set()
    out = []
    for view in registry.views():
        own = [c for c in view.controls if c.key not in seen]
        seen.update(c.key for c in own)
        if view.controls:
            out.append(
                html.Div(
                    [_field(c.label, _widget(c)) for c in own],
                    id=view.group,
                    className="controls",
                    style={"display": "none"},
                )
            )
    return out


HEADER = html.Header(
    [
        html.H1("twotier"),
        html.P(
            "NATO's official defence-expenditure figures by report edition, and what "
            "spending-conditioned guarantees would mean under them. Results of stated "
            "rules and models, not forecasts; the tool takes no side."
        ),
    ]
)

FOOTER = html.Footer(
    "Figures: NATO (editions as labelled); population: World Bank; aid: Kiel "
    "Institute Ukraine Support Tracker. 2% of GDP is national defence spending, not dues "
    "paid to NATO."
)


def _named(name: str) -> Any:
    """An accessible name (sections and navigation are landmarks only when named)."""
    return {"aria-label": name}


def layout() -> html.Div:
    """The page (a function: Dash calls it for every page load)."""
    shown = [c for c in registry.GLOBAL_CONTROLS if c.kind not in ("tabs", "store")]
    tab = registry.controls()["tab"]
    return html.Div(
        [
            dcc.Location(id="url", refresh=False),
            dcc.Store(id="uploaded", data=""),
            # The view the page shows (set with every view update), and the changes to it
            # that an update sends instead of the whole view (twotier.web.patch).
            dcc.Store(id="drawn", data=None),
            dcc.Store(id="view-changes", data=None),
            HEADER,
            html.Section(
                [
                    html.Div(
                        [
                            *[
                                _year_field(c) if c.key == "year" else _field(c.label, _widget(c))
                                for c in shown
                            ],
                            dcc.Upload(
                                id="upload",
                                children=html.Button("Upload a policy (.toml)"),
                                max_size=-1,
                                accept=".toml,text/plain",
                                multiple=False,
                            ),
                        ],
                        className="controls",
                    ),
                    html.Div(id="error", role="alert", className="error"),
                ],
                **_named("Settings"),
            ),
            html.Nav(
                dcc.Tabs(
                    id=tab.key,
                    value=str(tab.default),
                    children=[dcc.Tab(label=v.label, value=v.id) for v in registry.views()],
                ),
                **_named("Views"),
            ),
            html.Section(_view_groups(), **_named("Settings of this view")),
            # delay_show: a quick update (a threshold step, recoloured in the browser at
            # once) keeps the view visible instead of hiding it behind the spinner.
            dcc.Loading(html.Main(id="content"), type="dot", delay_show=500),
            FOOTER,
        ]
    )
