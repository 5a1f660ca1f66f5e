"""Distributions are checked against the cross-parameter rules over their whole range.

Review D23: a range drawn for one end of a pair could cross the other end, and the
draws were silently reordered. Now every way into the Monte Carlo (the API, the
sampler, Sobol) refuses such a range with one line naming the key.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import twotier
from twotier.errors import InputError, ScenarioError
from twotier.models.negotiation.api import negotiation_params
from twotier.models.negotiation.montecarlo import simulate_negotiation
from twotier.models.negotiation.params import Uncertainty, check_uncertainties
from twotier.models.negotiation.scenario import parse_scenario
from twotier.models.negotiation.sensitivity import negotiation_sobol

HEAD = '[scenario]\nid = "t"\ntitle = "t"\n'


def _params():  # type: ignore[no-untyped-def]
    return negotiation_params("default")[0]


def test_a_low_end_that_can_cross_the_high_end_is_refused_everywhere() -> None:
    scen = parse_scenario(HEAD + "[uncertainty.cost_ukraine_low]\nlow = 0.3\nhigh = 0.9\n")
    with pytest.raises(ScenarioError, match=r"^scenario 't': uncertainty\.cost_ukraine_low: "):
        twotier.negotiate(scen, draws=100, rng=1)
    params = _params()
    for run in (
        lambda: simulate_negotiation(params, scen.uncertainties, 100, rng=1),
        lambda: negotiation_sobol(params, scen.uncertainties, base_samples=8, rng=1),
    ):
        with pytest.raises(InputError, match="cost_ukraine_low <= cost_ukraine_high"):
            run()


def test_overrides_count_when_the_ranges_are_checked() -> None:
    text = HEAD + "[uncertainty.cost_russia_high]\nlow = 0.2\nhigh = 0.5\n"
    scen = parse_scenario(text)
    assert twotier.negotiate(scen, draws=64, rng=1).simulation is not None
    with pytest.raises(
        ScenarioError, match="cost_russia_low up to 0.3 and cost_russia_high down to 0.2"
    ):
        twotier.negotiate(scen, {"cost_russia_low": 0.3}, draws=64, rng=1)


def test_one_distribution_per_parameter() -> None:
    u = Uncertainty("cost_ukraine", "uniform", 0.1, 0.2)
    with pytest.raises(InputError, match=r"^uncertainty\.cost_ukraine: expected one distribution"):
        check_uncertainties(_params(), [u, u])


@settings(max_examples=60, deadline=None)
@given(
    lo=st.tuples(st.floats(0, 1), st.floats(0, 1)).map(sorted),
    hi=st.tuples(st.floats(0, 1), st.floats(0, 1)).map(sorted),
)
def test_accepted_ranges_never_draw_a_crossed_pair(lo: list[float], hi: list[float]) -> None:
    """Property: if the check passes, no draw of the pair is crossed; if not, some could be."""
    params = _params().replace(cost_ukraine_low=0.0, cost_ukraine_high=1.0)
    us = [
        Uncertainty("cost_ukraine_low", "uniform", *lo),
        Uncertainty("cost_ukraine_high", "uniform", *hi),
    ]
    try:
        check_uncertainties(params, us)
    except InputError:
        assert lo[1] > hi[0]  # refused only when the ranges overlap the wrong way
        return
    gen = np.random.default_rng(0)
    a, b = us[0].sample(gen, 500), us[1].sample(gen, 500)
    assert np.all(a <= b)


@pytest.mark.parametrize("ident", ["default\n", "Default", " ", "a b", "x" * 65])
def test_scenario_ids_are_one_plain_word(ident: str) -> None:
    """Second review, L8: an id ending in a newline reached the JSON output."""
    text = HEAD.replace('id = "t"', f"id = {ident!r}".replace("'", '"').replace("\n", "\\n"))
    with pytest.raises(ScenarioError, match=r"scenario\.id"):
        parse_scenario(text)
