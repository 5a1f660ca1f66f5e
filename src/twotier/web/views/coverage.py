"""Coverage view: who a policy covers in a year, with cards, charts and the table.

Work per request is kept to what the threshold changes: the charts that depend only
on (edition, year) (Wales guidelines, 2014 against the year) are built once per
(edition, year) and kept in a cache bounded in bytes.
"""

from __future__ import annotations

import functools
import json
from typing import Any

from dash import dcc, html

import twotier
from twotier.render import charts, tilemap
from twotier.web.blocks import card, figure_block, money, table_block
from twotier.web.cache import ByteCache
from twotier.web.registry import View
from twotier.web.state import State, coverage_of, policy_of

#: Threshold-independent charts per (edition, year, data): at most 32 MB.
FRAMES: ByteCache[dict[str, Any]] = ByteCache(32 * 1024 * 1024)


def _cards(s: Any) -> html.Div:
    gdp = "unknown" if s.uncovered_gdp_share is None else f"{s.uncovered_gdp_share:.1%}"
    return html.Div(
        [
            card("covered", str(len(s.covered)), "card-covered"),
            card("not covered", str(len(s.uncovered)), "card-uncovered"),
            card("unknown (no figure)", str(len(s.unknown)), "card-unknown"),
            card(
                "population not covered",
                f"{s.uncovered_population_m:,.1f} m ({s.uncovered_population_share:.1%})",
                "card-population",
            ),
            card("share of alliance GDP not covered", gdp, "card-gdp"),
            card(
                "frontline allies not covered",
                ", ".join(s.uncovered_frontline) or "none",
                "card-frontline",
            ),
            card("total shortfall", money(s.shortfall_usd_m), "card-shortfall"),
        ],
        className="cards",
    )


def _year_charts(frame: Any, year: int, edition: str) -> dict[str, Any]:
    """Charts of the view that depend on (edition, year) only, built once each."""

    def make() -> tuple[dict[str, Any], int]:
        figs = charts.coverage_figures(frame, twotier.load_data(), year, edition)
        fixed = {k: figure_block(f, k) for k, f in figs.items() if k in ("wales", "dumbbell")}
        size = sum(len(json.dumps(b.children[0].figure, default=str)) for b in fixed.values())
        return fixed, size

    return FRAMES.get((edition, year, twotier.load_data().version), make)


def _known(values: Any) -> list[float | None]:
    """Floats, None where missing (pandas' NA, NaN)."""
    out: list[float | None] = []
    for v in values:
        try:
            number = float(v)
        except (TypeError, ValueError):  # pd.NA, None
            out.append(None)
            continue
        out.append(None if number != number else number)
    return out


@functools.cache
def _threshold_decimals() -> int:
    """Decimals the core rounds a slider threshold to (the browser rounds alike)."""
    probe = twotier.threshold_policy(1 / 3).criteria[0].threshold
    return len(repr(probe).split(".")[1])


def recolour_data(frame: Any, state: State) -> dict[str, Any]:
    """What the browser needs to recolour the view for a new threshold (``recolour.js``).

    Each ally's figure and its rounding half-width (so a rounded figure straddling the
    line is too close to call in the browser exactly as on the server), membership,
    armed forces, the tile order of the map and its colours. ``recolour`` is true only
    for the slider's own rule (a threshold on % of GDP); other rules wait for the server.
    """
    return {
        "recolour": state.policy == "threshold",
        "decimals": _threshold_decimals(),
        "threshold": float(state.threshold),
        "iso3": [str(c) for c in frame["iso3"]],
        "ally": [str(a) for a in frame["ally"]],
        "value": _known(frame["value"]),
        "halfwidth": _known(frame["value_halfwidth"]),
        "member": [bool(m) for m in frame["member_in_year"]],
        "forces": [bool(f) for f in frame["armed_forces"]],
        "tiles": [str(c) for c in frame["iso3"] if c in tilemap.TILES],
        "fill": dict(tilemap._FILL),
        "ink": dict(tilemap._INK),
    }


def coverage_view(state: State) -> list[Any]:
    """Cards, charts and table of the policy's coverage in ``year`` by ``edition``."""
    policy = policy_of(state)
    frame, summary = coverage_of(state)
    title = f"{policy.title} — {state.year}, edition {state.edition}"
    blocks = [
        dcc.Store(id="coverage-frame", data=recolour_data(frame, state)),
        html.H2(title, id="coverage-title"),
        html.P(
            f"Source of the rule: {policy.source}. " + policy.description,
            className="rule",
            id="coverage-rule",
        ),
        _cards(summary),
        figure_block(charts.coverage_map(frame), "map"),
        figure_block(charts.ranking_bar(frame), "ranking"),
        figure_block(charts.shortfall_bar(frame), "shortfall"),
        *_year_charts(frame, state.year, state.edition).values(),
    ]
    table = frame[list(twotier.TABLE_COLUMNS)]
    blocks.append(table_block(table, "coverage-table", charts.caption_for(frame)))
    return blocks


VIEW = View(id="coverage", label="Coverage", render=coverage_view, order=10)
