"""Page pieces the views share: a chart with its caption, a table with its CSV download.

Views call only the public API (:mod:`twotier`) and :mod:`twotier.render.charts`; these
helpers turn their results into page components.
"""

from __future__ import annotations

import contextvars
from collections import OrderedDict
from typing import Any, cast

from dash import dcc, html

from twotier.render import charts, kinds
from twotier.render.alt_text import alt_text
from twotier.render.highlight import highlight
from twotier.web.state import State

__all__ = ["GRAPH_CONFIG", "TABLES", "card", "figure_block", "money", "table_block"]

GRAPH_CONFIG: Any = {**charts.GRAPH_CONFIG, "responsive": True}


def figure_block(fig: charts.Fig, graph_id: str) -> html.Figure:
    """A chart (a plain dict) and its caption (source, edition, definition) under it.

    The picked ally is marked in it, and a generated description is its text
    alternative (read by screen readers, see :func:`twotier.render.alt_text.alt_text`).
    """
    state = CURRENT.get(None)
    if state is not None and state.ally:
        fig = highlight_ally(fig, state.ally)
    caption = charts.caption_of(fig)
    described: Any = {"aria-describedby": f"{graph_id}-description"}
    return html.Figure(
        [
            dcc.Graph(id=graph_id, figure=fig, config=GRAPH_CONFIG),
            html.P(alt_text(fig), id=f"{graph_id}-description", className="sr-only"),
            html.Figcaption(caption),
            *export_links(graph_id, state),
        ],
        className="chart",
        **described,
    )


def export_links(graph_id: str, state: State | None) -> list[Any]:
    """Links to the chart framed for publication (headline, source, date) as PNG and SVG.

    Served by ``/chart/<kind>.<fmt>`` (:mod:`twotier.web.chart_route`) from the view's
    state; none for a chart that is not an export kind.
    """
    kind = kinds.kind_of_graph(graph_id)
    if kind is None:
        return []
    query = state.query() if state is not None else ""
    query += ("&" if query else "?") + "size=1200x675"
    links = []
    for fmt in ("png", "svg"):
        named: Any = {"aria-label": f"Download this chart as {fmt.upper()} with headline, "
                      "source and date"}  # fmt: skip
        links.append(html.A(fmt.upper(), href=f"/chart/{kind}.{fmt}{query}",
                            download=f"{kind}.{fmt}", id=f"{graph_id}-{fmt}", **named))  # fmt: skip
    return [html.P([html.Span("Download for publication: "), links[0], " ", links[1]],
                   className="exports")]  # fmt: skip


def highlight_ally(fig: charts.Fig, iso3: str) -> charts.Fig:
    """``fig`` with the ally (ISO-3 code) outlined wherever it appears."""
    import twotier

    allies = twotier.load_data().allies
    names = dict(zip(allies["iso3"], allies["name"], strict=True))
    return highlight(fig, iso3, str(names.get(iso3, iso3)))


def _cell(value: Any) -> str:
    import pandas as pd

    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return "unknown"
    if isinstance(value, float):
        return f"{value:,.4g}" if abs(value) < 1e4 else f"{value:,.0f}"
    return str(value)


#: Tables of rendered views, for the CSV download route: (state, table id) -> frame.
#: Bounded: the oldest entries go first (a download re-renders the view if needed); few,
#: as every frame kept is scanned by each full garbage collection of a busy worker.
TABLES: OrderedDict[tuple[State, str], Any] = OrderedDict()
MAX_TABLES = 64

#: The state of the view being drawn (tables register their frame under it).
CURRENT: contextvars.ContextVar[State] = contextvars.ContextVar("view_state")


def _short(text: str) -> str:
    """Long cells (source URLs) are shortened on screen; the CSV has them in full."""
    if len(text) <= 48:
        return text
    return text.replace("https://", "").replace("http://", "")[:45] + "…"


def table_block(frame: Any, table_id: str, caption: str) -> html.Div:
    """An HTML table with a CSV download of the full table (served by /download)."""
    state = CURRENT.get()
    TABLES[(state, table_id)] = frame
    while len(TABLES) > MAX_TABLES:
        TABLES.popitem(last=False)
    head = html.Thead(html.Tr([html.Th(c) for c in frame.columns]))
    rows = [
        _row([_short(_cell(v)) for v in row]) for row in frame.itertuples(index=False, name=None)
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
            html.Div(
                html.Table([head, html.Tbody(cast(Any, rows))], id=table_id), className="scroll"
            ),
            html.P(caption, className="caption"),
        ],
        className="table",
    )


def _row(cells: list[str]) -> dict[str, Any]:
    """A table row as the JSON of ``html.Tr([html.Td(c) ...])``.

    Without building (and validating) a component per cell: the largest part of a view's
    cost otherwise.
    """
    return {
        "type": "Tr",
        "namespace": "dash_html_components",
        "props": {
            "children": [
                {"type": "Td", "namespace": "dash_html_components", "props": {"children": c}}
                for c in cells
            ]
        },
    }


def card(label: str, value: str, card_id: str) -> html.Div:
    """A headline number with its label."""
    return html.Div(
        [html.Div(value, className="value", id=card_id), html.Div(label)], className="card"
    )


def money(value: float | None) -> str:
    """US$ million as ``US$ x.y bn`` (or unknown)."""
    return "unknown" if value is None else f"US$ {value / 1000:,.1f} bn"
