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
    simulate_negotiation,
    summarize_simulation,
    sweep_negotiation,
)
from twotier.models.negotiation.scenario import parse_scenario

BASE = NegotiationParams(aid_baseline_eur_bn=15.0, other_aid_eur_bn=25.0)


def test_aid_defaults_come_from_the_kiel_figures() -> None:
    """Kiel release 29 (data to 2026-04): US military aid allocated EUR 64.617 bn over
    52 months; every other donor in the bundled file, summed, likewise."""
    aid = aid_defaults()
    assert aid.as_of == "2026-04"
    assert aid.years == pytest.approx(52 / 12, abs=1e-4)
    assert aid.patron_eur_bn == pytest.approx(64.617 / (52 / 12), abs=1e-3)
    rows = twotier.load_data().aid.query("category == 'military' and measure == 'allocated'")
    others = rows.loc[rows["donor_iso3"] != "USA", "value_eur_bn"].sum()
    assert aid.others_eur_bn == pytest.approx(others / (52 / 12), abs=1e-3)


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


def test_threats_widen_the_range_by_the_shift_in_p() -> None:
    """models.md §2.5: conditional aid widens the zone by p(a_H) - p(a_L)."""
    f = evaluate_negotiation(BASE).set_index("setting")
    both, status = f.loc["both threats"], f.loc["status quo"]
    extra = both["p_if_russia_refuses"] - both["p_if_ukraine_refuses"]
    assert both["range_width"] - status["range_width"] == pytest.approx(extra)
    # Take-it-or-leave-it under private costs: the terms move, the war risk does not.
    t = f.loc["threat to Ukraine"]
    assert t["p_no_agreement_russia_offers"] == status["p_no_agreement_russia_offers"]
    shift = status["p"] - t["p_if_ukraine_refuses"]
    assert status["offer_x_russia_offers"] - t["offer_x_russia_offers"] == pytest.approx(shift)


def test_precondition_can_empty_the_range() -> None:
    f = evaluate_negotiation(BASE.replace(precondition_cost=0.5)).set_index("setting")
    assert bool(f.loc["status quo", "range_empty"])
    assert np.isnan(f.loc["status quo", "nash_x"])


def test_credibility_follows_the_patrons_payoffs() -> None:
    cheap = evaluate_negotiation(BASE.replace(patron_value_eur_bn=0.0)).set_index("setting")
    assert bool(cheap.loc["threat to Ukraine", "threat_ukraine_credible"])  # saves money
    assert not bool(cheap.loc["threat to Russia", "threat_russia_credible"])  # costs money
    dear = evaluate_negotiation(BASE.replace(patron_value_eur_bn=10_000.0)).set_index("setting")
    assert not bool(dear.loc["threat to Ukraine", "threat_ukraine_credible"])
    assert bool(dear.loc["threat to Russia", "threat_russia_credible"])


def test_powell_check_turns_on_with_a_large_expected_shift() -> None:
    f = evaluate_negotiation(
        BASE.replace(aid_after_russia_refusal_eur_bn=900.0, cost_russia=0.01)
    ).set_index("setting")
    assert bool(f.loc["threat to Russia", "russia_prefers_war_now"])
    assert not bool(f.loc["status quo", "russia_prefers_war_now"])


params_strategy = st.fixed_dictionaries(
    {
        "aid_baseline_eur_bn": st.floats(0, 100),
        "cost_ukraine": st.floats(0.01, 0.5),
        "cost_russia": st.floats(0.01, 0.5),
        "decisiveness": st.floats(0.2, 5),
        "effectiveness": st.floats(0.2, 5),
    }
)


@settings(max_examples=60, deadline=None)
@given(values=params_strategy, more=st.floats(0.1, 100))
def test_more_aid_never_lowers_ukraines_nash_share(values: dict[str, float], more: float) -> None:
    base = BASE.replace(**values, aid_after_russia_refusal_eur_bn=200.0)
    richer = base.replace(aid_baseline_eur_bn=values["aid_baseline_eur_bn"] + more)
    a, b = evaluate_negotiation(base), evaluate_negotiation(richer)
    assert (b["nash_x"] >= a["nash_x"] - 1e-12).all()


@settings(max_examples=60, deadline=None)
@given(values=params_strategy, extra=st.floats(0.001, 0.4))
def test_higher_costs_widen_the_range_which_is_never_empty(
    values: dict[str, float], extra: float
) -> None:
    base = BASE.replace(**values)
    f = evaluate_negotiation(base)
    assert (f["range_width"] > 0).all() and not f["range_empty"].any()
    for name in ("cost_ukraine", "cost_russia"):
        wider = evaluate_negotiation(base.replace(**{name: min(1.0, values[name] + extra)}))
        assert (wider["range_width"] > f["range_width"]).all()


def test_same_seed_same_output_and_chunks_of_settings() -> None:
    scenario = load_scenario("default")
    a = simulate_negotiation(BASE, scenario.uncertainties, 500, rng=7)
    b = simulate_negotiation(BASE, scenario.uncertainties, 500, rng=7)
    c = simulate_negotiation(BASE, scenario.uncertainties, 500, rng=8)
    pd.testing.assert_frame_equal(a, b)
    assert not a["range_width"].equals(c["range_width"])
    assert len(a) == 8 * 500
    summary = summarize_simulation(a)
    row = summary.query("setting == 'status quo' and output == 'range_width'").iloc[0]
    assert row["q05"] <= row["q50"] <= row["q95"]


def test_monte_carlo_mean_width_matches_the_analytic_mean() -> None:
    """Width = c_U + c_R with both ~ U[0.05, 0.35] independent: mean 0.4; the sample
    mean lies within 4 standard errors."""
    us = [
        Uncertainty("cost_ukraine", "uniform", 0.05, 0.35),
        Uncertainty("cost_russia", "uniform", 0.05, 0.35),
    ]
    sim = simulate_negotiation(BASE, us, 40_000, rng=np.random.default_rng(1))
    width = sim.query("setting == 'status quo'")["range_width"]
    se = np.sqrt(2 * 0.3**2 / 12 / len(width))
    assert abs(width.mean() - 0.4) < 4 * se


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
    assert params.aid_high == pytest.approx(2 * params.aid_baseline_eur_bn)
    with pytest.raises(twotier.InputError, match="must not be below aid_baseline"):
        negotiation_params("default", {"aid_after_russia_refusal_eur_bn": 1.0})
    with pytest.raises(twotier.InputError, match="--set: unknown parameter"):
        negotiation_params("default", {"nope": 1.0})
    with pytest.raises(twotier.InputError, match="cost_ukraine_low: must not exceed"):
        negotiation_params("default", {"cost_ukraine_low": 0.9})


def test_negotiate_cli(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["negotiate", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert "not forecasts" in doc["caveat"]
    assert len(doc["results"]) == 8
    assert {p["parameter"] for p in doc["parameters"]} == set(PARAMETERS)
    assert all(p["source"] for p in doc["parameters"])
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
        (["--sweep", "cost_russia=1:2"], "--sweep"),
        (["--sweep", "nope=0:1:3"], "unknown parameter"),
        (["--scenario", "no.toml"], "--scenario"),
    ]:
        assert main(["negotiate", *bad]) == 2
        err = capsys.readouterr().err
        assert field in err and len(err.strip().splitlines()) == 1
