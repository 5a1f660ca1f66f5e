"""Threats as strategies: the sequential game solved by brute-force backward induction.

The game (issue #13, item 1): the patron has announced aid conditional on who refuses;
Kyiv accepts or refuses the split x on the table, then Moscow does; after a refusal the
patron chooses to carry out its threat or to back down to the baseline, and backing
down costs it the audience cost A (Fearon 1994; Schelling 1966). Payoffs are written
out here from the model's definitions, independently of the engine, and the tree is
solved by a generic backward-induction routine over explicit nodes.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import pytest

from twotier.models.negotiation.engine import NegotiationParams, evaluate_negotiation

BASE = NegotiationParams(
    resources_ukraine_usd_bn=64.7,
    resources_russia_usd_bn=149.0,
    aid_baseline_eur_bn=21.0,
    other_aid_eur_bn=24.7,
)


@dataclass
class Node:
    """A decision node (``player`` picks a child) or a leaf (``payoffs``)."""

    player: int = -1
    children: dict[str, Node] | None = None
    payoffs: tuple[float, ...] = ()


def solve(node: Node) -> tuple[tuple[float, ...], list[str]]:
    """Backward induction: payoffs and the path of choices (first maximum on ties,
    children ordered so that ties favour carrying out and accepting)."""
    if node.children is None:
        return node.payoffs, []
    best: tuple[tuple[float, ...], list[str]] | None = None
    for action, child in node.children.items():
        pay, path = solve(child)
        if best is None or pay[node.player] > best[0][node.player] + 1e-12:
            best = (pay, [action, *path])
    assert best is not None
    return best


def p_of(params: NegotiationParams, aid: float, sanctions: bool) -> float:
    v = params
    m_r = v.resources_russia_usd_bn * (1 - (v.sanctions_resource_cut if sanctions else 0.0))
    m_u = v.resources_ukraine_usd_bn + v.usd_per_eur * (v.other_aid_eur_bn + aid)
    num = v.effectiveness * m_u**v.decisiveness
    return float(num / (num + m_r**v.decisiveness))


def patron_value(params: NegotiationParams) -> float:
    if params.patron_value_eur_bn_per_year > 0:
        return params.patron_value_eur_bn_per_year
    a0, h = params.aid_baseline_eur_bn, 1e-4
    slope = (p_of(params, a0 + h, False) - p_of(params, a0 - h, False)) / (2 * h)
    return 1.0 / slope


def game(
    params: NegotiationParams, x: float, threat_u: bool, threat_r: bool, sanctions: bool
) -> Node:
    """Players: 0 Ukraine, 1 Russia, 2 patron."""
    a0 = params.aid_baseline_eur_bn
    a_l = a0 * (1 - params.aid_cut_share) if threat_u else a0
    a_h = a0 + params.aid_rise if threat_r else a0
    c_u = params.cost_ukraine
    c_r = params.cost_russia + (params.sanctions_cost if sanctions else 0.0)
    k_u, k_r = params.precondition_cost_ukraine, params.precondition_value_russia
    value, years, audience = (
        patron_value(params),
        params.aid_decision_years,
        params.audience_cost_eur_bn,
    )

    def war(announced: float) -> Node:
        leaves = {}
        for action, aid in (("carry out", announced), ("back down", a0)):
            p = p_of(params, aid, sanctions)
            patron = years * (value * p - aid) - (
                audience if action == "back down" and announced != a0 else 0.0
            )
            leaves[action] = Node(payoffs=(p - c_u, 1 - p - c_r, patron))
        return Node(player=2, children=leaves)

    deal = Node(payoffs=(x - k_u, 1 - x + k_r, 0.0))
    moscow = Node(player=1, children={"accept": deal, "refuse": war(a_h)})
    return Node(player=0, children={"accept": moscow, "refuse": war(a_l)})


GRID = list(
    itertools.product(
        (0.0, 50.0, 300.0, 2000.0),  # V (0: revealed preference)
        (0.0, 5.0, 50.0),  # audience cost A
        (0.7, 1.8),  # decisiveness r
        (0.5, 1.0),  # aid cut share
    )
)


@pytest.mark.parametrize(("value", "audience", "r", "cut"), GRID)
def test_credibility_and_range_agree_with_backward_induction(
    value: float, audience: float, r: float, cut: float
) -> None:
    params = BASE.replace(patron_value_eur_bn_per_year=value, audience_cost_eur_bn=audience,
                          decisiveness=r, aid_cut_share=cut, precondition_cost_ukraine=0.05,
                          precondition_value_russia=0.02)  # fmt: skip
    frame = evaluate_negotiation(params).set_index("setting")
    xs = np.linspace(0, 1, 401)
    for name, row in frame.iterrows():
        tu, tr, s = bool(row["threat_ukraine"]), bool(row["threat_russia"]), bool(row["sanctions"])
        # The patron's choice after each refusal (the x on the table does not matter).
        tree = game(params, 0.5, tu, tr, s)
        assert tree.children is not None
        after_kyiv = solve(tree.children["refuse"])[1][0] == "carry out"
        moscow = tree.children["accept"].children
        assert moscow is not None
        after_moscow = solve(moscow["refuse"])[1][0] == "carry out"
        if tu:
            assert bool(row["threat_ukraine_credible"]) == after_kyiv, name
        if tr:
            assert bool(row["threat_russia_credible"]) == after_moscow, name
        # Splits both accept in the subgame-perfect equilibrium = the model's range.
        accepted = [
            x for x in xs if solve(game(params, x, tu, tr, s))[1][:2] == ["accept", "accept"]
        ]
        assert accepted, name
        assert min(accepted) == pytest.approx(row["range_low"], abs=0.0025), name
        assert max(accepted) == pytest.approx(row["range_high"], abs=0.0025), name


@pytest.mark.parametrize(("value", "r"), [(0.0, 1.0), (50.0, 0.7), (2000.0, 1.8), (300.0, 1.0)])
def test_audience_cost_at_which_each_threat_becomes_credible(value: float, r: float) -> None:
    """Scan A on a grid: the smallest A at which backward induction has the patron carry
    out each threat equals the model's reported threshold (to the grid step)."""
    params = BASE.replace(patron_value_eur_bn_per_year=value, decisiveness=r)
    row = evaluate_negotiation(params).set_index("setting").loc["both threats"]
    step = 0.01
    for key, side in (("ukraine", "refuse"), ("russia", "accept")):
        needed = float(row[f"audience_cost_needed_{key}_eur_bn"])
        found = None
        for audience in np.arange(0.0, needed + 1.0, step):
            tree = game(
                params.replace(audience_cost_eur_bn=float(audience)), 0.5, True, True, False
            )
            assert tree.children is not None
            node = tree.children[side]
            if side == "accept":
                assert node.children is not None
                node = node.children["refuse"]
            if solve(node)[1][0] == "carry out":
                found = float(audience)
                break
        assert found is not None and abs(found - needed) <= step + 1e-9, (key, found, needed)
