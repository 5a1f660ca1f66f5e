"""The negotiation model: settings, properties, Monte Carlo, sweeps, scenarios, CLI."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import twotier
from twotier.cli import main
from twotier.errors import ScenarioError
from twotier.models.negotiation.api import aid_defaults, load_scenario, negotiation_params
from twotier.models.negotiation.engine import (
    PARAMETERS,
    NegotiationParams,
    Uncertainty,
    evaluate_negotiation,
    sweep_negotiation,
)
from twotier.models.negotiation.montecarlo import simulate_negotiation
from twotier.models.negotiation.scenario import parse_scenario

BASE = NegotiationParams(
    aid_baseline_eur_bn=15.0,
    other_aid_eur_bn=25.0,
    resources_ukraine_usd_bn=64.7,
    resources_russia_usd_bn=149.0,
)


def test_aid_defaults_come_from_the_kiel_figures() -> None:
    """Kiel release 29 (data to 2026-04): US military aid allocated EUR 64.617 bn. The
    default window divides it by Jan 2022-Jan 2025 (37 months; no new US aid after
    9 Jan 2025); other donors' sum over the tracker's 52 months."""
    aid = aid_defaults()
    assert aid.as_of == "2026-04" and aid.window == "pre-inauguration"
    assert aid.years == pytest.approx(52 / 12, abs=1e-4)
    assert aid.patron_eur_bn == pytest.approx(64.617 / (37 / 12), abs=1e-3)
    rows = twotier.load_data().aid.query("category == 'military' and measure == 'allocated'")
    others = rows.loc[rows["donor_iso3"] != "USA", "value_eur_bn"].sum()
    assert aid.others_eur_bn == pytest.approx(others / (52 / 12), abs=1e-3)
    assert aid_defaults(window="tracker").patron_eur_bn == pytest.approx(
        64.617 / (52 / 12), abs=1e-3
    )
    assert aid_defaults(window="post-inauguration").patron_eur_bn == 0.0
    with pytest.raises(twotier.InputError, match="aid_window: expected one of"):
        aid_defaults(window="2023")


def test_every_setting_and_parameter_is_documented() -> None:
    frame = evaluate_negotiation(BASE)
    assert len(frame) == 8
    assert frame["setting"].tolist()[:4] == [
        "status quo",
        "threat to Ukraine",
        "threat to Russia",
        "both threats",
    ]
    for meta in PARAMETERS.values():
        assert meta.unit and meta.source
    status = frame.set_index("setting").loc["status quo"]
    assert pd.isna(status["threat_ukraine_credible"]) and pd.isna(status["threat_russia_credible"])


def test_credible_threats_widen_the_range_by_the_shift_in_p() -> None:
    """With an audience cost above both thresholds, both threats are carried out: the
    zone widens by p(a_H) - p(a_L); under private costs the terms move, the risk not."""
    f = evaluate_negotiation(BASE.replace(audience_cost_eur_bn=1000.0)).set_index("setting")
    both, status = f.loc["both threats"], f.loc["status quo"]
    assert bool(both["threat_ukraine_credible"]) and bool(both["threat_russia_credible"])
    extra = both["p_if_russia_refuses"] - both["p_if_ukraine_refuses"]
    assert both["range_width"] - status["range_width"] == pytest.approx(extra)
    t = f.loc["threat to Ukraine"]
    assert t["p_no_agreement_russia_offers"] == status["p_no_agreement_russia_offers"]
    shift = status["p"] - t["p_if_ukraine_refuses"]
    assert status["offer_x_russia_offers"] - t["offer_x_russia_offers"] == pytest.approx(shift)


def test_threats_that_are_not_credible_change_nothing() -> None:
    """At A = 0 and the revealed-preference V (a_0 is the patron's best aid level),
    neither threat is carried out, so every threat setting equals the status quo."""
    f = evaluate_negotiation(BASE).set_index("setting")
    assert not f["threat_ukraine_credible"].dropna().any()
    assert not f["threat_russia_credible"].dropna().any()
    cols = ["range_low", "range_high", "nash_x", "p_no_agreement_russia_offers"]
    for name in ("threat to Ukraine", "threat to Russia", "both threats"):
        assert f.loc[name, cols].tolist() == f.loc["status quo", cols].tolist()
    needed = f.loc["both threats", "audience_cost_needed_ukraine_eur_bn"]
    assert needed > 0
    at = evaluate_negotiation(BASE.replace(audience_cost_eur_bn=float(needed)))
    assert bool(at.set_index("setting").loc["both threats", "threat_ukraine_credible"])


def test_precondition_participation_and_emptied_range() -> None:
    """κ_U above the range's width (plus κ_R) empties it; Russia's offer under private
    costs is then never made (P(no agreement) = 1), unlike the old model's 0.083."""
    f = evaluate_negotiation(BASE).set_index("setting")
    kmax = f.loc["status quo", "precondition_cost_max"]
    assert kmax == pytest.approx(0.4)  # c_U + c_R
    g = evaluate_negotiation(BASE.replace(precondition_cost_ukraine=0.7)).set_index("setting")
    assert bool(g.loc["status quo", "range_empty"]) and np.isnan(g.loc["status quo", "nash_x"])
    assert g.loc["status quo", "p_no_agreement_russia_offers"] == 1.0

    # A value to Russia gives it a reason to demand the precondition: its Nash payoff
    # 1 - x + κ_R rises iff κ_R > κ_U.
    def russia_payoff(k_u: float, k_r: float) -> float:
        row = (
            evaluate_negotiation(
                BASE.replace(precondition_cost_ukraine=k_u, precondition_value_russia=k_r)
            )
            .set_index("setting")
            .loc["status quo"]
        )
        return 1 - row["nash_x"] + k_r

    base = russia_payoff(0.0, 0.0)
    assert russia_payoff(0.1, 0.2) > base > russia_payoff(0.2, 0.1)


def test_powell_check_turns_on_with_a_large_shift_under_peace() -> None:
    """Russia rebuilding fast under peace makes Ukraine the declining side; a slow
    rebuild (the same shift over many years) does not."""
    fast = BASE.replace(russia_rebuild=3.0, power_shift_years=1.0, cost_ukraine=0.02)
    slow = fast.replace(power_shift_years=40.0)
    assert evaluate_negotiation(fast)["ukraine_prefers_war_now"].all()
    assert not evaluate_negotiation(slow)["ukraine_prefers_war_now"].any()
    aid_ramp = BASE.replace(peace_aid_change_eur_bn=900.0, power_shift_years=1.0, cost_russia=0.01)
    f = evaluate_negotiation(aid_ramp).set_index("setting")
    assert bool(f.loc["status quo", "russia_prefers_war_now"])


def test_months_before_talks_and_settlement() -> None:
    """Talks no earlier than the inauguration: 5 Nov 2024 -> 20 Jan 2025 is 76 days;
    settlement after 1/(1 - P) rounds on average (P = mean over proposers)."""
    f = evaluate_negotiation(BASE).set_index("setting")
    talks = 76 / (365.25 / 12)
    assert f.loc["status quo", "months_before_talks"] == pytest.approx(talks)
    no_deal = (f.loc["status quo", "p_no_agreement_russia_offers"]
               + f.loc["status quo", "p_no_agreement_ukraine_offers"]) / 2  # fmt: skip
    assert f.loc["status quo", "months_before_settlement"] == pytest.approx(
        talks + 1 / (1 - no_deal)
    )
    later = evaluate_negotiation(BASE.replace(reference_date="2025-03-01", talks_lag_months=2.0))
    assert later["months_before_talks"].iloc[0] == pytest.approx(2.0)
    with pytest.raises(ValueError, match="inauguration_date: expected a date"):
        BASE.replace(inauguration_date="20 Jan 2025")


params_strategy = st.fixed_dictionaries(
    {
        "aid_baseline_eur_bn": st.floats(0, 100),
        "audience_cost_eur_bn": st.floats(0, 100),
        "cost_ukraine": st.floats(0.01, 0.5),
        "cost_russia": st.floats(0.01, 0.5),
        "decisiveness": st.floats(0.2, 5),
        "effectiveness": st.floats(0.2, 5),
    }
)


@settings(max_examples=30, deadline=None)
@given(values=params_strategy, more=st.floats(0.1, 100))
def test_more_aid_never_lowers_ukraines_nash_share(values: dict[str, float], more: float) -> None:
    base = BASE.replace(**values, aid_rise_eur_bn=200.0, patron_value_eur_bn_per_year=300.0)
    richer = base.replace(aid_baseline_eur_bn=values["aid_baseline_eur_bn"] + more)
    a, b = evaluate_negotiation(base), evaluate_negotiation(richer)
    # Without threats more aid never lowers the share. With threats it can: more baseline
    # aid changes what carrying out a threat costs the patron, hence its credibility.
    sq = ~a["threat_ukraine"] & ~a["threat_russia"]
    assert (b.loc[sq, "nash_x"] >= a.loc[sq, "nash_x"] - 1e-12).all()


@settings(max_examples=30, deadline=None)
@given(values=params_strategy, extra=st.floats(0.001, 0.4))
def test_higher_costs_widen_the_range_which_is_never_empty(
    values: dict[str, float], extra: float
) -> None:
    base = BASE.replace(**values)
    f = evaluate_negotiation(base)
    assert (f["range_width"] > 0).all() and not f["range_empty"].any()
    for name in ("cost_ukraine", "cost_russia"):
        wider = evaluate_negotiation(base.replace(**{name: min(1.0, values[name] + extra)}))
        # Strictly wider unless clipped to [0, 1] (splits outside it are not deals).
        assert (wider["range_width"] >= f["range_width"] - 1e-12).all()
        inside = (f["range_low"] > 0) & (f["range_high"] < 1)
        assert (wider.loc[inside, "range_width"] > f.loc[inside, "range_width"]).all()


def test_same_seed_same_summary_and_generator_equivalence() -> None:
    scenario = load_scenario("default")
    a = simulate_negotiation(BASE, scenario.uncertainties, 500, rng=7).summary
    b = simulate_negotiation(
        BASE, scenario.uncertainties, 500, rng=np.random.default_rng(7)
    ).summary
    c = simulate_negotiation(BASE, scenario.uncertainties, 500, rng=8).summary
    pd.testing.assert_frame_equal(a, b)
    assert not a["mean"].equals(c["mean"])
    row = a.query("setting == 'status quo' and output == 'range_width'").iloc[0]
    assert row["q05"] <= row["q50"] <= row["q95"] and row["se"] > 0
    for bad in (-1, True, 1.5):
        with pytest.raises(twotier.InputError, match="rng: expected a seed"):
            simulate_negotiation(BASE, scenario.uncertainties, 10, rng=bad)  # type: ignore[arg-type]


def test_monte_carlo_mean_and_standard_error_match_the_analytic_values() -> None:
    """Width = c_U + c_R with both ~ U[0.05, 0.35] independent: mean 0.4, s.d.
    sqrt(2 * 0.3^2 / 12); the reported SE matches sd/sqrt(n) and the mean lies within
    4 SE. Two blocks (70,000 draws) exercise the merge of block summaries."""
    us = [
        Uncertainty("cost_ukraine", "uniform", 0.05, 0.35),
        Uncertainty("cost_russia", "uniform", 0.05, 0.35),
    ]
    n = 70_000
    out = simulate_negotiation(BASE, us, n, rng=np.random.default_rng(1)).summary
    row = out.query("setting == 'status quo' and output == 'range_width'").iloc[0]
    se = np.sqrt(2 * 0.3**2 / 12 / n)
    assert row["n"] == n and row["se"] == pytest.approx(se, rel=0.02)
    assert abs(row["mean"] - 0.4) < 4 * se


def test_blocks_are_a_prefix_of_longer_runs() -> None:
    """Block i uses the i-th child seed: a run of one block equals the first block of a
    longer run, so the 65,536-draw run's quantiles equal the longer run's."""
    scenario = load_scenario("default")
    short = simulate_negotiation(BASE, scenario.uncertainties, 65_536, rng=3).summary
    long = simulate_negotiation(BASE, scenario.uncertainties, 70_000, rng=3).summary
    assert short["q50"].equals(long["q50"])
    assert not short["mean"].equals(long["mean"])


def test_sweep_varies_one_parameter() -> None:
    frame = sweep_negotiation(BASE, "sanctions_cost", [0.0, 0.1, 0.2])
    assert len(frame) == 24
    highs = frame.query("setting == 'status quo + sanctions'")["range_high"].to_numpy()
    assert np.all(np.diff(highs) == pytest.approx(0.1))
    with pytest.raises(ValueError, match="unknown parameter"):
        sweep_negotiation(BASE, "nope", [1.0])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[scenario]\nid='x'\n", "key scenario.title"),
        ("[scenario]\nid='x'\ntitle='t'\n[parameters]\nnope=1\n", "key parameters.nope"),
        (
            "[scenario]\nid='x'\ntitle='t'\n[parameters]\ncost_ukraine=3\n",
            "key parameters.cost_ukraine: expected 0 to 1",
        ),
        (
            "[scenario]\nid='x'\ntitle='t'\n[uncertainty.cost_ukraine]\ndistribution='normal'\n"
            "low=0\nhigh=1\n",
            "key uncertainty.cost_ukraine.distribution",
        ),
        (
            "[scenario]\nid='x'\ntitle='t'\n[uncertainty.cost_ukraine]\nlow=0.5\nhigh=0.1\n",
            "key uncertainty.cost_ukraine",
        ),
        ("[scenario\n", "not valid TOML"),
    ],
)
def test_scenario_errors_name_the_key(text: str, message: str) -> None:
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text, "s.toml")
    assert message in str(info.value) and "\n" not in str(info.value)


@settings(max_examples=200, deadline=None)
@given(doc=st.text(max_size=120))
def test_scenario_reader_loads_or_raises_scenario_error(doc: str) -> None:
    with contextlib.suppress(ScenarioError):
        assert parse_scenario("[scenario]\nid='x'\ntitle='t'\n" + doc).id == "x"


def test_negotiation_params_layers_and_errors() -> None:
    params, scenario = negotiation_params("default", {"cost_ukraine": 0.3})
    assert scenario.id == "default" and params.cost_ukraine == 0.3
    assert params.aid_rise == pytest.approx(params.aid_baseline_eur_bn)
    assert params.resources_russia_usd_bn == 149.0
    ppp, _ = negotiation_params("default", resources_basis="ppp")
    assert ppp.resources_russia_usd_bn == 462.0 and ppp.resources_ukraine_usd_bn == 64.7
    with pytest.raises(twotier.InputError, match="resources_basis: expected one of"):
        negotiation_params("default", resources_basis="nominal")
    with pytest.raises(twotier.InputError, match="aid_cut_share: expected a number from 0 to 1"):
        negotiation_params("default", {"aid_cut_share": 1.5})
    with pytest.raises(twotier.InputError, match="set: unknown parameter"):
        negotiation_params("default", {"nope": 1.0})
    with pytest.raises(twotier.InputError, match="cost_ukraine_low: must not exceed"):
        negotiation_params("default", {"cost_ukraine_low": 0.9})


def test_negotiate_cli(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["negotiate", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert "not forecasts" in doc["caveat"]
    assert len(doc["results"]) == 8
    assert {p["parameter"] for p in doc["parameters"]} == set(PARAMETERS) | {
        "reference_date",
        "inauguration_date",
    }
    assert all(p["source"] for p in doc["parameters"])
    sources = " ".join(p["source"] for p in doc["parameters"])
    assert "staging copy" in sources and "SIPRI" in sources  # Kiel caveat shown with results
    args = ["negotiate", "--draws", "300", "--seed", "5", "--format", "csv"]
    assert main(args) == 0
    first = capsys.readouterr().out
    assert main(args) == 0
    assert capsys.readouterr().out == first
    path = tmp_path / "s.toml"
    path.write_text("[scenario]\nid='mine'\ntitle='t'\n[parameters]\nsanctions_cost=0.2\n")
    assert (
        main(
            [
                "negotiate",
                "--scenario",
                str(path),
                "--sweep",
                "cost_russia=0.1:0.3:3",
                "--format",
                "csv",
            ]
        )
        == 0
    )
    assert len(capsys.readouterr().out.strip().splitlines()) == 1 + 3 * 8
    for bad, field in [
        (["--set", "x=1"], "--set"),
        (["--set", "cost_russia=abc"], "--set"),
        (["--draws", "10"], "--seed"),
        (["--draws", "10", "--seed", "-1"], "--seed"),
        (["--sobol", "100", "--seed", "1"], "--sobol"),
        (["--resources-basis", "nominal"], "--resources-basis"),
        (["--set", "inauguration_date=2025-13-01"], "inauguration_date"),
        (["--sweep", "cost_russia=1:2"], "--sweep"),
        (["--sweep", "nope=0:1:3"], "unknown parameter"),
        (["--scenario", "no.toml"], "--scenario"),
    ]:
        assert main(["negotiate", *bad]) == 2
        err = capsys.readouterr().err
        assert field in err and len(err.strip().splitlines()) == 1


def test_result_sentence_and_readable_sweep_columns() -> None:
    from twotier.models.negotiation.engine import readable_columns
    from twotier.models.negotiation.summary import result_sentence

    frame = evaluate_negotiation(BASE)
    text = result_sentence(frame, "both threats + sanctions")
    needed = frame.set_index("setting").loc["both threats + sanctions"]
    assert f"EUR {needed['audience_cost_needed_ukraine_eur_bn']:.1f} bn" in text
    assert "would not be carried out" in text and "not a forecast" in text
    assert not any(w in text.lower().split() for w in ("should", "will", "must", "recommend"))
    credible = result_sentence(
        evaluate_negotiation(BASE.replace(audience_cost_eur_bn=100.0)), "both threats"
    )
    assert "the threat to Kyiv would be carried out" in credible
    empty = result_sentence(
        evaluate_negotiation(BASE.replace(precondition_cost_ukraine=0.9)), "status quo"
    )
    assert "no split is acceptable to both sides" in empty and "no settlement" in empty
    with pytest.raises(ValueError, match="setting: expected one of"):
        result_sentence(frame, "nope")
    sweep = readable_columns(sweep_negotiation(BASE, "audience_cost_eur_bn", [0.0, 5.0]))
    assert sweep.columns[0] == "audience_cost_eur_bn (EUR bn (one-off))"
    assert "Nash split (Ukraine's share)" in sweep.columns
    assert not any(c.islower() and "_" in c for c in sweep.columns[1:])


def test_worked_case_is_labelled_an_illustration_and_moves_kyivs_bound() -> None:
    params, scenario = negotiation_params("march-2025-pause")
    assert "illustration" in scenario.title.lower() and "not a forecast" in scenario.description
    assert params.reference_date == "2025-03-03"
    f = evaluate_negotiation(params).set_index("setting")
    assert f.loc["threat to Ukraine", "months_before_talks"] == 0.0  # after the inauguration
    assert bool(f.loc["threat to Ukraine", "threat_ukraine_credible"])
    assert f.loc["threat to Ukraine", "range_low"] < f.loc["status quo", "range_low"]
