"""The dashboard's views: each turns a :class:`State` into page components.

Views call only the public API (:mod:`twotier`) and :mod:`twotier.render.charts`; bad state
raises :class:`twotier.TwotierError`, which the app shows as a message in the page.
"""

from __future__ import annotations

import contextvars
import functools
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

import pandas as pd
from dash import dcc, html

import twotier
from twotier.errors import InputError
from twotier.render import charts
from twotier.rules.coverage import TABLE_COLUMNS
from twotier.web.state import State, decode_toml

__all__ = ["policy_of", "render"]

GRAPH_CONFIG: Any = {**charts.GRAPH_CONFIG, "topojsonURL": "/assets/topojson/", "responsive": True}


def policy_of(state: State) -> twotier.Policy:
    """The policy a state selects (slider threshold, built-in, or uploaded file)."""
    if state.policy == "threshold":
        if not 0 <= state.threshold <= 100:
            raise InputError(
                f"threshold: expected 0 to 100 (% of GDP), found {state.threshold}",
                field="threshold",
            )
        return twotier.threshold_policy(round(state.threshold, 2))
    if state.policy == "uploaded":
        if not state.toml:
            raise InputError("policy: no uploaded policy in this link", field="policy")
        return twotier.parse_policy(decode_toml(state.toml), origin="uploaded policy")
    return twotier.get_policy(state.policy) if state.policy in _builtins() else _unknown(state)


def _builtins() -> set[str]:
    return {p.id for p in twotier.list_policies()}


def _unknown(state: State) -> twotier.Policy:
    raise InputError(
        f"policy: unknown policy {state.policy!r}; accepted: threshold, uploaded, "
        f"{', '.join(sorted(_builtins()))}",
        field="policy",
    )


def figure_block(fig: charts.Fig, graph_id: str) -> html.Figure:
    caption = charts.caption_of(fig)
    return html.Figure(
        [dcc.Graph(id=graph_id, figure=fig, config=GRAPH_CONFIG), html.Figcaption(caption)],
        className="chart",
    )


def _cell(value: Any) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return "unknown"
    if isinstance(value, float):
        return f"{value:,.4g}" if abs(value) < 1e4 else f"{value:,.0f}"
    return str(value)


#: Tables of rendered views, for the CSV download route: (state, table id) -> frame.
#: Bounded: the oldest entries go first (a download re-renders the view if needed).
TABLES: OrderedDict[tuple[State, str], pd.DataFrame] = OrderedDict()
MAX_TABLES = 2048


def _short(text: str) -> str:
    """Long cells (source URLs) are shortened on screen; the CSV has them in full."""
    if len(text) <= 48:
        return text
    return text.replace("https://", "").replace("http://", "")[:45] + "…"


def table_block(frame: pd.DataFrame, table_id: str, caption: str) -> html.Div:
    """An HTML table with a CSV download of the full table (served by /download)."""
    state = _CURRENT.get()
    TABLES[(state, table_id)] = frame
    while len(TABLES) > MAX_TABLES:
        TABLES.popitem(last=False)
    head = html.Thead(html.Tr([html.Th(c) for c in frame.columns]))
    rows = [
        html.Tr([html.Td(_short(_cell(v))) for v in row])
        for row in frame.itertuples(index=False, name=None)
    ]
    return html.Div(
        [
            html.A(
                "Download CSV",
                id=f"{table_id}-csv",
                className="download",
                href=f"/download/{table_id}.csv{state.query()}",
                download=f"{table_id}.csv",
            ),
            html.Div(html.Table([head, html.Tbody(rows)], id=table_id), className="scroll"),
            html.P(caption, className="caption"),
        ],
        className="table",
    )


def _card(label: str, value: str, card_id: str) -> html.Div:
    return html.Div(
        [html.Div(value, className="value", id=card_id), html.Div(label)], className="card"
    )


def _money(value: float | None) -> str:
    return "unknown" if value is None else f"US$ {value / 1000:,.1f} bn"


def coverage_view(state: State) -> list[Any]:
    policy = policy_of(state)
    frame = twotier.coverage(policy, state.year, state.edition)
    s = twotier.coverage_summary(frame)
    gdp = "unknown" if s.uncovered_gdp_share is None else f"{s.uncovered_gdp_share:.1%}"
    cards = html.Div(
        [
            _card("covered", str(len(s.covered)), "card-covered"),
            _card("not covered", str(len(s.uncovered)), "card-uncovered"),
            _card("unknown (no figure)", str(len(s.unknown)), "card-unknown"),
            _card(
                "population not covered",
                f"{s.uncovered_population_m:,.1f} m ({s.uncovered_population_share:.1%})",
                "card-population",
            ),
            _card("share of alliance GDP not covered", gdp, "card-gdp"),
            _card(
                "frontline allies not covered",
                ", ".join(s.uncovered_frontline) or "none",
                "card-frontline",
            ),
            _card("total shortfall", _money(s.shortfall_usd_m), "card-shortfall"),
        ],
        className="cards",
    )
    title = f"{policy.title} — {state.year}, edition {state.edition}"
    table = frame[list(TABLE_COLUMNS)]
    blocks = [
        html.H2(title, id="coverage-title"),
        html.P(f"Source of the rule: {policy.source}. " + policy.description, className="rule"),
        cards,
    ]
    figs = charts.coverage_figures(frame, twotier.load_data(), state.year, state.edition)
    blocks += [figure_block(fig, kind) for kind, fig in figs.items()]
    blocks.append(table_block(table, "coverage-table", charts.caption_for(frame)))
    return blocks


def editions_view(state: State) -> list[Any]:
    policy = policy_of(state)
    diff = twotier.diff(policy, state.eyear, state.ea, state.eb, include_unknown=False)
    return [
        html.H2(
            f"Who changes tier between editions {state.ea} and {state.eb} ({state.eyear})",
            id="editions-title",
        ),
        html.P(
            f"{len(diff)} allies change tier under {policy.title}. NATO revises its "
            "estimates with each edition.",
            id="editions-count",
        ),
        figure_block(charts.editions_slope(diff, (state.ea, state.eb), state.eyear), "slope"),
        table_block(
            diff, "editions-table", f"Source: NATO, editions {state.ea} and {state.eb}, Table 3."
        ),
    ]


def trends_view(state: State) -> list[Any]:
    allies = [a for a in state.allies.split(",") if a]
    series = twotier.select_figures(
        twotier.load_data(), indicators=["pct_gdp"], allies=allies, edition=state.edition
    )
    return [
        html.H2("Defence expenditure over time", id="trends-title"),
        figure_block(charts.trends(series), "trends"),
        table_block(series, "trends-table", "Source: NATO, Table 3; edition per figure shown."),
    ]


def compare_view(state: State) -> list[Any]:
    ids = [p for p in state.policies.split(",") if p]
    resolved = [policy_of(State(policy=p, threshold=state.threshold)) for p in ids]
    if len(resolved) < 2:
        raise InputError("policies: choose at least two policies to compare", field="policies")
    frame = twotier.compare(resolved, state.year, state.edition)
    return [
        html.H2(f"Policies compared, {state.year}", id="compare-title"),
        figure_block(charts.backing_bars(frame, [p.id for p in resolved]), "backing"),
        table_block(
            frame,
            "compare-table",
            "Summary row ALLIANCE: allies in tier 1, share of "
            "population not covered, backing lost (US$ m).",
        ),
    ]


def projections_view(state: State) -> list[Any]:
    from twotier.models.projection.api import ProjectionParams, project

    if not 1 <= state.draws <= 20_000:
        raise InputError(
            f"draws: expected 1 to 20000 in the dashboard, found {state.draws}", field="draws"
        )
    policy = policy_of(state)
    params = ProjectionParams(
        horizon=state.horizon, scenario=state.scenario, draws=state.draws, seed=state.seed
    )
    result = project(policy, params, state.edition)
    last = result.allies[result.allies["year"] == state.horizon]
    return [
        html.H2(f"Projection to {state.horizon}: {policy.title}", id="projections-title"),
        figure_block(
            charts.projection_band(result.alliance, policy.id, state.draws, state.seed),
            "projection",
        ),
        figure_block(charts.projection_heatmap(result.allies), "projection-heatmap"),
        table_block(
            last,
            "projection-table",
            f"Allies in {state.horizon}: probability of tier "
            "1 and share quantiles (model results, not forecasts).",
        ),
        table_block(
            result.assumptions,
            "projection-assumptions",
            "Assumptions per ally, estimated from each ally's history in the data.",
        ),
    ]


def negotiation_view(state: State) -> list[Any]:
    import numpy as np

    from twotier.models.negotiation.engine import (
        evaluate_negotiation,
        parameter_table,
        sweep_negotiation,
    )

    params, scenario = twotier.negotiation_params("default")
    frame = evaluate_negotiation(params)
    a0 = params.aid_baseline_eur_bn
    sweep = sweep_negotiation(
        params, "aid_after_russia_refusal_eur_bn", list(np.linspace(a0, 4 * a0, 13))
    )
    return [
        html.H2(f"Aid leverage: {scenario.title}", id="negotiation-title"),
        figure_block(charts.negotiation_ranges(frame), "negotiation"),
        figure_block(
            charts.sensitivity(sweep, "aid_after_russia_refusal_eur_bn", "both threats"),
            "negotiation-sensitivity",
        ),
        table_block(
            frame,
            "negotiation-table",
            "One row per lever setting. Results of a "
            "stated model under the assumptions below, not forecasts.",
        ),
        table_block(
            parameter_table(params, notes=twotier.aid_notes()),
            "negotiation-parameters",
            "Every parameter, its unit and the source or reason of its value.",
        ),
    ]


VIEWS = {
    "coverage": coverage_view,
    "editions": editions_view,
    "trends": trends_view,
    "compare": compare_view,
    "projections": projections_view,
    "negotiation": negotiation_view,
}


def render(state: State) -> Sequence[Any]:
    """Components of the state's tab (raises TwotierError on bad state).

    Views are pure functions of the state (and of the loaded data), so rendered
    views are cached: a repeated view costs only its serialisation.
    """
    return _render_cached(state, _data_key())


def _data_key() -> int:
    return id(twotier.load_data())


@functools.lru_cache(maxsize=256)
def _render_cached(state: State, data_key: int) -> Sequence[Any]:
    token = _CURRENT.set(state)
    try:
        return tuple(VIEWS[state.tab](state))
    finally:
        _CURRENT.reset(token)


def table_csv(state: State, table_id: str) -> str:
    """CSV of one table of a view (renders the view if needed)."""
    render(state)
    if (state, table_id) not in TABLES:  # evicted since the view was cached: draw it again
        token = _CURRENT.set(state)
        try:
            VIEWS[state.tab](state)
        finally:
            _CURRENT.reset(token)
    if (state, table_id) not in TABLES:
        raise InputError(f"table: no table {table_id!r} in the {state.tab} view", field="table")
    return TABLES[(state, table_id)].to_csv(index=False)


_CURRENT: contextvars.ContextVar[State] = contextvars.ContextVar("view_state")
