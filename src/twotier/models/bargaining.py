"""Closed forms of the bargaining models of war (pure, numpy-vectorised).

Every function accepts scalars or numpy arrays (broadcast together) and returns the
same. Notation follows ``shared/reference/models.md`` §2: ``p`` is the probability that
Ukraine prevails, ``x`` Ukraine's share of the contested good (prize normalised to 1),
``c_U, c_R`` the costs of war as shares of the prize, ``δ`` discount factors.

References
----------
.. [Fearon1995] Fearon, J.D. (1995). Rationalist explanations for war. *International
   Organization* 49(3): 379-414. doi:10.1017/S0020818300033324
.. [Tullock1980] Tullock, G. (1980). Efficient rent seeking. In Buchanan, Tollison &
   Tullock (eds.), *Toward a Theory of the Rent-Seeking Society*, 97-112.
.. [Skaperdas1996] Skaperdas, S. (1996). Contest success functions. *Economic Theory*
   7: 283-290. doi:10.1007/BF01213906
.. [Nash1950] Nash, J. (1950). The bargaining problem. *Econometrica* 18: 155-162.
   doi:10.2307/1907266
.. [Rubinstein1982] Rubinstein, A. (1982). Perfect equilibrium in a bargaining model.
   *Econometrica* 50(1): 97-109. doi:10.2307/1912531
.. [BSS1989] Binmore, K., Shaked, A. & Sutton, J. (1989). An outside option experiment.
   *Quarterly Journal of Economics* 104(4): 753-770. doi:10.2307/2937866
.. [Powell2006] Powell, R. (2006). War as a commitment problem. *International
   Organization* 60(1): 169-203. doi:10.1017/S0020818306060061
.. [Fearon1994] Fearon, J.D. (1994). Domestic political audiences and the escalation of
   international disputes. *American Political Science Review* 88(3): 577-592.
   doi:10.2307/2944796
.. [Schelling1966] Schelling, T.C. (1966). *Arms and Influence*. Yale University Press.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "audience_cost_needed",
    "bargaining_range",
    "contest_probability",
    "contest_slope",
    "first_year_of_shift",
    "nash_share",
    "outside_option_share",
    "preventive_war",
    "risk_return",
    "rubinstein_share",
    "screening_offer",
]

Float = NDArray[np.float64]


def _f(x: ArrayLike) -> Float:
    return np.asarray(x, dtype=float)


def contest_probability(
    resources_a: ArrayLike,
    resources_b: ArrayLike,
    decisiveness: ArrayLike = 1.0,
    effectiveness: ArrayLike = 1.0,
) -> Float:
    """Tullock contest success function: ``p = θ m_a^r / (θ m_a^r + m_b^r)``.

    [Tullock1980]_, axioms in [Skaperdas1996]_. ``m_a`` includes any aid to side a.
    """
    a, b, r, theta = _f(resources_a), _f(resources_b), _f(decisiveness), _f(effectiveness)
    # Computed as 1 / (1 + (b/a)^r / θ) for numerical stability at large r.
    return 1.0 / (1.0 + np.power(b / a, r) / theta)


def contest_slope(p: ArrayLike, resources_a: ArrayLike, decisiveness: ArrayLike = 1.0) -> Float:
    """``dp/dm_a = r p (1 - p) / m_a`` for the contest function above (any ``θ``)."""
    return _f(decisiveness) * _f(p) * (1.0 - _f(p)) / _f(resources_a)


def bargaining_range(
    p_if_ukraine_refuses: ArrayLike,
    p_if_russia_refuses: ArrayLike,
    cost_u: ArrayLike,
    cost_r: ArrayLike,
    precondition_cost: ArrayLike = 0.0,
    precondition_value: ArrayLike = 0.0,
) -> tuple[Float, Float]:
    """Splits ``x`` both sides prefer to war: ``[p_L - c_U + κ_U, p_H + c_R + κ_R]``.

    [Fearon1995]_: with one ``p`` the range is ``[p - c_U, p + c_R]``, width
    ``c_U + c_R``. With conditional aid the side blamed for breakdown fights at the
    aid level its refusal triggers (``p_L`` for Ukraine, ``p_H`` for Russia). A
    precondition for talks costs Ukraine ``κ_U`` and is worth ``κ_R`` to Russia (both
    shares of the prize): a deal ``x`` gives Ukraine ``x - κ_U`` and Russia
    ``1 - x + κ_R``, so each side's participation constraint moves its bound by its
    own term. Not clipped to [0, 1]; the range is empty where lower > upper.
    """
    lower = _f(p_if_ukraine_refuses) - _f(cost_u) + _f(precondition_cost)
    upper = _f(p_if_russia_refuses) + _f(cost_r) + _f(precondition_value)
    return lower, upper


def nash_share(lower: ArrayLike, upper: ArrayLike) -> Float:
    """Nash bargaining split with war as disagreement point: the midpoint of the range.

    [Nash1950]_: with ``d_U = lower`` and ``d_R = 1 - upper``, ``x = d_U + (1 - d_U -
    d_R)/2 = (lower + upper)/2``; with one ``p``: ``p + (c_R - c_U)/2``. NaN where the
    range is empty (no split both prefer to war).
    """
    lo, hi = _f(lower), _f(upper)
    return np.where(lo <= hi, (lo + hi) / 2.0, np.nan)


def rubinstein_share(delta_first: ArrayLike, delta_second: ArrayLike) -> Float:
    """First proposer's share in Rubinstein's alternating-offers game.

    [Rubinstein1982]_: ``x_1 = (1 - δ_2) / (1 - δ_1 δ_2)``; equal ``δ``: ``1/(1 + δ)``.
    """
    d1, d2 = _f(delta_first), _f(delta_second)
    return (1.0 - d2) / (1.0 - d1 * d2)


def outside_option_share(share: ArrayLike, lower: ArrayLike, upper: ArrayLike) -> Float:
    """Outside option principle [BSS1989]_: an option binds only if it beats the split.

    Ukraine's share is clipped to ``[lower, upper]``; NaN where the range is empty.
    """
    lo, hi = _f(lower), _f(upper)
    return np.where(lo <= hi, np.clip(_f(share), lo, hi), np.nan)


def risk_return(
    cost_proposer: ArrayLike, responder_cost_low: ArrayLike, responder_cost_high: ArrayLike
) -> tuple[Float, Float]:
    """Optimal take-it-or-leave-it demand under private information, and P(war).

    The responder's cost is private, uniform on ``[c_lo, c_hi]``; it accepts iff the
    offer leaves it at least its war value. The proposer chooses ``z``, how far below
    the responder's war value (at zero cost) the offer goes. Setup of [Fearon1995]_;
    closed form derived in models.md §2.4 (first-order condition of
    ``(c_hi - z)(w + z) + (z - c_lo)(w - c_P)``):

    ``z* = clip((c_hi - c_P)/2, c_lo, c_hi)``, ``P(war) = (z* - c_lo)/(c_hi - c_lo)``.
    """
    c_p, lo, hi = _f(cost_proposer), _f(responder_cost_low), _f(responder_cost_high)
    z = np.clip((hi - c_p) / 2.0, lo, hi)
    width = hi - lo
    war = np.where(width > 0, (z - lo) / np.where(width > 0, width, 1.0), 0.0)
    return z, war


def screening_offer(
    cost_proposer: ArrayLike,
    responder_cost_low: ArrayLike,
    responder_cost_high: ArrayLike,
    z_min: ArrayLike = -np.inf,
    z_max: ArrayLike = np.inf,
) -> tuple[Float, Float, NDArray[np.bool_]]:
    """The risk-return offer with a feasible set, and whether the proposer makes it.

    As :func:`risk_return`, but the demand ``z`` must lie in ``[z_min, z_max]`` (the
    offer must be a split in [0, 1]), and the probability of no agreement is the one
    *at the feasible offer*. The proposer's objective is increasing below ``c_lo``,
    concave on ``[c_lo, c_hi]`` and flat above ``c_hi``, so the constrained optimum
    is the unconstrained one clipped to ``[z_min, z_max]``. ``cost_proposer`` is the
    proposer's gain from an accepted offer at ``z = 0`` over war (its cost of war
    plus any net value of a precondition). If every feasible offer leaves it worse
    off than war (expected gain ``P(accept)(z + c_P) < 0``), it makes none and
    there is no agreement (probability 1).

    Returns ``z*``, ``P(no agreement)`` and ``proposer_participates``.
    """
    c_p, lo, hi = _f(cost_proposer), _f(responder_cost_low), _f(responder_cost_high)
    # np.minimum/np.maximum rather than np.clip: same result, less overhead per call.
    z = np.minimum(np.maximum(np.minimum(np.maximum((hi - c_p) / 2.0, lo), hi), z_min), z_max)
    width = hi - lo
    safe = np.where(width > 0, width, 1.0)
    refuse = np.where(width > 0, np.minimum(np.maximum((z - lo) / safe, 0.0), 1.0), z > hi)
    participates = np.asarray((1.0 - refuse) * (z + c_p) >= 0.0, dtype=bool)
    return z, np.where(participates, refuse, 1.0), participates


def audience_cost_needed(
    payoff_if_carried_out: ArrayLike, payoff_if_backed_down: ArrayLike, years: ArrayLike = 1.0
) -> Float:
    """Audience cost at which carrying out a threat becomes the patron's best reply.

    After the refusal the patron chooses between the announced aid level (payoff
    flow ``u_T``, EUR bn per year) and backing down to the baseline (``u_0``), which
    costs it a one-off audience/reputation cost ``A`` (EUR bn) [Fearon1994]_,
    [Schelling1966]_. Over ``H`` years, carrying out is a best reply iff
    ``H u_T >= H u_0 - A``, i.e. iff ``A >= max(0, H (u_0 - u_T))``.
    """
    gap = _f(years) * (_f(payoff_if_backed_down) - _f(payoff_if_carried_out))
    return np.maximum(gap, 0.0)


def first_year_of_shift(p_now: ArrayLike, p_later: ArrayLike, years: ArrayLike) -> Float:
    """Power after the first year of a shift that accrues evenly over ``N`` years.

    In Powell's mechanism the declining side compares war now with what the rising
    side can promise after the next period, so what matters is the shift *per
    period*; for an even ramp the first year's step is the relevant one (the
    condition below is hardest to meet later, where the rising side is stronger).
    A shift within a year (``N <= 1``) arrives in one step. Derived here.
    """
    n = np.maximum(_f(years), 1.0)
    return _f(p_now) + (_f(p_later) - _f(p_now)) / n


def preventive_war(
    p_rising_now: ArrayLike,
    p_rising_later: ArrayLike,
    cost_declining: ArrayLike,
    delta: ArrayLike,
) -> NDArray[np.bool_]:
    """Powell's commitment problem: whether the declining side prefers war now.

    Two-stage version derived in models.md §2.6 from [Powell2006]_: the rising side
    wins with ``p_0`` now and ``p_1`` from the next period on; the declining side
    prefers war iff ``δ p_1 - p_0 > (1 - δ) c_D``.
    """
    p0, p1, c, d = _f(p_rising_now), _f(p_rising_later), _f(cost_declining), _f(delta)
    result: Any = d * p1 - p0 > (1.0 - d) * c
    return np.asarray(result, dtype=bool)
