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


def test_draws_are_simulated_in_bounded_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    # Adversarial H3: all draws x allies x years were held at once (11 GB at the accepted
    # 200,000 draws to 2060). Every simulation call now holds at most CHUNK draws.
    from twotier.models.response import api, tally

    sizes: list[int] = []
    original = api.simulate

    def recorded(inputs, rng, n):  # type: ignore[no-untyped-def]
        sizes.append(n)
        return original(inputs, rng, n)

    monkeypatch.setattr(api, "simulate", recorded)
    draws = 2 * tally.CHUNK + 100
    params = ResponseParams(horizon=2026, threats=(1.0,), draws=draws, calibrated=False)
    simulate_rule_response(params, "2024-06", rng=1)
    assert max(sizes) <= tally.CHUNK
    assert sum(sizes) == 2 * draws  # without and with the rule


def test_chunked_summaries_equal_the_summaries_of_all_draws_at_once() -> None:
    # Independent computation: the same chunk streams simulated, concatenated, and
    # summarised with numpy's quantile and standard deviation.
    import math

    from twotier.models.projection.history import build_history
    from twotier.models.response import api, tally
    from twotier.models.response.fit import fit_response
    from twotier.models.response.inputs import response_inputs

    draws, line, seed = tally.CHUNK + 700, 2.0, 5
    history = build_history(twotier.load_data(), "2024-06")
    fit = fit_response(history)
    base_in = response_inputs(history, fit, 2027)
    rule_in = response_inputs(history, fit, 2027, rule_line=line, threat=2.0)
    base_t, (rule_t,) = api._simulate(base_in, [rule_in], line, seed, draws)
    children = np.random.SeedSequence(seed).spawn(2)
    parts = [
        (
            api.simulate(base_in, np.random.default_rng(c), n),
            api.simulate(rule_in, np.random.default_rng(c), n),
        )
        for c, n in zip(children, (tally.CHUNK, 700), strict=True)
    ]
    base = np.concatenate([b[0] for b, _ in parts])
    gdp = np.concatenate([b[1] for b, _ in parts])
    rule = np.concatenate([r[0] for _, r in parts])
    np.testing.assert_array_equal(rule_t.p(), (rule >= line).mean(axis=0))
    covered = (rule >= line).sum(axis=1)
    for q in (0.05, 0.5, 0.95):
        np.testing.assert_array_equal(
            tally.hist_quantile(rule_t.covered_hist, q), np.quantile(covered, q, axis=0)
        )
    got = rule_t.covered("c")
    np.testing.assert_allclose(got["c"], covered.mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(got["c_se"], covered.std(axis=0, ddof=1) / math.sqrt(draws))
    added = ((rule - base) / 100.0 * gdp * 1000.0).sum(axis=1)
    money = rule_t.money()
    np.testing.assert_allclose(money["money_added_usd_m"], added.mean(axis=0), rtol=1e-9)
    np.testing.assert_allclose(
        money["money_added_se_usd_m"], added.std(axis=0, ddof=1) / math.sqrt(draws), rtol=1e-9
    )
    # Medians to the histogram's resolution (0.01 points).
    assert np.abs(base_t.share_median() - np.median(base, axis=0)).max() <= 0.01


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        # Adversarial L4: raw TypeErrors later, or silent acceptance.
        ({"draws": 100.5}, "draws"),
        ({"draws": "1000"}, "draws"),
        ({"draws": True}, "draws"),
        ({"horizon": 2030.7}, "horizon"),
        ({"threats": "12"}, "threats"),
        ({"threats": ("1",)}, "threats"),
        ({"threshold_pct": "2"}, "threshold_pct"),
        ({"calibrated": "yes"}, "calibrated"),
        # Adversarial L3: --deadline unchecked; --threats unbounded, repeats accepted.
        ({"rule_deadline": "x"}, "rule_deadline"),
        ({"rule_deadline": -5}, "rule_deadline"),
        ({"rule_deadline": 2040, "horizon": 2035}, "rule_deadline"),
        ({"threats": (1.0, 1.0)}, "threats"),
        ({"threats": tuple(range(11))}, "threats"),
        ({"threats": ()}, "threats"),
    ],
)
def test_response_params_refuse_by_field(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(twotier.InputError) as info:
        ResponseParams(**kwargs)  # type: ignore[arg-type]
    assert info.value.field == field and str(info.value).startswith(f"{field}: ")


def test_numpy_whole_numbers_are_accepted() -> None:
    p = ResponseParams(draws=np.int64(100), horizon=np.int32(2030), threats=(np.float64(1),))
    assert p.draws == 100


@pytest.mark.parametrize(
    ("kwargs", "exempt", "field"),
    [
        ({"rule_deadline": 2020}, (), "rule_deadline"),  # before the first simulated year
        ({}, ["XXX"], "exempt"),
        ({}, "POL", "exempt"),  # a bare string was read as P, O, L
        ({}, [3], "exempt"),
    ],
)
def test_simulate_rule_response_refuses_by_field(
    kwargs: dict[str, object], exempt: object, field: str
) -> None:
    params = ResponseParams(draws=100, horizon=2027, **kwargs)  # type: ignore[arg-type]
    with pytest.raises(twotier.InputError) as info:
        simulate_rule_response(params, "2024-06", exempt=exempt)  # type: ignore[arg-type]
    assert info.value.field == field and str(info.value).startswith(f"{field}: ")
