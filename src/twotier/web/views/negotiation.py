"""Negotiation view: the aid-leverage bargaining model with its own lever controls."""

from __future__ import annotations

from typing import Any

from dash import html

import twotier
from twotier.errors import InputError
from twotier.render import charts, kinds
from twotier.web.blocks import figure_block, table_block
from twotier.web.registry import Control, View
from twotier.web.state import State

CUT = Control(key="ncut", label="Aid cut if Kyiv refuses (share of US aid)", kind="slider",
              default=1.0, props={"min": 0, "max": 1, "step": 0.1,
                                  "marks": {0: "0", 0.5: "0.5", 1: "all"}})  # fmt: skip
RISE = Control(key="nrise", label="Aid rise if Moscow refuses, EUR bn/yr", kind="number",
               default=21.0, props={"min": 0, "max": 1000, "step": 1})  # fmt: skip
SANCTIONS = Control(key="nsanctions", label="Sanctions: added cost of war to Russia (share)",
                    kind="slider", default=0.05,
                    props={"min": 0, "max": 0.3, "step": 0.01,
                           "marks": {0: "0", 0.1: "0.1", 0.2: "0.2", 0.3: "0.3"}})  # fmt: skip
AUDIENCE = Control(key="naudience", label="Audience cost of backing down, EUR bn",
                   kind="number", default=0.0,
                   props={"min": 0, "max": 10000, "step": 0.5})  # fmt: skip
BASIS = Control(key="nbasis", label="Military resources", kind="dropdown", default="market",
                options=lambda: [{"label": "market exchange rates (SIPRI)", "value": "market"},
                                 {"label": "Russia at PPP (IISS)", "value": "ppp"}])  # fmt: skip
_WORDS = {"set: ": "", "aid_cut_share": CUT.label, "aid_rise_eur_bn": RISE.label,
          "sanctions_cost": SANCTIONS.label, "audience_cost_eur_bn": AUDIENCE.label,
          "resources_basis": BASIS.label}  # fmt: skip


def _in_words(message: str) -> str:
    """An error about a lever in the words of its control."""
    for name, label in _WORDS.items():
        message = message.replace(name, label)
    return message


def negotiation_view(state: State) -> list[Any]:
    """Outcomes per lever setting at the chosen levers, one sentence, every assumption."""
    overrides = kinds.negotiation_levers(lambda name: getattr(state, name))
    try:
        result = twotier.negotiate("default", overrides, resources_basis=state.nbasis)
    except InputError as exc:
        raise InputError(_in_words(str(exc)), field=exc.field) from None
    return [
        html.H2(f"Aid leverage: {result.meta['scenario_title']}", id="negotiation-title"),
        figure_block(charts.negotiation_ranges(result.outcomes, meta=result.meta), "negotiation"),
        html.P(str(result.meta["sentence"]), id="negotiation-sentence"),
        table_block(
            result.outcomes,
            "negotiation-table",
            "One row per lever setting. A threat counts only where the patron would carry it "
            "out. Results of a stated model under the assumptions below, not forecasts.",
        ),
        table_block(
            result.parameters,
            "negotiation-parameters",
            "Every parameter, its unit, whether it is a lever or an assumption, and the "
            "source or reason of its value (including the Kiel data caveat).",
        ),
    ]


VIEW = View(id="negotiation", label="Negotiation", render=negotiation_view,
            controls=(CUT, RISE, SANCTIONS, AUDIENCE, BASIS), order=60, year=False)  # fmt: skip
