"""Closed forms of the bargaining models against published values and brute force.

Reference values: models.md "External checks" item 14, written from the published
formulas (Rubinstein 1982, Econometrica 50(1): 97-109, eq. for the first proposer's
share; Nash 1950, Econometrica 18: 155-162; Fearon 1995, International Organization
49(3): 379-414, risk-return trade-off; Powell 2006, International Organization 60(1):
169-203, commitment problem).
"""

from __future__ import annotations

import nashpy
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from twotier.models import bargaining as bg
from twotier.models.negotiation.engine import NegotiationParams, evaluate_negotiation


def test_rubinstein_first_proposer_shares() -> None:
    """Rubinstein (1982): x_1 = (1 - δ2)/(1 - δ1 δ2)."""
    assert bg.rubinstein_share(0.9, 0.9) == pytest.approx(0.526316, abs=1e-6)
    assert bg.rubinstein_share(0.9, 0.8) == pytest.approx(0.714286, abs=1e-6)
    assert bg.rubinstein_share(0.9, 0.9) == pytest.approx(1 / 1.9)


def test_nash_split_with_war_as_disagreement_point() -> None:
    """Nash (1950) with d_U = p - c_U, d_R = 1 - p - c_R: p=0.5, c_U=0.1, c_R=0.2 -> 0.55."""
    lower, upper = bg.bargaining_range(0.5, 0.5, 0.1, 0.2)
    assert (float(lower), float(upper)) == pytest.approx((0.4, 0.7))
    assert bg.nash_share(lower, upper) == pytest.approx(0.55)


@pytest.mark.parametrize(
    ("c_r", "lo", "hi", "z", "war"),
    [(0.1, 0.0, 0.3, 0.1, 1 / 3), (0.1, 0.05, 0.35, 0.125, 0.25), (0.4, 0.0, 0.3, 0.0, 0.0)],
)
def test_risk_return_optimum_and_war_probability(
    c_r: float, lo: float, hi: float, z: float, war: float
) -> None:
    """Fearon (1995) risk-return trade-off, closed form of models.md §2.4."""
    got_z, got_war = bg.risk_return(c_r, lo, hi)
    assert float(got_z) == pytest.approx(z)
    assert float(got_war) == pytest.approx(war)


def test_preventive_war_condition() -> None:
    """Powell (2006): δ=0.9, p0=0.4, p1=0.6, c_D=0.05 -> war (0.14 > 0.005)."""
    assert bool(bg.preventive_war(0.4, 0.6, 0.05, 0.9))
    assert not bool(bg.preventive_war(0.4, 0.4, 0.05, 0.9))  # no shift, no war
    # Either side of the boundary δ p1 - p0 = (1 - δ) c_D.
    boundary = (0.4 + 0.1 * 0.05) / 0.9
    assert not bool(bg.preventive_war(0.4, boundary - 1e-9, 0.05, 0.9))
    assert bool(bg.preventive_war(0.4, boundary + 1e-9, 0.05, 0.9))


def test_contest_function_derivative_matches_closed_form() -> None:
    """dp/da = r p (1 - p) / (m_U + a), models.md §2.2, against a central difference."""
    m_u, m_r, a, r, theta = 60.0, 109.0, 15.0, 1.7, 1.3
    p = float(bg.contest_probability(m_u + a, m_r, r, theta))
    h = 1e-5
    numeric = (
        bg.contest_probability(m_u + a + h, m_r, r, theta)
        - bg.contest_probability(m_u + a - h, m_r, r, theta)
    ) / (2 * h)
    assert float(numeric) == pytest.approx(r * p * (1 - p) / (m_u + a), rel=1e-6)
    assert float(bg.contest_probability(1.0, 1.0)) == 0.5


@settings(max_examples=60, deadline=None)
@given(
    c_r=st.floats(0.0, 0.5),
    lo=st.floats(0.0, 0.3),
    width=st.floats(0.01, 0.5),
    w=st.floats(0.2, 0.8),
)
def test_optimal_offer_by_grid_search_equals_closed_form(
    c_r: float, lo: float, width: float, w: float
) -> None:
    """Brute force: the proposer's expected payoff over a fine grid of z is maximised
    at the closed-form z* (to the grid's resolution)."""
    hi = lo + width
    z = np.linspace(lo, hi, 20001)
    accept = (hi - z) / (hi - lo)
    payoff = accept * (w + z) + (1 - accept) * (w - c_r)
    z_grid = z[np.argmax(payoff)]
    z_star, _ = bg.risk_return(c_r, lo, hi)
    assert abs(z_grid - float(z_star)) <= (hi - lo) / 20000 + 1e-12


def test_monte_carlo_war_probability_matches_closed_form() -> None:
    """Draw Ukraine's private cost; the share rejecting the optimal demand must lie in
    the 99.9 % confidence interval around the closed form."""
    rng = np.random.default_rng(20240214)
    lo, hi, c_r = 0.05, 0.35, 0.1
    z_star, war = bg.risk_return(c_r, lo, hi)
    costs = rng.uniform(lo, hi, 200_000)
    rejected = np.mean(costs < z_star)  # accepts iff p - z >= p - c_U, i.e. c_U >= z
    se = np.sqrt(float(war) * (1 - float(war)) / costs.size)
    assert abs(rejected - float(war)) < 3.3 * se


def _ultimatum(p: float, c_u: float, c_r: float, grid: np.ndarray) -> nashpy.Game:
    """Russia offers x (rows); Ukraine's strategies are acceptance thresholds (columns)."""
    offers = grid[:, None]
    thresholds = grid[None, :]
    accept = offers >= thresholds - 1e-12
    russia = np.where(accept, 1 - offers, 1 - p - c_r)
    ukraine = np.where(accept, offers, p - c_u)
    return nashpy.Game(russia, ukraine)


@pytest.mark.parametrize("setting", ["status quo", "threat to Ukraine", "both threats + sanctions"])
def test_discretised_ultimatum_game_solved_by_nashpy_agrees(setting: str) -> None:
    """nashpy (independent library): with Ukraine's subgame-perfect threshold (accept iff
    x >= its war value), Russia's best response and the equilibrium check agree with the
    model's complete-information outcome: Russia, proposing, gets everything above
    Ukraine's war value, so x = range_low."""
    params = NegotiationParams(
        aid_baseline_eur_bn=14.9,
        other_aid_eur_bn=24.7,
        resources_ukraine_usd_bn=64.7,
        resources_russia_usd_bn=149.0,
    )
    row = evaluate_negotiation(params).set_index("setting").loc[setting]
    grid = np.round(np.linspace(0, 1, 401), 6)
    cost_r = row["range_high"] - row["p_if_russia_refuses"]
    game = _ultimatum(row["p_if_ukraine_refuses"], 0.2, cost_r, grid)
    threshold = int(np.searchsorted(grid, row["range_low"] - 1e-12))
    sigma_u = np.zeros(len(grid))
    sigma_u[threshold] = 1.0
    russia_payoffs = game.payoff_matrices[0] @ sigma_u
    best_offer = grid[int(np.argmax(russia_payoffs))]
    assert best_offer == pytest.approx(row["range_low"], abs=1 / 400)
    sigma_r = np.zeros(len(grid))
    sigma_r[threshold] = 1.0
    assert game.is_best_response(sigma_r, sigma_u) == (True, True)


def test_clipped_offer_reports_the_refusal_probability_of_the_feasible_offer() -> None:
    """Review A.3-1: p = 0.1, c_R = 0, c_U ~ U[0, 0.6]. The unconstrained demand
    z* = 0.3 would offer x = -0.2; the feasible offer is x = 0 (z = 0.1), refused by
    types with c_U < 0.1: P(no agreement) = 0.1/0.6 = 1/6, not 0.5."""
    p = 0.1
    z, war, makes_offer = bg.screening_offer(0.0, 0.0, 0.6, p - 1.0, p)
    assert float(z) == pytest.approx(0.1)
    assert float(war) == pytest.approx(1 / 6)
    assert bool(makes_offer)
    # Upper end: Ukraine proposing with p_H = 0.95: the demand is clipped at x = 1.
    z_u, war_u, _ = bg.screening_offer(0.0, 0.0, 0.6, -0.95, 0.05)
    assert float(z_u) == pytest.approx(0.05) and float(war_u) == pytest.approx(0.05 / 0.6)


@settings(max_examples=80, deadline=None)
@given(
    c_p=st.floats(-0.5, 0.5),
    lo=st.floats(0.0, 0.3),
    width=st.floats(0.01, 0.5),
    p=st.floats(0.0, 1.0),
)
def test_feasible_screening_offer_by_brute_force(
    c_p: float, lo: float, width: float, p: float
) -> None:
    """Brute force over every feasible offer x in [0, 1] (z = p - x) and the option of
    making no offer (war for sure): the best expected gain over war and its refusal
    probability match :func:`screening_offer` (to the grid's resolution)."""
    hi = lo + width
    x = np.linspace(0.0, 1.0, 20001)
    z = p - x
    accept = np.clip((hi - z) / width, 0.0, 1.0)
    gain = accept * (z + c_p)  # expected gain over war
    best = int(np.argmax(gain))
    z_star, war, makes_offer = bg.screening_offer(c_p, lo, hi, p - 1.0, p)
    if gain[best] < 0:
        assert not bool(makes_offer) and float(war) == 1.0
        return
    exact_gain = (1 - float(war)) * (float(z_star) + c_p) if bool(makes_offer) else 0.0
    assert gain[best] == pytest.approx(max(exact_gain, 0.0), abs=2e-4)


@pytest.mark.parametrize("years", [1, 3, 7])
def test_powell_shift_under_peace_by_backward_induction(years: int) -> None:
    """Powell (2006) by dynamic programming over years: under peace the rising side's
    power grows evenly from p0 to p1 over N years, then stays. Each year it offers the
    declining side the least flow share (on a grid) that keeps it at peace; it cannot
    promise more than the declining side's value from next year on. War occurs on the
    path iff the closed form holds for the first year's step (per-year discount β),
    checked on a grid of p1 either side of the boundary."""
    beta, p0, c_d, horizon = 0.9, 0.4, 0.05, 40
    flows = np.linspace(0.0, 1.0, 100001)
    boundary = p0 + years * ((p0 + (1 - beta) * c_d) / beta - p0)  # p1 at the boundary
    for p1 in np.linspace(max(p0, boundary - 0.1), min(1.0, boundary + 0.1), 9):
        path = [p0 + (p1 - p0) * min(t, years) / years for t in range(horizon)]
        value = (1 - path[-1]) - c_d  # stationary end: held to its war value
        war = False
        for t in range(horizon - 2, -1, -1):
            war_now = (1 - path[t]) - c_d
            ok = (1 - beta) * flows + beta * value >= war_now - 1e-12
            war = war or not ok.any()
            value = (
                war_now if not ok.any() else (1 - beta) * flows[int(np.argmax(ok))] + beta * value
            )
        step = float(bg.first_year_of_shift(p0, p1, years))
        if abs(p1 - boundary) > 1e-3:
            assert war == bool(bg.preventive_war(p0, step, c_d, beta)), (p1, boundary)


def test_audience_cost_threshold() -> None:
    """Carry out iff H u_T + A >= H u_0: the threshold is H (u_0 - u_T), never negative."""
    assert float(bg.audience_cost_needed(5.0, 8.0, 2.0)) == pytest.approx(6.0)
    assert float(bg.audience_cost_needed(9.0, 8.0, 2.0)) == 0.0
