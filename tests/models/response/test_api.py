"""A rule as an incentive: no effect at zero threat, never lowers a share, MC errors."""

from __future__ import annotations

import numpy as np
import pytest

import twotier
from twotier.models.response.api import ResponseParams, simulate_rule_response


@pytest.fixture(scope="module")
def result():  # type: ignore[no-untyped-def]
    params = ResponseParams(threshold_pct=2.5, horizon=2028, threats=(0.0, 1.0, 3.0), draws=600)
    return simulate_rule_response(params, "2024-06", rng=7)


def test_zero_threat_changes_nothing(result) -> None:  # type: ignore[no-untyped-def]
    zero = result.allies[result.allies["threat"] == 0.0]
    np.testing.assert_array_equal(zero["p_with"], zero["p_without"])
    money = result.alliance.loc[result.alliance["threat"] == 0.0, "money_added_usd_m"]
    assert (money == 0).all()


def test_a_stronger_threat_never_lowers_coverage_or_money(result) -> None:  # type: ignore[no-untyped-def]
    a = result.alliance.pivot(index="year", columns="threat", values="covered_with")
    assert (a[1.0] >= a[0.0]).all() and (a[3.0] >= a[1.0]).all()
    allies = result.allies.pivot_table(index=["iso3", "year"], columns="threat", values="p_with")
    assert (allies[3.0] >= allies[0.0] - 1e-12).all()
    assert (result.alliance["money_added_usd_m"] >= 0).all()


def test_monte_carlo_errors_are_binomial(result) -> None:  # type: ignore[no-untyped-def]
    p = result.allies["p_with"]
    np.testing.assert_allclose(result.allies["p_with_se"], np.sqrt(p * (1 - p) / 600))
    assert set(result.assumptions["edition"]) == {"2024-06"}


def test_bad_response_input_is_refused() -> None:
    with pytest.raises(twotier.InputError, match="threats"):
        ResponseParams(threats=(-1.0,))
    with pytest.raises(twotier.InputError, match="threshold_pct"):
        ResponseParams(threshold_pct=float("inf"))
    with pytest.raises(twotier.InputError, match="horizon"):
        simulate_rule_response(ResponseParams(horizon=2020, draws=100), "2024-06")
