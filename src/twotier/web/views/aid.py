"""Aid view: aid to Ukraine by donor, from the Kiel Institute's Ukraine Support Tracker.

The figures the negotiation model's aid defaults come from, shown as charts with the
tracker's provenance caveat.
"""

from __future__ import annotations

from typing import Any

from dash import html

import twotier
from twotier.render.aid import AID_CAVEAT, aid_by_donor, aid_caption, aid_over_time
from twotier.web.blocks import figure_block, table_block
from twotier.web.registry import View
from twotier.web.state import State

COLUMNS = ["donor_iso3", "donor", "category", "measure", "as_of", "value_eur_bn", "source"]


def aid_view(state: State) -> list[Any]:
    """Aid allocated by donor and kind, commitments over time, and the rows."""
    aid = twotier.load_data().aid
    table = aid[COLUMNS].sort_values(["as_of", "donor", "measure", "category"], ascending=False)
    return [
        html.H2("Aid to Ukraine by donor (Kiel Institute Ukraine Support Tracker)", id="aid-title"),
        html.P(AID_CAVEAT, className="caveat", role="note"),
        figure_block(aid_by_donor(aid), "aid-donors"),
        figure_block(aid_over_time(aid), "aid-time"),
        table_block(table.reset_index(drop=True), "aid-table", aid_caption(aid)),
    ]


VIEW = View(id="aid", label="Aid to Ukraine", render=aid_view, order=65, year=False)
